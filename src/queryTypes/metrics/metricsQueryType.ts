import { CoreApp } from '@grafana/data';

import { METRICS_QUERY_TYPE } from '../../netdata/queryType';
import { interpolateQuery } from '../../templateVariables';
import type { QueryTypeDefinition } from '../queryTypeDefinition';
import { queryDisplayText } from './displayText';
import { MetricsQueryEditor } from './MetricsQueryEditor';
import { migrateNetdataQuery } from './migration';
import { DEFAULT_ALERTING_QUERY, DEFAULT_QUERY } from './model';
import { metricsQueryHasFilter, modifyMetricsQuery, toggleMetricsFilter, withAdHocFilters } from './queryFilters';

export const metricsQueryType: QueryTypeDefinition = {
  queryType: METRICS_QUERY_TYPE,
  label: 'Metrics',
  description: 'Time series of one context (chart type), grouped and aggregated by Netdata',
  selectable: true,
  Editor: MetricsQueryEditor,
  migrate: migrateNetdataQuery,
  // A copy each time, so an editor cannot change the defaults.
  defaultQuery: (app) =>
    JSON.parse(
      JSON.stringify(
        app === CoreApp.UnifiedAlerting || app === CoreApp.CloudAlerting ? DEFAULT_ALERTING_QUERY : DEFAULT_QUERY
      )
    ),
  isRunnable: (query) => !!migrateNetdataQuery(query).context?.trim(),
  displayText: (query) => queryDisplayText(migrateNetdataQuery(query)),
  // Queries saved in an earlier shape are migrated first, so their variables are resolved too.
  interpolate: (query, scopedVars, templateSrv) =>
    interpolateQuery(migrateNetdataQuery(query), scopedVars, templateSrv),
  applyAdHocFilters: withAdHocFilters,
  modifyQuery: modifyMetricsQuery,
  toggleFilter: toggleMetricsFilter,
  hasFilter: metricsQueryHasFilter,
};
