// The data query engine (netdata-api.md §3): scope and selectors, window, tier choice, time grouping per series,
// then up to two grouping passes (`group_by` + `aggregation`) into output dimensions.

import type { ContextDef, Dataset, InstanceDef, Metric, NodeDef, StoredPoint } from './dataset';
import { TIERS, datasetMetrics, storedPoint, tierRetention, tierUpdateEvery } from './dataset';
import type { DataRequest, GroupingPass } from './dataRequest';
import type { LabelSelector, SimplePattern } from './patterns';
import { compileLabelSelector, compileSimplePattern, matchesAny } from './patterns';
import { splitWords } from './queryString';
import type { TimeGrouping } from './timeGroup';
import { parseTimeGroup } from './timeGroup';
import type { AgentVersion } from './version';
import { atLeast } from './version';
import type { ViewWindow } from './window';
import { computeDataView, rowTimestamps } from './window';

export interface EngineContext {
  dataset: Dataset;
  version: AgentVersion;
  /** Wall clock, whole seconds. The agent's *now* is one second earlier (§2.3). */
  wallSec: number;
}

/** Point annotation bits (§3.6). */
export const PA_EMPTY = 1;
export const PA_RESET = 2;
export const PA_PARTIAL = 4;

const OPTION_ALIASES: Record<string, string> = {
  reversed: 'flip',
  reverse: 'flip',
  milliseconds: 'ms',
  abs: 'absolute',
  absolute_sum: 'absolute',
  'absolute-sum': 'absolute',
  match_ids: 'match-ids',
  match_names: 'match-names',
  display_absolute: 'display-absolute',
  plan: 'debug',
  minimal: 'minimal-stats',
  'long-keys': 'long-json-keys',
};
const OPTIONS_SINCE_2_6 = new Set(['minimal-stats', 'long-json-keys', 'mcp-info', 'rfc3339']);

/** Resolves aliases and drops options the agent version does not know. */
export function normalizeOptions(words: string[], version: AgentVersion): Set<string> {
  const set = new Set<string>();
  for (const word of words) {
    const canonical = OPTION_ALIASES[word] ?? word;
    if (OPTIONS_SINCE_2_6.has(canonical) && !atLeast(version, 2, 6)) {
      continue;
    }
    set.add(canonical);
  }
  if (set.has('debug')) {
    set.delete('minify');
  }
  return set;
}

export interface MetricStats {
  min: number;
  max: number;
  sum: number;
  count: number;
}

export interface ScopedMetric extends Metric {
  /** Index of the node in `summary.nodes`. */
  ni: number;
  selected: boolean;
  /** Selected, or a not-selected dimension of a selected instance queried as a percentage denominator. */
  queried: boolean;
  tier: number;
  /** Per row, oldest first. */
  values: Array<number | null>;
  /** Over the stored points the query read, as queried (signs kept unless absolute). */
  stats?: MetricStats;
  /** Same with absolute values: the summary statistics are always absolute. */
  absStats?: MetricStats;
  pointsRead: number;
}

export interface ScopedInstance {
  node: NodeDef;
  ni: number;
  instance: InstanceDef;
  metrics: ScopedMetric[];
}

interface AttrValue {
  id: string;
  name: string;
}

/** What an id/name is composed from (§3.4). */
interface SeriesAttrs {
  dimension: AttrValue;
  instance: AttrValue;
  instanceNode: AttrValue;
  labels: Record<string, AttrValue | undefined>;
  node: AttrValue;
  context: AttrValue;
  units: AttrValue;
}

export interface OutputDimension {
  id: string;
  name: string;
  /** `view.dimensions.units[]` ('%' for percentage outputs). */
  units: string;
  /** `db.dimensions.units[]`: the context units. */
  dbUnits: string;
  priority: number;
  /** Source metrics folded into it (selected ones). */
  members: ScopedMetric[];
  values: Array<number | null>;
  pa: number[];
  /** Number of source series with a value, per row. */
  contributors: number[];
  attrs: SeriesAttrs;
}

export interface TierUsage {
  tier: number;
  queries: number;
  points: number;
  updateEvery: number;
  first: number;
  last: number;
}

