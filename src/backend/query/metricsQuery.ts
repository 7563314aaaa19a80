// A metrics query: model → Agent URL or Cloud body → json2 → frames → Arrow.
import { buildAgentDataRequest } from '../../netdata/agentRequest';
import { buildCloudDataRequest } from '../../netdata/cloudRequest';
import { failedNodesError, json2ToFrames } from '../../netdata/frames';
import { parseJson2 } from '../../netdata/json2';
import { seriesNetdataLink } from '../../netdata/netdataLinks';
import { parseQuery } from '../../netdata/query';
import type { Json2Response } from '../../netdata/types';
import { v2Api } from '../datasource/agentApi';
import type { DataSourceInstance } from '../datasource/instance';
import { encodeFrame } from '../frames/arrowFrame';
import type { CallContext } from '../protocol/callContext';
import type { DataResponseMsg } from '../protocol/messages';
import { badQuery, errorResponse, responseForError, successResponse } from './dataResponse';
import { netdataTarget } from './netdataTarget';
import { built, type QueryInput, queryTiming } from './queryRequest';
import { queryWindow } from './queryWindow';
import { runV1Metrics } from '../v1/v1Metrics';

/** A `result.point` without a `value` position is a layout we do not know: guessing would show wrong numbers. */
function unknownPointLayout(resp: Json2Response): string | undefined {
  const point = resp.result.point;
  if (point === undefined || point.value !== undefined) {
    return undefined;
  }
  const keys = Object.keys(point).slice(0, 10).join(', ') || 'none';
  return (
    `Netdata answered with an unknown point layout (result.point has no "value" position; positions: ${keys}); ` +
    'this Netdata version is not supported yet'
  );
}

export async function runMetricsQuery(
  inst: DataSourceInstance,
  { q, json, refId }: QueryInput,
  ctx: CallContext
): Promise<DataResponseMsg> {
  const parsed = parseQuery(json);
  if (!parsed.ok) {
    return badQuery(`Query ${refId}: ${parsed.error}`);
  }
  const model = parsed.value;
  const window = queryWindow(q);
  const { fetch: fetchOpts, netdataTimeoutMs } = queryTiming(inst, ctx);
  try {
    let body: unknown;
    let executedQueryString: string;
    if (inst.settings.transport === 'agent') {
      const detected = await inst.agentApi(ctx.signal);
      if (detected.api === 1 && detected.v1 !== undefined) {
        const run = await runV1Metrics(inst, detected.v1, model, window, q.refId, fetchOpts, netdataTimeoutMs);
        return successResponse(run.frames.map(encodeFrame));
      }
      const api = v2Api(detected, 'This query');
      const req = built(() => buildAgentDataRequest(model, window, api, { timeoutMs: netdataTimeoutMs }));
      executedQueryString = req.path;
      body = await inst.client.getJson(req.path, fetchOpts);
    } else {
      const target = { spaceId: inst.settings.spaceId ?? '', roomId: inst.settings.roomId ?? '' };
      const req = built(() => buildCloudDataRequest(model, window, target, { timeoutMs: netdataTimeoutMs }));
      executedQueryString = `POST ${req.path} ${JSON.stringify(req.body)}`;
      body = await inst.client.postJson(req.path, req.body, fetchOpts);
    }
    const resp = parseJson2(body);
    if (!resp.ok) {
      return errorResponse(`Netdata answered with an unexpected data document: ${resp.error}`, 502, 'downstream');
    }
    const unknownLayout = unknownPointLayout(resp.value);
    if (unknownLayout !== undefined) {
      return errorResponse(unknownLayout, 502, 'downstream');
    }
    const allFailed = failedNodesError(resp.value);
    if (allFailed !== undefined) {
      return errorResponse(allFailed, 502, 'downstream');
    }
    const target = netdataTarget(inst, model);
    const frames = json2ToFrames(resp.value, {
      refId: q.refId,
      query: model,
      executedQueryString,
      seriesLinks: (labels) => [seriesNetdataLink(target, labels)],
    });
    return successResponse(frames.map(encodeFrame));
  } catch (err) {
    return responseForError(err);
  }
}
