// Query types: `queryType` in the saved model (and in Grafana's DataQuery.queryType). Shared by the editors and the
// backend's dispatch table. A query without one is a metrics query, so every saved dashboard keeps working.

export const METRICS_QUERY_TYPE = 'metrics';
/** Alert transitions as annotations. Before issue 12 this was `alerts`; annotation queries get it from prepareQuery. */
export const ALERT_TRANSITIONS_QUERY_TYPE = 'alertTransitions';
/** Metric correlations: what changed in the time range against a baseline before it (`/api/v2/weights`). */
export const CORRELATIONS_QUERY_TYPE = 'correlations';
/** Current alert instances (`/api/v2/alerts`); the history as annotations is `alertTransitions`. */
export const ALERTS_QUERY_TYPE = 'alerts';
/** The node inventory (`/api/v2/nodes` + info). */
export const NODES_QUERY_TYPE = 'nodes';
/** A Netdata function's table (`mount-points`, `processes`, …; netdata-api-extra.md §5.3). */
export const FUNCTION_QUERY_TYPE = 'function';
/** Logs of a logs function (`systemd-journal`, `windows-events`; §5.4) for Explore's logs view. */
export const LOGS_QUERY_TYPE = 'logs';

/**
 * The query type of one query: Grafana's `DataQuery.queryType` when set, else the JSON's `queryType`, else metrics.
 * Grafana copies the JSON's `queryType` into `DataQuery.queryType`, but clients of /api/ds/query may send either.
 */
export function queryTypeOf(dataQueryType: string | undefined, json: Readonly<Record<string, unknown>>): string {
  if (dataQueryType) {
    return dataQueryType;
  }
  const inJson = json.queryType;
  return typeof inJson === 'string' && inJson !== '' ? inJson : METRICS_QUERY_TYPE;
}