export interface DbInfo {
  updateEvery: number;
  firstEntry: number;
  lastEntry: number;
  perTier: TierUsage[];
}

export interface PartialTrimming {
  maxUpdateEvery: number;
  expectedAfter: number;
  trimmedAfter: number;
}

export interface DataQueryResult {
  request: DataRequest;
  options: Set<string>;
  absolute: boolean;
  /** Output values are percentages (option percentage, aggregation percentage, percentage-of-instance). */
  percentUnits: boolean;
  nodes: NodeDef[];
  instances: ScopedInstance[];
  metrics: ScopedMetric[];
  contexts: ContextDef[];
  view: ViewWindow;
  /** Timestamps (seconds), oldest first, after trimming. */
  rows: number[];
  outputs: OutputDimension[];
  /** All outputs before `nonzero` hid some. */
  groupedBy: string[];
  timeGrouping: TimeGrouping;
  aggregations: string[];
  /** `undefined` when nothing is in scope (the §8.3 shape). */
  db: DbInfo | undefined;
  trimming: PartialTrimming;
  now: number;
}

// ---- grouping configuration

const GROUP_WORDS = [
  'dimension',
  'instance',
  'node',
  'label',
  'context',
  'units',
  'percentage-of-instance',
  'selected',
];

export interface PassConfig {
  words: Set<string>;
  labelKeys: string[];
  aggregation: string;
  /** The pass as requested did not include `dimension` (forces `absolute`). */
  withoutDimension: boolean;
}

export function parseAggregation(word: string | undefined, version: AgentVersion): string {
  switch (word) {
    case 'avg':
    case 'average':
      return 'average';
    case 'sum':
    case 'min':
    case 'max':
    case 'percentage':
      return word;
    case 'extremes':
      return atLeast(version, 2, 6) ? 'extremes' : 'average';
    default:
      return 'average';
  }
}

export function parsePass(pass: GroupingPass, version: AgentVersion): PassConfig {
  let words = new Set(splitWords(pass.groupBy).filter((w) => GROUP_WORDS.includes(w)));
  const labelKeys = (pass.groupByLabel ?? '')
    .split(/[,|]/)
    .filter((k) => k.length > 0)
    .slice(0, 10);
  if (words.size === 0) {
    words.add('dimension');
  }
  if (labelKeys.length > 0) {
    words.add('label');
  }
  if (words.has('selected')) {
    words = new Set(['selected']);
  } else if (words.has('percentage-of-instance')) {
    words = new Set(['percentage-of-instance']);
  }
  const withoutDimension = !words.has('dimension');
  if (words.has('label') && labelKeys.length === 0) {
    words.delete('label');
    if (words.size === 0) {
      words.add('dimension');
    }
  }
  return { words, labelKeys, aggregation: parseAggregation(pass.aggregation, version), withoutDimension };
}

export function groupedByStrings(pass: PassConfig): string[] {
  if (pass.words.has('selected')) {
    return ['selected'];
  }
  if (pass.words.has('percentage-of-instance')) {
    return ['percentage-of-instance'];
  }
  const out: string[] = [];
  for (const word of ['dimension', 'instance', 'label', 'node', 'context', 'units']) {
    if (!pass.words.has(word)) {
      continue;
    }
    if (word === 'label') {
      out.push(...pass.labelKeys.map((k) => `label:${k}`));
    } else {
      out.push(word);
    }
  }
  return out;
}

function compose(pass: PassConfig, attrs: SeriesAttrs): AttrValue {
  const w = pass.words;
  if (w.has('selected')) {
    return { id: 'selected', name: 'selected' };
  }
  if (w.has('percentage-of-instance')) {
    return {
      id: `${attrs.instance.id}@${attrs.instanceNode.id}`,
      name: `${attrs.instance.name}@${attrs.instanceNode.name}`,
    };
  }
  const ids: string[] = [];
  const names: string[] = [];
  const push = (v: AttrValue): void => {
    ids.push(v.id);
    names.push(v.name);
  };
  if (w.has('dimension')) {
    push(attrs.dimension);
  }
  if (w.has('instance')) {
    if (w.has('node')) {
      push(attrs.instance);
    } else {
      push({
        id: `${attrs.instance.id}@${attrs.instanceNode.id}`,
        name: `${attrs.instance.name}@${attrs.instanceNode.name}`,
      });
    }
  }
  if (w.has('label')) {
    for (const key of pass.labelKeys) {
      push(attrs.labels[key] ?? { id: '[unset]', name: '[unset]' });
    }
  }
  if (w.has('node')) {
    push(attrs.node);
  }
  if (w.has('context')) {
    push(attrs.context);
  }
  if (w.has('units')) {
    push(attrs.units);
  }
  return { id: ids.join(','), name: names.join(',') };
}

