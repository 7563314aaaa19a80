// The node inventory: agent `/api/v3|v2/nodes` (netdata-api.md §4.2) or the Cloud room nodes POST (§6.2) → one
// table frame (one row per node, host labels as fields), usable as a table or as a variable source.
import { timeoutParam, type DataRequestOptions } from './agentRequest';
import { capabilityEnabled } from './catalog';
import { validatePathId } from './cloudRequest';
import type { NodeInventoryQueryModel } from './nodeInventory';
import { compilePattern } from './patternMatch';
import { simplePattern } from './patterns';
import type { AgentRequest, DataLink, Field, Frame, Result, ValueMapping } from './types';
import { type JsonObject as Obj, isJsonObject as isObj, nonEmptyString as str } from './jsonValues';

export interface NodeRow {
  node: string;
  machineGuid: string;
  nodeId: string;
  version: string;
  os: string;
  reachable: boolean;
  critical: number | null;
  warning: number | null;
  labels: Record<string, string>;
  /** The node's `ml` capability (`enabled`: anomaly detection runs there); undefined when the node does not say. */
  anomalyDetection?: boolean;
}

/** `GET /api/v3/nodes` (v2 before Netdata v2.0); node patterns as `scope_nodes`. */
export function buildAgentNodesRequest(
  q: NodeInventoryQueryModel,
  apiVersion: 2 | 3,
  opts?: DataRequestOptions
): AgentRequest {
  const params: Array<[string, string | number | undefined]> = [
    ['timeout', timeoutParam(opts)],
    ['scope_nodes', simplePattern(q.nodes)],
  ];
  const query = params
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
  return { method: 'GET', path: `/api/v${apiVersion}/nodes${query ? `?${query}` : ''}` };
}

/** `POST /api/v3/spaces/{space}/rooms/{room}/nodes` with `{}` (every node of the room; patterns applied after). */
export function buildCloudNodesRequest(
  q: NodeInventoryQueryModel,
  target: { spaceId: string; roomId: string }
): { method: 'POST'; path: string; body: Record<string, never> } {
  const spaceId = validatePathId(q.spaceId ?? target.spaceId ?? '', 'space');
  const roomId = validatePathId(q.roomId ?? target.roomId ?? '', 'room');
  return {
    method: 'POST',
    path: `/api/v3/spaces/${encodeURIComponent(spaceId)}/rooms/${encodeURIComponent(roomId)}/nodes`,
    body: {},
  };
}

function known(v: unknown): string | undefined {
  const s = str(v);
  return s !== undefined && s.toLowerCase() !== 'unknown' ? s : undefined;
}

