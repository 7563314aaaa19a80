// Weights (metric correlations), full-text search and current alerts of the fake agent (netdata-api-extra.md §1–§3),
// computed from the dataset: the same request always gets the same answer.

import type { AlertStatus, Dataset, InstanceDef, Metric, NodeDef } from './dataset';
import { collectedValue, datasetMetrics, tierRetention } from './dataset';
import type { LabelSelector, SimplePattern } from './patterns';
import { compileLabelSelector, compileSimplePattern, matchesAny } from './patterns';
import type { AgentQuery } from './queryString';
import { parseAgentInt, splitWords } from './queryString';
import { isRelative } from './window';

type Json = Record<string, unknown>;

const TIMINGS = { routing_ms: 0, node_max_ms: 0, total_ms: 0.5 };

export type InsightAnswer = { status: number; body: Json } | { status: number; text: string };

function nodeForms(node: NodeDef): string[] {
  return node.nd ? [node.nm, node.mg, node.nd] : [node.nm, node.mg];
}

function nodeEntry(node: NodeDef, ni: number, withStatus: boolean): Json {
  const o: Json = { mg: node.mg };
  if (node.nd) {
    o.nd = node.nd;
  }
  o.nm = node.nm;
  o.ni = ni;
  if (withStatus) {
    o.st = { ai: 0, code: 200, msg: '', ms: 0.1 };
  }
  return o;
}

interface Scope {
  nodes: SimplePattern | undefined;
  scopeNodes: SimplePattern | undefined;
  contexts: SimplePattern | undefined;
  scopeContexts: SimplePattern | undefined;
  instances?: SimplePattern;
  dimensions?: SimplePattern;
  labels?: LabelSelector;
}

function scopeOf(q: AgentQuery, withSelectors: boolean): Scope {
  const s: Scope = {
    nodes: compileSimplePattern(q.last('nodes')),
    scopeNodes: compileSimplePattern(q.last('scope_nodes')),
    contexts: compileSimplePattern(q.last('contexts')),
    scopeContexts: compileSimplePattern(q.last('scope_contexts')),
  };
  if (withSelectors) {
    s.instances = compileSimplePattern(q.last('instances'));
    s.dimensions = compileSimplePattern(q.last('dimensions'));
    s.labels = compileLabelSelector(q.last('labels'));
  }
  return s;
}

function nodeInScope(s: Scope, node: NodeDef): boolean {
  return matchesAny(s.nodes, nodeForms(node)) && matchesAny(s.scopeNodes, nodeForms(node));
}

function instanceInScope(s: Scope, node: NodeDef, inst: InstanceDef): boolean {
  return (
    matchesAny(s.contexts, [inst.context.id]) &&
    matchesAny(s.scopeContexts, [inst.context.id]) &&
    matchesAny(s.instances, [inst.id, inst.name, `${inst.id}@${node.mg}`, `${inst.name}@${node.nm}`]) &&
    (!s.labels || s.labels.matches(inst.labels))
  );
}

// ---- weights (§1)

type Method = 'ks2' | 'volume' | 'anomaly-rate' | 'value';

function methodOf(word: string | undefined): Method {
  if (word === undefined) {
    return 'value'; // the v2/v3 default
  }
  return word === 'volume' || word === 'anomaly-rate' || word === 'value' ? word : 'ks2';
}

/** §2.3 with the weights twist: relative `after` is relative to `before`, and the window starts 1 s later. */
function resolveHighlight(after: number, before: number, now: number): { after: number; before: number } {
  let b = before === 0 ? now : isRelative(before) ? now + before : before;
  let a = after === 0 ? -600 : after;
  a = isRelative(a) ? b + a : a;
  b = Math.min(b, now);
  return { after: a + 1, before: b };
}

interface Sampled {
  values: number[];
}

function samples(m: Metric, after: number, before: number, now: number): Sampled {
  const r = tierRetention(m.node, m.instance, 0, now);
  const ue = m.context.updateEvery;
  const values: number[] = [];
  if (!r) {
    return { values };
  }
  const first = Math.max(r.first, Math.ceil(after / ue) * ue);
  const last = Math.min(r.last, Math.floor(before / ue) * ue);
  for (let t = first; t <= last; t += ue) {
    values.push(collectedValue(m.node, m.instance, m.dimension.id, t));
  }
  return { values };
}

