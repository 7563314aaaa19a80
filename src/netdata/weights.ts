// Metric correlations through Netdata's scoring endpoint (netdata-api-extra.md §1): the Agent GET
// `/api/v3|v2/weights` and the Cloud room POST (netdata-api.md §6.4), the multinode answer, and the ranked table.
//
// Traps handled here: scores are per-response ranks (lower = more changed) unless `options=raw` (§1.2), so we send
// `raw` and still normalise an answer without it; the baseline is re-anchored to 2^k × the highlight (§1.2 step 4),
// so the window Netdata used is read back from `view.baseline`; `anomaly-rate` with a contexts scope silently scores
// plain values without `anomaly-bit` (§1.4); any explicit `options` drops the default `nonzero` (§1.3).
import { timeoutParam, type DataRequestOptions, DEFAULT_TIMEOUT_MS } from './agentRequest';
import { cloudNodes, validatePathId } from './cloudRequest';
import { type CorrelationMethod, type CorrelationsQueryModel, usesBaseline } from './correlations';
import { labelItems, labelsPattern, simplePattern, splitPatternText, textPattern, wireItem } from './patterns';
import type { AgentRequest, DataLink, Field, Frame, FrameNotice, QueryWindow, Result } from './types';
import { dataWindow } from './window';
import {
  type JsonObject as Obj,
  isJsonObject as isObj,
  nonEmptyString as str,
  finiteNumber as num,
} from './jsonValues';

/** ks2/volume: Netdata refuses fewer than 15 points, and ks2 on fewer rows only measures noise (§1.2). */
export const MIN_BASELINE_HIGHLIGHT_S = 15;
/** Netdata's default resolution of the highlight for ks2/volume. */
export const WEIGHTS_POINTS = 500;
/** Netdata shrinks the baseline's power of two while `points × 2^k` exceeds this (§1.2 step 3). */
export const MAX_BASELINE_POINTS = 10000;

export interface WeightsWindow {
  /** Highlight, absolute epoch seconds. */
  after: number;
  before: number;
  /** Baseline (ks2/volume), absolute epoch seconds, ending where the highlight starts. */
  baselineAfter?: number;
  baselineBefore?: number;
  /** ks2/volume resolution of the highlight, small enough that the baseline keeps its power of two. */
  points?: number;
}

/** Smallest power of two ≥ n (Netdata's rounding of the baseline multiple, §1.2 step 3). */
export function powerOfTwoAtLeast(n: number): number {
  let p = 1;
  while (p < n) {
    p *= 2;
  }
  return p;
}

/** The highlight is Grafana's range; the baseline is `baseline` highlights before it. Throws readable Errors. */
export function weightsWindow(q: CorrelationsQueryModel, w: QueryWindow): WeightsWindow {
  const { after, before } = dataWindow({ ...w, maxDataPoints: 1, intervalMs: 0 });
  if (!usesBaseline(q.method)) {
    return { after, before };
  }
  const duration = before - after;
  if (duration < MIN_BASELINE_HIGHLIGHT_S) {
    throw new Error(
      `Correlations by ${q.method} compare the time range with a baseline before it and need a time range of at ` +
        `least ${MIN_BASELINE_HIGHLIGHT_S} s (this one is ${duration} s): zoom out or select a wider range`
    );
  }
  const multiple = powerOfTwoAtLeast(q.baseline);
  const points = Math.max(
    MIN_BASELINE_HIGHLIGHT_S,
    Math.min(WEIGHTS_POINTS, Math.floor(MAX_BASELINE_POINTS / multiple))
  );
  return { after, before, baselineAfter: after - duration * q.baseline, baselineBefore: after, points };
}

/** `raw` for magnitudes (higher = more changed), `nonzero` back in, `anomaly-bit` for anomaly rates (§1.3, §1.4). */
export function weightsOptions(method: CorrelationMethod): string[] {
  const options = ['raw', 'nonzero'];
  if (method === 'anomaly-rate') {
    options.push('anomaly-bit');
  }
  return options;
}

