// The fake's database: nodes, contexts, instances, dimensions, labels, alerts, retention and the stored values.
// Every stored value is a deterministic function of (node, context, instance, dimension, timestamp).

export interface DimensionDef {
  id: string;
  name: string;
  /** Hidden dimensions (cpu `idle`) are only queried when a `dimensions` pattern selects them. */
  hidden: boolean;
  /** Position in the context's dimension order. */
  priority: number;
}

export interface ContextDef {
  id: string;
  title: string;
  family: string;
  units: string;
  chartType: 'line' | 'area' | 'stacked';
  priority: number;
  /** Collection interval in seconds. */
  updateEvery: number;
  plugin: string;
  module: string;
  dimensions: DimensionDef[];
}

export type AlertStatus = 'CLEAR' | 'WARNING' | 'CRITICAL' | 'UNDEFINED' | 'UNINITIALIZED' | 'REMOVED';

export interface AlertState {
  name: string;
  status: AlertStatus;
}

export interface InstanceDef {
  id: string;
  name: string;
  context: ContextDef;
  labels: Record<string, string>;
  alerts: AlertState[];
  /** Per-instance magnitude of the generated values. */
  scale: number;
}

export interface NodeDef {
  mg: string;
  /** Cloud node id: only when the node is claimed. */
  nd?: string;
  nm: string;
  version: string;
  isParent: boolean;
  /** Held by the Parent but no longer streaming: counted in info `nodes.archived`, `stale` in the node list. */
  archived?: boolean;
  /** Epoch seconds of the oldest stored sample (before alignment to each context's collection interval). */
  retentionStart: number;
  /** Seconds of tier 0 kept before now (older samples rotated out; higher tiers keep their summaries). */
  tier0RetentionS?: number;
  /** Machine learning (anomaly detection) runs on this node; off by default, as in the 2.9 capture. */
  ml?: boolean;
  cpus: number;
  memoryBytes: number;
  instances: InstanceDef[];
}

export interface Dataset {
  nodes: NodeDef[];
  contexts: ContextDef[];
  /** Every alert is raised and cleared once per this many seconds (default 3600; shorter = a busy, flapping Parent). */
  alertPeriodS?: number;
}

/** A dimension of an instance of a node: one stored time series. */
export interface Metric {
  node: NodeDef;
  instance: InstanceDef;
  context: ContextDef;
  dimension: DimensionDef;
}

export const TIERS = 3;
const TIER_FACTOR = 60;

function dims(list: Array<[string, string] | string>, hidden: string[] = []): DimensionDef[] {
  return list.map((d, priority) => {
    const [id, name] = typeof d === 'string' ? [d, d] : d;
    return { id, name, hidden: hidden.includes(id), priority };
  });
}

export const CONTEXTS: ContextDef[] = [
  {
    id: 'system.cpu',
    title: 'Total CPU utilization',
    family: 'cpu',
    units: 'percentage',
    chartType: 'stacked',
    priority: 100,
    updateEvery: 1,
    plugin: 'proc.plugin',
    module: '/proc/stat',
    dimensions: dims(['guest', 'softirq', 'user', 'system', 'nice', 'iowait', 'idle'], ['idle']),
  },
  {
    id: 'system.load',
    title: 'System Load Average',
    family: 'load',
    units: 'load',
    chartType: 'line',
    priority: 100,
    updateEvery: 5,
    plugin: 'proc.plugin',
    module: '/proc/loadavg',
    dimensions: dims(['load1', 'load5', 'load15']),
  },
  {
    id: 'system.ram',
    title: 'System RAM',
    family: 'ram',
    units: 'MiB',
    chartType: 'stacked',
    priority: 200,
    updateEvery: 1,
    plugin: 'proc.plugin',
    module: '/proc/meminfo',
    dimensions: dims(['free', 'used', 'cached', 'buffers']),
  },
  {
    id: 'disk.io',
    title: 'Disk I/O Bandwidth',
    family: 'io',
    units: 'KiB/s',
    chartType: 'area',
    priority: 2000,
    updateEvery: 1,
    plugin: 'proc',
    module: '/proc/diskstats',
    dimensions: dims(['reads', 'writes']),
  },
  {
    id: 'net.net',
    title: 'Bandwidth',
    family: 'net',
    units: 'kilobits/s',
    chartType: 'area',
    priority: 7000,
    updateEvery: 1,
    plugin: 'proc.plugin',
    module: '/proc/net/dev',
    dimensions: dims([
      ['InOctets', 'received'],
      ['OutOctets', 'sent'],
    ]),
  },
];

