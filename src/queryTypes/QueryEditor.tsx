import React, { useEffect, useMemo, useRef } from 'react';
import { CoreApp, QueryEditorProps } from '@grafana/data';
import { EditorField, EditorRow } from '@grafana/plugin-ui';
import { Alert, RadioButtonGroup, Stack } from '@grafana/ui';

import type { CatalogDataSource } from '../catalog';
import { METRICS_QUERY_TYPE } from '../netdata/queryType';
import { testIds } from '../testIds';
import type { NetdataOptions, NetdataQuery } from '../types';
import { QUERY_TYPES, queryTypeName, queryTypeOfQuery } from './registry';

type Props = QueryEditorProps<CatalogDataSource, NetdataQuery, NetdataOptions>;

/** Keys every Grafana query has; a query with nothing else is new. */
const GRAFANA_KEYS = new Set(['refId', 'datasource', 'hide', 'key', 'queryType', 'datasourceId']);
/** What a query keeps when its type changes: where it runs, and which nodes it looks at. */
const KEPT_ON_TYPE_CHANGE = ['refId', 'datasource', 'hide', 'key', 'nodes', 'spaceId', 'roomId'] as const;

/**
 * The query editor of panels and Explore: the query type, then that type's editor. A query saved in an earlier
 * shape is shown (and saved, once) in the current one; a new query starts with the defaults of its type for the app.
 */
export function QueryEditor({ datasource, query: saved, onChange, onRunQuery, app, data }: Props) {
  const type = queryTypeOfQuery(saved);
  const query = useMemo(() => (type ? type.migrate(saved) : saved), [type, saved]);
  const alerting = app === CoreApp.UnifiedAlerting || app === CoreApp.CloudAlerting;

  const initialised = useRef(false);
  useEffect(() => {
    if (initialised.current) {
      return;
    }
    initialised.current = true;
    if (!type) {
      return;
    }
    const isNew = Object.keys(query).every((k) => GRAFANA_KEYS.has(k));
    const defaults =
      type.queryType === METRICS_QUERY_TYPE
        ? datasource.getDefaultQuery?.(app ?? CoreApp.Unknown)
        : type.defaultQuery(app ?? CoreApp.Unknown);
    const next = isNew ? { ...defaults, ...query } : query;
    if (JSON.stringify(next) !== JSON.stringify(saved)) {
      onChange(next);
    }
  }, [type, query, saved, datasource, app, onChange]);

  const options = QUERY_TYPES.filter((t) => t.selectable).map((t) => ({
    value: t.queryType,
    label: t.label,
    description: t.description,
  }));
  const changeType = (queryType: string) => {
    const target = QUERY_TYPES.find((t) => t.queryType === queryType);
    if (!target || queryType === queryTypeName(query)) {
      return;
    }
    const kept: Partial<NetdataQuery> = {};
    for (const key of KEPT_ON_TYPE_CHANGE) {
      if (query[key] !== undefined) {
        Object.assign(kept, { [key]: query[key] });
      }
    }
    onChange({ ...target.defaultQuery(app ?? CoreApp.Unknown), ...kept, queryType } as NetdataQuery);
    onRunQuery();
  };

  // Alert rules evaluate numeric series only: the other types' tables cannot be alerted on.
  const showSelector = !alerting && options.length > 1 && (!type || type.selectable);
  return (
    <Stack direction="column" gap={1}>
      {showSelector && (
        <EditorRow>
          <EditorField label="Query type" tooltip={type?.description}>
            <div data-testid={testIds.queryType}>
              <RadioButtonGroup options={options} value={type?.queryType} onChange={changeType} size="sm" />
            </div>
          </EditorField>
        </EditorRow>
      )}
      {type ? (
        <type.Editor
          catalog={datasource.catalog}
          query={query}
          onChange={onChange}
          onRunQuery={onRunQuery}
          app={app}
          data={data}
        />
      ) : (
        <Alert severity="error" title={`Unknown query type "${queryTypeName(saved)}"`}>
          This query was saved by another version of the Netdata data source. Choose a query type to replace it.
        </Alert>
      )}
    </Stack>
  );
}
