// Netdata Cloud answers a data query it will not run with a bare 400 `{"errorMsgKey":"ErrBadRequest",
// "errorMessage":"Bad Request"}` (netdata-api.md §6.3, §6.5): it names nothing. The query's error names what was asked
// and what Cloud takes, so that the user can see which choice to change.
import type { NetdataQueryModel } from './types';

/** What Cloud's data POST takes where agents take more (netdata-api.md §6.3). */
const CLOUD_TAKES =
  'Cloud takes the aggregations avg, sum, min, max and percentage (extremes only from agents v2.6+), at most two ' +
  'grouping passes, the json2 format and node ids (not names) as the node scope';

function asked(q: NetdataQueryModel): string {
  const parts = [
    `aggregation ${q.aggregation}`,
    `group by ${q.groupBy.length > 0 ? q.groupBy.join('+') : 'dimension'}`,
    `time group ${q.timeGroup}${q.timeGroupOptions ? ` (${q.timeGroupOptions})` : ''}`,
  ];
  const options = [q.nonZero ? 'nonzero' : '', q.percentage ? 'percentage' : ''].filter((o) => o !== '');
  if (options.length > 0) {
    parts.push(`options ${options.join(', ')}`);
  }
  if (q.tier !== undefined) {
    parts.push(`tier ${q.tier}`);
  }
  if (q.limit !== undefined) {
    parts.push(`series limit ${q.limit}`);
  }
  return parts.join(', ');
}

/** The per-query error for a Cloud 400 on a data query; `cloudSaid` is Cloud's own message. */
export function cloudRejectionText(refId: string, q: NetdataQueryModel, cloudSaid: string): string {
  return (
    `Query ${refId}: Netdata Cloud refused this query (HTTP 400: ${cloudSaid}). It asked for ${asked(q)}; ` +
    `${CLOUD_TAKES}. Change the choice Cloud does not take, or query the agent directly`
  );
}
