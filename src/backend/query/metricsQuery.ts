// A metrics query: model → Agent URL or Cloud body → json2 → frames → Arrow. Live queries answer one wide frame on
// a Grafana Live channel (stream/liveQueries.ts); RunStream polls through fetchMetricsFrames too.
import { agentFeatures } from '../../netdata/agentFeatures';
import { buildAgentDataRequest } from '../../netdata/agentRequest';
import { cloudRejectionText } from '../../netdata/cloudRejection';
import { buildCloudDataRequest } from '../../netdata/cloudRequest';
import { cloudMessage } from '../../netdata/errors';
import { failedNodesError, type FramesContext, json2ToFrames } from '../../netdata/frames';
import { parseJson2 } from '../../netdata/json2';
import { parseQuery } from '../../netdata/query';
import { seriesNetdataLink } from '../../netdata/netdataLinks';
import type { Frame, FrameNotice, Json2Response, NetdataQueryModel, QueryWindow } from '../../netdata/types';
import { aggregatedTierNotice, type TierRetention } from '../../netdata/tiers';
import { toWideFrame } from '../../netdata/wideFrame';
import { v2Api } from '../datasource/agentApi';
import type { DataSourceInstance } from '../datasource/instance';
import type { RequestOptions } from '../datasource/httpClient';
import { NetdataRequestError } from '../datasource/requestError';
import { encodeFrame, encodeFrames } from '../frames/arrowFrame';
import type { CallContext } from '../protocol/callContext';
import type { DataResponseMsg } from '../protocol/messages';
import { liveQueries } from '../stream/liveQueries';
import { runV1Metrics } from '../v1/v1Metrics';
import { anomalyDetectionOff } from './anomalyDetection';
import { badQuery, responseForError, successResponse } from './dataResponse';
import { netdataTarget } from './netdataTarget';
import { built, cloudDefaults, type QueryInput, queryTiming, sendAgentGet, sendCloudPost } from './queryRequest';
import { queryWindow } from './queryWindow';

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

/**
 * The nodes without anomaly detection, or undefined with a warning notice when the node list could not be read (the
 * anomaly rates are then shown as Netdata gives them); a cancelled query stays cancelled.
 */
async function anomalyDetectionState(
  offNodes: Promise<ReadonlyMap<string, string>> | undefined,
  notices: FrameNotice[]
): Promise<ReadonlyMap<string, string> | undefined> {
  if (offNodes === undefined) {
    return undefined;
  }
  try {
    return await offNodes;
  } catch (err) {
    if (err instanceof NetdataRequestError && (err.kind === 'cancelled' || err.kind === 'timeout')) {
      throw err;
    }
    const why = err instanceof Error ? err.message : String(err);
    notices.push({
      severity: 'warning',
      text: `Could not read the node list to see where anomaly detection runs (${why}): an anomaly rate of a node without it reads 0`,
    });
    return undefined;
  }
}

export interface MetricsFrames {
  frames: Frame[];
  /** Seconds between Netdata's rows for this query (view.update_every, else db.update_every, else 1). */
  updateEverySec: number;
}

