import React from 'react';
import { QueryEditorProps } from '@grafana/data';
import { EditorRow, EditorRows } from '@grafana/plugin-ui';

import type { DataSource } from '../datasource';
import type { CloudTarget } from '../resources';
import type { NetdataOptions, NetdataQuery } from '../types';
import { CloudTargetRow } from './query/CloudTargetRow';
import { ContextField } from './query/ContextField';
import { FiltersRow } from './query/FiltersRow';
import { GroupingRow } from './query/GroupingRow';
import { NodesField } from './query/NodesField';
import { TimeRow } from './query/TimeRow';
import { useLoader } from './useLoader';

type Props = QueryEditorProps<DataSource, NetdataQuery, NetdataOptions>;

export function QueryEditor({ datasource, query, onChange, onRunQuery }: Props) {
  const target: CloudTarget = { spaceId: query.spaceId, roomId: query.roomId };
  const nodes = query.nodes ?? [];
  const context = query.context?.trim() ?? '';
  const targetKey = `${target.spaceId ?? ''}/${target.roomId ?? ''}`;
  const nodesKey = `${targetKey}|${nodes.join('\n')}`;

  const nodeList = useLoader(() => datasource.getNodes(target), targetKey);
  const contextList = useLoader(() => datasource.getContexts(nodes, target), nodesKey);
  const details = useLoader(
    context ? () => datasource.getContextDetails(context, nodes, target) : undefined,
    `${nodesKey}|${context}`
  );

  // Every change here is meaningful (text inputs commit on blur), so run as soon as there is something to run.
  const update = (patch: Partial<NetdataQuery>) => {
    const next = { ...query, ...patch };
    onChange(next);
    if (next.context?.trim()) {
      onRunQuery();
    }
  };

  const onContextChange = (next: string) => {
    if (next !== query.context) {
      // Dimensions, instances and label values belong to the previous context.
      update({ context: next, dimensions: [], instances: [], labels: [] });
    }
  };

  return (
    <EditorRows>
      {datasource.transport === 'cloud' && <CloudTargetRow datasource={datasource} query={query} onChange={update} />}
      <EditorRow>
        <NodesField nodes={query.nodes} list={nodeList} onChange={(value) => update({ nodes: value })} />
        <ContextField context={query.context} list={contextList} onChange={onContextChange} />
      </EditorRow>
      <FiltersRow query={query} details={details} onChange={update} />
      <GroupingRow query={query} details={details} onChange={update} />
      <TimeRow query={query} onChange={update} />
    </EditorRows>
  );
}