function sourceAttrs(m: ScopedMetric, percentUnits: boolean): SeriesAttrs {
  const labels: Record<string, AttrValue | undefined> = {};
  for (const [k, v] of Object.entries(m.instance.labels)) {
    labels[k] = { id: v, name: v };
  }
  const units = percentUnits ? '%' : m.context.units;
  return {
    // Output ids use the dimension *name* (§3.4).
    dimension: { id: m.dimension.name, name: m.dimension.name },
    instance: { id: m.instance.id, name: m.instance.name },
    instanceNode: { id: m.node.mg, name: m.node.nm },
    labels,
    node: { id: m.node.mg, name: m.node.nm },
    context: { id: m.context.id, name: m.context.id },
    units: { id: units, name: units },
  };
}

/** Attributes of a pass-0 output seen by pass 1: uniform values are kept, mixed ones become the output's id/name. */
function mergedAttrs(members: SeriesAttrs[], own: AttrValue): SeriesAttrs {
  const pick = (get: (a: SeriesAttrs) => AttrValue | undefined): AttrValue | undefined => {
    const first = get(members[0]);
    const uniform = members.every((a) => {
      const v = get(a);
      return v?.id === first?.id && v?.name === first?.name;
    });
    return uniform ? first : own;
  };
  const labelKeys = new Set(members.flatMap((a) => Object.keys(a.labels)));
  const labels: Record<string, AttrValue | undefined> = {};
  for (const key of labelKeys) {
    labels[key] = pick((a) => a.labels[key]);
  }
  return {
    dimension: pick((a) => a.dimension) ?? own,
    instance: pick((a) => a.instance) ?? own,
    instanceNode: pick((a) => a.instanceNode) ?? own,
    labels,
    node: pick((a) => a.node) ?? own,
    context: pick((a) => a.context) ?? own,
    units: pick((a) => a.units) ?? own,
  };
}

// ---- per-series time grouping

function absPoint(p: StoredPoint): StoredPoint {
  if (p.max <= 0) {
    return { t: p.t, value: -p.value, min: -p.max, max: -p.min, sum: -p.sum, count: p.count };
  }
  if (p.min < 0) {
    return {
      t: p.t,
      value: Math.abs(p.value),
      min: 0,
      max: Math.max(-p.min, p.max),
      sum: Math.abs(p.sum),
      count: p.count,
    };
  }
  return p;
}

function addStats(stats: MetricStats | undefined, p: StoredPoint): MetricStats {
  if (!stats) {
    return { min: p.min, max: p.max, sum: p.sum, count: p.count };
  }
  if (p.min < stats.min) {
    stats.min = p.min;
  }
  if (p.max > stats.max) {
    stats.max = p.max;
  }
  stats.sum += p.sum;
  stats.count += p.count;
  return stats;
}

interface SeriesQuery {
  metric: ScopedMetric;
  tier: number;
  absolute: boolean;
  rows: number[];
  group: number;
  grouping: TimeGrouping;
  now: number;
}

