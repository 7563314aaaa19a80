// A logs query (`queryType: "logs"`): one POST of the logs function (netdata-api-extra.md §5.4) with real field names,
// answered as a `log-lines` frame; `logsVolume: true` (Explore's logs volume supplementary query, or a graph panel)
// answers the histogram as volume frames instead. Explore asks for both separately, so each answer holds one of them:
// volume frames beside the lines would show twice there, once as a graph of the query itself.
import { functionPath } from '../../netdata/functions';
import {
  logsFrame,
  logsRequestBody,
  logsVolumeFrames,
  parseLogsAnswer,
  parseLogsQuery,
  unknownFilterFields,
} from '../../netdata/logs';
import type { DataSourceInstance } from '../datasource/instance';
import { encodeFrame, encodeFrames } from '../frames/arrowFrame';
import type { CallContext } from '../protocol/callContext';
import type { DataResponseMsg } from '../protocol/messages';
import { badQuery, errorResponse, successResponse } from './dataResponse';
import { functionErrorResponse, functionsApi } from './functionCall';
import { type QueryInput, queryTiming } from './queryRequest';
import { queryWindow } from './queryWindow';

export async function runLogsQuery(
  inst: DataSourceInstance,
  { q, json, refId }: QueryInput,
  ctx: CallContext
): Promise<DataResponseMsg> {
  const parsed = parseLogsQuery(json);
  if (!parsed.ok) {
    return badQuery(`Query ${refId}: ${parsed.error}`);
  }
  const model = parsed.value;
  const window = queryWindow(q);
  const timing = queryTiming(inst, ctx);
  try {
    const api = await functionsApi(inst, timing.fetch.signal);
    if (api !== 3) {
      return badQuery(
        `Query ${refId}: logs need Netdata v2.0 or later (the POST form of /api/v3/function with field names)`
      );
    }
    const path = functionPath({ function: model.function, node: model.node }, api, timing.netdataTimeoutMs / 1000);
    const body = logsRequestBody(model, window.fromMs, window.toMs);
    const answer = parseLogsAnswer(await inst.client.postJson(path, body, timing.fetch));
    if (!answer.ok) {
      return errorResponse(
        `Netdata's answer to ${model.function} is not a logs answer: ${answer.error}`,
        502,
        'downstream'
      );
    }
    const unknown = unknownFilterFields(model, answer.value);
    if (unknown !== undefined) {
      return badQuery(`Query ${refId}: ${unknown}`);
    }
    if (model.volume) {
      return successResponse(encodeFrames(logsVolumeFrames(answer.value, q.refId)));
    }
    const executed = `POST ${path} ${JSON.stringify(body)}`;
    return successResponse([encodeFrame(logsFrame(answer.value, model, q.refId, executed))]);
  } catch (err) {
    return functionErrorResponse(err, model.function);
  }
}
