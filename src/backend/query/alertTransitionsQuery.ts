// An alert annotation query (queryType `alertTransitions`): alert transitions of an Agent/Parent or Netdata Cloud → one
// annotation frame (netdata-api.md §4.6, §6.4).
import {
  alertTransitionsFrame,
  buildAgentAlertTransitionsRequest,
  buildCloudAlertTransitionsRequest,
  parseAlertQuery,
} from '../../netdata/alertTransitions';
import { parseTransitionsPage, TransitionPages } from '../../netdata/transitionPages';
import { v2Api } from '../datasource/agentApi';
import type { DataSourceInstance } from '../datasource/instance';
import { runV1AlertTransitions } from '../v1/v1Alerts';
import { encodeFrame } from '../frames/arrowFrame';
import type { CallContext } from '../protocol/callContext';
import type { DataResponseMsg } from '../protocol/messages';
import { badQuery, cloudAlertsScopeRefusal, errorResponse, responseForError, successResponse } from './dataResponse';
import {
  built,
  cloudDefaults,
  type NetdataAnswer,
  type QueryInput,
  queryTiming,
  sendAgentGet,
  sendCloudPost,
} from './queryRequest';
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
    let send: (page?: { before: number }) => Promise<NetdataAnswer>;
    if (inst.settings.transport === 'agent') {
      const detected = await inst.agentApi(ctx.signal);
      if (detected.api === 1 && detected.v1 !== undefined) {
        const frame = await runV1AlertTransitions(inst, detected.v1, model, window, q.refId, fetchOpts);
        return successResponse([encodeFrame(frame)]);
      }
      const api = v2Api(detected, 'Alert annotations');
      send = (page) =>
        sendAgentGet(
          inst,
          built(() => buildAgentAlertTransitionsRequest(model, window, api, page)),
          fetchOpts
        );
    } else {
      const target = cloudDefaults(inst);
      send = (page) =>
        sendCloudPost(
          inst,
          built(() => buildCloudAlertTransitionsRequest(model, window, target, page)),
          fetchOpts
        );
    }
    // Each answer holds only the newest transitions of its window: read backwards until the window is complete.
    const pages = new TransitionPages();
    let page: { before: number } | undefined;
    let first: string | undefined;
    for (;;) {
      const { body, executedQueryString } = await send(page);
      first ??= executedQueryString;
      const parsed = parseTransitionsPage(body);
      if (!parsed.ok) {
        return errorResponse(
          `Netdata answered with an unexpected alert transitions document: ${parsed.error}`,
          502,
          'downstream'
        );
      }
      const before = pages.add(parsed.value);
      if (before === undefined) {
        break;
      }
      page = { before };
    }
    const frame = alertTransitionsFrame(pages.transitions, q.refId, first, pages.notices());
    return successResponse([encodeFrame(frame)]);
  } catch (err) {
    const refused =
      inst.settings.transport === 'cloud' ? cloudAlertsScopeRefusal(err, refId, 'alert annotations') : undefined;
    return refused ?? responseForError(err);
  }
}
