// The json2 response document of `/api/v2|v3/data` and Cloud data (netdata-api.md §3.5, §3.6): key order, short or
// long keys, minimal-stats, ms / rfc3339 timestamps, flip, null2zero.

import type { InstanceDef, NodeDef } from './dataset';
import type { DataQueryResult, MetricStats, OutputDimension, ScopedInstance, ScopedMetric } from './query';
import { PA_EMPTY, labelKeysOf } from './query';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export interface Json2Context {
  /** `api` number of the answer. */
  api: number;
  /** Agent: one agent (the Parent) answers for every node. Cloud: one agent per node. */
  agents: 'parent' | 'per-node';
  /** The agent answering in agent mode. */
  agentNode: NodeDef;
  /** Nodes the agent knows (for the change-detection hashes). */
  nodeCount: number;
  wallSec: number;
}

const LONG_KEYS: Record<string, string> = {
  sl: 'selected',
  ex: 'excluded',
  qr: 'queried',
  fl: 'failed',
  ds: 'dimensions',
  is: 'instances',
  al: 'alerts',
  sts: 'statistics',
  nd: 'node_id',
  mg: 'machine_guid',
  ni: 'nodes_array_index',
  ai: 'agents_array_index',
  cl: 'clear',
  wr: 'warning',
  cr: 'critical',
  ot: 'other',
  arp: 'anomaly_rate_percent',
  con: 'contribution_percent',
  pri: 'priority',
  st: 'status',
  vl: 'label_values',
};

/** Netdata prints at most 7 decimals. */
export function num(value: number): number {
  const r = Math.round(value * 1e7) / 1e7;
  return r === 0 ? 0 : r;
}