/**
 * `GET /api/v3/weights` (v2 before Netdata v2.0). Nodes go to `scope_nodes` (the `/host/` prefix is ignored by
 * v2/v3, §6); labels are the `labels` selector, which every v2 agent reads (`scope_labels` needs v2.6).
 */
export function buildAgentWeightsRequest(
  q: CorrelationsQueryModel,
  w: QueryWindow,
  apiVersion: 2 | 3,
  opts?: DataRequestOptions
): AgentRequest {
  const win = weightsWindow(q, w);
  const params: Array<[string, string | number | undefined]> = [
    ['method', q.method],
    ['after', win.after],
    ['before', win.before],
    ['baseline_after', win.baselineAfter],
    ['baseline_before', win.baselineBefore],
    ['points', win.points],
    ['options', weightsOptions(q.method).join(',')],
    ['timeout', timeoutParam(opts)],
    ['scope_contexts', textPattern(q.contexts)],
    ['scope_nodes', simplePattern(q.nodes)],
    ['labels', labelsPattern(q.labels, opts?.features?.labelMatching)],
  ];
  const query = params
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
  return { method: 'GET', path: `/api/v${apiVersion}/weights?${query}` };
}

export interface CloudWeightsBody {
  scope: { contexts: string[]; nodes?: string[] };
  selectors: { contexts: string[]; nodes: string[]; instances: string[]; dimensions: string[]; labels: string[] };
  window: { after: number; before: number; points?: number; baseline?: { after: number; before: number } };
  method: CorrelationMethod;
  options: string[];
  timeout: number;
}

/** `POST /api/v3/spaces/{space}/rooms/{room}/weights` (netdata-api.md §6.4), the same windows and options. */
export function buildCloudWeightsRequest(
  q: CorrelationsQueryModel,
  w: QueryWindow,
  target: { spaceId: string; roomId: string },
  opts?: DataRequestOptions
): { method: 'POST'; path: string; body: CloudWeightsBody } {
  const spaceId = validatePathId(q.spaceId ?? target.spaceId ?? '', 'space');
  const roomId = validatePathId(q.roomId ?? target.roomId ?? '', 'room');
  const win = weightsWindow(q, w);
  const nodes = cloudNodes(q.nodes);
  const scope: CloudWeightsBody['scope'] = { contexts: splitPatternText(q.contexts).map(wireItem) };
  if (nodes.scope !== undefined) {
    scope.nodes = nodes.scope;
  }
  const labels = labelItems(q.labels, 'cloud');
  const window: CloudWeightsBody['window'] = { after: win.after, before: win.before };
  if (win.points !== undefined && win.baselineAfter !== undefined && win.baselineBefore !== undefined) {
    window.points = win.points;
    window.baseline = { after: win.baselineAfter, before: win.baselineBefore };
  }
  return {
    method: 'POST',
    path: `/api/v3/spaces/${encodeURIComponent(spaceId)}/rooms/${encodeURIComponent(roomId)}/weights`,
    body: {
      scope,
      selectors: {
        contexts: ['*'],
        nodes: nodes.selectors,
        instances: ['*'],
        dimensions: ['*'],
        labels: labels.length > 0 ? labels : ['*'],
      },
      window,
      method: q.method,
      options: weightsOptions(q.method),
      timeout: timeoutParam(opts) ?? DEFAULT_TIMEOUT_MS,
    },
  };
}

// ---- The answer (§1.5).

export interface WeightRow {
  node: string;
  machineGuid?: string;
  nodeId?: string;
  context: string;
  /** Instance (chart) name, else its id. */
  instance: string;
  instanceId: string;
  /** Dimension name, else its id. */
  dimension: string;
  dimensionId: string;
  /** Higher = more changed, for every method. */
  score: number;
  units?: string;
}

