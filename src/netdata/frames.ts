// json2 response → Grafana "timeseries-multi" frames (one frame per Netdata output dimension).
import type {
  DataLink,
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
import { legendNames, renderLegend } from './legend';
import { readSeriesColumns } from './points';
import { toGrafanaUnit } from './units';

export { PA_EMPTY, PA_PARTIAL, PA_RESET, toEpochMs } from './points';

export interface FramesContext {
  refId: string;
  query: NetdataQueryModel;
  executedQueryString: string;
  /** Data links of each value series, from its labels (e.g. "Open in Netdata"); keeps this module pure. */
  seriesLinks?: (labels: Readonly<Record<string, string>>) => DataLink[];
  /** Notices about the request itself (e.g. a parameter this agent version ignores), shown with the answer's. */
  notices?: FrameNotice[];
  /**
   * Nodes whose `ml` capability is off, by machine GUID and by node id (value: hostname): Netdata stores "not
   * anomalous" on every sample there, so their anomaly rate is a flat 0, not a measurement (netdata-api-extra.md §8.6).
   */
  anomalyDetectionOff?: ReadonlyMap<string, string>;
}

/** `series_type` label of the series the series limit merged the others into. */
export const REMAINDER_SERIES_TYPE = 'remainder';

/** `series_type` label of the anomaly-rate series, which keeps their label sets apart from the values'. */
export const ANOMALY_RATE_SERIES_TYPE = 'anomaly_rate';

/** Failed nodes named in one notice; the rest are counted. */
const MAX_NAMED_NODES = 10;
/** Series named in one point-annotation notice; the rest are counted. */
const MAX_NAMED_SERIES = 10;

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

interface NodeInfo {
  mg: string;
  nm: string;
  nd?: string;
}

interface NodeIndex {
  byMg: Map<string, NodeInfo>;
  /** The summary lists only some of the nodes (series limit, v2.6–v2.10). */
  limited: boolean;
  /** The only node of the query, when there is exactly one: every series then belongs to it. */
  single?: NodeInfo;
}

function nodeIndex(resp: Json2Response): NodeIndex {
  const nodes = resp.summary?.nodes ?? [];
  const byMg = new Map<string, NodeInfo>();
  for (const n of nodes) {
    byMg.set(n.mg, { mg: n.mg, nm: n.nm, nd: n.nd });
  }
  // A limited summary (v2.6–v2.10) lists only the top nodes: one listed node is then not the only one.
  const limited = resp.summary?.remainingNodes !== undefined;
  return { byMg, limited, single: nodes.length === 1 && !limited ? byMg.get(nodes[0].mg) : undefined };
}

/** `node` (hostname), `machine_guid` and `node_id`, where not already set by a grouping. */
function addNodeLabels(labels: Record<string, string>, node: NodeInfo): void {
  labels.node ??= node.nm;
  labels.machine_guid ??= node.mg;
  if (node.nd !== undefined) {
    labels.node_id ??= node.nd;
  }
}

/**
 * An instance grouped without `node` is `<instance_id>@<machine_guid>` / `<instance_name>@<hostname>` (§3.4): the
 * instance label gets the bare instance name and the node its own labels, as with `instance,node`.
 */
function addInstanceLabels(labels: Record<string, string>, idPart: string, namePart: string, nodes: NodeIndex): void {
  const idAt = idPart.lastIndexOf('@');
  const mg = idAt > 0 ? idPart.slice(idAt + 1) : undefined;
  const node = mg === undefined ? undefined : nodes.byMg.get(mg);
  if (node !== undefined && namePart.endsWith(`@${node.nm}`) && namePart.length > node.nm.length + 1) {
    labels.instance = namePart.slice(0, namePart.length - node.nm.length - 1);
    addNodeLabels(labels, node);
    return;
  }
  // A node a limited summary left out (§8.1): the id and name still carry its machine GUID and hostname.
  const nameAt = namePart.lastIndexOf('@');
  if (mg !== undefined && nodes.limited && nameAt > 0 && nameAt < namePart.length - 1) {
    labels.instance = namePart.slice(0, nameAt);
    addNodeLabels(labels, { mg, nm: namePart.slice(nameAt + 1) });
    return;
  }
  labels.instance = namePart;
}

function seriesLabels(
  id: string,
  name: string,
  grouped: string[],
  nodes: NodeIndex,
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
        addInstanceLabels(labels, idPart, namePart, nodes);
        break;
      case 'node': {
        labels.node = namePart;
        labels.machine_guid = idPart;
        const nodeId = nodes.byMg.get(idPart)?.nd;
        if (nodeId !== undefined) {
          labels.node_id = nodeId;
        }
        break;
      }
      default:
        labels[word.startsWith('label:') ? word.slice('label:'.length) : word] = namePart;
    }
  });
  if (nodes.single !== undefined) {
    addNodeLabels(labels, nodes.single);
  }
  if (labels.context === undefined) {
    labels.context = context;
  }
  return labels;
}

