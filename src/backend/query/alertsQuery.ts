// A current-alerts query (queryType `alerts`): the alert instances running now → one table coloured by status
// (netdata-api-extra.md §3, netdata-api.md §6.4).
import {
  buildAgentAlertsRequest,
  buildCloudAlertsRequest,
  currentAlertsFrame,
  filterAlertRows,
  parseAlertInstances,
} from '../../netdata/alertInstances';
import { parseCurrentAlertsQuery } from '../../netdata/currentAlerts';
import { rowNetdataLink } from '../../netdata/netdataLinks';
import type { DataSourceInstance } from '../datasource/instance';
import { encodeFrame } from '../frames/arrowFrame';
import type { CallContext } from '../protocol/callContext';
import type { DataResponseMsg } from '../protocol/messages';
import { requireAgentVersion } from './agentGate';
import { badQuery, cloudAlertsScopeRefusal, errorResponse, responseForError, successResponse } from './dataResponse';
import { netdataTarget } from './netdataTarget';
import { built, cloudDefaults, type QueryInput, queryTiming, sendAgentGet, sendCloudPost } from './queryRequest';

/** `/api/v2/alerts` appeared in Netdata v1.41 (§3). */
export const MIN_ALERTS_VERSION: readonly [number, number] = [1, 41];

export async function runAlertsQuery(
  inst: DataSourceInstance,
  { q, json, refId }: QueryInput,
  ctx: CallContext
): Promise<DataResponseMsg> {
  const parsed = parseCurrentAlertsQuery(json);
  if (!parsed.ok) {
    return badQuery(`Query ${refId}: ${parsed.error}`);
  }
  const model = parsed.value;
  const { fetch: fetchOpts, netdataTimeoutMs } = queryTiming(inst, ctx);
  try {
    let body: unknown;
    let executedQueryString: string;
    const cloud = inst.settings.transport === 'cloud';
    if (!cloud) {
      const api = requireAgentVersion(
        await inst.agentApi(ctx.signal),
        MIN_ALERTS_VERSION,
        'Current alerts (/api/v2/alerts)'
      );
      const req = built(() => buildAgentAlertsRequest(model, api, { timeoutMs: netdataTimeoutMs }));
      ({ body, executedQueryString } = await sendAgentGet(inst, req, fetchOpts));
    } else {
      const target = cloudDefaults(inst);
      const req = built(() => buildCloudAlertsRequest(model, target, { timeoutMs: netdataTimeoutMs }));
      try {
        ({ body, executedQueryString } = await sendCloudPost(inst, req, fetchOpts));
      } catch (err) {
        const refused = cloudAlertsScopeRefusal(err, refId, 'alerts');
        if (refused !== undefined) {
          return refused;
        }
        throw err;
      }
    }
    const rows = parseAlertInstances(body);
    if (!rows.ok) {
      return errorResponse(`Netdata answered with an unexpected alerts document: ${rows.error}`, 502, 'downstream');
    }
    const link = rowNetdataLink(netdataTarget(inst, model), { node: 'node', chart: 'instance' });
    const frame = currentAlertsFrame(filterAlertRows(rows.value, model, cloud), {
      refId: q.refId,
      executedQueryString,
      rowLinks: [link],
    });
    return successResponse([encodeFrame(frame)]);
  } catch (err) {
    return responseForError(err);
  }
}