/** Fills `values`, `stats`, `absStats`, `pointsRead` of one series. */
function querySeries(q: SeriesQuery): void {
  const m = q.metric;
  const retention = tierRetention(m.node, m.instance, q.tier, q.now);
  m.values = [];
  m.pointsRead = 0;
  if (!retention) {
    m.values = q.rows.map(() => null);
    return;
  }
  const tue = retention.updateEvery;
  const read = (t: number): StoredPoint => storedPoint(m, q.tier, t, q.now);
  for (const T of q.rows) {
    const from = T - q.group;
    const points: StoredPoint[] = [];
    const firstGrid = Math.max(Math.floor(from / tue) * tue + tue, retention.first);
    for (let s = firstGrid; s <= Math.min(T, retention.last); s += tue) {
      const p = read(s);
      if (p.count > 0) {
        points.push(p);
      }
    }
    if (points.length === 0 && q.group < tue) {
      // A point narrower than the stored interval: interpolate at its end between the surrounding stored points.
      const s0 = Math.floor(T / tue) * tue;
      const s1 = s0 + tue;
      if (s0 >= retention.first && s1 <= retention.last) {
        const p0 = read(s0);
        const p1 = read(s1);
        const v = p0.value + ((p1.value - p0.value) * (T - s0)) / tue;
        if (Number.isFinite(v)) {
          points.push({ t: T, value: v, min: v, max: v, sum: v, count: 1 });
        }
      }
    }
    m.pointsRead += points.length;
    const used = q.absolute ? points.map(absPoint) : points;
    for (const p of used) {
      m.stats = addStats(m.stats, p);
      m.absStats = addStats(m.absStats, q.absolute ? p : absPoint(p));
    }
    const v = q.grouping.reduce(used);
    m.values.push(v === null || !Number.isFinite(v) ? null : v);
  }
}

function hasStoredPointIn(m: ScopedMetric, after: number, before: number, now: number): boolean {
  const r = tierRetention(m.node, m.instance, m.tier, now);
  if (!r) {
    return false;
  }
  const first = Math.max(Math.ceil(after / r.updateEvery) * r.updateEvery, r.first);
  return first <= Math.min(before, r.last);
}

// ---- aggregation across series

function aggregateValues(kind: string, values: number[]): number {
  switch (kind) {
    case 'sum':
    case 'percentage':
      return values.reduce((a, b) => a + b, 0);
    case 'min':
      return Math.min(...values);
    case 'max':
      return Math.max(...values);
    case 'extremes':
      return values.reduce((best, v) => (Math.abs(v) > Math.abs(best) ? v : best), values[0]);
    default:
      return values.reduce((a, b) => a + b, 0) / values.length;
  }
}

interface Group {
  key: string;
  label: AttrValue;
  sources: Array<{ values: Array<number | null>; pa?: number[]; contributors?: number[]; attrs: SeriesAttrs }>;
  members: ScopedMetric[];
  denominators: Set<ScopedMetric>;
}

function sumRow(series: ScopedMetric[], row: number): { sum: number; any: boolean } {
  let sum = 0;
  let any = false;
  for (const s of series) {
    const v = s.values[row];
    if (v !== null && v !== undefined) {
      sum += v;
      any = true;
    }
  }
  return { sum, any };
}

function finishGroup(
  g: Group,
  pass: PassConfig,
  rowCount: number,
  percentUnits: boolean,
  firstPass: boolean
): OutputDimension {
  const values: Array<number | null> = [];
  const pa: number[] = [];
  const contributors: number[] = [];
  const ratio =
    (pass.aggregation === 'percentage' || pass.words.has('percentage-of-instance')) && g.denominators.size > 0;
  for (let r = 0; r < rowCount; r++) {
    const present: number[] = [];
    let flags = 0;
    let count = 0;
    for (const s of g.sources) {
      const v = s.values[r];
      if (v !== null && v !== undefined) {
        present.push(v);
      }
      flags |= (s.pa?.[r] ?? 0) & PA_PARTIAL;
      count += s.contributors ? s.contributors[r] : v === null ? 0 : 1;
    }
    contributors.push(count);
    if (present.length === 0) {
      values.push(null);
      pa.push(PA_EMPTY);
      continue;
    }
    if (present.length < g.sources.length) {
      flags |= PA_PARTIAL;
    }
    let value: number | null;
    if (ratio && firstPass) {
      const selected = present.reduce((a, b) => a + b, 0);
      const hidden = sumRow([...g.denominators], r).sum;
      value = selected + hidden === 0 ? null : (selected * 100) / (selected + hidden);
    } else {
      value = aggregateValues(pass.aggregation, present);
    }
    values.push(value);
    pa.push(flags);
  }
  const first = g.members[0];
  return {
    id: g.label.id,
    name: g.label.name,
    units: percentUnits ? '%' : first.context.units,
    dbUnits: first.context.units,
    priority: Math.min(...g.members.map((m) => m.dimension.priority)),
    members: g.members,
    values,
    pa,
    contributors,
    attrs: mergedAttrs(
      g.sources.map((s) => s.attrs),
      g.label
    ),
  };
}

