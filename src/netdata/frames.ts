// json2 response → Grafana "timeseries-multi" frames (one frame per Netdata output dimension).
import type {
  FieldConfig,
  Frame,
  FrameMeta,
  FrameNotice,
  Json2Dimensions,
  Json2Response,
  NetdataQueryModel,
  NumberField,
  TimeField,
} from './types';
import { toGrafanaUnit } from './units';

export interface FramesContext {
  refId: string;
  query: NetdataQueryModel;
  executedQueryString: string;
}

/** Point-annotation bits (§3.6). */
export const PA_EMPTY = 1;
export const PA_RESET = 2;
export const PA_PARTIAL = 4;

/** Numbers below this are epoch seconds (1e11 ms is 1973, 1e11 s is year 5138). */
const SECONDS_LIMIT = 1e11;
/** Failed nodes named in one notice; the rest are counted. */
const MAX_NAMED_NODES = 10;

/** Epoch milliseconds of a row timestamp: seconds, milliseconds or an RFC 3339 string; undefined if unreadable. */
export function toEpochMs(t: unknown): number | undefined {
  if (typeof t === 'number') {
    if (!Number.isFinite(t)) {
      return undefined;
    }
    return Math.abs(t) < SECONDS_LIMIT ? t * 1000 : t;
  }
  if (typeof t === 'string') {
    if (/^\s*-?\d+(\.\d+)?\s*$/.test(t)) {
      return toEpochMs(Number(t));
    }
    const ms = Date.parse(t);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

/**
 * Renders a `{{key}}` legend template (spaces inside the braces allowed). Unknown keys render as empty, like
 * Grafana's Prometheus backend (the frontend helper `renderLegendFormat` of @grafana/data echoes the key instead).
 */
export function renderLegend(template: string, values: Record<string, string>): string {
  return template.replace(/\{\{\s*(.+?)\s*\}\}/g, (_, key: string) =>
    Object.prototype.hasOwnProperty.call(values, key) ? values[key] : ''
  );
}

/** Netdata's composition order of group-by words in ids (§3.4), used when the response does not echo grouped_by. */
function groupedByFromQuery(q: NetdataQueryModel): string[] {
  if (q.groupBy.includes('selected')) {
    return ['selected'];
  }
  if (q.groupBy.includes('percentage-of-instance')) {
    return ['percentage-of-instance'];
  }
  const grouped: string[] = [];
  if (q.groupBy.includes('dimension')) {
    grouped.push('dimension');
  }
  if (q.groupBy.includes('instance')) {
    grouped.push('instance');
  }
  if (q.groupBy.includes('label')) {
    grouped.push(...q.groupByLabels.map((k) => `label:${k}`));
  }
  for (const word of ['node', 'context', 'units'] as const) {
    if (q.groupBy.includes(word)) {
      grouped.push(word);
    }
  }
  return grouped.length > 0 ? grouped : ['dimension'];
}

/** Composite ids/names are joined with `,` in grouped_by order; split only when the part count matches. */
function splitParts(text: string, count: number): string[] | undefined {
  if (count <= 1) {
    return [text];
  }
  const parts = text.split(',');
  return parts.length === count ? parts : undefined;
}

function seriesLabels(
  id: string,
  name: string,
  grouped: string[],
  nodeIds: Map<string, string>,
  context: string
): Record<string, string> {
  const labels: Record<string, string> = {};
  const idParts = splitParts(id, grouped.length);
  const nameParts = splitParts(name, grouped.length);
  grouped.forEach((word, j) => {
    const idPart = idParts?.[j] ?? id;
    const namePart = nameParts?.[j] ?? name;
    switch (word) {
      case 'dimension':
        labels.dimension = namePart;
        break;
      case 'instance':
      case 'percentage-of-instance':
        labels.instance = namePart;
        break;
      case 'node': {
        labels.node = namePart;
        labels.machine_guid = idPart;
        const nodeId = nodeIds.get(idPart);
        if (nodeId !== undefined) {
          labels.node_id = nodeId;
        }
        break;
      }
      default:
        labels[word.startsWith('label:') ? word.slice('label:'.length) : word] = namePart;
    }
  });
  if (labels.context === undefined) {
    labels.context = context;
  }
  return labels;
}

function labelsKey(labels: Record<string, string>): string {
  return JSON.stringify(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k]])
  );
}