/** Averages `values` into at most `points` buckets (the query at `points` resolution). */
function resample(values: number[], points: number): number[] {
  if (values.length <= points) {
    return values;
  }
  const out: number[] = [];
  const per = values.length / points;
  for (let i = 0; i < points; i++) {
    const slice = values.slice(Math.floor(i * per), Math.floor((i + 1) * per));
    out.push(slice.reduce((s, v) => s + v, 0) / slice.length);
  }
  return out;
}

function diffs(values: number[]): number[] {
  return values.slice(1).map((v, i) => v - values[i]);
}

/** Kolmogorov distribution tail Q(λ) = 2 Σ (−1)^(k−1) e^(−2k²λ²). */
function kolmogorovQ(lambda: number): number {
  if (lambda < 1e-3) {
    return 1;
  }
  let sum = 0;
  for (let k = 1; k <= 100; k++) {
    const term = 2 * (k % 2 === 1 ? 1 : -1) * Math.exp(-2 * k * k * lambda * lambda);
    sum += term;
    if (Math.abs(term) < 1e-12) {
      break;
    }
  }
  return Math.min(1, Math.max(0, sum));
}

/** Two-sample KS probability that both samples come from one distribution. */
function ks2Probability(a: number[], b: number[]): number {
  const x = [...a].sort((p, q) => p - q);
  const y = [...b].sort((p, q) => p - q);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < x.length && j < y.length) {
    const v = Math.min(x[i], y[j]);
    while (i < x.length && x[i] <= v) {
      i++;
    }
    while (j < y.length && y[j] <= v) {
      j++;
    }
    d = Math.max(d, Math.abs(i / x.length - j / y.length));
  }
  const ne = (x.length * y.length) / (x.length + y.length);
  return kolmogorovQ((Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d);
}

function stats(values: number[]): number[] {
  if (values.length === 0) {
    return [0, 0, 0, 0, 0, 0];
  }
  const sum = values.reduce((s, v) => s + v, 0);
  const r = (v: number) => Math.round(v * 1e7) / 1e7;
  return [r(Math.min(...values)), r(sum / values.length), r(Math.max(...values)), r(sum), values.length, 0];
}

function mergeStats(list: number[][]): number[] {
  const withData = list.filter((s) => s[4] > 0);
  if (withData.length === 0) {
    return [0, 0, 0, 0, 0, 0];
  }
  const sum = withData.reduce((s, x) => s + x[3], 0);
  const count = withData.reduce((s, x) => s + x[4], 0);
  return [
    Math.min(...withData.map((s) => s[0])),
    Math.round((sum / count) * 1e7) / 1e7,
    Math.max(...withData.map((s) => s[2])),
    Math.round(sum * 1e7) / 1e7,
    count,
    withData.reduce((s, x) => s + x[5], 0),
  ];
}

interface Scored {
  node: NodeDef;
  inst: InstanceDef;
  metric: Metric;
  raw: number;
  highlight: number[];
  baseline?: number[];
}

