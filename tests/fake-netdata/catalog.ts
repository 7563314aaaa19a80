// Catalog answers: `/api/v1/info`, `/api/v2|v3/info`, `nodes`, `contexts`, `versions`, `me`, `/api/v1/contexts`
// (netdata-api.md §4.1, §4.2, §4.7, §5.1, §5.3) and the Cloud room nodes/contexts built on the same shapes.

import type { Dataset, InstanceDef, NodeDef } from './dataset';
import { TIERS, tierRetention } from './dataset';
import type { Json, JsonObject } from './json2';
import { rfc3339, versionsObject } from './json2';
import { compileSimplePattern, matchesAny } from './patterns';
import type { AgentVersion } from './version';
import { atLeast } from './version';
import { resolveGenericWindow } from './window';

export interface CatalogContext {
  dataset: Dataset;
  version: AgentVersion;
  wallSec: number;
  /** The agent answering (agent mode) — the Parent. */
  agentNode: NodeDef;
  agents: 'parent' | 'per-node';
}

export interface CatalogRequest {
  scopeNodes?: string;
  scopeContexts?: string;
  after?: number;
  before?: number;
  options: string[];
  cardinalityLimit?: number;
}

const TIMINGS = { routing_ms: 0, node_max_ms: 0, total_ms: 0 };
const AGENT_TIMINGS = { prep_ms: 0, query_ms: 0, output_ms: 0, total_ms: 0, cloud_ms: 0 };

function nodeForms(node: NodeDef): string[] {
  return node.nd ? [node.nm, node.mg, node.nd] : [node.nm, node.mg];
}

interface NodeScope {
  node: NodeDef;
  instances: InstanceDef[];
}

/** Nodes and instances within `scope_nodes`, `scope_contexts` and (when given) the retention window. */
function catalogScope(req: CatalogRequest, ctx: CatalogContext): NodeScope[] {
  const now = ctx.wallSec - 1;
  const nodesP = compileSimplePattern(req.scopeNodes);
  const contextsP = compileSimplePattern(req.scopeContexts);
  const window =
    req.after !== undefined || req.before !== undefined ? resolveGenericWindow(req.after, req.before, now) : undefined;
  const out: NodeScope[] = [];
  for (const node of ctx.dataset.nodes) {
    if (!matchesAny(nodesP, nodeForms(node))) {
      continue;
    }
    const instances = node.instances.filter((inst) => {
      if (!matchesAny(contextsP, [inst.context.id])) {
        return false;
      }
      if (!window) {
        return true;
      }
      const r = tierRetention(node, inst, 0, now);
      return r !== undefined && r.first <= window.before && r.last >= window.after;
    });
    if (instances.length > 0) {
      out.push({ node, instances });
    }
  }
  return out;
}

function agentEntry(node: NodeDef, ai: number, now: Json): JsonObject {
  return { mg: node.mg, nd: node.nd ?? null, nm: node.nm, now, ai, timings: AGENT_TIMINGS };
}

function hostLabels(node: NodeDef): Record<string, string> {
  return {
    _hostname: node.nm,
    _os: 'linux',
    _os_name: 'Debian GNU/Linux',
    _os_version: '12 (bookworm)',
    _kernel_version: '6.1.0-21-amd64',
    _architecture: 'x86_64',
    _system_cores: String(node.cpus),
    _system_ram_total: String(node.memoryBytes),
    _virtualization: 'kvm',
    _container: 'none',
    _is_parent: String(node.isParent),
    _is_k8s_node: 'false',
    _timezone: 'Etc/UTC',
  };
}

function alertTotals(node: NodeDef): {
  critical: number;
  warning: number;
  clear: number;
  undefined: number;
  uninitialized: number;
} {
  const totals = { critical: 0, warning: 0, clear: 0, undefined: 0, uninitialized: 0 };
  for (const inst of node.instances) {
    for (const a of inst.alerts) {
      if (a.status === 'CRITICAL') {
        totals.critical++;
      } else if (a.status === 'WARNING') {
        totals.warning++;
      } else if (a.status === 'CLEAR') {
        totals.clear++;
      } else if (a.status === 'UNINITIALIZED') {
        totals.uninitialized++;
      } else {
        totals.undefined++;
      }
    }
  }
  return totals;
}