// ---- selection

interface Selectors {
  scopeNodes?: SimplePattern;
  scopeContexts?: SimplePattern;
  scopeInstances?: SimplePattern;
  scopeLabels?: LabelSelector;
  scopeDimensions?: SimplePattern;
  nodes?: SimplePattern;
  contexts?: SimplePattern;
  instances?: SimplePattern;
  labels?: LabelSelector;
  dimensions?: SimplePattern;
  alerts?: SimplePattern;
}

function nodeForms(node: NodeDef): string[] {
  return node.nd ? [node.nm, node.mg, node.nd] : [node.nm, node.mg];
}

function instanceForms(node: NodeDef, inst: InstanceDef, options: Set<string>): string[] {
  const ids = [inst.id, `${inst.id}@${node.mg}`, ...(node.nd ? [`${inst.id}@${node.nd}`] : [])];
  const names = [inst.name, `${inst.name}@${node.nm}`];
  if (options.has('match-ids') && !options.has('match-names')) {
    return ids;
  }
  if (options.has('match-names') && !options.has('match-ids')) {
    return names;
  }
  return [...ids, ...names];
}

function dimensionForms(m: Metric, options: Set<string>): string[] {
  if (options.has('match-ids') && !options.has('match-names')) {
    return [m.dimension.id];
  }
  if (options.has('match-names') && !options.has('match-ids')) {
    return [m.dimension.name];
  }
  return [m.dimension.id, m.dimension.name];
}

function alertForms(inst: InstanceDef): string[] {
  return inst.alerts.flatMap((a) => [a.name, `${a.name}:${a.status}`]);
}

/** Contexts in scope, in the dataset's order. */
export function contextsOf(instances: ScopedInstance[], dataset: Dataset): ContextDef[] {
  const ids = new Set(instances.map((i) => i.instance.context.id));
  return dataset.contexts.filter((c) => ids.has(c.id));
}

