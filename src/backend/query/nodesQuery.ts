// A nodes query (queryType `nodes`): the node inventory → one table (netdata-api.md §4.2, §6.2).
import { parseNodeInventoryQuery } from '../../netdata/nodeInventory';
import {
  buildAgentNodesRequest,
  buildCloudNodesRequest,
  filterNodeRows,
  nodesFrame,
  parseNodeRows,
} from '../../netdata/nodesTable';
import { rowNetdataLink } from '../../netdata/netdataLinks';
import type { DataSourceInstance } from '../datasource/instance';
import { encodeFrame } from '../frames/arrowFrame';
import type { CallContext } from '../protocol/callContext';
import type { DataResponseMsg } from '../protocol/messages';
import { requireAgentVersion } from './agentGate';
import { badQuery, errorResponse, responseForError, successResponse } from './dataResponse';
import { netdataTarget } from './netdataTarget';
import { built, cloudDefaults, type QueryInput, queryTiming, sendAgentGet, sendCloudPost } from './queryRequest';

/** `/api/v2/nodes` has its full node shape (version, os, health) from Netdata v1.41 (§4.2). */
export const MIN_NODES_VERSION: readonly [number, number] = [1, 39];

export async function runNodesQuery(
  inst: DataSourceInstance,
  { q, json, refId }: QueryInput,
  ctx: CallContext
): Promise<DataResponseMsg> {
  const parsed = parseNodeInventoryQuery(json);
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
        MIN_NODES_VERSION,
        'The node inventory (/api/v2/nodes)'
      );
      const req = built(() => buildAgentNodesRequest(model, api, { timeoutMs: netdataTimeoutMs }));
      ({ body, executedQueryString } = await sendAgentGet(inst, req, fetchOpts));
    } else {
      const target = cloudDefaults(inst);
      const req = built(() => buildCloudNodesRequest(model, target));
      ({ body, executedQueryString } = await sendCloudPost(inst, req, fetchOpts));
    }
    const rows = parseNodeRows(body);
    if (!rows.ok) {
      return errorResponse(`Netdata answered with an unexpected nodes document: ${rows.error}`, 502, 'downstream');
    }
    const selected = cloud ? filterNodeRows(rows.value, model) : rows.value;
    const link = rowNetdataLink(netdataTarget(inst, model), { node: 'node' });
    return successResponse([
      encodeFrame(nodesFrame(selected, { refId: q.refId, executedQueryString, rowLinks: [link] })),
    ]);
  } catch (err) {
    return responseForError(err);
  }
}
