// One Grafana query against one data source: model → Netdata request → json2 → frames → Arrow.
import { ALERTS_QUERY_TYPE } from '../../netdata/alertTransitions';
import { buildAgentDataRequest } from '../../netdata/agentRequest';
import { buildCloudDataRequest } from '../../netdata/cloudRequest';
import { failedNodesError, json2ToFrames } from '../../netdata/frames';
import { parseJson2 } from '../../netdata/json2';
import { parseQuery } from '../../netdata/query';
import type { Json2Response, NetdataQueryModel } from '../../netdata/types';
import type { DataSourceInstance } from '../datasource/instance';
import { NetdataRequestError } from '../datasource/requestError';
import { encodeFrame } from '../frames/arrowFrame';
import type { CallContext } from '../protocol/callContext';
import type { DataQueryMsg, DataResponseMsg } from '../protocol/messages';
import { badQuery, errorResponse, responseForError, successResponse } from './dataResponse';
import { parseQueryJson } from './queryJson';
import { queryWindow } from './queryWindow';
import { runAlertsQuery } from './runAlertsQuery';

/** Netdata's own query timeout is set a little below ours so that Netdata reports it (499/504) first. */
const NETDATA_TIMEOUT_SHARE = 0.9;

/** refIds are Grafana's, but a broken client could send anything: keep messages readable. */
export function shownRefId(refId: string | undefined): string {
  const id = (refId ?? '').replace(/[\u0000-\u001f\u007f]/g, '?');
  return id.length > 40 ? `${id.slice(0, 40)}…` : id;
}

function parseModel(
  q: DataQueryMsg
): { ok: true; model: NetdataQueryModel } | { ok: false; response: DataResponseMsg } {
  const json = parseQueryJson(q.json);
  if (!json.ok) {
    return { ok: false, response: badQuery(`Query ${shownRefId(q.refId)}: ${json.error}`) };
  }
  const parsed = parseQuery(json.value);
  if (!parsed.ok) {
    return { ok: false, response: badQuery(`Query ${shownRefId(q.refId)}: ${parsed.error}`) };
  }
  return { ok: true, model: parsed.value };
}

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

function built<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    // The core builders throw readable Errors for queries that cannot be expressed.
    throw new NetdataRequestError('bad-query', err instanceof Error ? err.message : String(err), 400, 'plugin');
  }
}

/** Grafana sends `queryType` both in `DataQuery.queryType` and inside the query JSON. */
function isAlertsQuery(q: DataQueryMsg, json: Record<string, unknown>): boolean {
  return q.queryType === ALERTS_QUERY_TYPE || json.queryType === ALERTS_QUERY_TYPE;
}

export async function runQuery(inst: DataSourceInstance, q: DataQueryMsg, ctx: CallContext): Promise<DataResponseMsg> {
  const json = parseQueryJson(q.json);
  if (json.ok && isAlertsQuery(q, json.value)) {
    return runAlertsQuery(inst, q, json.value, ctx, shownRefId(q.refId));
  }
  const parsed = parseModel(q);
  if (!parsed.ok) {
    return parsed.response;
  }
  const model = parsed.model;
  const window = queryWindow(q);
  const left = ctx.timeLeftMs();
  const timeoutMs = Math.min(inst.settings.timeoutMs, left ?? Infinity);
  const fetchOpts = { signal: ctx.signal, timeoutMs };
  const netdataTimeoutMs = Math.max(1, Math.floor(timeoutMs * NETDATA_TIMEOUT_SHARE));
  try {
    let body: unknown;
    let executedQueryString: string;
    if (inst.settings.transport === 'agent') {
      const { api } = await inst.agentApi(ctx.signal);
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
    const frames = json2ToFrames(resp.value, { refId: q.refId, query: model, executedQueryString });
    return successResponse(frames.map(encodeFrame));
  } catch (err) {
    return responseForError(err);
  }
}