/** A node's capabilities (§7.3): `ml` is enabled only where the dataset runs anomaly detection. */
function capabilities(node: NodeDef): JsonObject[] {
  return CAPABILITIES.map((c) => (c.name === 'ml' && node.ml === true ? { name: 'ml', version: 1, enabled: true } : c));
}

const CAPABILITIES = [
  { name: 'proto', version: 1, enabled: true },
  { name: 'ml', version: 0, enabled: false },
  { name: 'mc', version: 1, enabled: true },
  { name: 'ctx', version: 1, enabled: true },
  { name: 'funcs', version: 1, enabled: true },
  { name: 'http_api_v2', version: 7, enabled: true },
  { name: 'health', version: 2, enabled: true },
];

/** One node as `/api/v2/nodes` describes it (§4.2). */
export function nodeDescription(node: NodeDef, ni: number): JsonObject {
  const o: JsonObject = { mg: node.mg };
  if (node.nd) {
    o.nd = node.nd;
  }
  o.nm = node.nm;
  o.ni = ni;
  o.v = node.version;
  o.labels = hostLabels(node);
  o.hw = {
    architecture: 'x86_64',
    cpu_frequency: '2400000000',
    cpus: String(node.cpus),
    memory: String(node.memoryBytes),
    disk_space: '274877906944',
    virtualization: 'kvm',
    container: 'none',
  };
  o.os = { id: 'debian', nm: 'Debian GNU/Linux', v: '12 (bookworm)', kernel: { nm: 'Linux', v: '6.1.0-21-amd64' } };
  o.state = node.archived === true ? 'stale' : 'reachable';
  o.health = { status: 'online', alerts: alertTotals(node) };
  o.capabilities = capabilities(node);
  return o;
}

export function nodesResponse(req: CatalogRequest, ctx: CatalogContext): JsonObject {
  const scope = catalogScope(req, ctx);
  return { api: 2, nodes: scope.map((s, ni) => nodeDescription(s.node, ni)), timings: TIMINGS };
}

function distinct<T>(values: T[]): T[] {
  return [...new Set(values)];
}

/** `/api/v2|v3/contexts` (§4.1): filtered by `scope_contexts`/`scope_nodes` and the window, never by `contexts`. */
export function contextsResponse(req: CatalogRequest, ctx: CatalogContext): JsonObject {
  const now = ctx.wallSec - 1;
  const scope = catalogScope(req, ctx);
  const v26 = atLeast(ctx.version, 2, 6);
  const options = new Set(req.options.map((o) => (o === 'long-keys' ? 'long-json-keys' : o)));
  const long = v26 && options.has('long-json-keys');
  const rfc = v26 && options.has('rfc3339');
  const time = (t: number): Json => (rfc ? rfc3339(t) : t);

  const nodes: Json[] = scope.map((s, ni) => {
    const o: JsonObject = { [long ? 'machine_guid' : 'mg']: s.node.mg };
    if (s.node.nd) {
      o[long ? 'node_id' : 'nd'] = s.node.nd;
    }
    o[long ? 'hostname' : 'nm'] = s.node.nm;
    o[long ? 'nodes_array_index' : 'ni'] = ni;
    o[long ? 'status' : 'st'] = { ai: ctx.agents === 'per-node' ? ni : 0, code: 200, msg: '' };
    return o;
  });

  const contexts: JsonObject = {};
  const ids = ctx.dataset.contexts
    .map((c) => c.id)
    .filter((id) => scope.some((s) => s.instances.some((i) => i.context.id === id)));
  const limit = req.cardinalityLimit ?? 0;
  const kept = limit > 0 && v26 ? ids.slice(0, limit) : ids;
  for (const id of kept) {
    const def = ctx.dataset.contexts.find((c) => c.id === id);
    if (!def) {
      continue;
    }
    const members = scope.flatMap((s) =>
      s.instances.filter((i) => i.context.id === id).map((inst) => ({ node: s.node, inst }))
    );
    const retentions = members
      .map((m) => tierRetention(m.node, m.inst, 0, now))
      .filter((r): r is NonNullable<typeof r> => r !== undefined);
    const entry: JsonObject = {};
    if (v26 && options.has('titles')) {
      entry.title = def.title;
    }
    entry.family = def.family;
    if (v26) {
      entry.units = def.units;
    }
    entry.priority = def.priority;
    entry.first_entry = time(Math.min(...retentions.map((r) => r.first)));
    // A context that is still collected reports *now* as its last entry.
    entry.last_entry = time(ctx.wallSec);
    entry.live = true;
    if (v26 && options.has('dimensions')) {
      entry.dimensions = def.dimensions.map((d) => d.name);
    }
    if (v26 && options.has('labels')) {
      const keys = distinct(members.flatMap((m) => Object.keys(m.inst.labels)));
      const labels: JsonObject = {};
      for (const key of keys) {
        labels[key] = distinct(members.map((m) => m.inst.labels[key] ?? '[none]'));
      }
      entry.labels = labels;
    }
    if (v26 && options.has('instances')) {
      entry.instances = distinct(members.map((m) => m.inst.id));
    }
    contexts[id] = entry;
  }
  if (kept.length < ids.length) {
    contexts.__truncated__ = { total_contexts: ids.length, returned: kept.length, remaining: ids.length - kept.length };
  }
  const agents =
    ctx.agents === 'per-node'
      ? scope.map((s, i) => agentEntry(s.node, i, time(ctx.wallSec)))
      : [agentEntry(ctx.agentNode, 0, time(ctx.wallSec))];
  return {
    api: 2,
    nodes,
    contexts,
    versions: versionsObject(ctx.dataset.nodes.length),
    agents,
    timings: TIMINGS,
  };
}