/** Dimensions stored negative by convention (they become positive under `absolute`). */
const NEGATIVE_DIMENSIONS = new Set(['writes', 'OutOctets']);

function context(id: string): ContextDef {
  const found = CONTEXTS.find((c) => c.id === id);
  if (!found) {
    throw new Error(`unknown context ${id}`);
  }
  return found;
}

function instance(
  id: string,
  contextId: string,
  labels: Record<string, string>,
  alerts: AlertState[],
  scale: number
): InstanceDef {
  const ctx = context(contextId);
  return {
    id,
    name: id,
    context: ctx,
    labels: { _collect_plugin: ctx.plugin, _collect_module: ctx.module, ...labels },
    alerts,
    scale,
  };
}

function hostInstances(role: 'parent' | 'child'): InstanceDef[] {
  const parent = role === 'parent';
  const clear = (name: string): AlertState => ({ name, status: 'CLEAR' });
  const list = [
    instance('system.cpu', 'system.cpu', {}, [clear('10min_cpu_usage'), clear('10min_cpu_iowait')], parent ? 1 : 0.6),
    instance(
      'system.load',
      'system.load',
      {},
      [clear('load_average_1'), clear('load_average_5'), clear('load_average_15')],
      parent ? 1 : 0.5
    ),
    instance(
      'system.ram',
      'system.ram',
      {},
      [{ name: 'ram_in_use', status: parent ? 'WARNING' : 'CLEAR' }],
      parent ? 7936 : 3840
    ),
    instance(
      'disk.vda',
      'disk.io',
      parent ? { device: 'vda', device_type: 'physical', mount_point: '/' } : { device: 'vda', device_type: 'virtual' },
      [],
      parent ? 1 : 0.4
    ),
  ];
  if (parent) {
    list.push(
      instance('disk.sda', 'disk.io', { device: 'sda', device_type: 'physical', mount_point: '/data' }, [], 0.3)
    );
  }
  list.push(instance('net.eth0', 'net.net', { device: 'eth0', interface_type: 'real' }, [], parent ? 1 : 0.25));
  return list;
}

export interface DatasetOptions {
  /** Server start (epoch seconds): retention is counted back from it. */
  startSec: number;
  /** Agent: only the Parent is claimed. Cloud: both nodes are claimed (only claimed nodes are in rooms). */
  claimed: 'parent-only' | 'all';
  version: string;
  /**
   * Adds a third node `edge|02` (a second child, never claimed) whose names hold pattern characters: its instance
   * `net.eth0|1` (label device `eth0|1`, interface_type `virtual`) besides an ordinary `net.eth0`.
   */
  oddNode?: boolean;
  /** Add `child02`, archived on the Parent (only its node state is modelled: its stored values stay as child01's). */
  archivedNode?: boolean;
  alertPeriodS?: number;
  /** Every node keeps only this many seconds of tier 0 (tiers 1 and 2 keep the whole retention). */
  tier0RetentionS?: number;
  /** Hostnames of the nodes running anomaly detection (the `ml` capability); none by default. */
  mlNodes?: string[];
}

/** The node `oddNode` adds: hostname and names with `|` in them (netdata-api-extra.md §8.3). */
function oddNode(opts: DatasetOptions): NodeDef {
  return {
    mg: '3c2b1a09-8f7e-4d6c-a5b4-c3d2e1f0a903',
    nm: 'edge|02',
    version: opts.version,
    isParent: false,
    retentionStart: opts.startSec - 86400,
    cpus: 1,
    memoryBytes: 2 * 1024 ** 3,
    instances: [
      instance('system.cpu', 'system.cpu', {}, [], 0.3),
      instance('net.eth0', 'net.net', { device: 'eth0', interface_type: 'real' }, [], 0.2),
      instance('net.eth0|1', 'net.net', { device: 'eth0|1', interface_type: 'virtual' }, [], 0.1),
    ],
  };
}