export function rfc3339(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

interface Counters {
  sl: number;
  ex: number;
  qr: number;
  fl: number;
}

function emptyCounters(): Counters {
  return { sl: 0, ex: 0, qr: 0, fl: 0 };
}

function mean(stats: MetricStats | undefined): number | undefined {
  return stats && stats.count > 0 ? stats.sum / stats.count : undefined;
}

class Renderer {
  private readonly long: boolean;
  private readonly minimal: boolean;
  private readonly rfc: boolean;
  /** Σ |mean| of every queried series: the base of contribution percentages. */
  private readonly totalContribution: number;

  constructor(
    private readonly r: DataQueryResult,
    private readonly ctx: Json2Context
  ) {
    this.long = r.options.has('long-json-keys');
    this.minimal = r.options.has('minimal-stats');
    this.rfc = r.options.has('rfc3339');
    this.totalContribution = r.metrics.filter((m) => m.queried).reduce((a, m) => a + (mean(m.absStats) ?? 0), 0);
  }

  private k(short: string, longName?: string): string {
    return this.long ? (longName ?? LONG_KEYS[short] ?? short) : short;
  }

  private time(t: number): Json {
    if (!this.rfc) {
      return t;
    }
    return t === 0 ? null : rfc3339(t);
  }

  private counters(c: Counters): JsonObject | undefined {
    const out: JsonObject = {};
    for (const key of ['sl', 'ex', 'qr', 'fl'] as const) {
      if (c[key] > 0) {
        out[this.k(key)] = c[key];
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private dimensionCounters(metrics: ScopedMetric[]): JsonObject | undefined {
    const c = emptyCounters();
    for (const m of metrics) {
      if (m.selected) {
        c.sl++;
      } else if (!m.queried) {
        c.ex++;
      }
      if (m.queried) {
        c.qr++;
      }
    }
    return this.counters(c);
  }

  private instanceCounters(list: ScopedInstance[]): JsonObject | undefined {
    const c = emptyCounters();
    for (const si of list) {
      const selected = si.metrics.some((m) => m.selected);
      if (selected) {
        c.sl++;
      } else {
        c.ex++;
      }
      if (si.metrics.some((m) => m.queried)) {
        c.qr++;
      }
    }
    return this.counters(c);
  }

  private alertCounters(list: InstanceDef[]): JsonObject | undefined {
    const c = { cl: 0, wr: 0, cr: 0, ot: 0 };
    for (const inst of list) {
      for (const a of inst.alerts) {
        if (a.status === 'CLEAR') {
          c.cl++;
        } else if (a.status === 'WARNING') {
          c.wr++;
        } else if (a.status === 'CRITICAL') {
          c.cr++;
        } else {
          c.ot++;
        }
      }
    }
    const out: JsonObject = {};
    for (const key of ['cl', 'wr', 'cr', 'ot'] as const) {
      if (c[key] > 0) {
        out[this.k(key)] = c[key];
      }
    }
    return Object.keys(out).length > 0 ? out : undefined;
  }

  private stats(min: number, max: number, avg: number, con: number): JsonObject {
    return {
      min: num(min),
      max: num(max),
      avg: num(avg),
      [this.k('arp')]: 0,
      [this.k('con')]: num(con),
    };
  }

  private contribution(metrics: ScopedMetric[]): number {
    if (this.totalContribution === 0) {
      return 0;
    }
    return (metrics.reduce((a, m) => a + (mean(m.absStats) ?? 0), 0) * 100) / this.totalContribution;
  }

  /** Summary statistics of a set of series: always over absolute values. */
  private summaryStats(metrics: ScopedMetric[]): JsonObject | undefined {
    const withData = metrics.filter((m) => m.queried && m.absStats && m.absStats.count > 0);
    if (withData.length === 0) {
      return undefined;
    }
    let min = Infinity;
    let max = -Infinity;
    let sumOfMeans = 0;
    for (const m of withData) {
      const s = m.absStats as MetricStats;
      min = Math.min(min, s.min);
      max = Math.max(max, s.max);
      sumOfMeans += s.sum / s.count;
    }
    return this.stats(min, max, sumOfMeans / withData.length, this.contribution(withData));
  }

  private put(obj: JsonObject, key: string, value: Json | undefined): void {
    if (value !== undefined) {
      obj[key] = value;
    }
  }

  private nodeIndexInAgents(ni: number): number {
    return this.ctx.agents === 'per-node' ? ni : 0;
  }

  /**
   * v2.6–v2.10 with a `cardinality_limit` below the node count (netdata-api-extra.md §8.1; jsonwrap-summary-nodes.c
   * `query_target_summary_nodes_v2`): the top limit−1 nodes by contribution (ties by hostname), then one
   * `__remaining_nodes__` entry without mg/nd/ni. Instances, dimensions and label values are not trimmed here.
   */
  private limitNodes(nodes: Json[]): Json[] {
    const r = this.r;
    const limit = r.request.cardinalityLimit ?? 0;
    if (!r.request.limitTrimsSummary || limit <= 0 || r.nodes.length <= limit) {
      return nodes;
    }
    const metricsOf = (ni: number) => r.instances.filter((i) => i.ni === ni).flatMap((i) => i.metrics);
    const ranked = r.nodes
      .map((node, ni) => ({ ni, nm: node.nm, con: this.contribution(metricsOf(ni).filter((m) => m.queried)) }))
      .sort((a, b) => b.con - a.con || (a.nm < b.nm ? -1 : a.nm > b.nm ? 1 : 0));
    const shown = ranked.slice(0, limit - 1);
    const rest = ranked.slice(limit - 1);
    const restMetrics = rest.flatMap((n) => metricsOf(n.ni));
    const remaining: JsonObject = { id: '__remaining_nodes__' };
    remaining[this.k('nm', 'hostname')] = `remaining ${rest.length} nodes`;
    remaining[this.k('con')] = num(rest.reduce((a, n) => a + n.con, 0));
    if (!this.minimal) {
      const restInstances = r.instances.filter((i) => rest.some((n) => n.ni === i.ni));
      this.put(remaining, this.k('is'), this.instanceCounters(restInstances));
      this.put(remaining, this.k('ds'), this.dimensionCounters(restMetrics));
      this.put(remaining, this.k('al'), this.alertCounters(restInstances.map((i) => i.instance)));
    }
    this.put(remaining, this.k('sts'), this.summaryStats(restMetrics));
    return [...shown.map((n) => nodes[n.ni]), remaining];
  }

  private summary(): JsonObject {
    const r = this.r;
    const nodes: Json[] = r.nodes.map((node, ni) => {
      const list = r.instances.filter((i) => i.ni === ni);
      const metrics = list.flatMap((i) => i.metrics);
      const o: JsonObject = {};
      o[this.k('mg')] = node.mg;
      if (node.nd) {
        o[this.k('nd')] = node.nd;
      }
      o[this.k('nm', 'hostname')] = node.nm;
      o[this.k('ni')] = ni;
      if (!this.minimal) {
        o[this.k('st')] = { [this.k('ai')]: this.nodeIndexInAgents(ni), code: 200, msg: '' };
        this.put(o, this.k('is'), this.instanceCounters(list));
        this.put(o, this.k('ds'), this.dimensionCounters(metrics));
        this.put(o, this.k('al'), this.alertCounters(list.map((i) => i.instance)));
      }
      this.put(o, this.k('sts'), this.summaryStats(metrics));
      return o;
    });
    const limitedNodes = this.limitNodes(nodes);
    const contexts: Json[] = r.contexts.map((c) => {
      const list = r.instances.filter((i) => i.instance.context.id === c.id);
      const metrics = list.flatMap((i) => i.metrics);
      const o: JsonObject = { id: c.id };
      if (!this.minimal) {
        this.put(o, this.k('is'), this.instanceCounters(list));
        this.put(o, this.k('ds'), this.dimensionCounters(metrics));
        this.put(o, this.k('al'), this.alertCounters(list.map((i) => i.instance)));
      }
      this.put(o, this.k('sts'), this.summaryStats(metrics));
      return o;
    });
    const instances: Json[] = r.instances.map((si) => {
      const o: JsonObject = { id: si.instance.id };
      if (si.instance.name !== si.instance.id) {
        o[this.k('nm', 'name')] = si.instance.name;
      }
      o[this.k('ni')] = si.ni;
      const con = this.contribution(si.metrics.filter((m) => m.queried));
      if (num(con) !== 0) {
        o[this.k('con')] = num(con);
      }
      if (!this.minimal) {
        this.put(o, this.k('ds'), this.dimensionCounters(si.metrics));
        this.put(o, this.k('al'), this.alertCounters([si.instance]));
      }
      this.put(o, this.k('sts'), this.summaryStats(si.metrics));
      return o;
    });
    const byDimension = new Map<string, ScopedMetric[]>();
    for (const m of r.metrics) {
      const list = byDimension.get(m.dimension.id) ?? [];
      list.push(m);
      byDimension.set(m.dimension.id, list);
    }
    const dimensions: Json[] = [...byDimension.entries()]
      .map(([id, metrics]) => ({ id, metrics, pri: Math.min(...metrics.map((m) => m.dimension.priority)) }))
      .sort((a, b) => a.pri - b.pri)
      .map(({ id, metrics, pri }) => {
        const o: JsonObject = { id };
        const name = metrics[0].dimension.name;
        if (name !== id) {
          o[this.k('nm', 'name')] = name;
        }
        if (!this.minimal) {
          this.put(o, this.k('ds'), this.dimensionCounters(metrics));
        }
        this.put(o, this.k('sts'), this.summaryStats(metrics));
        o[this.k('pri')] = pri;
        return o;
      });
    const labels: Json[] = labelKeysOf(r.instances.map((i) => i.instance)).map((key) => {
      const values = new Map<string, ScopedMetric[]>();
      for (const si of r.instances) {
        const value = si.instance.labels[key] ?? '[none]';
        values.set(value, [...(values.get(value) ?? []), ...si.metrics]);
      }
      const all = [...values.values()].flat();
      const o: JsonObject = { id: key };
      if (!this.minimal) {
        this.put(o, this.k('ds'), this.dimensionCounters(all));
      }
      this.put(o, this.k('sts'), this.summaryStats(all));
      o[this.k('vl')] = [...values.entries()].map(([value, metrics]) => {
        const v: JsonObject = { id: value };
        if (!this.minimal) {
          this.put(v, this.k('ds'), this.dimensionCounters(metrics));
        }
        this.put(v, this.k('sts'), this.summaryStats(metrics));
        return v;
      });
      return o;
    });
    const summary: JsonObject = { nodes: limitedNodes, contexts, instances, dimensions, labels };
    if (!this.minimal) {
      summary.alerts = this.alertSummary();
    }
    return summary;
  }

  private alertSummary(): Json[] {
    const byName = new Map<string, { cl: number; wr: number; cr: number; ot: number }>();
    for (const si of this.r.instances) {
      for (const a of si.instance.alerts) {
        const c = byName.get(a.name) ?? { cl: 0, wr: 0, cr: 0, ot: 0 };
        const key = a.status === 'CLEAR' ? 'cl' : a.status === 'WARNING' ? 'wr' : a.status === 'CRITICAL' ? 'cr' : 'ot';
        c[key]++;
        byName.set(a.name, c);
      }
    }
    return [...byName.entries()].map(([name, c]) => {
      const o: JsonObject = { [this.k('nm', 'name')]: name };
      for (const key of ['cl', 'wr', 'cr', 'ot'] as const) {
        if (c[key] > 0) {
          o[this.k(key)] = c[key];
        }
      }
      return o;
    });
  }

  private totals(): JsonObject {
    const r = this.r;
    const totals: JsonObject = {};
    const count = (items: Array<{ selected: boolean; queried: boolean }>): JsonObject | undefined => {
      const c = emptyCounters();
      for (const item of items) {
        if (item.selected) {
          c.sl++;
          if (item.queried) {
            c.qr++;
          }
        } else {
          c.ex++;
        }
      }
      return this.counters(c);
    };
    const flags = (metrics: ScopedMetric[]): { selected: boolean; queried: boolean } => ({
      selected: metrics.some((m) => m.selected),
      queried: metrics.some((m) => m.selected && m.queried),
    });
    const groupBy = <T>(keyOf: (m: ScopedMetric) => T): Array<{ selected: boolean; queried: boolean }> => {
      const map = new Map<T, ScopedMetric[]>();
      for (const m of r.metrics) {
        map.set(keyOf(m), [...(map.get(keyOf(m)) ?? []), m]);
      }
      return [...map.values()].map(flags);
    };
    this.put(totals, 'nodes', count(groupBy((m) => m.node.mg)));
    this.put(totals, 'contexts', count(groupBy((m) => m.context.id)));
    this.put(totals, 'instances', count(r.instances.map((i) => flags(i.metrics))));
    this.put(totals, 'dimensions', count(groupBy((m) => m.dimension.id)));
    const keyFlags = new Map<string, ScopedMetric[]>();
    const valueFlags = new Map<string, ScopedMetric[]>();
    for (const si of r.instances) {
      for (const [key, value] of Object.entries(si.instance.labels)) {
        keyFlags.set(key, [...(keyFlags.get(key) ?? []), ...si.metrics]);
        valueFlags.set(`${key}:${value}`, [...(valueFlags.get(`${key}:${value}`) ?? []), ...si.metrics]);
      }
    }
    this.put(totals, 'label_keys', count([...keyFlags.values()].map(flags)));
    this.put(totals, 'label_key_values', count([...valueFlags.values()].map(flags)));
    return totals;
  }

  private outputStats(o: OutputDimension, overView: boolean): { min: number; max: number; avg: number; con: number } {
    const withData = o.members.filter((m) => m.stats && m.stats.count > 0);
    let min = Infinity;
    let max = -Infinity;
    if (overView) {
      for (const v of o.values) {
        if (v !== null) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
    } else {
      for (const m of withData) {
        const s = m.stats as MetricStats;
        min = Math.min(min, s.min);
        max = Math.max(max, s.max);
      }
    }
    const means = withData.map((m) => mean(m.stats) as number);
    const avg = means.length > 0 ? means.reduce((a, b) => a + b, 0) / means.length : 0;
    return {
      min: Number.isFinite(min) ? min : 0,
      max: Number.isFinite(max) ? max : 0,
      avg,
      con: this.contribution(o.members),
    };
  }

  private stsArrays(outputs: OutputDimension[], overView: boolean): JsonObject {
    const all = outputs.map((o) => this.outputStats(o, overView));
    return {
      min: all.map((s) => num(s.min)),
      max: all.map((s) => num(s.max)),
      avg: all.map((s) => num(s.avg)),
      [this.k('arp')]: all.map(() => 0),
      [this.k('con')]: all.map((s) => num(s.con)),
    };
  }

  private units(): Json | undefined {
    const units = [...new Set(this.r.contexts.map((c) => c.units))];
    if (units.length === 0) {
      return undefined;
    }
    return units.length === 1 ? units[0] : units;
  }

  private result(): JsonObject {
    const r = this.r;
    const outputs = r.outputs;
    const null2zero = r.options.has('null2zero');
    const ms = r.options.has('ms');
    const data: Json[] = [];
    // Without any output dimension there are no rows at all (§3.6).
    for (let i = 0; outputs.length > 0 && i < r.rows.length; i++) {
      const t = r.rows[i];
      const row: Json[] = [ms ? t * 1000 : this.rfc ? rfc3339(t) : t];
      for (const o of outputs) {
        const v = o.values[i];
        // null2zero keeps the EMPTY bit, so a gap stays distinguishable from a real zero.
        row.push([v === null ? (null2zero ? 0 : null) : num(v), 0, o.pa[i] ?? PA_EMPTY]);
      }
      data.push(row);
    }
    if (!r.options.has('flip')) {
      data.reverse();
    }
    const out: JsonObject = { labels: ['time', ...outputs.map((o) => o.id)] };
    if (this.long) {
      out.point_schema = { value: 0, anomaly_rate_percent: 1, point_annotations_bitmap: 2 };
    } else {
      out.point = { value: 0, arp: 1, pa: 2 };
    }
    out.data = data;
    return out;
  }

  private db(): JsonObject {
    const r = this.r;
    const db = r.db;
    const tiers = [0, 1, 2];
    if (!db) {
      return {
        tiers: 3,
        update_every: 0,
        first_entry: this.time(0),
        last_entry: this.time(0),
        dimensions: { ids: [] },
        per_tier: tiers.map((tier) => ({
          tier,
          queries: 0,
          points: 0,
          update_every: 0,
          first_entry: this.time(0),
          last_entry: this.time(0),
        })),
      };
    }
    const out: JsonObject = {
      tiers: 3,
      update_every: db.updateEvery,
      first_entry: this.time(db.firstEntry),
      last_entry: this.time(db.lastEntry),
    };
    this.put(out, 'units', this.units());
    const dims: JsonObject = { ids: r.outputs.map((o) => o.id) };
    if (r.outputs.length > 0) {
      dims.units = r.outputs.map((o) => o.dbUnits);
      dims[this.k('sts')] = this.stsArrays(r.outputs, false);
    }
    out.dimensions = dims;
    out.per_tier = db.perTier.map((t) => ({
      tier: t.tier,
      queries: t.queries,
      points: t.points,
      update_every: t.updateEvery,
      first_entry: this.time(t.first),
      last_entry: this.time(t.last),
    }));
    return out;
  }

  private view(): JsonObject {
    const r = this.r;
    const v = r.view;
    const out: JsonObject = {};
    if (r.contexts.length === 1) {
      out.title = r.contexts[0].title;
    } else if (r.contexts.length > 1) {
      out.title = `Chart for contexts: ${r.contexts.map((c) => c.id).join(', ')}`;
    }
    out.update_every = v.updateEvery;
    out.after = this.time(v.viewAfter);
    out.before = this.time(v.viewBefore);
    if (r.options.has('debug')) {
      const options = [...r.options];
      if (r.absolute && !options.includes('absolute')) {
        options.push('absolute');
      }
      out.format = 'json2';
      out.options = options;
      out.time_group = r.timeGrouping.name;
      out.partial_data_trimming = {
        max_update_every: r.trimming.maxUpdateEvery,
        expected_after: r.trimming.expectedAfter,
        trimmed_after: r.trimming.trimmedAfter,
      };
    }
    if (r.contexts.length > 0) {
      this.put(out, 'units', r.percentUnits ? '%' : this.units());
      out.chart_type = r.contexts[0].chartType;
    }
    const dims: JsonObject = {
      grouped_by: r.groupedBy,
      ids: r.outputs.map((o) => o.id),
      names: r.outputs.map((o) => o.name),
    };
    if (r.outputs.length > 0) {
      dims.units = r.outputs.map((o) => o.units);
      dims.priorities = r.outputs.map((o) => o.priority);
      dims.aggregated = r.outputs.map((o) => o.members.length);
      dims[this.k('sts')] = this.stsArrays(r.outputs, true);
      if (r.options.has('group-by-labels')) {
        dims.labels = this.groupByLabels();
      }
    }
    out.dimensions = dims;
    let min = Infinity;
    let max = -Infinity;
    for (const o of r.outputs) {
      for (const value of o.values) {
        if (value !== null) {
          min = Math.min(min, value);
          max = Math.max(max, value);
        }
      }
    }
    out.min = Number.isFinite(min) ? num(min) : null;
    out.max = Number.isFinite(max) ? num(max) : null;
    return out;
  }

  /** Option group-by-labels: per label key, the values folded into each output dimension. */
  private groupByLabels(): JsonObject {
    const outputs = this.r.outputs;
    const keys = labelKeysOf(outputs.flatMap((o) => o.members.map((m) => m.instance)));
    const out: JsonObject = {};
    for (const key of keys) {
      out[key] = outputs.map((o) => {
        const values: string[] = [];
        for (const m of o.members) {
          const value = m.instance.labels[key];
          if (value !== undefined && !values.includes(value)) {
            values.push(value);
          }
        }
        return values.length > 0 ? values : null;
      });
    }
    return out;
  }

  private agents(): Json[] {
    const timings = { prep_ms: 0, query_ms: 0, output_ms: 0, total_ms: 0, cloud_ms: 0 };
    const entry = (node: NodeDef, ai: number): JsonObject => ({
      mg: node.mg,
      nd: node.nd ?? null,
      nm: node.nm,
      now: this.time(this.ctx.wallSec),
      ai,
      timings,
    });
    if (this.ctx.agents === 'per-node') {
      return this.r.nodes.map((n, i) => entry(n, i));
    }
    return [entry(this.ctx.agentNode, 0)];
  }

  render(): JsonObject {
    const r = this.r;
    const doc: JsonObject = { api: this.ctx.api };
    if (r.options.has('debug')) {
      doc.id = `fake-${r.view.viewAfter}-${r.view.viewBefore}-${r.view.updateEvery}`;
      doc.request = JSON.parse(JSON.stringify(r.request)) as Json;
    }
    if (!this.minimal) {
      doc.versions = versionsObject(this.ctx.nodeCount);
    }
    doc.summary = this.summary();
    if (!this.minimal) {
      doc.totals = this.totals();
      doc.functions = [];
    }
    doc.result = this.result();
    doc.db = this.db();
    doc.view = this.view();
    if (!this.minimal) {
      doc.agents = this.agents();
      doc.timings = { routing_ms: 0, node_max_ms: 0, total_ms: 0 };
    }
    return doc;
  }
}

/** Change-detection hashes: constant for the fake's fixed dataset. */
export function versionsObject(nodeCount: number): JsonObject {
  return {
    routing_hard_hash: 1,
    nodes_hard_hash: nodeCount,
    contexts_hard_hash: 1306,
    contexts_soft_hash: 187,
    alerts_hard_hash: 80,
    alerts_soft_hash: 147,
  };
}

export function renderJson2(result: DataQueryResult, ctx: Json2Context): JsonObject {
  return new Renderer(result, ctx).render();
}

export type { Json, JsonObject };