export function versionsResponse(ctx: CatalogContext): JsonObject {
  return { api: 2, versions: versionsObject(ctx.dataset.nodes.length), timings: TIMINGS };
}

/** `/api/v3/me`: whether the request was authenticated with a bearer token. */
export function meResponse(bearer: boolean): JsonObject {
  return {
    auth: bearer ? 'bearer' : 'none',
    cloud_account_id: '00000000-0000-0000-0000-000000000000',
    client_name: '',
    access: bearer ? ['view-anonymous-data', 'view-sensitive-data'] : ['view-anonymous-data'],
    user_role: bearer ? 'member' : 'none',
  };
}

function countMetrics(node: NodeDef): number {
  return node.instances.reduce((a, i) => a + i.context.dimensions.length, 0);
}

/** `/api/v2|v3/info` (§4.7): one agent, the Parent. */
export function infoResponse(ctx: CatalogContext, bearerProtection: boolean): JsonObject {
  const node = ctx.agentNode;
  const all = ctx.dataset.nodes;
  const metrics = all.reduce((a, n) => a + countMetrics(n), 0);
  const instances = all.reduce((a, n) => a + n.instances.length, 0);
  const contexts = distinct(all.flatMap((n) => n.instances.map((i) => i.context.id))).length;
  const now = ctx.wallSec - 1;
  const dbSize = Array.from({ length: TIERS }, (_, tier) => {
    const r = tierRetention(node, node.instances[0], tier, now);
    return {
      tier,
      granularity: ['1s', '1m', '1h'][tier],
      metrics,
      samples: 0,
      disk_used: 0,
      disk_max: 1073741824,
      disk_percent: 0,
      from: r ? r.first : 0,
      to: r ? r.last : 0,
      retention: r ? r.last - r.first : 0,
    };
  });
  const archived = all.filter((n) => n.archived === true).length;
  const agent: JsonObject = {
    mg: node.mg,
    nd: node.nd ?? null,
    nm: node.nm,
    now: ctx.wallSec,
    ai: 0,
    application: {
      package: { version: node.version, type: 'custom', arch: 'x86_64', distro: 'debian', configure: '' },
      os: {
        kernel: 'Linux',
        kernel_version: '6.1.0-21-amd64',
        os: 'debian',
        id: 'debian',
        version: '12 (bookworm)',
      },
      hw: { cpu_cores: String(node.cpus), ram: String(node.memoryBytes), cpu_architecture: 'x86_64' },
      features: { 'built-for': 'Linux', cloud: true, health: true, streaming: true, ml: false },
      runtime: { profile: node.isParent ? 'parent' : 'standalone', parent: node.isParent, child: false },
    },
    cloud: node.nd
      ? { id: 1, status: 'online', since: ctx.wallSec - 3600, age: 3600, url: 'https://app.netdata.cloud' }
      : {
          id: 0,
          status: 'available',
          since: ctx.wallSec - 3600,
          age: 3600,
          url: 'https://app.netdata.cloud',
          reason: 'Agent is not claimed yet',
        },
  };
  // v1.41–v1.47 stop here: no node, metric, instance or context counts, no capabilities, no `api` object
  // (v1.47.5 src/database/contexts/api_v2.c `buffer_json_agents_v2`).
  if (atLeast(ctx.version, 1, 99)) {
    // `total` counts archived nodes too.
    agent.nodes = { total: all.length, receiving: all.length - 1 - archived, sending: 0, archived };
    agent.metrics = { collected: metrics, available: metrics };
    agent.instances = { collected: instances, available: instances };
    agent.contexts = { collected: contexts, available: contexts, unique: contexts };
    agent.capabilities = capabilities(node);
    agent.api = { version: 7, bearer_protection: bearerProtection };
  }
  agent.db_size = dbSize;
  agent.timings = AGENT_TIMINGS;
  return { api: 2, agents: [agent], timings: TIMINGS };
}

