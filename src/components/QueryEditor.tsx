import React, { useEffect, useMemo, useRef } from 'react';
import { CoreApp, QueryEditorProps } from '@grafana/data';
import { EditorRow, EditorRows } from '@grafana/plugin-ui';
import { Text } from '@grafana/ui';

import type { DataSource } from '../datasource';
import { migrateNetdataQuery } from '../queryMigration';
import type { CloudTarget } from '../resources';
import type { NetdataOptions, NetdataQuery } from '../types';
import { CloudTargetRow } from './query/CloudTargetRow';
import { ContextField } from './query/ContextField';
import { FiltersRow } from './query/FiltersRow';
import { GroupingRow } from './query/GroupingRow';
import { LabelFiltersRow } from './query/LabelFiltersRow';
import { NodesField } from './query/NodesField';
import { resolutionHint } from './query/resolution';
import { SeriesRow } from './query/SeriesRow';
import { TimeRow } from './query/TimeRow';
import { useLoader } from './useLoader';

type Props = QueryEditorProps<DataSource, NetdataQuery, NetdataOptions>;

/** Keys every Grafana query has; a query with nothing else is new. */
const GRAFANA_KEYS = new Set(['refId', 'datasource', 'hide', 'key', 'queryType', 'datasourceId']);

/**
 * The Netdata query editor. Selections keep their values when the nodes, space or room change: values the newly
 * loaded lists lack are marked as selecting nothing (they may be patterns, variables or offline nodes, which a
 * silent clear would lose). Choosing another context clears dimensions, instances and label filters, which
 * belong to the old one.
 */
export function QueryEditor({ datasource, query: saved, onChange, onRunQuery, app, data }: Props) {
  const alerting = app === CoreApp.UnifiedAlerting || app === CoreApp.CloudAlerting;
  // Earlier saved shapes are shown (and saved, below) in the current one.
  const query = useMemo(() => migrateNetdataQuery(saved), [saved]);

  const initialised = useRef(false);
  useEffect(() => {
    if (initialised.current) {
      return;
    }
    initialised.current = true;
    const isNew = Object.keys(query).every((k) => GRAFANA_KEYS.has(k));
    const next = isNew ? { ...datasource.getDefaultQuery(app ?? CoreApp.Unknown), ...query } : query;
    if (JSON.stringify(next) !== JSON.stringify(saved)) {
      onChange(next);
    }
  }, [query, saved, datasource, app, onChange]);

  const target: CloudTarget = { spaceId: query.spaceId, roomId: query.roomId };
  const nodes = useMemo(() => query.nodes ?? [], [query.nodes]);
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
      update({ context: next, dimensions: [], instances: [], labels: [] });
    }
  };

  const cloud = datasource.transport === 'cloud';
  const resolution = useMemo(
    () => (alerting ? undefined : resolutionHint(data?.request, cloud)),
    [alerting, data, cloud]
  );

  return (
    <EditorRows>
      {cloud && <CloudTargetRow datasource={datasource} query={query} onChange={update} />}
      <EditorRow>
        <NodesField nodes={query.nodes} list={nodeList} cloud={cloud} onChange={(value) => update({ nodes: value })} />
        <ContextField context={query.context} list={contextList} listKey={nodesKey} onChange={onContextChange} />
      </EditorRow>
      <FiltersRow query={query} details={details} onChange={update} />
      <LabelFiltersRow query={query} details={details} onChange={update} />
      <GroupingRow query={query} details={details} onChange={update} />
      <TimeRow query={query} onChange={update} />
      <SeriesRow query={query} onChange={update} showLegend={!alerting} />
      {resolution && (
        <div data-testid="netdata-query-resolution">
          <Text variant="bodySmall" color="secondary">
            {resolution}
          </Text>
        </div>
      )}
    </EditorRows>
  );
}
