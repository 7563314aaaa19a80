import React, { useEffect, useMemo } from 'react';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Input, MultiCombobox } from '@grafana/ui';

import { CloudTargetRow } from '../../components/fields/CloudTargetRow';
import { ContextField } from '../../components/fields/ContextField';
import { NodesField } from '../../components/fields/NodesField';
import { useLoader } from '../../components/useLoader';
import { ALERT_TRANSITION_STATUSES, DEFAULT_ALERT_STATUSES } from '../../netdata/alertTransitions';
import { ALERT_TRANSITIONS_QUERY_TYPE } from '../../netdata/queryType';
import type { AlertTransitionStatus } from '../../netdata/types';
import { testIds } from '../../testIds';
import type { NetdataQuery } from '../../types';
import type { QueryTypeEditorProps } from '../editorProps';

const STATUS_OPTIONS = ALERT_TRANSITION_STATUSES.map((s) => ({ value: s, label: s }));

/**
 * The annotation editor: which alert transitions become annotations (Netdata's alert history, netdata-api.md §4.6).
 * Context and alert name are exact names (Netdata compares them with equality, not as patterns).
 */
export function AlertTransitionsEditor({ catalog, query, onChange }: QueryTypeEditorProps) {
  useEffect(() => {
    if (query.queryType !== ALERT_TRANSITIONS_QUERY_TYPE) {
      onChange({ ...query, queryType: ALERT_TRANSITIONS_QUERY_TYPE });
    }
  }, [query, onChange]);

  const target = { spaceId: query.spaceId, roomId: query.roomId };
  const nodes = useMemo(() => query.nodes ?? [], [query.nodes]);
  const targetKey = `${target.spaceId ?? ''}/${target.roomId ?? ''}`;
  const nodesKey = `${targetKey}|${nodes.join('\n')}`;
  const nodeList = useLoader(() => catalog.nodes(target), targetKey);
  const contextList = useLoader(() => catalog.contexts(nodes, target), nodesKey);
  const cloud = catalog.transport === 'cloud';
  const update = (patch: Partial<NetdataQuery>) =>
    onChange({ ...query, ...patch, queryType: ALERT_TRANSITIONS_QUERY_TYPE });
  const statuses = query.alertStatuses?.length ? query.alertStatuses : DEFAULT_ALERT_STATUSES;

  return (
    <EditorRows>
      {cloud && <CloudTargetRow catalog={catalog} query={query} onChange={update} />}
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
            id={testIds.annotationAlert}
            width={30}
            defaultValue={query.alert ?? ''}
            placeholder="All alerts"
            onBlur={(e) => update({ alert: e.currentTarget.value.trim() || undefined })}
          />
        </EditorField>
        <EditorField label="New status" tooltip="Transitions into these statuses become annotations.">
          <MultiCombobox<AlertTransitionStatus>
            id={testIds.annotationStatuses}
            options={STATUS_OPTIONS}
            value={[...statuses]}
            onChange={(items) => update({ alertStatuses: items.map((i) => i.value) })}
          />
        </EditorField>
      </EditorRow>
    </EditorRows>
  );
}