export interface WeightsAnswer {
  rows: WeightRow[];
  /** The windows Netdata actually used (absolute seconds); the baseline is the re-anchored one. */
  window?: { after: number; before: number };
  baseline?: { after: number; before: number };
  /** Netdata ranked the scores (no `raw` in the echoed options): they were turned into 1 − rank. */
  ranked: boolean;
  examined?: number;
}

/** Dictionary entries by their own index key (`ni`, `ci`, …), never by array position (§1.5). */
function byIndex(list: unknown, key: string): Map<number, Obj> {
  const out = new Map<number, Obj>();
  if (Array.isArray(list)) {
    for (const entry of list) {
      if (isObj(entry) && num(entry[key]) !== undefined) {
        out.set(entry[key] as number, entry);
      }
    }
  }
  return out;
}

function windowOf(v: unknown): { after: number; before: number } | undefined {
  if (!isObj(v)) {
    return undefined;
  }
  const after = num(v.after);
  const before = num(v.before);
  return after !== undefined && before !== undefined ? { after, before } : undefined;
}

/** The dimension rows of a v2/v3 (or Cloud) weights answer, with names resolved through the dictionaries. */
export function parseWeights(body: unknown, method: CorrelationMethod): Result<WeightsAnswer> {
  if (!isObj(body)) {
    return { ok: false, error: 'the weights answer is not a JSON object' };
  }
  if (body.result !== undefined && !Array.isArray(body.result)) {
    return { ok: false, error: 'result is not an array' };
  }
  const result = Array.isArray(body.result) ? body.result : [];
  if (result.length > 0 && !isObj(body.dictionaries)) {
    // A grouped answer (§1.6) or some other shape: not what we asked for.
    return { ok: false, error: 'the answer has results but no dictionaries (not the multinode "full" format)' };
  }
  const dicts = isObj(body.dictionaries) ? body.dictionaries : {};
  const nodes = byIndex(dicts.nodes, 'ni');
  const contexts = byIndex(dicts.contexts, 'ci');
  const instances = byIndex(dicts.instances, 'ii');
  const dimensions = byIndex(dicts.dimensions, 'di');
  const request = isObj(body.request) ? body.request : {};
  const echoed = Array.isArray(request.options) ? request.options : undefined;
  const ranked = method !== 'value' && echoed !== undefined && !echoed.includes('raw');
  const rows: WeightRow[] = [];
  for (const raw of result) {
    if (!Array.isArray(raw) || raw[0] !== 0) {
      continue; // instance/context/node aggregates: the table lists dimensions
    }
    const [, ni, ci, ii, di, weight] = raw as unknown[];
    const score = num(weight);
    const node = typeof ni === 'number' ? nodes.get(ni) : undefined;
    const context = typeof ci === 'number' ? contexts.get(ci) : undefined;
    const instance = typeof ii === 'number' ? instances.get(ii) : undefined;
    const dimension = typeof di === 'number' ? dimensions.get(di) : undefined;
    const contextId = str(context?.id);
    const instanceId = str(instance?.id);
    const dimensionId = str(dimension?.id);
    if (score === undefined || contextId === undefined || instanceId === undefined || dimensionId === undefined) {
      continue;
    }
    const row: WeightRow = {
      node: str(node?.nm) ?? str(node?.mg) ?? '',
      context: contextId,
      instance: str(instance?.nm) ?? instanceId,
      instanceId,
      dimension: str(dimension?.nm) ?? dimensionId,
      dimensionId,
      score: ranked ? 1 - score : score,
    };
    const mg = str(node?.mg);
    if (mg !== undefined) {
      row.machineGuid = mg;
    }
    const nd = str(node?.nd);
    if (nd !== undefined) {
      row.nodeId = nd;
    }
    const units = str(context?.units);
    if (units !== undefined) {
      row.units = units;
    }
    rows.push(row);
  }
  const view = isObj(body.view) ? body.view : {};
  const answer: WeightsAnswer = { rows, ranked };
  const window = windowOf(view.window);
  if (window !== undefined) {
    answer.window = window;
  }
  const baseline = windowOf(view.baseline);
  if (baseline !== undefined) {
    answer.baseline = baseline;
  }
  const examined = num(body.total_dimensions_count);
  if (examined !== undefined) {
    answer.examined = examined;
  }
  return { ok: true, value: answer };
}

