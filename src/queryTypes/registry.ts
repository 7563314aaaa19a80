import { METRICS_QUERY_TYPE } from '../netdata/queryType';
import type { NetdataQuery } from '../types';
import { alertsQueryType } from './alerts/alertsQueryType';
import { alertTransitionsQueryType } from './alertTransitions/alertTransitionsQueryType';
import { correlationsQueryType } from './correlations/correlationsQueryType';
import { functionQueryType } from './function/functionQueryType';
import { logsQueryType } from './logs/logsQueryType';
import { metricsQueryType } from './metrics/metricsQueryType';
import { nodesQueryType } from './nodes/nodesQueryType';
import type { QueryTypeDefinition } from './queryTypeDefinition';

/** Every query type, in the order the selector offers them. */
export const QUERY_TYPES: readonly QueryTypeDefinition[] = [
  metricsQueryType,
  correlationsQueryType,
  alertsQueryType,
  nodesQueryType,
  functionQueryType,
  logsQueryType,
  alertTransitionsQueryType,
];

/** The query type of a saved query: without one it is a metrics query, so every saved dashboard keeps working. */
export function queryTypeName(query: Pick<NetdataQuery, 'queryType'>): string {
  return query.queryType || METRICS_QUERY_TYPE;
}

/** The definition of a query's type; undefined for a type this version does not know. */
export function queryTypeOfQuery(query: Pick<NetdataQuery, 'queryType'>): QueryTypeDefinition | undefined {
  const name = queryTypeName(query);
  return QUERY_TYPES.find((t) => t.queryType === name);
}
