import React, { useCallback, useMemo } from 'react';
import { CoreApp } from '@grafana/data';
import { EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Text } from '@grafana/ui';

import { CloudTargetRow } from '../../components/fields/CloudTargetRow';
import { ContextField } from '../../components/fields/ContextField';
import { LabelFiltersRow } from '../../components/fields/LabelFiltersRow';
import { NodesField } from '../../components/fields/NodesField';
import { useLoader } from '../../components/useLoader';
import type { CloudTarget } from '../../resources';
import { testIds } from '../../testIds';
import type { NetdataQuery } from '../../types';
import type { QueryTypeEditorProps } from '../editorProps';
import { FiltersRow } from './FiltersRow';
import { GroupingRow } from './GroupingRow';
import { resolutionHint } from './resolution';
import { SeriesRow } from './SeriesRow';
import { TimeRow } from './TimeRow';

/**
 * The metrics query editor. Selections keep their values when the nodes, space or room change: values the newly
 * loaded lists lack are marked as selecting nothing (they may be patterns, variables or offline nodes, which a
 * silent clear would lose). Choosing another context clears dimensions, instances and label filters, which
 * belong to the old one.
 */
export function MetricsQueryEditor({ catalog, query, onChange, onRunQuery, app, data }: QueryTypeEditorProps) {
  const alerting = app === CoreApp.UnifiedAlerting || app === CoreApp.CloudAlerting;

  const target: CloudTarget = { spaceId: query.spaceId, roomId: query.roomId };
  const nodes = useMemo(() => query.nodes ?? [], [query.nodes]);
  const context = query.context?.trim() ?? '';
  const targetKey = `${target.spaceId ?? ''}/${target.roomId ?? ''}`;
  const nodesKey = `${targetKey}|${nodes.join('\n')}`;

  const nodeList = useLoader(() => catalog.nodes(target), targetKey);
  const searchEverything = useCallback(
    (text: string) => catalog.search(text, nodes, { spaceId: query.spaceId, roomId: query.roomId }),
    [catalog, nodes, query.spaceId, query.roomId]
  );
  const contextList = useLoader(() => catalog.contexts(nodes, target), nodesKey);
  const details = useLoader(
    context ? () => catalog.context(context, nodes, target) : undefined,
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
      update({ context: next, dimensions: [], instances: [], labels: [] });
    }
  };

  const cloud = catalog.transport === 'cloud';
  const resolution = useMemo(
    () => (alerting ? undefined : resolutionHint(data?.request, cloud)),
    [alerting, data, cloud]
  );

  return (
    <EditorRows>
      {cloud && <CloudTargetRow catalog={catalog} query={query} onChange={update} />}
      <EditorRow>
        <NodesField nodes={query.nodes} list={nodeList} cloud={cloud} onChange={(value) => update({ nodes: value })} />
        <ContextField
          context={query.context}
          list={contextList}
          listKey={nodesKey}
          onChange={onContextChange}
          searchEverything={searchEverything}
        />
      </EditorRow>
      <FiltersRow query={query} details={details} onChange={update} />
      <LabelFiltersRow query={query} details={details} onChange={update} />
      <GroupingRow query={query} details={details} onChange={update} />
      <TimeRow query={query} onChange={update} />
      <SeriesRow query={query} onChange={update} showLegend={!alerting} />
      {resolution && (
        <div data-testid={testIds.queryResolution}>
          <Text variant="bodySmall" color="secondary">
            {resolution}
          </Text>
        </div>
      )}
    </EditorRows>
  );
}
