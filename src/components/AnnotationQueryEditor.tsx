import React, { useEffect, useMemo } from 'react';
import type { QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Input, MultiCombobox } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { ALERT_TRANSITION_STATUSES, DEFAULT_ALERT_STATUSES } from '../netdata/alertTransitions';
import { ALERT_TRANSITIONS_QUERY_TYPE } from '../netdata/queryType';
import type { AlertTransitionStatus } from '../netdata/types';
import type { NetdataOptions, NetdataQuery } from '../types';
import { CloudTargetRow } from './query/CloudTargetRow';
import { ContextField } from './query/ContextField';
import { NodesField } from './query/NodesField';
import { useLoader } from './useLoader';

type Props = QueryEditorProps<DataSource, NetdataQuery, NetdataOptions>;

const STATUS_OPTIONS = ALERT_TRANSITION_STATUSES.map((s) => ({ value: s, label: s }));

/**
 * The annotation editor: which alert transitions become annotations (Netdata's alert history, netdata-api.md §4.6).
 * Context and alert name are exact names (Netdata compares them with equality, not as patterns).
 */
export function AnnotationQueryEditor({ datasource, query, onChange }: Props) {
  useEffect(() => {
    if (query.queryType !== ALERT_TRANSITIONS_QUERY_TYPE) {
      onChange({ ...query, queryType: ALERT_TRANSITIONS_QUERY_TYPE });
    }
  }, [query, onChange]);

  const target = { spaceId: query.spaceId, roomId: query.roomId };
  const nodes = useMemo(() => query.nodes ?? [], [query.nodes]);
  const targetKey = `${target.spaceId ?? ''}/${target.roomId ?? ''}`;
  const nodesKey = `${targetKey}|${nodes.join('\n')}`;
  const nodeList = useLoader(() => datasource.getNodes(target), targetKey);
  const contextList = useLoader(() => datasource.getContexts(nodes, target), nodesKey);
  const cloud = datasource.transport === 'cloud';
  const update = (patch: Partial<NetdataQuery>) =>
    onChange({ ...query, ...patch, queryType: ALERT_TRANSITIONS_QUERY_TYPE });
  const statuses = query.alertStatuses?.length ? query.alertStatuses : DEFAULT_ALERT_STATUSES;

  return (
    <EditorRows>
      {cloud && <CloudTargetRow datasource={datasource} query={query} onChange={update} />}
      <EditorRow>
        <NodesField nodes={query.nodes} list={nodeList} cloud={cloud} onChange={(value) => update({ nodes: value })} />
        <ContextField
          context={query.context}
          list={contextList}
          listKey={nodesKey}
          onChange={(context) => update({ context })}
        />
      </EditorRow>
      <EditorRow>
        <EditorField label="Alert name" tooltip="Exact alert name (such as ram_in_use); empty means every alert.">
          <Input
            id="netdata-annotation-alert"
            width={30}
            defaultValue={query.alert ?? ''}
            placeholder="All alerts"
            onBlur={(e) => update({ alert: e.currentTarget.value.trim() || undefined })}
          />
        </EditorField>
        <EditorField label="New status" tooltip="Transitions into these statuses become annotations.">
          <MultiCombobox<AlertTransitionStatus>
            id="netdata-annotation-statuses"
            options={STATUS_OPTIONS}
            value={[...statuses]}
            onChange={(items) => update({ alertStatuses: items.map((i) => i.value) })}
          />
        </EditorField>
      </EditorRow>
    </EditorRows>
  );
}
