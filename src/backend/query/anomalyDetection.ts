// Where anomaly detection runs: the `ml` capability of each node in the node list (netdata-api-extra.md §7.3, §8.6).
// With ML off Netdata stores "not anomalous" on every sample, so an anomaly rate there is a flat 0: the frames leave
// those series out and say why. The node list is read once a minute per data source and room, not per query.
import { DEFAULT_NODE_INVENTORY } from '../../netdata/nodeInventory';
import { buildAgentNodesRequest, buildCloudNodesRequest, parseNodeRows } from '../../netdata/nodesTable';
import type { NetdataQueryModel } from '../../netdata/types';
import type { RequestOptions } from '../datasource/httpClient';
import type { DataSourceInstance } from '../datasource/instance';
import { type SharedLoad, sharedLoads } from '../datasource/sharedLoad';
import { cloudDefaults, sendAgentGet, sendCloudPost } from './queryRequest';

const TTL_MS = 60 * 1000;

type OffNodes = ReadonlyMap<string, string>;

const loads = new WeakMap<DataSourceInstance, SharedLoad<OffNodes>>();

async function readOffNodes(
  inst: DataSourceInstance,
  api: 2 | 3 | undefined,
  model: NetdataQueryModel,
  fetch: RequestOptions
): Promise<OffNodes> {
  const answer =
    api !== undefined
      ? await sendAgentGet(inst, buildAgentNodesRequest(DEFAULT_NODE_INVENTORY, api), fetch)
      : await sendCloudPost(
          inst,
          buildCloudNodesRequest(
            { ...DEFAULT_NODE_INVENTORY, spaceId: model.spaceId, roomId: model.roomId },
            cloudDefaults(inst)
          ),
          fetch
        );
  const rows = parseNodeRows(answer.body);
  if (!rows.ok) {
    throw new Error(rows.error);
  }
  const off = new Map<string, string>();
  for (const row of rows.value) {
    if (row.anomalyDetection === false) {
      for (const id of [row.machineGuid, row.nodeId]) {
        if (id !== '') {
          off.set(id, row.node);
        }
      }
    }
  }
  return off;
}

/** Read beside the data request and awaited after it: a data failure first must not leave this one unhandled. */
function handled<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => undefined);
  return promise;
}

/**
 * Nodes with anomaly detection off, by machine GUID and node id (value: hostname), for an agent on API `api` or,
 * with `api` undefined, for the Cloud room of the query. Failures are not remembered.
 */
export function anomalyDetectionOff(
  inst: DataSourceInstance,
  api: 2 | 3 | undefined,
  model: NetdataQueryModel,
  fetch: RequestOptions
): Promise<OffNodes> {
  let shared = loads.get(inst);
  if (shared === undefined) {
    shared = sharedLoads<OffNodes>(TTL_MS);
    loads.set(inst, shared);
  }
  const key = api !== undefined ? `agent/${api}` : `cloud/${model.spaceId ?? ''}/${model.roomId ?? ''}`;
  return handled(shared(key, () => readOffNodes(inst, api, model, { timeoutMs: fetch.timeoutMs }), fetch.signal));
}
