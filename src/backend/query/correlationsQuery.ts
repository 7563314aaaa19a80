// A correlations query (queryType `correlations`): Netdata's scoring of what changed in the time range against a
// baseline before it → one ranked table (netdata-api-extra.md §1, netdata-api.md §6.4).
import { parseCorrelationsQuery } from '../../netdata/correlations';
import { exploreSeriesLink, rowNetdataLink } from '../../netdata/netdataLinks';
import type { DataLink } from '../../netdata/types';
import {
  buildAgentWeightsRequest,
  buildCloudWeightsRequest,
  correlationsFrame,
  parseWeights,
  weightsWindow,
} from '../../netdata/weights';
import { agentFeatures } from '../../netdata/agentFeatures';
import { versionAtLeast } from '../datasource/agentApi';
import type { DataSourceInstance } from '../datasource/instance';
import { NetdataRequestError } from '../datasource/requestError';
import { encodeFrame } from '../frames/arrowFrame';
import type { CallContext } from '../protocol/callContext';
import type { DataResponseMsg } from '../protocol/messages';
import { requireAgentVersion } from './agentGate';
import { badQuery, errorResponse, responseForError, successResponse } from './dataResponse';
import { netdataTarget } from './netdataTarget';
import { built, cloudDefaults, type QueryInput, queryTiming, sendAgentGet, sendCloudPost } from './queryRequest';
import { queryWindow } from './queryWindow';

/** `/api/v2/weights` appeared with json2 (§1). */
export const MIN_WEIGHTS_VERSION: readonly [number, number] = [1, 39];
/** Label items with different keys are AND-ed from v1.45 (netdata-api.md §2.7). */
export const PER_KEY_LABELS_VERSION: readonly [number, number] = [1, 45];

export async function runCorrelationsQuery(
  inst: DataSourceInstance,
  { q, json, refId }: QueryInput,
  ctx: CallContext
): Promise<DataResponseMsg> {
  const parsed = parseCorrelationsQuery(json);
  if (!parsed.ok) {
    return badQuery(`Query ${refId}: ${parsed.error}`);
  }
  const model = parsed.value;
  const window = queryWindow(q);
  const { fetch: fetchOpts, netdataTimeoutMs } = queryTiming(inst, ctx);
  try {
    const win = built(() => weightsWindow(model, window));
    let body: unknown;
    let executedQueryString: string;
    if (inst.settings.transport === 'agent') {
      const agent = await inst.agentApi(ctx.signal);
      const api = requireAgentVersion(agent, MIN_WEIGHTS_VERSION, 'Correlations (/api/v2/weights)');
      if (model.method === 'anomaly-rate' && agent.info.mlEnabled === false) {
        // ML off: every anomaly bit reads 0, so every score would be 0 (netdata-api-extra.md §8.6).
        throw new NetdataRequestError(
          'bad-query',
          `Query ${refId}: method anomaly-rate needs Netdata's machine learning, which is off on this agent ` +
            `(${agent.info.hostname || inst.settings.baseUrl.host}); use ks2, volume or value, or enable ML`,
          400,
          'downstream'
        );
      }
      const keys = new Set(model.labels.map((l) => l.key));
      if (keys.size > 1 && agent.info.version !== '' && !versionAtLeast(agent.info.version, PER_KEY_LABELS_VERSION)) {
        // Before v1.45 label items are OR-ed whatever their keys (netdata-api-extra.md §8.4): a wider scope.
        throw new NetdataRequestError(
          'bad-query',
          `Query ${refId}: label filters with different keys (${[...keys].join(', ')}) need Netdata v1.45+, which ` +
            `ANDs them; this agent is ${agent.info.version} and would OR them. Filter on one label key`,
          400,
          'downstream'
        );
      }
      const features = agentFeatures(agent.info.version);
      const req = built(() => buildAgentWeightsRequest(model, window, api, { timeoutMs: netdataTimeoutMs, features }));
      ({ body, executedQueryString } = await sendAgentGet(inst, req, fetchOpts));
    } else {
      const target = cloudDefaults(inst);
      const req = built(() => buildCloudWeightsRequest(model, window, target, { timeoutMs: netdataTimeoutMs }));
      ({ body, executedQueryString } = await sendCloudPost(inst, req, fetchOpts));
    }
    const answer = parseWeights(body, model.method);
    if (!answer.ok) {
      return errorResponse(`Netdata answered with an unexpected weights document: ${answer.error}`, 502, 'downstream');
    }
    const fromS = answer.value.baseline?.after ?? win.baselineAfter ?? answer.value.window?.after ?? win.after;
    const toS = answer.value.window?.before ?? win.before;
    const links: DataLink[] = [];
    if (inst.settings.uid) {
      links.push(
        exploreSeriesLink(
          { uid: inst.settings.uid, name: inst.settings.name },
          { fromMs: fromS * 1000, toMs: toS * 1000 }
        )
      );
    }
    links.push(
      rowNetdataLink(
        netdataTarget(inst, model),
        { node: 'node', chart: 'instance' },
        { fromMs: fromS * 1000, toMs: toS * 1000 }
      )
    );
    const frame = correlationsFrame(answer.value, {
      refId: q.refId,
      query: model,
      executedQueryString,
      rowLinks: links,
    });
    return successResponse([encodeFrame(frame)]);
  } catch (err) {
    return responseForError(err);
  }
}