/** `GET /api/v2|v3/weights`: one multinode "full" answer (§1.5), or the §1.7 errors. */
export function weightsAnswer(q: AgentQuery, dataset: Dataset, wallSec: number): InsightAnswer {
  const now = wallSec - 1;
  const method = methodOf(q.last('method'));
  const given = splitWords(q.last('options'));
  const options = new Set(
    given.length === 0 ? ['unaligned', 'null2zero', 'nonzero'] : [...given, 'unaligned', 'null2zero']
  );
  const hl = resolveHighlight(
    parseAgentInt(q.lastOf(['after', 'highlight_after'])),
    parseAgentInt(q.lastOf(['before', 'highlight_before'])),
    now
  );
  if (hl.before <= hl.after) {
    return { status: 400, body: { error: 'Invalid selected time-range.' } };
  }
  const duration = hl.before - hl.after;
  const needsBaseline = method === 'ks2' || method === 'volume';
  let points =
    q.lastOf(['points', 'max_points']) === undefined ? 500 : parseAgentInt(q.lastOf(['points', 'max_points']));
  let baseline: { after: number; before: number } | undefined;
  if (needsBaseline) {
    let bb = parseAgentInt(q.last('baseline_before'));
    if (bb <= 94608000) {
      bb += hl.after;
    }
    let ba = parseAgentInt(q.last('baseline_after'));
    ba = ba === 0 ? bb - 600 : isRelative(ba) ? bb + ba : ba;
    if (bb <= ba) {
      return { status: 400, body: { error: 'Invalid baseline time-range.' } };
    }
    let m = Math.max(1, Math.round((bb - ba) / duration));
    let shifts = 0;
    while (1 << shifts < m) {
      shifts++;
    }
    while (shifts > 0 && points << shifts > 10000) {
      shifts--;
    }
    while (points > 10000) {
      points = Math.floor(points / 2);
    }
    if (points < 15) {
      return { status: 400, body: { error: 'Too few points available, at least 15 are needed.' } };
    }
    m = 1 << shifts;
    baseline = { after: bb - duration * m, before: bb };
  }
  const scope = scopeOf(q, true);
  const scored: Scored[] = [];
  let examined = 0;
  for (const node of dataset.nodes) {
    if (!nodeInScope(scope, node)) {
      continue;
    }
    for (const inst of node.instances) {
      if (!instanceInScope(scope, node, inst)) {
        continue;
      }
      for (const metric of datasetMetrics(node, inst)) {
        const dimSelected = scope.dimensions
          ? matchesAny(scope.dimensions, [metric.dimension.id, metric.dimension.name])
          : !metric.dimension.hidden;
        if (!dimSelected) {
          continue;
        }
        examined++;
        const h = samples(metric, hl.after, hl.before, now).values;
        if (h.length === 0) {
          continue;
        }
        let raw: number;
        let b: number[] | undefined;
        if (method === 'value') {
          raw = Math.abs(h.reduce((s, v) => s + v, 0) / h.length);
        } else if (method === 'anomaly-rate') {
          // The fake runs without ML (capability ml disabled): every anomaly bit is 0, so is every rate (rule 6).
          raw = 0;
        } else {
          b = samples(metric, baseline!.after, baseline!.before, now).values;
          if (method === 'ks2') {
            const hd = diffs(resample(h, points));
            const bd = diffs(resample(b, points << Math.log2((baseline!.before - baseline!.after) / duration)));
            if (hd.length < 2 || bd.length < 2) {
              continue;
            }
            raw = 1 - ks2Probability(hd, bd);
          } else {
            const abs = (list: number[]) => list.map(Math.abs);
            const hv = abs(h);
            const bv = abs(b);
            if (bv.length === 0) {
              continue;
            }
            const bAvg = bv.reduce((s, v) => s + v, 0) / bv.length;
            const hAvg = hv.reduce((s, v) => s + v, 0) / hv.length;
            if (hAvg === bAvg) {
              continue;
            }
            const c = hv.filter((v) => (hAvg > bAvg ? v > bAvg : v < bAvg)).length / hv.length;
            raw = bAvg !== 0 ? Math.abs((hAvg - bAvg) / bAvg) * c : c;
          }
        }
        scored.push({
          node,
          inst,
          metric,
          raw: Math.abs(raw),
          highlight: stats(h),
          ...(b ? { baseline: stats(b) } : {}),
        });
      }
    }
  }
  // `nonzero` drops results whose raw number is 0 when they are registered, before the re-ranking (§1.2, §1.3).
  const registered = options.has('nonzero') ? scored.filter((s) => s.raw !== 0) : scored;
  // Re-ranking (§1.2) unless raw; `value` is never re-ranked.
  const rerank = method !== 'value' && !options.has('raw');
  const distinct = [...new Set(registered.map((s) => s.raw))].sort((a, b) => a - b);
  const weightOf = (raw: number) => (rerank ? 1 - distinct.filter((v) => v <= raw).length / distinct.length : raw);
  const kept = registered.map((s) => ({ ...s, weight: Math.round(weightOf(s.raw) * 1e7) / 1e7 }));

  const dictNodes: Json[] = [];
  const dictContexts: Json[] = [];
  const dictInstances: Json[] = [];
  const dictDimensions: Json[] = [];
  const index = <K>(map: Map<K, number>, key: K, add: (i: number) => void): number => {
    let i = map.get(key);
    if (i === undefined) {
      i = map.size;
      map.set(key, i);
      add(i);
    }
    return i;
  };
  const nis = new Map<NodeDef, number>();
  const cis = new Map<string, number>();
  const iis = new Map<string, number>();
  const dis = new Map<string, number>();
  const result: unknown[][] = [];
  const withBaseline = needsBaseline;
  // Dimension rows of an instance, then the instance, then the context and node rows when they change (§1.5).
  const flush = (type: number, ni: number, ci: number | null, ii: number | null, group: typeof kept) => {
    if (group.length === 0) {
      return;
    }
    const avg = group.reduce((s, g) => s + g.weight, 0) / group.length;
    const row: unknown[] = [
      type,
      ni,
      ci,
      ii,
      null,
      Math.round(avg * 1e7) / 1e7,
      mergeStats(group.map((g) => g.highlight)),
    ];
    if (withBaseline) {
      row.push(mergeStats(group.map((g) => g.baseline ?? [0, 0, 0, 0, 0, 0])));
    }
    result.push(row);
  };
  let nodeGroup: typeof kept = [];
  let contextGroup: typeof kept = [];
  let instanceGroup: typeof kept = [];
  let last: { ni: number; ci: number; ii: number } | undefined;
  for (const s of kept) {
    const ni = index(nis, s.node, (i) => dictNodes.push(nodeEntry(s.node, i, true)));
    const ci = index(cis, s.inst.context.id, (i) =>
      dictContexts.push({ id: s.inst.context.id, units: s.inst.context.units, ci: i })
    );
    const ii = index(iis, `${s.node.mg}|${s.inst.id}`, (i) =>
      dictInstances.push(
        s.inst.name !== s.inst.id ? { id: s.inst.id, nm: s.inst.name, ii: i } : { id: s.inst.id, ii: i }
      )
    );
    const d = s.metric.dimension;
    const di = index(dis, `${d.id}|${d.name}`, (i) =>
      dictDimensions.push(d.name !== d.id ? { id: d.id, nm: d.name, di: i } : { id: d.id, di: i })
    );
    if (last && last.ii !== ii) {
      flush(1, last.ni, last.ci, last.ii, instanceGroup);
      instanceGroup = [];
    }
    if (last && (last.ci !== ci || last.ni !== ni)) {
      flush(2, last.ni, last.ci, null, contextGroup);
      contextGroup = [];
    }
    if (last && last.ni !== ni) {
      flush(3, last.ni, null, null, nodeGroup);
      nodeGroup = [];
    }
    const row: unknown[] = [0, ni, ci, ii, di, s.weight, s.highlight];
    if (withBaseline) {
      row.push(s.baseline ?? [0, 0, 0, 0, 0, 0]);
    }
    result.push(row);
    instanceGroup.push(s);
    contextGroup.push(s);
    nodeGroup.push(s);
    last = { ni, ci, ii };
  }
  if (last) {
    flush(1, last.ni, last.ci, last.ii, instanceGroup);
    flush(2, last.ni, last.ci, null, contextGroup);
    flush(3, last.ni, null, null, nodeGroup);
  }
  const echoed = [...options];
  const view: Json = {
    format: 'full',
    time_group: q.last('time_group') ?? 'average',
    window: { after: hl.after, before: hl.before, duration, points: needsBaseline ? points : 0 },
  };
  const request: Json = {
    method,
    options: echoed,
    scope: {
      scope_nodes: q.last('scope_nodes') ?? '*',
      scope_contexts: q.last('scope_contexts') ?? '*',
      scope_instances: '*',
      scope_labels: '*',
    },
    window: { after: hl.after, before: hl.before, points: needsBaseline ? points : 0, tier: null },
    timeout: 300000,
  };
  if (baseline) {
    request.baseline = { baseline_after: baseline.after, baseline_before: baseline.before };
    view.baseline = {
      after: baseline.after,
      before: baseline.before,
      duration: baseline.before - baseline.after,
      points: points * ((baseline.before - baseline.after) / duration),
    };
  }
  return {
    status: 200,
    body: {
      api: 2,
      request,
      view,
      db: {
        db_queries: examined,
        query_result_points: 0,
        binary_searches: 0,
        db_points_read: 0,
        db_points_per_tier: [0, 0, 0],
      },
      schema: { type: 'array', items: [] },
      result,
      dictionaries: { nodes: dictNodes, contexts: dictContexts, instances: dictInstances, dimensions: dictDimensions },
      agents: [
        { mg: dataset.nodes[0].mg, nd: dataset.nodes[0].nd ?? null, nm: dataset.nodes[0].nm, now: wallSec, ai: 0 },
      ],
      correlated_dimensions: kept.length,
      total_dimensions_count: examined,
    },
  };
}

