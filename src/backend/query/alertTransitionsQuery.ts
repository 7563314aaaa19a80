// An alert annotation query (queryType `alertTransitions`): alert transitions of an Agent/Parent or Netdata Cloud → one
// annotation frame (netdata-api.md §4.6, §6.4).
import {
  alertTransitionsFrame,
  buildAgentAlertTransitionsRequest,
  buildCloudAlertTransitionsRequest,
  parseAlertQuery,
  parseAlertTransitions,
} from '../../netdata/alertTransitions';
import { v2Api } from '../datasource/agentApi';
import type { DataSourceInstance } from '../datasource/instance';
import { runV1AlertTransitions } from '../v1/v1Alerts';
import { encodeFrame } from '../frames/arrowFrame';
import type { CallContext } from '../protocol/callContext';
import type { DataResponseMsg } from '../protocol/messages';
import { badQuery, cloudAlertsScopeRefusal, errorResponse, responseForError, successResponse } from './dataResponse';
import { built, cloudDefaults, type QueryInput, queryTiming, sendAgentGet, sendCloudPost } from './queryRequest';
import { queryWindow } from './queryWindow';

export async function runAlertTransitionsQuery(
  inst: DataSourceInstance,
  { q, json, refId }: QueryInput,
  ctx: CallContext
): Promise<DataResponseMsg> {
  const parsed = parseAlertQuery(json);
  if (!parsed.ok) {
    return badQuery(`Query ${refId}: ${parsed.error}`);
  }
  const model = parsed.value;
  const window = queryWindow(q);
  const fetchOpts = queryTiming(inst, ctx).fetch;
  try {
    let body: unknown;
    let executedQueryString: string;
    if (inst.settings.transport === 'agent') {
      const detected = await inst.agentApi(ctx.signal);
      if (detected.api === 1 && detected.v1 !== undefined) {
        const frame = await runV1AlertTransitions(inst, detected.v1, model, window, q.refId, fetchOpts);
        return successResponse([encodeFrame(frame)]);
      }
      const api = v2Api(detected, 'Alert annotations');
      const req = built(() => buildAgentAlertTransitionsRequest(model, window, api));
      ({ body, executedQueryString } = await sendAgentGet(inst, req, fetchOpts));
    } else {
      const target = cloudDefaults(inst);
      const req = built(() => buildCloudAlertTransitionsRequest(model, window, target));
      try {
        ({ body, executedQueryString } = await sendCloudPost(inst, req, fetchOpts));
      } catch (err) {
        const refused = cloudAlertsScopeRefusal(err, refId, 'alert annotations');
        if (refused !== undefined) {
          return refused;
        }
        throw err;
      }
    }
    const transitions = parseAlertTransitions(body);
    if (!transitions.ok) {
      return errorResponse(
        `Netdata answered with an unexpected alert transitions document: ${transitions.error}`,
        502,
        'downstream'
      );
    }
    return successResponse([encodeFrame(alertTransitionsFrame(transitions.value, q.refId, executedQueryString))]);
  } catch (err) {
    return responseForError(err);
  }
}
