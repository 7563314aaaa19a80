import React, { useMemo } from 'react';
import { EditorField, EditorRow, EditorRows } from '@grafana/plugin-ui';
import { MultiCombobox } from '@grafana/ui';

import { CloudTargetRow } from '../../components/fields/CloudTargetRow';
import { NodesField } from '../../components/fields/NodesField';
import { TextField } from '../../components/fields/TextField';
import { useLoader } from '../../components/useLoader';
import { ALERT_INSTANCE_STATUSES, AlertInstanceStatus, DEFAULT_CURRENT_ALERTS } from '../../netdata/currentAlerts';
import { ALERTS_QUERY_TYPE } from '../../netdata/queryType';
import type { CloudTarget } from '../../resources';
import { testIds } from '../../testIds';
import type { NetdataQuery } from '../../types';
import type { QueryTypeEditorProps } from '../editorProps';
import { CONTEXTS_HINT } from '../correlations/CorrelationsQueryEditor';

const STATUS_DESCRIPTIONS: Record<AlertInstanceStatus, string> = {
  CRITICAL: 'Raised, critical',
  WARNING: 'Raised, warning',
  CLEAR: 'Evaluated and fine',
  UNDEFINED: 'Its expression gave no value',
  UNINITIALIZED: 'Not evaluated yet',
};
const STATUS_OPTIONS = ALERT_INSTANCE_STATUSES.map((s) => ({
  value: s,
  label: s,
  description: STATUS_DESCRIPTIONS[s],
}));

/** Current alerts: the alert instances running now on the chosen nodes, one table row each. */
export function AlertsQueryEditor({ catalog, query, onChange, onRunQuery }: QueryTypeEditorProps) {
  const target: CloudTarget = { spaceId: query.spaceId, roomId: query.roomId };
  const targetKey = `${target.spaceId ?? ''}/${target.roomId ?? ''}`;
  const nodeList = useLoader(() => catalog.nodes(target), targetKey);
  const statuses = useMemo(
    () => (query.statuses?.length ? query.statuses : DEFAULT_CURRENT_ALERTS.statuses),
    [query.statuses]
  );
  const update = (patch: Partial<NetdataQuery>) => {
    onChange({ ...query, ...patch, queryType: ALERTS_QUERY_TYPE });
    onRunQuery();
  };
  const cloud = catalog.transport === 'cloud';

  return (
    <EditorRows>
      {cloud && <CloudTargetRow catalog={catalog} query={query} onChange={update} />}
      <EditorRow>
        <NodesField nodes={query.nodes} list={nodeList} cloud={cloud} onChange={(value) => update({ nodes: value })} />
        <TextField
          id={testIds.queryContexts}
          label="Contexts"
          tooltip={`Alerts of these contexts. ${CONTEXTS_HINT}`}
          value={query.contexts}
          placeholder="* (every context)"
          onChange={(value) => update({ contexts: value ?? DEFAULT_CURRENT_ALERTS.contexts })}
        />
      </EditorRow>
      <EditorRow>
        <TextField
          id={testIds.queryAlert}
          label="Alert name"
          optional
          tooltip="Netdata pattern over alert names (case-sensitive): disk_space_* or !10min_*,*. Empty is every alert."
          value={query.alert}
          placeholder="All alerts"
          onChange={(alert) => update({ alert })}
        />
        <EditorField label="Statuses" tooltip="Alert instances in these statuses are listed.">
          <MultiCombobox<AlertInstanceStatus>
            id={testIds.queryStatuses}
            options={STATUS_OPTIONS}
            value={[...statuses]}
            onChange={(items) => update({ statuses: items.map((i) => i.value) })}
          />
        </EditorField>
      </EditorRow>
    </EditorRows>
  );
}