// ---- q (§2)

function qPattern(text: string | undefined, substring: boolean): ((s: string) => boolean) | undefined {
  if (text === undefined) {
    return undefined;
  }
  const pattern = compileSimplePattern(text.toLowerCase());
  if (!pattern) {
    return undefined;
  }
  if (!substring) {
    return (s) => pattern.matches(s.toLowerCase());
  }
  // ≥ v2.6: each item matches as a substring (`*` and `!` still work).
  const sub = compileSimplePattern(
    text
      .toLowerCase()
      .split(/[,|\t\r\n]/)
      .filter((i) => i !== '')
      .map((i) => (i.startsWith('!') ? `!*${i.slice(1)}*` : `*${i}*`))
      .join('|')
  );
  return (s) => sub!.matches(s.toLowerCase());
}

/** `GET /api/v2|v3/q` (≥ v2.6 shape when `v26`, else the ≤ v2.5 `match` word shape). */
export function searchAnswer(q: AgentQuery, dataset: Dataset, v26: boolean, wallSec: number): InsightAnswer {
  const match = qPattern(q.last('q'), v26);
  const scope = scopeOf(q, false);
  const nodes: NodeDef[] = [];
  const contexts: Record<string, Json> = {};
  for (const node of dataset.nodes) {
    if (!nodeInScope(scope, node)) {
      continue;
    }
    let any = false;
    for (const inst of node.instances) {
      if (!instanceInScope(scope, node, inst)) {
        continue;
      }
      const c = inst.context;
      const entry = (contexts[c.id] ??= { matched: [] as string[] });
      const matched = entry.matched as string[];
      const add = (kind: string) => {
        if (!matched.includes(kind)) {
          matched.push(kind);
        }
      };
      if (match === undefined) {
        add('id');
      } else {
        if (match(c.id)) {
          add('id');
        }
        if (match(c.title)) {
          add('title');
          entry.title = c.title;
        }
        if (match(c.family)) {
          add('families');
          entry.family = c.family;
        }
        if (match(c.units)) {
          add('units');
          entry.units = c.units;
        }
        if (match(inst.id) || match(inst.name)) {
          add('instances');
          const list = ((entry.instances as string[]) ??= []);
          if (!list.includes(inst.name)) {
            list.push(inst.name);
          }
        }
        for (const d of c.dimensions) {
          if (match(d.id) || match(d.name)) {
            add('dimensions');
            const list = ((entry.dimensions as string[]) ??= []);
            if (!list.includes(d.name)) {
              list.push(d.name);
            }
          }
        }
        for (const [k, v] of Object.entries(inst.labels)) {
          if (match(k) || match(v)) {
            add('labels');
            const labels = ((entry.labels as Record<string, string[]>) ??= {});
            const values = (labels[k] ??= []);
            if (!values.includes(v)) {
              values.push(v);
            }
          }
        }
      }
      if (matched.length === 0) {
        continue;
      }
      any = true;
    }
    if (any) {
      nodes.push(node);
    }
  }
  for (const [id, entry] of Object.entries(contexts)) {
    if ((entry.matched as string[]).length === 0) {
      delete contexts[id];
    } else if (!v26) {
      // ≤ v2.5: one `match` word and the catalogue fields (§2.2).
      const kind = (entry.matched as string[])[0];
      const words: Record<string, string> = {
        id: 'CONTEXT',
        title: 'TITLE',
        families: 'FAMILY',
        units: 'UNITS',
        instances: 'INSTANCE',
        dimensions: 'DIMENSION',
        labels: 'LABEL',
      };
      const c = dataset.contexts.find((x) => x.id === id)!;
      contexts[id] = {
        family: c.family,
        priority: c.priority,
        first_entry: 0,
        last_entry: wallSec - 1,
        live: true,
        match: words[kind],
      };
    } else {
      const ordered: Json = {};
      for (const key of ['title', 'family', 'units', 'matched', 'instances', 'dimensions', 'labels']) {
        if (entry[key] !== undefined) {
          ordered[key] = entry[key];
        }
      }
      contexts[id] = ordered;
    }
  }
  return {
    status: 200,
    body: {
      api: 2,
      nodes: nodes.map((n, i) => nodeEntry(n, i, true)),
      contexts,
      searches: { strings: 100, char: 0, total: 100 },
      agents: [
        { mg: dataset.nodes[0].mg, nd: dataset.nodes[0].nd ?? null, nm: dataset.nodes[0].nm, now: wallSec, ai: 0 },
      ],
      timings: TIMINGS,
    },
  };
}

