// One Grafana query: its JSON read once, then the runner of its query type. A query type we do not know fails that
// query alone, naming the types there are.
import {
  ALERT_TRANSITIONS_QUERY_TYPE,
  ALERTS_QUERY_TYPE,
  CORRELATIONS_QUERY_TYPE,
  METRICS_QUERY_TYPE,
  NODES_QUERY_TYPE,
  queryTypeOf,
} from '../../netdata/queryType';
import type { DataSourceInstance } from '../datasource/instance';
import type { CallContext } from '../protocol/callContext';
import type { DataQueryMsg, DataResponseMsg } from '../protocol/messages';
import { runAlertsQuery } from './alertsQuery';
import { runAlertTransitionsQuery } from './alertTransitionsQuery';
import { runCorrelationsQuery } from './correlationsQuery';
import { badQuery } from './dataResponse';
import { runMetricsQuery } from './metricsQuery';
import { runNodesQuery } from './nodesQuery';
import { parseQueryJson } from './queryJson';
import { type QueryRunner, shownRefId } from './queryRequest';

const RUNNERS: ReadonlyMap<string, QueryRunner> = new Map<string, QueryRunner>([
  [METRICS_QUERY_TYPE, runMetricsQuery],
  [ALERT_TRANSITIONS_QUERY_TYPE, runAlertTransitionsQuery],
  [CORRELATIONS_QUERY_TYPE, runCorrelationsQuery],
  [ALERTS_QUERY_TYPE, runAlertsQuery],
  [NODES_QUERY_TYPE, runNodesQuery],
]);

export async function runQuery(inst: DataSourceInstance, q: DataQueryMsg, ctx: CallContext): Promise<DataResponseMsg> {
  const refId = shownRefId(q.refId);
  const json = parseQueryJson(q.json);
  if (!json.ok) {
    return badQuery(`Query ${refId}: ${json.error}`);
  }
  const type = queryTypeOf(q.queryType, json.value);
  const runner = RUNNERS.get(type);
  if (runner === undefined) {
    const shown = type.length > 40 ? `${type.slice(0, 40)}…` : type;
    return badQuery(
      `Query ${refId}: unknown query type ${JSON.stringify(shown)} (this plugin knows ${[...RUNNERS.keys()].join(', ')})`
    );
  }
  return runner(inst, { q, json: json.value, refId }, ctx);
}