export function runDataQuery(req: DataRequest, ctx: EngineContext): DataQueryResult {
  const { dataset, version } = ctx;
  const now = ctx.wallSec - 1;
  const options = normalizeOptions(req.options, version);
  const sel: Selectors = {
    scopeNodes: compileSimplePattern(req.scopeNodes ?? req.nodes),
    scopeContexts: compileSimplePattern(req.scopeContexts ?? req.contexts),
    scopeInstances: compileSimplePattern(req.scopeInstances),
    scopeLabels: compileLabelSelector(req.scopeLabels),
    scopeDimensions: compileSimplePattern(req.scopeDimensions),
    nodes: compileSimplePattern(req.nodes),
    contexts: compileSimplePattern(req.contexts),
    instances: compileSimplePattern(req.instances),
    labels: compileLabelSelector(req.labels, req.labelMatching),
    dimensions: compileSimplePattern(req.dimensions),
    alerts: compileSimplePattern(req.alerts),
  };

  const passes = req.passes.map((p) => parsePass(p, version));
  const percentUnits =
    options.has('percentage') ||
    passes.some((p) => p.aggregation === 'percentage' || p.words.has('percentage-of-instance'));
  const absolute = options.has('absolute') || options.has('percentage') || passes.some((p) => p.withoutDimension);
  const needsDenominators =
    options.has('percentage') ||
    passes[0].aggregation === 'percentage' ||
    passes[0].words.has('percentage-of-instance');

  // Scope (the universe: data and metadata) and selection (what is queried).
  const nodes: NodeDef[] = [];
  const instances: ScopedInstance[] = [];
  for (const node of dataset.nodes) {
    if (!matchesAny(sel.scopeNodes, nodeForms(node))) {
      continue;
    }
    const nodeSelected = matchesAny(sel.nodes, nodeForms(node));
    const ni = nodes.length;
    const scoped: ScopedInstance[] = [];
    for (const inst of node.instances) {
      const forms = instanceForms(node, inst, options);
      if (
        !matchesAny(sel.scopeContexts, [inst.context.id]) ||
        !matchesAny(sel.scopeInstances, forms) ||
        (sel.scopeLabels && !sel.scopeLabels.matches(inst.labels))
      ) {
        continue;
      }
      const instSelected =
        nodeSelected &&
        matchesAny(sel.contexts, [inst.context.id]) &&
        matchesAny(sel.instances, forms) &&
        (!sel.labels || sel.labels.matches(inst.labels)) &&
        (!sel.alerts || matchesAny(sel.alerts, alertForms(inst)));
      const metrics: ScopedMetric[] = [];
      for (const metric of datasetMetrics(node, inst)) {
        const dimForms = dimensionForms(metric, options);
        if (!matchesAny(sel.scopeDimensions, dimForms)) {
          continue;
        }
        const dimSelected = sel.dimensions ? matchesAny(sel.dimensions, dimForms) : !metric.dimension.hidden;
        const selected = instSelected && dimSelected;
        metrics.push({ ...metric, ni, selected, queried: selected, tier: 0, values: [], pointsRead: 0 });
      }
      if (metrics.length === 0) {
        continue;
      }
      if (needsDenominators && metrics.some((m) => m.selected)) {
        for (const m of metrics) {
          m.queried = true;
        }
      }
      scoped.push({ node, ni, instance: inst, metrics });
    }
    if (scoped.length > 0) {
      nodes.push(node);
      instances.push(...scoped);
    }
  }
  const metrics = instances.flatMap((i) => i.metrics);
  const queried = metrics.filter((m) => m.queried);
  const contexts = contextsOf(instances, dataset);

  // Window (§2.3, §3.7), anchored to the retention of what is queried.
  const retentions = queried
    .map((m) => tierRetention(m.node, m.instance, 0, now))
    .filter((r): r is NonNullable<typeof r> => r !== undefined);
  const retention =
    retentions.length > 0
      ? {
          firstEntry: Math.min(...retentions.map((r) => r.first)),
          lastEntry: Math.max(...retentions.map((r) => r.last)),
        }
      : undefined;
  const view = computeDataView({
    after: req.after,
    before: req.before,
    points: req.points,
    unaligned: options.has('unaligned'),
    now,
    retention,
  });
  let rows = rowTimestamps(view);

  // Tier per series: the requested one, else the highest tier whose interval fits in one returned point; when that
  // tier's retention starts after the window, the next tier that reaches back to it (Netdata's planner stitches the
  // tiers instead: the fake reads the whole window from that one tier).
  const grouping = parseTimeGroup(req.timeGroup, req.timeGroupOptions, version);
  for (const m of queried) {
    if (req.tier !== undefined && req.tier >= 0 && req.tier < TIERS) {
      m.tier = req.tier;
    } else {
      let tier = 0;
      for (let k = 1; k < TIERS; k++) {
        if (
          tierUpdateEvery(m.context.updateEvery, k) <= view.updateEvery &&
          tierRetention(m.node, m.instance, k, now)
        ) {
          tier = k;
        }
      }
      const startsAfterWindow = (k: number) =>
        (tierRetention(m.node, m.instance, k, now)?.first ?? Infinity) > view.after;
      if (startsAfterWindow(tier)) {
        for (let k = tier + 1; k < TIERS; k++) {
          if (!startsAfterWindow(k)) {
            tier = k;
            break;
          }
        }
      }
      m.tier = tier;
    }
    querySeries({ metric: m, tier: m.tier, absolute, rows, group: view.updateEvery, grouping, now });
  }

  if (options.has('percentage')) {
    applyPercentageOption(instances, rows.length);
  }

  // Grouping passes.
  let outputs: OutputDimension[] = [];
  const pass0 = passes[0];
  const groups = new Map<string, Group>();
  for (const c of contexts) {
    for (const si of instances) {
      if (si.instance.context.id !== c.id) {
        continue;
      }
      for (const m of si.metrics) {
        if (!m.selected) {
          continue;
        }
        const attrs = sourceAttrs(m, percentUnits);
        const label = compose(pass0, attrs);
        let g = groups.get(label.id);
        if (!g) {
          g = { key: label.id, label, sources: [], members: [], denominators: new Set() };
          groups.set(label.id, g);
        }
        g.sources.push({ values: m.values, attrs });
        g.members.push(m);
        for (const other of si.metrics) {
          if (other.queried && !other.selected) {
            g.denominators.add(other);
          }
        }
      }
    }
  }
  outputs = [...groups.values()].map((g) => finishGroup(g, pass0, rows.length, percentUnits, true));
  if (passes[1]) {
    const pass1 = passes[1];
    const second = new Map<string, Group>();
    for (const o of outputs) {
      const label = compose(pass1, o.attrs);
      let g = second.get(label.id);
      if (!g) {
        g = { key: label.id, label, sources: [], members: [], denominators: new Set() };
        second.set(label.id, g);
      }
      g.sources.push({ values: o.values, pa: o.pa, contributors: o.contributors, attrs: o.attrs });
      g.members.push(...o.members);
    }
    outputs = [...second.values()].map((g) => finishGroup(g, pass1, rows.length, percentUnits, false));
  }

  // A window shorter than the collection interval without any stored point in it returns no rows (§3.7 step 10).
  const maxUe = Math.max(0, ...queried.map((m) => tierUpdateEvery(m.context.updateEvery, m.tier)));
  if (
    queried.length > 0 &&
    view.before - view.after + 1 < maxUe &&
    !queried.some((m) => hasStoredPointIn(m, view.after, view.before, now))
  ) {
    rows = [];
  }

  // Trim newest rows that have fewer contributing series than the row before them (or none), within two collection
  // intervals of `before`; only near *now* is data incomplete, so windows in the past are never trimmed (§3.7 step 9).
  const maxUe0 = Math.max(0, ...queried.map((m) => m.context.updateEvery));
  const expectedAfter = Math.max(view.before, now) - 2 * maxUe0;
  const contributorsAt = (r: number): number => outputs.reduce((a, o) => a + o.contributors[r], 0);
  let keep = rows.length;
  while (keep > 0 && rows[keep - 1] > expectedAfter) {
    const c = contributorsAt(keep - 1);
    const previous = keep > 1 ? contributorsAt(keep - 2) : undefined;
    if (c === 0 || (previous !== undefined && c < previous)) {
      keep--;
    } else {
      break;
    }
  }
  if (keep < rows.length) {
    rows = rows.slice(0, keep);
    for (const o of outputs) {
      o.values = o.values.slice(0, keep);
      o.pa = o.pa.slice(0, keep);
      o.contributors = o.contributors.slice(0, keep);
    }
  }
  if (rows.length === 0) {
    for (const o of outputs) {
      o.values = [];
      o.pa = [];
      o.contributors = [];
    }
  }

  if (options.has('nonzero')) {
    outputs = outputs.filter((o) => o.values.some((v) => v !== null && v !== 0));
  }
  if (req.cardinalityLimit !== undefined && req.cardinalityLimit > 0 && outputs.length > req.cardinalityLimit) {
    outputs = foldRemaining(outputs, req.cardinalityLimit, rows.length);
  }

  return {
    request: req,
    options,
    absolute,
    percentUnits,
    nodes,
    instances,
    metrics,
    contexts,
    view,
    rows,
    outputs,
    groupedBy: groupedByStrings(passes[passes.length - 1]),
    timeGrouping: grouping,
    aggregations: passes.map((p) => p.aggregation),
    db: buildDbInfo(metrics, queried, now),
    trimming: {
      maxUpdateEvery: maxUe0,
      expectedAfter,
      trimmedAfter: rows.length > 0 ? rows[rows.length - 1] : view.viewBefore,
    },
    now,
  };
}