function count(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** `Debian GNU/Linux 12`, else the kernel (`Linux 6.1.0`), else the `_os` label. */
function osText(node: Obj): string {
  const os = isObj(node.os) ? node.os : {};
  const name = known(os.nm);
  if (name !== undefined) {
    return [name, known(os.v)].filter((s) => s !== undefined).join(' ');
  }
  const kernel = isObj(os.kernel) ? os.kernel : {};
  const kernelName = known(kernel.nm);
  if (kernelName !== undefined) {
    return [kernelName, known(kernel.v)].filter((s) => s !== undefined).join(' ');
  }
  const labels = isObj(node.labels) ? node.labels : {};
  return known(labels._os) ?? '';
}

/** Nodes of an agent or Cloud answer (short or long keys); sorted by hostname. */
export function parseNodeRows(body: unknown): Result<NodeRow[]> {
  const list = Array.isArray(body) ? body : isObj(body) ? body.nodes : undefined;
  if (!Array.isArray(list)) {
    return { ok: false, error: 'the nodes answer has no nodes array' };
  }
  const rows: NodeRow[] = [];
  for (const raw of list) {
    if (!isObj(raw)) {
      continue;
    }
    const machineGuid = str(raw.mg) ?? str(raw.machine_guid) ?? '';
    const nodeId = str(raw.nd) ?? str(raw.node_id) ?? '';
    if (machineGuid === '' && nodeId === '') {
      continue;
    }
    const health = isObj(raw.health) ? raw.health : {};
    const alerts = isObj(health.alerts) ? health.alerts : {};
    const labels: Record<string, string> = {};
    if (isObj(raw.labels)) {
      for (const [k, v] of Object.entries(raw.labels)) {
        if (typeof v === 'string') {
          labels[k] = v;
        }
      }
    }
    const ml = capabilityEnabled(raw.capabilities, 'ml');
    rows.push({
      ...(ml !== undefined ? { anomalyDetection: ml } : {}),
      node: str(raw.nm) ?? str(raw.hostname) ?? (machineGuid || nodeId),
      machineGuid,
      nodeId,
      version: str(raw.v) ?? str(raw.version) ?? '',
      os: osText(raw),
      reachable: raw.state === 'reachable',
      critical: count(alerts.critical),
      warning: count(alerts.warning),
      labels,
    });
  }
  rows.sort((a, b) => a.node.localeCompare(b.node) || a.machineGuid.localeCompare(b.machineGuid));
  return { ok: true, value: rows };
}

/** Node patterns on our side (Cloud): hostname, machine GUID or node id, case-insensitive like Netdata's. */
export function filterNodeRows(rows: readonly NodeRow[], q: NodeInventoryQueryModel): NodeRow[] {
  const pattern = compilePattern(q.nodes, false);
  return rows.filter((r) => pattern.matches(r.node, r.machineGuid, r.nodeId));
}

const BASE_FIELDS = ['node', 'machine_guid', 'node_id', 'version', 'os', 'reachable', 'critical', 'warning'];

export const REACHABLE_MAPPINGS: ValueMapping[] = [
  {
    type: 'value',
    options: {
      '1': { text: 'reachable', color: 'green', index: 0 },
      '0': { text: 'unreachable', color: 'red', index: 1 },
    },
  },
];

export interface NodesFrameContext {
  refId: string;
  executedQueryString: string;
  rowLinks?: DataLink[];
}

/**
 * One row per node: `node` (hostname), `machine_guid`, `node_id`, `version`, `os`, `reachable` (1/0, shown as
 * reachable/unreachable), `critical` and `warning` alert counts, then one string field per host label key (named
 * by the key; `label:<key>` where a key equals a base field name).
 */
export function nodesFrame(rows: readonly NodeRow[], ctx: NodesFrameContext): Frame {
  const keys = Array.from(new Set(rows.flatMap((r) => Object.keys(r.labels)))).sort();
  const links = ctx.rowLinks ?? [];
  const fields: Field[] = [
    {
      name: 'node',
      type: 'string',
      values: rows.map((r) => r.node),
      ...(links.length > 0 ? { config: { links } } : {}),
    },
    { name: 'machine_guid', type: 'string', values: rows.map((r) => r.machineGuid) },
    { name: 'node_id', type: 'string', values: rows.map((r) => r.nodeId) },
    { name: 'version', type: 'string', values: rows.map((r) => r.version) },
    { name: 'os', type: 'string', values: rows.map((r) => r.os) },
    {
      name: 'reachable',
      type: 'number',
      values: rows.map((r) => (r.reachable ? 1 : 0)),
      config: { mappings: REACHABLE_MAPPINGS, custom: { cellOptions: { type: 'color-text' } } },
    },
    { name: 'critical', type: 'number', values: rows.map((r) => r.critical) },
    { name: 'warning', type: 'number', values: rows.map((r) => r.warning) },
    ...keys.map((key): Field => ({
      name: BASE_FIELDS.includes(key) ? `label:${key}` : key,
      type: 'string',
      values: rows.map((r) => r.labels[key] ?? null),
    })),
  ];
  return {
    name: 'Netdata nodes',
    refId: ctx.refId,
    meta: {
      preferredVisualisationType: 'table',
      executedQueryString: ctx.executedQueryString,
      ...(rows.length === 0 ? { notices: [{ severity: 'info', text: 'No node matches the query' }] } : {}),
    },
    fields,
  };
}