/** Alerting rejects frames with identical label sets: tell such series apart by their Netdata id. */
function makeLabelsDistinct(all: Array<Record<string, string>>, ids: string[]): void {
  const counts = new Map<string, number>();
  for (const labels of all) {
    const key = labelsKey(labels);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  all.forEach((labels, i) => {
    if ((counts.get(labelsKey(labels)) ?? 0) > 1) {
      labels.series = ids[i];
    }
  });
  const seen = new Set<string>();
  all.forEach((labels, i) => {
    if (seen.has(labelsKey(labels))) {
      labels.series = `${ids[i]} #${i + 1}`;
    }
    seen.add(labelsKey(labels));
  });
}

function seriesUnits(
  resp: Json2Response,
  dims: Json2Dimensions,
  i: number,
  labels: Record<string, string>
): string | undefined {
  const perDimension = dims.units?.[i];
  if (perDimension !== undefined) {
    return perDimension;
  }
  if (dims.grouped_by?.includes('units') && labels.units !== undefined) {
    return labels.units;
  }
  const units = resp.view.units;
  if (typeof units === 'string') {
    return units;
  }
  return Array.isArray(units) && new Set(units).size === 1 ? units[0] : undefined;
}

function baseMeta(ctx: FramesContext): FrameMeta {
  return { type: 'timeseries-multi', typeVersion: [0, 1], executedQueryString: ctx.executedQueryString };
}

function failedNodes(resp: Json2Response): Array<{ nm: string; code: number; msg?: string }> {
  return (resp.summary?.nodes ?? [])
    .filter((n) => (n.st?.code ?? 0) >= 400)
    .map((n) => ({ nm: n.nm, code: n.st?.code ?? 0, msg: n.st?.msg }));
}

function describeNodes(nodes: Array<{ nm: string; code: number; msg?: string }>): string {
  const named = nodes
    .slice(0, MAX_NAMED_NODES)
    .map((n) => `${n.nm} (${n.code}${n.msg ? `: ${n.msg}` : ''})`)
    .join(', ');
  const more = nodes.length > MAX_NAMED_NODES ? ` and ${nodes.length - MAX_NAMED_NODES} more` : '';
  return named + more;
}

/**
 * When every node of the query failed and nothing came back, the error to report instead of frames (a response
 * with no data must not look like a quiet, empty success).
 */
export function failedNodesError(resp: Json2Response): string | undefined {
  const nodes = resp.summary?.nodes ?? [];
  const failed = failedNodes(resp);
  const noData = resp.view.dimensions.ids.length === 0 || resp.result.data.length === 0;
  if (nodes.length === 0 || failed.length !== nodes.length || !noData) {
    return undefined;
  }
  return `All Netdata nodes of the query failed: ${describeNodes(failed)}`;
}

function nodeWarnings(resp: Json2Response): FrameNotice[] {
  const failed = failedNodes(resp);
  if (failed.length === 0) {
    return [];
  }
  const which = failed.length === 1 ? 'node failed and is' : 'nodes failed and are';
  return [
    {
      severity: 'warning',
      text: `${failed.length} Netdata ${which} missing from the result: ${describeNodes(failed)}`,
    },
  ];
}

/**
 * One frame per output dimension (dataplane "timeseries-multi": a `time` field and one number field with labels).
 * Nothing matched (unknown context, or selectors matching no series; §8.3): one frame with no fields and an info
 * notice, so that Grafana shows why the panel is empty. Partial/reset points and failed nodes become warning
 * notices on the first frame.
 */
export function json2ToFrames(resp: Json2Response, ctx: FramesContext): Frame[] {
  const dims = resp.view.dimensions;
  const ids = dims.ids;
  if (ids.length === 0) {
    const notices: FrameNotice[] = [
      {
        severity: 'info',
        text: `No data: context "${ctx.query.context}" matched nothing on Netdata (unknown context, or the selectors match no series)`,
      },
      ...nodeWarnings(resp),
    ];
    return [{ refId: ctx.refId, meta: { ...baseMeta(ctx), notices }, fields: [] }];
  }

  const valueAt = resp.result.point?.value ?? 0;
  const paAt = resp.result.point?.pa ?? 2;
  const rows: Array<{ t: number; row: unknown[] }> = [];
  for (const row of resp.result.data) {
    const t = toEpochMs(row[0]);
    if (t !== undefined) {
      rows.push({ t, row });
    }
  }
  // Netdata sends newest first without `flip`; sort regardless (stable for equal times).
  rows.sort((a, b) => a.t - b.t);
  const times = rows.map((r) => r.t);

  const grouped = dims.grouped_by ?? groupedByFromQuery(ctx.query);
  const nodeIds = new Map<string, string>();
  for (const node of resp.summary?.nodes ?? []) {
    if (node.nd !== undefined) {
      nodeIds.set(node.mg, node.nd);
    }
  }
  const names = ids.map((id, i) => dims.names?.[i] ?? id);
  const allLabels = ids.map((id, i) => seriesLabels(id, names[i], grouped, nodeIds, ctx.query.context));
  makeLabelsDistinct(allLabels, ids);

  let partial = 0;
  let reset = 0;
  const timeConfig: FieldConfig = {};
  if (resp.view.update_every !== undefined && resp.view.update_every > 0) {
    // Lets Grafana show gaps where points are missing.
    timeConfig.interval = resp.view.update_every * 1000;
  }

  const frames = ids.map((id, i): Frame => {
    const values: Array<number | null> = rows.map(({ row }) => {
      const point = row[i + 1];
      if (typeof point === 'number') {
        return Number.isFinite(point) ? point : null;
      }
      if (!Array.isArray(point)) {
        return null;
      }
      const pa = typeof point[paAt] === 'number' ? (point[paAt] as number) : 0;
      if (pa & PA_PARTIAL) {
        partial++;
      }
      if (pa & PA_RESET) {
        reset++;
      }
      const value = point[valueAt];
      // An EMPTY point is a gap even when `null2zero` turned its value into 0.
      if (typeof value !== 'number' || !Number.isFinite(value) || pa & PA_EMPTY) {
        return null;
      }
      return value;
    });
    const labels = allLabels[i];
    const legend = ctx.query.legendFormat
      ? renderLegend(ctx.query.legendFormat, { id, name: names[i], ...labels })
      : '';
    const displayName = legend.trim() !== '' ? legend : names[i];
    const config: FieldConfig = { displayNameFromDS: displayName };
    const unit = toGrafanaUnit(seriesUnits(resp, dims, i, labels));
    if (unit !== undefined) {
      config.unit = unit;
    }
    const timeField: TimeField = { name: 'time', type: 'time', values: times.slice(), config: { ...timeConfig } };
    const valueField: NumberField = { name: displayName, type: 'number', values, labels, config };
    return { refId: ctx.refId, meta: baseMeta(ctx), fields: [timeField, valueField] };
  });

  const notices: FrameNotice[] = [];
  if (partial > 0 || reset > 0) {
    const parts: string[] = [];
    if (partial > 0) {
      parts.push(`${partial} partial ${partial === 1 ? 'point' : 'points'} (not every series of the group had data)`);
    }
    if (reset > 0) {
      parts.push(`${reset} ${reset === 1 ? 'point' : 'points'} after a counter reset or overflow`);
    }
    notices.push({ severity: 'warning', text: `Netdata flagged ${parts.join(' and ')}` });
  }
  notices.push(...nodeWarnings(resp));
  if (notices.length > 0) {
    frames[0].meta = { ...frames[0].meta, notices };
  }
  return frames;
}