function contributionOf(o: OutputDimension): number {
  return o.members.reduce(
    (a, m) => a + (m.absStats && m.absStats.count > 0 ? m.absStats.sum / m.absStats.count : 0),
    0
  );
}

/**
 * `cardinality_limit` (netdata-api-extra.md §8.2): the top N-1 outputs by contribution stay, re-ordered by it, and
 * the rest is summed into one output named `remaining K dimensions` (`remaining 1 dimension`).
 */
function foldRemaining(outputs: OutputDimension[], limit: number, rowCount: number): OutputDimension[] {
  const ranked = [...outputs].sort((a, b) => contributionOf(b) - contributionOf(a));
  const top = ranked.slice(0, Math.max(0, limit - 1));
  const kept = new Set(top);
  const rest = outputs.filter((o) => !kept.has(o));
  const label = `remaining ${rest.length} ${rest.length === 1 ? 'dimension' : 'dimensions'}`;
  const values: Array<number | null> = [];
  const pa: number[] = [];
  const contributors: number[] = [];
  for (let r = 0; r < rowCount; r++) {
    const present = rest.map((o) => o.values[r]).filter((v): v is number => v !== null && v !== undefined);
    values.push(present.length === 0 ? null : present.reduce((a, b) => a + b, 0));
    pa.push(present.length === 0 ? PA_EMPTY : present.length < rest.length ? PA_PARTIAL : 0);
    contributors.push(rest.reduce((a, o) => a + (o.contributors[r] ?? 0), 0));
  }
  const folded: OutputDimension = {
    id: label,
    name: label,
    units: rest[0].units,
    dbUnits: rest[0].dbUnits,
    priority: Math.min(...rest.map((o) => o.priority)),
    members: rest.flatMap((o) => o.members),
    values,
    pa,
    contributors,
    attrs: rest[0].attrs,
  };
  return [...top, folded];
}