/** One json2 request for the model over the window, as frames; Netdata's and our refusals are thrown. */
export async function fetchMetricsFrames(
  inst: DataSourceInstance,
  model: NetdataQueryModel,
  window: QueryWindow,
  refId: string,
  timing: { fetch: RequestOptions; netdataTimeoutMs: number }
): Promise<MetricsFrames> {
  const target = netdataTarget(inst, model);
  const seriesLinks: FramesContext['seriesLinks'] = (labels) => [seriesNetdataLink(target, labels)];
  let body: unknown;
  let executedQueryString: string;
  const notices: FrameNotice[] = [];
  let offNodes: Promise<ReadonlyMap<string, string>> | undefined;
  let statistic: { tierSent: number | undefined; tiers: readonly TierRetention[] } | undefined;
  if (inst.settings.transport === 'agent') {
    const detected = await inst.agentApi(timing.fetch.signal);
    if (detected.api === 1 && detected.v1 !== undefined) {
      const run = await runV1Metrics(
        inst,
        detected.v1,
        model,
        window,
        refId,
        timing.fetch,
        timing.netdataTimeoutMs,
        seriesLinks
      );
      return { frames: run.frames, updateEverySec: run.updateEverySec };
    }
    const api = v2Api(detected, 'This query');
    const features = agentFeatures(detected.info.version);
    const tiers = detected.info.tiers;
    const req = built(() =>
      buildAgentDataRequest(model, window, api, { timeoutMs: timing.netdataTimeoutMs, features, tiers })
    );
    statistic = { tierSent: req.tier, tiers };
    if (model.limit !== undefined && model.limit > 0 && features.seriesLimit === undefined) {
      // Agents before v2.6 ignore a series limit silently (netdata-api.md §2.6): every series comes back.
      notices.push({
        severity: 'info',
        text: `Series limit ${model.limit} not applied: Netdata ${features.version} has no series limit (needs v2.6+), so every series is shown`,
      });
    }
    offNodes = model.anomalyRate ? anomalyDetectionOff(inst, api, model, timing.fetch) : undefined;
    ({ body, executedQueryString } = await sendAgentGet(inst, req, timing.fetch));
  } else {
    const target = cloudDefaults(inst);
    const req = built(() => buildCloudDataRequest(model, window, target, { timeoutMs: timing.netdataTimeoutMs }));
    offNodes = model.anomalyRate ? anomalyDetectionOff(inst, undefined, model, timing.fetch) : undefined;
    try {
      ({ body, executedQueryString } = await sendCloudPost(inst, req, timing.fetch));
    } catch (err) {
      if (err instanceof NetdataRequestError && err.kind === 'http' && err.upstreamStatus === 400) {
        // Cloud's 400 names nothing (§6.5): say what the query asked for.
        const said = cloudMessage(err.upstreamBody ?? '');
        const text = [said.message, said.key !== said.message ? said.key : undefined].filter(Boolean).join(', ');
        throw new NetdataRequestError(
          'http',
          cloudRejectionText(refId, model, text || 'Bad Request'),
          400,
          'downstream',
          400
        );
      }
      throw err;
    }
  }
  const resp = parseJson2(body);
  if (!resp.ok) {
    throw new NetdataRequestError(
      'body',
      `Netdata answered with an unexpected data document: ${resp.error}`,
      502,
      'downstream'
    );
  }
  const unknownLayout = unknownPointLayout(resp.value);
  if (unknownLayout !== undefined) {
    throw new NetdataRequestError('body', unknownLayout, 502, 'downstream');
  }
  const allFailed = failedNodesError(resp.value);
  if (allFailed !== undefined) {
    throw new NetdataRequestError('body', allFailed, 502, 'downstream');
  }
  const aggregated = statistic && aggregatedTierNotice(model, statistic.tierSent, resp.value, statistic.tiers);
  if (aggregated !== undefined) {
    notices.push({ severity: 'warning', text: aggregated });
  }
  const anomalyDetection = await anomalyDetectionState(offNodes, notices);
  const ue = resp.value.view.update_every ?? resp.value.db?.update_every;
  return {
    frames: json2ToFrames(resp.value, {
      refId,
      query: model,
      executedQueryString,
      seriesLinks,
      notices,
      ...(anomalyDetection !== undefined ? { anomalyDetectionOff: anomalyDetection } : {}),
    }),
    updateEverySec: typeof ue === 'number' && Number.isFinite(ue) && ue >= 1 ? ue : 1,
  };
}

export async function runMetricsQuery(
  inst: DataSourceInstance,
  { q, json, refId, dataSourceUid }: QueryInput,
  ctx: CallContext
): Promise<DataResponseMsg> {
  const parsed = parseQuery(json);
  if (!parsed.ok) {
    return badQuery(`Query ${refId}: ${parsed.error}`);
  }
  const model = parsed.value;
  try {
    const answer = await fetchMetricsFrames(inst, model, queryWindow(q), q.refId, queryTiming(inst, ctx));
    if (model.live && dataSourceUid !== '') {
      const live = liveQueries.register(dataSourceUid, model, q.refId, answer);
      return successResponse([encodeFrame(toWideFrame(answer.frames, q.refId, { channel: live.channel }))]);
    }
    return successResponse(encodeFrames(answer.frames));
  } catch (err) {
    return responseForError(err);
  }
}