// ---- alerts (§3)

const STATUS_WORDS: Record<string, AlertStatus[]> = {
  uninitialized: ['UNINITIALIZED'],
  undefined: ['UNDEFINED'],
  clear: ['CLEAR'],
  raised: ['WARNING', 'CRITICAL'],
  active: ['WARNING', 'CRITICAL'],
  warning: ['WARNING'],
  critical: ['CRITICAL'],
};

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  }
  return h;
}

/** `GET /api/v2|v3/alerts`: nothing about alerts without options (§3.1); `instances`/`values` add the instances. */
export function alertsAnswer(q: AgentQuery, dataset: Dataset, wallSec: number): InsightAnswer {
  const options = new Set(splitWords(q.last('options')));
  const statuses = new Set(splitWords(q.last('status')).flatMap((w) => STATUS_WORDS[w.toLowerCase()] ?? []));
  const alertName = compileSimplePattern(q.last('alert'));
  const scope = scopeOf(q, false);
  const contextFiltered = scope.contexts !== undefined || scope.scopeContexts !== undefined;
  const nodes: Json[] = [];
  const instances: Json[] = [];
  for (const node of dataset.nodes) {
    if (!nodeInScope(scope, node)) {
      continue;
    }
    const ni = nodes.length;
    let matchedHere = false;
    for (const inst of node.instances) {
      if (!instanceInScope(scope, node, inst)) {
        continue;
      }
      for (const a of inst.alerts) {
        if ((statuses.size > 0 && !statuses.has(a.status)) || (alertName && !alertName.matches(a.name))) {
          continue;
        }
        matchedHere = true;
        const h = hash(`${node.mg}|${inst.id}|${a.name}`);
        const value = Math.round((h % 10000) / 100) / 1;
        const o: Json = { ni, nm: a.name, ch: inst.id, ch_n: inst.name };
        if (options.has('instances')) {
          Object.assign(o, {
            gi: (wallSec - 600 - (h % 3000)) * 1e6,
            ctx: inst.context.id,
            st: a.status,
            fami: inst.context.family,
            info: `${a.name} of ${inst.name}`,
            sum: `${a.name.replace(/_/g, ' ')} on ${node.nm}`,
            units: inst.context.units === 'percentage' ? '%' : inst.context.units,
            tr_i: '00000000-0000-4000-8000-' + h.toString(16).padStart(12, '0').slice(0, 12),
            tr_v: value,
            tr_t: wallSec - 600 - (h % 3000),
            src: '1@/usr/lib/netdata/conf.d/health.d/fake.conf',
            to: 'sysadmin',
            tp: 'System',
            cm: inst.context.family,
            cl: 'Utilization',
          });
        }
        if (options.has('values')) {
          o.v = value;
          o.t = wallSec - 1;
        }
        instances.push(o);
      }
    }
    if (!contextFiltered || matchedHere) {
      nodes.push(nodeEntry(node, ni, false));
    }
  }
  const body: Json = { api: 2, nodes };
  if (options.has('instances') || options.has('values')) {
    body.alert_instances = instances;
  }
  body.timings = TIMINGS;
  return { status: 200, body };
}