/** `/api/v1/info` (§5.1) of the host the request is routed to. */
export function v1InfoResponse(ctx: CatalogContext, host: NodeDef): JsonObject {
  const all = ctx.dataset.nodes;
  const alarms = { normal: 0, warning: 0, critical: 0 };
  for (const inst of host.instances) {
    for (const a of inst.alerts) {
      if (a.status === 'WARNING') {
        alarms.warning++;
      } else if (a.status === 'CRITICAL') {
        alarms.critical++;
      } else {
        alarms.normal++;
      }
    }
  }
  const v137 = !atLeast(ctx.version, 1, 39);
  const doc: JsonObject = {
    version: host.version,
    uid: host.mg,
    'hosts-available': all.length,
    mirrored_hosts: all.map((n) => n.nm),
    // 1.37.1 orders these keys differently from 2.x (tests/fixtures/netdata-1.37/v1_info.json).
    mirrored_hosts_status: all.map((n, i) =>
      v137
        ? { guid: n.mg, hostname: n.nm, reachable: true, hops: i === 0 ? 0 : 1, claim_id: null, node_id: n.nd ?? null }
        : { hostname: n.nm, hops: i === 0 ? 0 : 1, reachable: true, guid: n.mg, node_id: n.nd ?? null, claim_id: null }
    ),
    alarms,
    os_name: 'Debian GNU/Linux',
    os_id: 'debian',
    os_version: '12 (bookworm)',
    cores_total: String(host.cpus),
    total_disk_space: '274877906944',
    ram_total: String(host.memoryBytes),
    kernel_name: 'Linux',
    kernel_version: '6.1.0-21-amd64',
    architecture: 'x86_64',
    virtualization: 'kvm',
    container: 'none',
    host_labels: hostLabels(host),
    functions: {},
    collectors: distinct(host.instances.map((i) => i.context.plugin)).map((plugin) => ({ plugin, module: '' })),
    'cloud-enabled': true,
    'agent-claimed': host.nd !== undefined,
    'aclk-available': host.nd !== undefined,
    'memory-mode': 'dbengine',
    'charts-count': host.instances.length,
    'metrics-count': countMetrics(host),
  };
  if (!v137) {
    return doc;
  }
  // 1.37.1 has `hosts-available` after the memory mode, not after `uid`.
  const { 'hosts-available': hosts, ...rest } = doc;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(rest)) {
    out[k] = v;
    if (k === 'memory-mode') {
      out['hosts-available'] = hosts;
    }
  }
  return out;
}

/** `/api/v1/contexts` (§5.3) of one host. */
export function v1ContextsResponse(ctx: CatalogContext, host: NodeDef): JsonObject {
  const now = ctx.wallSec - 1;
  const contexts: JsonObject = {};
  for (const def of ctx.dataset.contexts) {
    const insts = host.instances.filter((i) => i.context.id === def.id);
    if (insts.length === 0) {
      continue;
    }
    const first = Math.min(...insts.map((i) => tierRetention(host, i, 0, now)?.first ?? now));
    contexts[def.id] = {
      title: def.title,
      units: def.units,
      family: def.family,
      chart_type: def.chartType,
      priority: def.priority,
      first_time_t: first,
      last_time_t: ctx.wallSec,
      collected: true,
      charts: insts.map((i) => i.id),
    };
  }
  return {
    hostname: host.nm,
    machine_guid: host.mg,
    node_id: host.nd ?? null,
    claim_id: null,
    host_labels: hostLabels(host),
    contexts,
  };
}