export function createDataset(opts: DatasetOptions): Dataset {
  const parent: NodeDef = {
    mg: '0f8e6a8c-1b2d-4c3e-9f40-5a6b7c8d9e01',
    nd: '5e1f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a01',
    nm: 'parent01',
    version: opts.version,
    isParent: true,
    retentionStart: opts.startSec - 2 * 86400,
    cpus: 4,
    memoryBytes: 8 * 1024 ** 3,
    instances: hostInstances('parent'),
  };
  const child: NodeDef = {
    mg: '7d3c2b1a-9e8f-4a6b-b5c4-d3e2f1a0b902',
    nd: opts.claimed === 'all' ? 'a4b5c6d7-e8f9-4a0b-9c1d-2e3f4a5b6c02' : undefined,
    nm: 'child01',
    version: opts.version,
    isParent: false,
    // The child started streaming later than the Parent started collecting.
    retentionStart: opts.startSec - 86400 + 1234,
    cpus: 2,
    memoryBytes: 4 * 1024 ** 3,
    instances: hostInstances('child'),
  };
  const nodes = opts.oddNode ? [parent, child, oddNode(opts)] : [parent, child];
  if (opts.archivedNode === true) {
    nodes.push({
      ...child,
      mg: '3c4d5e6f-7a8b-4c9d-8e0f-1a2b3c4d5e03',
      nd: undefined,
      nm: 'child02',
      archived: true,
      retentionStart: opts.startSec - 2 * 86400,
    });
  }
  for (const n of nodes) {
    if (opts.tier0RetentionS !== undefined) {
      n.tier0RetentionS = opts.tier0RetentionS;
    }
    if (opts.mlNodes?.includes(n.nm)) {
      n.ml = true;
    }
  }
  return opts.alertPeriodS !== undefined
    ? { nodes, contexts: CONTEXTS, alertPeriodS: opts.alertPeriodS }
    : { nodes, contexts: CONTEXTS };
}

export function datasetMetrics(node: NodeDef, inst: InstanceDef): Metric[] {
  return inst.context.dimensions.map((dimension) => ({ node, instance: inst, context: inst.context, dimension }));
}

// ---- values

