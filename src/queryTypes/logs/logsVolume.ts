import { DataQueryRequest, SupplementaryQueryOptions, SupplementaryQueryType } from '@grafana/data';

import { LOGS_QUERY_TYPE } from '../../netdata/queryType';
import type { NetdataQuery } from '../../types';

/** The refId prefix Grafana's Explore strips to find the logs query a volume belongs to. */
export const LOGS_VOLUME_REF_PREFIX = 'log-volume-';

/**
 * Explore's logs volume of a logs query (DataSourceWithSupplementaryQueriesSupport.getSupplementaryQuery): the same
 * query answering the journal's PRIORITY histogram instead of the lines. Undefined for other query types.
 */
export function logsVolumeQuery(options: SupplementaryQueryOptions, query: NetdataQuery): NetdataQuery | undefined {
  if (options.type !== SupplementaryQueryType.LogsVolume || query.hide || query.queryType !== LOGS_QUERY_TYPE) {
    return undefined;
  }
  return { ...query, refId: `${LOGS_VOLUME_REF_PREFIX}${query.refId}`, logsVolume: true, anchor: undefined };
}

/** The request for the volumes of the request's logs queries, or undefined when it has none. */
export function logsVolumeRequest(
  type: SupplementaryQueryType,
  request: DataQueryRequest<NetdataQuery>
): DataQueryRequest<NetdataQuery> | undefined {
  if (type !== SupplementaryQueryType.LogsVolume) {
    return undefined;
  }
  const targets = request.targets
    .map((query) => logsVolumeQuery({ type }, query))
    .filter((query): query is NetdataQuery => query !== undefined);
  return targets.length > 0 ? { ...request, targets } : undefined;
}