/** Option `percentage`: each series as % of its instance's row total, hidden dimensions included. */
function applyPercentageOption(instances: ScopedInstance[], rowCount: number): void {
  for (const si of instances) {
    const queried = si.metrics.filter((m) => m.queried);
    if (queried.length === 0) {
      continue;
    }
    const totals: number[] = [];
    for (let r = 0; r < rowCount; r++) {
      totals.push(queried.reduce((a, m) => a + Math.abs(m.values[r] ?? 0), 0));
    }
    for (const m of queried) {
      m.values = m.values.map((v, r) => (v === null ? null : totals[r] === 0 ? 0 : (v * 100) / totals[r]));
      let stats: MetricStats | undefined;
      for (const v of m.values) {
        if (v !== null) {
          stats = addStats(stats, { t: 0, value: v, min: v, max: v, sum: v, count: 1 });
        }
      }
      m.stats = stats;
      m.absStats = stats;
    }
  }
}

function buildDbInfo(metrics: ScopedMetric[], queried: ScopedMetric[], now: number): DbInfo | undefined {
  if (metrics.length === 0) {
    return undefined;
  }
  const basis = queried.length > 0 ? queried : metrics;
  const updateEvery = Math.min(...basis.map((m) => m.context.updateEvery));
  const perTier: TierUsage[] = [];
  let firstEntry = 0;
  let lastEntry = 0;
  for (let tier = 0; tier < TIERS; tier++) {
    const rets = basis
      .map((m) => tierRetention(m.node, m.instance, tier, now))
      .filter((r): r is NonNullable<typeof r> => r !== undefined);
    const first = rets.length > 0 ? Math.min(...rets.map((r) => r.first)) : 0;
    const last = rets.length > 0 ? Math.max(...rets.map((r) => r.last)) : 0;
    if (tier === 0) {
      firstEntry = first;
      lastEntry = last;
    }
    const using = queried.filter((m) => m.tier === tier);
    perTier.push({
      tier,
      queries: using.length,
      points: using.reduce((a, m) => a + m.pointsRead, 0),
      updateEvery: tierUpdateEvery(updateEvery, tier),
      first,
      last,
    });
  }
  return { updateEvery, firstEntry, lastEntry, perTier };
}

/** Label keys of a list of instances, in first-seen order. */
export function labelKeysOf(list: InstanceDef[]): string[] {
  const keys: string[] = [];
  for (const inst of list) {
    for (const key of Object.keys(inst.labels)) {
      if (!keys.includes(key)) {
        keys.push(key);
      }
    }
  }
  return keys;
}