function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(a: number, b: number): number {
  let h = (a ^ Math.imul(b, 0x9e3779b1)) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Uniform in [0, 1), a function of (seed, t) only. */
function noise(seed: number, t: number): number {
  return mix(seed, t) / 4294967296;
}

/** Smooth wave in [-1, 1] with a seed-dependent period (10 min .. 1 h) and phase. */
function wave(seed: number, t: number): number {
  const period = 600 + (seed % 3000);
  const phase = ((seed >>> 12) % 1000) / 1000;
  const slow = Math.sin(2 * Math.PI * (t / (period * 7) + phase * 0.37));
  return 0.7 * Math.sin(2 * Math.PI * (t / period + phase)) + 0.3 * slow;
}

function round(value: number, decimals: number): number {
  const f = 10 ** decimals;
  const r = Math.round(value * f) / f;
  return r === 0 ? 0 : r;
}

const seeds = new WeakMap<InstanceDef, Map<string, number>>();

/** Instances belong to one node, so (instance object, dimension) identifies the series; hashes are computed once. */
function seedOf(node: NodeDef, inst: InstanceDef, dimId: string): number {
  let perInstance = seeds.get(inst);
  if (!perInstance) {
    perInstance = new Map();
    seeds.set(inst, perInstance);
  }
  let seed = perInstance.get(dimId);
  if (seed === undefined) {
    seed = fnv1a(`${node.mg}|${inst.context.id}|${inst.id}|${dimId}`);
    perInstance.set(dimId, seed);
  }
  return seed;
}

/** The value collected at timestamp `t` (a multiple of the context's update_every). */
export function collectedValue(node: NodeDef, inst: InstanceDef, dimId: string, t: number): number {
  const seed = seedOf(node, inst, dimId);
  const w = wave(seed, t);
  const n = noise(seed, t);
  const s = inst.scale;
  switch (inst.context.id) {
    case 'system.cpu': {
      switch (dimId) {
        case 'guest':
          return 0;
        case 'softirq':
          return round(Math.max(0, s * (0.6 + 0.4 * w + 0.3 * n)), 4);
        case 'user':
          return round(Math.max(0, s * (22 + 12 * w + 8 * (n - 0.5))), 4);
        case 'system':
          return round(Math.max(0, s * (5 + 3 * w + 2 * (n - 0.5))), 4);
        case 'nice':
          return n > 0.85 ? round((n - 0.85) * 3, 4) : 0;
        case 'iowait':
          return round(Math.max(0, s * (1 + 1.5 * w + 2 * (n - 0.5))), 4);
        case 'idle': {
          const busy = ['guest', 'softirq', 'user', 'system', 'nice', 'iowait'].reduce(
            (sum, id) => sum + collectedValue(node, inst, id, t),
            0
          );
          return round(Math.max(0, 100 - busy), 4);
        }
      }
      break;
    }
    case 'system.load': {
      const base = dimId === 'load1' ? 1.2 : dimId === 'load5' ? 1.0 : 0.9;
      const swing = dimId === 'load1' ? 0.8 : dimId === 'load5' ? 0.45 : 0.25;
      const jitter = dimId === 'load1' ? 0.3 : 0.05;
      return round(Math.max(0, s * (base + swing * w + jitter * n)), 2);
    }
    case 'system.ram': {
      const total = s;
      const used = total * (0.45 + 0.08 * w + 0.02 * n);
      const cached = total * (0.3 + 0.05 * wave(seed ^ 0x5bd1e995, t));
      const buffers = total * 0.02;
      switch (dimId) {
        case 'used':
          return round(used, 4);
        case 'cached':
          return round(cached, 4);
        case 'buffers':
          return round(buffers + total * 0.005 * n, 4);
        case 'free': {
          const others = ['used', 'cached', 'buffers'].reduce((sum, id) => sum + collectedValue(node, inst, id, t), 0);
          return round(total - others, 4);
        }
      }
      break;
    }
    case 'disk.io': {
      const burst = n > 0.97 ? 8 : 1;
      if (dimId === 'reads') {
        return round(Math.max(0, s * burst * (900 + 700 * w + 600 * (n - 0.5))), 4);
      }
      return round(-Math.max(0, s * (350 + 250 * w + 200 * n)), 4);
    }
    case 'net.net': {
      if (dimId === 'InOctets') {
        return round(Math.max(0, s * (2400 + 1600 * w + 500 * n)), 4);
      }
      return round(-Math.max(0, s * (900 + 600 * w + 300 * n)), 4);
    }
  }
  throw new Error(`no value generator for ${inst.context.id}/${dimId}`);
}

export function isNegativeByConvention(dimId: string): boolean {
  return NEGATIVE_DIMENSIONS.has(dimId);
}

// ---- storage tiers

export function tierUpdateEvery(updateEvery: number, tier: number): number {
  return updateEvery * TIER_FACTOR ** tier;
}

export interface TierRetention {
  tier: number;
  updateEvery: number;
  first: number;
  last: number;
}

/** What the node collected at 1 s..ue resolution, before any tier-0 rotation: the source of every tier. */
function collectedRange(node: NodeDef, inst: InstanceDef, now: number): { first: number; last: number } {
  const ue = inst.context.updateEvery;
  return { first: Math.ceil(node.retentionStart / ue) * ue, last: Math.floor(now / ue) * ue };
}

/** Retention of one instance on one tier at *now* (`undefined` when the tier holds no point yet). */
export function tierRetention(node: NodeDef, inst: InstanceDef, tier: number, now: number): TierRetention | undefined {
  const ue = inst.context.updateEvery;
  const collected = collectedRange(node, inst, now);
  const rotated = node.tier0RetentionS === undefined ? -Infinity : Math.ceil((now - node.tier0RetentionS) / ue) * ue;
  const first0 = Math.max(collected.first, rotated);
  const last0 = collected.last;
  const tue = tierUpdateEvery(ue, tier);
  const first = Math.ceil(collected.first / tue) * tue;
  const last = Math.floor(last0 / tue) * tue;
  if (tier === 0 ? last0 < first0 : last0 < collected.first || first > last) {
    return undefined;
  }
  return { tier, updateEvery: tue, first: tier === 0 ? first0 : first, last: tier === 0 ? last0 : last };
}

/** One stored point: tier 0 stores the sample, higher tiers store avg/min/max/sum/count of their interval. */
export interface StoredPoint {
  t: number;
  value: number;
  min: number;
  max: number;
  sum: number;
  count: number;
}

const TIER_SAMPLES = 60;

/** The point stored at `t` on `tier` (the caller keeps `t` inside the tier's retention and on its grid). */
export function storedPoint(metric: Metric, tier: number, t: number, now: number): StoredPoint {
  const { node, instance: inst, dimension } = metric;
  if (tier === 0) {
    const v = collectedValue(node, inst, dimension.id, t);
    return { t, value: v, min: v, max: v, sum: v, count: 1 };
  }
  const ue = inst.context.updateEvery;
  const tue = tierUpdateEvery(ue, tier);
  // Higher tiers were summarised while collecting: tier-0 rotation since then does not touch them.
  const r0 = collectedRange(node, inst, now);
  // Higher tiers summarise their interval (t - tue, t]; at most 60 evenly spaced tier-0 samples are read per point.
  const step = Math.max(ue, tue / TIER_SAMPLES);
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  let n = 0;
  for (let s = t - tue + step; s <= t; s += step) {
    if (s < r0.first || s > r0.last) {
      continue;
    }
    const v = collectedValue(node, inst, dimension.id, s);
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
    n++;
  }
  if (n === 0) {
    return { t, value: NaN, min: NaN, max: NaN, sum: NaN, count: 0 };
  }
  const avg = sum / n;
  const count = n * (step / ue);
  return { t, value: avg, min, max, sum: avg * count, count };
}