/**
 * The automatic series name: Netdata's name, its grouped parts joined with `, ` (`user, web01` for
 * `dimension,node`), and the context for `selected` (whose Netdata name is just "selected").
 */
export function automaticName(name: string, grouped: readonly string[], context: string): string {
  if (grouped.length === 1 && grouped[0] === 'selected' && context !== '') {
    return context;
  }
  const parts = splitParts(name, grouped.length);
  return parts === undefined ? name : parts.join(', ');
}

/**
 * The synthetic series of the series limit (netdata-api-extra.md §8.2): id and name both `remaining N dimensions`
 * (`remaining 1 dimension`), whatever the grouping. Only looked for when the query has a limit. N, or undefined.
 */
function remainderCount(q: NetdataQueryModel, id: string, name: string): number | undefined {
  if (q.limit === undefined || q.limit <= 0 || id !== name) {
    return undefined;
  }
  const m = /^remaining (\d+) dimensions?$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

/** What the remainder is: no node, instance or dimension of its own, only how many series it merges. */
function remainderLabels(count: number, context: string): Record<string, string> {
  return { context, series_type: REMAINDER_SERIES_TYPE, merged_series: String(count) };
}

function remainderName(count: number): string {
  return `remaining ${count} series (sum)`;
}

function remainderNotice(count: number, kept: number, anomalyRate: boolean): FrameNotice {
  return {
    severity: 'info',
    text:
      `Series limit: ${count} series beyond the top ${kept} ` +
      `${plural(count, 'is', 'are')} merged into "${remainderName(count)}", whose values are their sum whatever ` +
      'the aggregation (so not on the scale of an average or a percentage)' +
      (anomalyRate ? ', and whose anomaly rate is the sum of theirs (it can exceed 100%)' : ''),
  };
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
  // Keys are recomputed only for the label sets changed here.
  const keys = all.map(labelsKey);
  const counts = new Map<string, number>();
  for (const key of keys) {
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  all.forEach((labels, i) => {
    if ((counts.get(keys[i]) ?? 0) > 1) {
      labels.series = ids[i];
      keys[i] = labelsKey(labels);
    }
  });
  const seen = new Set<string>();
  all.forEach((labels, i) => {
    if (seen.has(keys[i])) {
      labels.series = `${ids[i]} #${i + 1}`;
      keys[i] = labelsKey(labels);
    }
    seen.add(keys[i]);
  });
}

/** The units of the whole view, when it has exactly one. */
function viewUnits(resp: Json2Response): string | undefined {
  const units = resp.view.units;
  if (typeof units === 'string') {
    return units;
  }
  return Array.isArray(units) && new Set(units).size === 1 ? units[0] : undefined;
}

function seriesUnits(
  dims: Json2Dimensions,
  i: number,
  labels: Record<string, string>,
  view: string | undefined
): string | undefined {
  const perDimension = dims.units?.[i];
  if (perDimension !== undefined) {
    return perDimension;
  }
  if (dims.grouped_by?.includes('units') && labels.units !== undefined) {
    return labels.units;
  }
  return view;
}

function baseMeta(ctx: FramesContext): FrameMeta {
  return { type: 'timeseries-multi', typeVersion: [0, 1], executedQueryString: ctx.executedQueryString };
}

function failedNodes(resp: Json2Response): Array<{ nm: string; code: number; msg?: string }> {
  return (resp.summary?.nodes ?? [])
    .filter((n) => (n.st?.code ?? 0) >= 400)
    .map((n) => ({ nm: n.nm, code: n.st?.code ?? 0, msg: n.st?.msg }));
}

/** Up to MAX_NAMED_NODES node descriptions, the rest counted. */
function nodeList(named: string[]): string {
  const more = named.length > MAX_NAMED_NODES ? ` and ${named.length - MAX_NAMED_NODES} more` : '';
  return named.slice(0, MAX_NAMED_NODES).join(', ') + more;
}

function describeNodes(nodes: Array<{ nm: string; code: number; msg?: string }>): string {
  return nodeList(nodes.map((n) => `${n.nm} (${n.code}${n.msg ? `: ${n.msg}` : ''})`));
}

/**
 * When every node of the query failed and nothing came back, the error to report instead of frames (a response
 * with no data must not look like a quiet, empty success).
 */
export function failedNodesError(resp: Json2Response): string | undefined {
  const nodes = resp.summary?.nodes ?? [];
  const failed = failedNodes(resp);
  const noData = resp.view.dimensions.ids.length === 0 || resp.result.data.length === 0;
  // A limited summary (§8.1) hides the other nodes' outcomes: they cannot all be said to have failed.
  const limited = resp.summary?.remainingNodes !== undefined;
  if (nodes.length === 0 || failed.length !== nodes.length || !noData || limited) {
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

interface FlaggedSeries {
  name: string;
  points: number;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? one : many;
}

/** `3 points of "user" are partial: …` or `5 points of 2 series are partial: … (3 of "user", 2 of "system")`. */
function annotationNotice(series: FlaggedSeries[], verbOne: string, verbMany: string, why: string): FrameNotice {
  const total = series.reduce((sum, s) => sum + s.points, 0);
  const verb = plural(total, verbOne, verbMany);
  if (series.length === 1) {
    const s = series[0];
    return {
      severity: 'warning',
      text: `${s.points} ${plural(s.points, 'point', 'points')} of "${s.name}" ${verb}${why}`,
    };
  }
  const named = series
    .slice(0, MAX_NAMED_SERIES)
    .map((s) => `${s.points} of "${s.name}"`)
    .join(', ');
  const more = series.length > MAX_NAMED_SERIES ? ` and ${series.length - MAX_NAMED_SERIES} more series` : '';
  return {
    severity: 'warning',
    text: `${total} ${plural(total, 'point', 'points')} of ${series.length} series ${verb}${why} (${named}${more})`,
  };
}

interface AnomalyDetection {
  /** Machine GUIDs and node ids of the answer's nodes with anomaly detection off. */
  off: Set<string>;
  /** Their hostnames, in the answer's order. */
  offNames: string[];
  /** Every node of the answer has it off: a series across nodes has no anomaly rate either. */
  allOff: boolean;
}

function anomalyDetectionOf(index: NodeIndex, offMap: ReadonlyMap<string, string> | undefined): AnomalyDetection {
  const nodes = Array.from(index.byMg.values());
  const offNodes =
    offMap === undefined ? [] : nodes.filter((n) => offMap.has(n.mg) || (n.nd !== undefined && offMap.has(n.nd)));
  const off = new Set<string>();
  for (const n of offNodes) {
    off.add(n.mg);
    if (n.nd !== undefined) {
      off.add(n.nd);
    }
  }
  return {
    off,
    offNames: offNodes.map((n) => n.nm),
    allOff: offNodes.length > 0 && offNodes.length === nodes.length && !index.limited,
  };
}

function anomalyDetectionNotices(
  anomaly: AnomalyDetection,
  allLabels: ReadonlyArray<Record<string, string>>
): FrameNotice[] {
  if (anomaly.offNames.length === 0) {
    return [];
  }
  const names = nodeList(anomaly.offNames);
  const notices: FrameNotice[] = [
    {
      severity: 'info',
      text:
        `Anomaly detection is off on ${names}: Netdata's anomaly rate there is a flat 0, not a measurement, ` +
        'so no anomaly-rate series is shown for it (enable machine learning in netdata.conf [ml])',
    },
  ];
  const acrossNodes = allLabels.some((l) => l.machine_guid === undefined && l.node_id === undefined);
  if (acrossNodes && !anomaly.allOff) {
    notices.push({
      severity: 'warning',
      text: `The anomaly rates of series that combine several nodes count ${names} as 0 (anomaly detection is off there)`,
    });
  }
  return notices;
}

/**
 * One frame per output dimension (dataplane "timeseries-multi": a `time` field and one number field with labels),
 * then, with `anomalyRate`, one frame per output dimension with its anomaly rate. Nothing matched (unknown context,
 * or selectors matching no series; §8.3): one frame with no fields and an info notice, so that Grafana shows why
 * the panel is empty. Partial/reset points and failed nodes become warning notices on the first frame. Series are
 * named automatically (`displayNameFromDS`), or from the query's `legendFormat` over their labels.
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
      ...(ctx.notices ?? []),
    ];
    return [{ refId: ctx.refId, meta: { ...baseMeta(ctx), notices }, fields: [] }];
  }

  const at = {
    value: resp.result.point?.value ?? 0,
    arp: resp.result.point?.arp ?? 1,
    pa: resp.result.point?.pa ?? 2,
  };
  const points = readSeriesColumns(resp.result.data, ids.length, at, ctx.query.anomalyRate === true);

  const grouped = dims.grouped_by ?? groupedByFromQuery(ctx.query);
  const nodes = nodeIndex(resp);
  const names = ids.map((id, i) => dims.names?.[i] ?? id);
  const remainders = ids.map((id, i) => remainderCount(ctx.query, id, names[i]));
  const allLabels = ids.map((id, i) => {
    const merged = remainders[i];
    return merged === undefined
      ? seriesLabels(id, names[i], grouped, nodes, ctx.query.context)
      : remainderLabels(merged, ctx.query.context);
  });
  const unitsOfView = viewUnits(resp);
  // countif answers a percentage of the samples, but json2 keeps the metric's units (netdata-api-extra.md §8.5).
  const units = ids.map((_, i) =>
    ctx.query.timeGroup === 'countif' ? '%' : seriesUnits(dims, i, allLabels[i], unitsOfView)
  );
  allLabels.forEach((labels, i) => {
    const u = units[i];
    if (labels.units === undefined && u !== undefined && u.trim() !== '') {
      labels.units = u;
    }
  });
  makeLabelsDistinct(allLabels, ids);

  const timeConfig: FieldConfig = {};
  if (resp.view.update_every !== undefined && resp.view.update_every > 0) {
    // Lets Grafana show gaps where points are missing.
    timeConfig.interval = resp.view.update_every * 1000;
  }
  // Every frame shares one time array: frames are only read after this (the Arrow encoder), never changed.
  const timeField = (): TimeField => ({
    name: 'time',
    type: 'time',
    values: points.times,
    config: { ...timeConfig },
  });

  const anomaly = anomalyDetectionOf(nodes, ctx.anomalyDetectionOff);
  const anomalyShown = (labels: Readonly<Record<string, string>>): boolean => {
    const node = labels.machine_guid ?? labels.node_id;
    return node !== undefined ? !anomaly.off.has(node) : !anomaly.allOff;
  };
  const legend = ctx.query.legendFormat;
  const partial: FlaggedSeries[] = [];
  const reset: FlaggedSeries[] = [];
  const anomalyFrames: Frame[] = [];
  const frames = ids.map((_, i): Frame => {
    const labels = allLabels[i];
    const merged = remainders[i];
    const automatic =
      merged === undefined ? automaticName(names[i], grouped, ctx.query.context) : remainderName(merged);
    // The remainder has none of the labels a legend names: it keeps its own name.
    const displayName =
      legend === undefined || merged !== undefined ? automatic : (renderLegend(legend, labels, automatic) ?? automatic);
    if (points.partial[i] > 0) {
      partial.push({ name: displayName, points: points.partial[i] });
    }
    if (points.reset[i] > 0) {
      reset.push({ name: displayName, points: points.reset[i] });
    }
    const config: FieldConfig = { displayNameFromDS: displayName };
    const unit = toGrafanaUnit(units[i]);
    if (unit !== undefined) {
      config.unit = unit;
    }
    const links = ctx.seriesLinks?.(labels);
    if (links !== undefined && links.length > 0) {
      config.links = links;
    }
    if (points.anomalyRates !== undefined && anomalyShown(labels)) {
      const anomalyLabels = { ...labels, series_type: ANOMALY_RATE_SERIES_TYPE };
      // The same template names both series of a dimension: keep them apart unless it names the series type.
      const rendered = legend === undefined ? undefined : renderLegend(legend, anomalyLabels, automatic);
      const name =
        rendered !== undefined && legendNames(legend ?? '', 'series_type')
          ? rendered
          : `${rendered ?? automatic} anomaly rate`;
      const anomaly: NumberField = {
        name,
        type: 'number',
        values: points.anomalyRates[i],
        labels: anomalyLabels,
        config: { displayNameFromDS: name, unit: 'percent', min: 0, max: 100 },
      };
      anomalyFrames.push({ refId: ctx.refId, meta: baseMeta(ctx), fields: [timeField(), anomaly] });
    }
    const valueField: NumberField = { name: displayName, type: 'number', values: points.values[i], labels, config };
    return { refId: ctx.refId, meta: baseMeta(ctx), fields: [timeField(), valueField] };
  });
  frames.push(...anomalyFrames);

  const notices: FrameNotice[] = [...(ctx.notices ?? [])];
  const mergedAt = remainders.findIndex((n) => n !== undefined);
  if (mergedAt >= 0) {
    notices.push(remainderNotice(remainders[mergedAt] ?? 0, ids.length - 1, ctx.query.anomalyRate === true));
  }
  if (partial.length > 0) {
    notices.push(annotationNotice(partial, 'is partial', 'are partial', ': not every node/instance contributed'));
  }
  if (reset.length > 0) {
    notices.push(annotationNotice(reset, 'follows', 'follow', ' a counter reset or overflow'));
  }
  notices.push(...nodeWarnings(resp));
  if (points.anomalyRates !== undefined) {
    notices.push(...anomalyDetectionNotices(anomaly, allLabels));
  }
  if (notices.length > 0) {
    frames[0].meta = { ...frames[0].meta, notices };
  }
  return frames;
}