/** Most changed first; ties in a stable, readable order. */
export function rankRows(rows: readonly WeightRow[], limit: number): WeightRow[] {
  return [...rows]
    .sort(
      (a, b) =>
        b.score - a.score ||
        a.context.localeCompare(b.context) ||
        a.node.localeCompare(b.node) ||
        a.instance.localeCompare(b.instance) ||
        a.dimension.localeCompare(b.dimension)
    )
    .slice(0, limit);
}

export interface CorrelationsFrameContext {
  refId: string;
  query: CorrelationsQueryModel;
  executedQueryString: string;
  /** Links of every row (Explore this series, Open in Netdata), built by the caller from trusted settings. */
  rowLinks?: DataLink[];
}

function describeWindow(w: { after: number; before: number }): string {
  const iso = (s: number) => new Date(s * 1000).toISOString().replace('.000Z', 'Z');
  return `${iso(w.after)} – ${iso(w.before)} (${w.before - w.after} s)`;
}

/**
 * One table frame: `node`, `context`, `instance`, `dimension`, `score`, `units`, the top `limit` rows, most
 * changed first. Notices say which baseline Netdata used, how many rows were cut and when nothing was scored.
 */
export function correlationsFrame(answer: WeightsAnswer, ctx: CorrelationsFrameContext): Frame {
  const rows = rankRows(answer.rows, ctx.query.limit);
  const notices: FrameNotice[] = [];
  if (answer.rows.length === 0) {
    notices.push({
      severity: 'info',
      text:
        `Netdata scored nothing for contexts "${ctx.query.contexts}" by ${ctx.query.method}` +
        (answer.examined !== undefined ? ` (${answer.examined} dimensions examined)` : '') +
        ': no metric matched or none changed',
    });
  } else if (answer.rows.length > rows.length) {
    notices.push({
      severity: 'info',
      text: `Showing the ${rows.length} most changed of ${answer.rows.length} scored dimensions (limit ${ctx.query.limit})`,
    });
  }
  if (answer.baseline !== undefined && usesBaseline(ctx.query.method)) {
    notices.push({ severity: 'info', text: `Baseline used by Netdata: ${describeWindow(answer.baseline)}` });
  }
  if (answer.ranked) {
    notices.push({
      severity: 'warning',
      text: 'Netdata returned ranks instead of raw scores (it ignored options=raw): scores are 1 − rank, comparable only within this answer',
    });
  }
  const links = ctx.rowLinks ?? [];
  const text = (name: string, values: string[]): Field => ({
    name,
    type: 'string',
    values,
    config: links.length > 0 ? { links } : undefined,
  });
  const fields: Field[] = [
    text(
      'node',
      rows.map((r) => r.node)
    ),
    text(
      'context',
      rows.map((r) => r.context)
    ),
    text(
      'instance',
      rows.map((r) => r.instance)
    ),
    text(
      'dimension',
      rows.map((r) => r.dimension)
    ),
    {
      name: 'score',
      type: 'number',
      values: rows.map((r) => r.score),
      config: { displayName: `score (${ctx.query.method})`, ...(links.length > 0 ? { links } : {}) },
    },
    { name: 'units', type: 'string', values: rows.map((r) => r.units ?? '') },
  ];
  for (const f of fields) {
    if (f.config === undefined) {
      delete f.config;
    }
  }
  return {
    name: 'Netdata correlations',
    refId: ctx.refId,
    meta: {
      preferredVisualisationType: 'table',
      executedQueryString: ctx.executedQueryString,
      ...(notices.length > 0 ? { notices } : {}),
    },
    fields,
  };
}
