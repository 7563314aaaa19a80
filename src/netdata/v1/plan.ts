// A query model on a Netdata 1.37 agent (netdata-api-extra.md §4.7): which of its nodes and charts the query
// covers, one `/api/v1/data` request per chart, and what v1 cannot answer. Pure: the backend fetches.
import { effectiveTimeGroupOptions, groupByParams, timeoutParam } from '../agentRequest';
import { simplePattern, splitPatternText } from '../patterns';
import { dataTier } from '../tiers';
import type { NetdataQueryModel, QueryWindow } from '../types';
import { dataWindow } from '../window';
import { compileMatcher, matches } from './pattern';
import type { V1Chart, V1Dimension, V1Node } from './types';

/** A query v1 cannot answer, or that selects nothing: reported as that query's error. */
export class V1QueryError extends Error {}

/** Where v2 features first appeared (netdata-api.md §7). */
const NEEDS = {
  json2: 'Netdata v1.39+ (/api/v2/data)',
  percentage: 'Netdata v1.40+ (/api/v2/data)',
  extremes: 'Netdata v2.6+',
};

/** The features of the query Netdata 1.37 cannot answer: an error naming each and the version that has it. */
export function v1Unsupported(q: NetdataQueryModel): string | undefined {
  const problems: string[] = [];
  if (q.anomalyRate) {
    problems.push(
      `anomaly rates need ${NEEDS.json2} (1.37's v1 API has no per-point anomaly rates, and ML is off there)`
    );
  }
  if (q.groupBy.includes('percentage-of-instance')) {
    problems.push(`group by percentage-of-instance needs ${NEEDS.json2}`);
  }
  if (q.aggregation === 'percentage') {
    problems.push(`the percentage aggregation needs ${NEEDS.percentage}`);
  }
  if (q.timeGroup === 'extremes') {
    problems.push(`the extremes time group needs ${NEEDS.extremes} (1.37 would silently average instead)`);
  }
  if (problems.length === 0) {
    return undefined;
  }
  return `Netdata 1.37 (v1 API) cannot answer this query: ${problems.join('; ')}`;
}

/** Nodes selected by the query's node filter (hostname, machine GUID, node id: netdata-api.md §2.8). */
export function selectV1Nodes(q: NetdataQueryModel, nodes: readonly V1Node[]): V1Node[] {
  const m = compileMatcher(q.nodes);
  const selected = nodes.filter((n) => matches(m, [n.hostname, n.machineGuid, n.nodeId]));
  if (selected.length === 0) {
    throw new V1QueryError(
      `No node of this Netdata matches the node filter "${q.nodes.join('|').slice(0, 200)}" ` +
        `(its nodes: ${nodes.map((n) => n.hostname).join(', ')})`
    );
  }
  return selected;
}

/** One chart of one node the query reads, with the dimensions it selects (in the chart's order). */
export interface V1Target {
  node: V1Node;
  chart: V1Chart;
  dimensions: V1Dimension[];
  /**
   * No listed dimension matches the dimension filter, but the chart may still have one: `/api/v1/charts` omits
   * hidden dimensions (system.cpu `idle`), which `/api/v1/data` answers when a filter names them. The agent decides:
   * a 404 for such a chart means "not in this chart".
   */
  probe?: true;
}

function labelsMatch(labels: Record<string, string>, filters: NetdataQueryModel['labels']): boolean {
  // Same key: OR; different keys: AND; exact values — what the v2 path sends (netdata-api.md §2.7).
  const byKey = new Map<string, Set<string>>();
  for (const f of filters) {
    const values = byKey.get(f.key) ?? new Set<string>();
    values.add(f.value);
    byKey.set(f.key, values);
  }
  for (const [key, values] of byKey) {
    const value = labels[key];
    if (value === undefined || !values.has(value)) {
      return false;
    }
  }
  return true;
}

function describeNodes(nodes: readonly V1Node[]): string {
  return nodes.length === 1 ? `node ${nodes[0].hostname}` : `nodes ${nodes.map((n) => n.hostname).join(', ')}`;
}

/**
 * The charts of the selected nodes the query reads. Label filters are AND-ed per key by the plugin (1.37's
 * `chart_labels_filter` can only OR, §4.7). Selecting nothing is an error naming the filter that emptied it.
 */
export function planV1Targets(
  q: NetdataQueryModel,
  chartsByNode: ReadonlyArray<{ node: V1Node; charts: readonly V1Chart[] }>
): V1Target[] {
  // The context is one pattern text (`system.cpu|disk.io`), the selectors lists of entries.
  const contexts = compileMatcher(splitPatternText(q.context));
  const instances = compileMatcher(q.instances);
  const dims = compileMatcher(q.dimensions);
  const nodes = chartsByNode.map((c) => c.node);
  let ofContext = 0;
  let ofInstances = 0;
  let ofLabels = 0;
  const targets: V1Target[] = [];
  for (const { node, charts } of chartsByNode) {
    for (const chart of charts) {
      if (!matches(contexts, [chart.context])) {
        continue;
      }
      ofContext++;
      const instanceNames = [
        chart.id,
        chart.name,
        `${chart.id}@${node.machineGuid}`,
        `${chart.name}@${node.hostname}`,
        node.nodeId === undefined ? undefined : `${chart.id}@${node.nodeId}`,
      ];
      if (!matches(instances, instanceNames)) {
        continue;
      }
      ofInstances++;
      if (!labelsMatch(chart.labels, q.labels)) {
        continue;
      }
      ofLabels++;
      const selected = chart.dimensions.filter((d) => matches(dims, [d.id, d.name]));
      if (selected.length > 0) {
        targets.push({ node, chart, dimensions: selected });
      } else if (dims !== undefined) {
        targets.push({ node, chart, dimensions: [], probe: true });
      }
    }
  }
  if (targets.length > 0) {
    return targets;
  }
  const where = describeNodes(nodes);
  if (ofContext === 0) {
    throw new V1QueryError(`Context "${q.context}" does not exist on ${where} (no chart of /api/v1/charts has it)`);
  }
  if (ofInstances === 0) {
    throw new V1QueryError(
      `No chart of context "${q.context}" on ${where} matches the instance filter "${q.instances.join('|').slice(0, 200)}"`
    );
  }
  if (ofLabels === 0) {
    const shown = q.labels.map((l) => `${l.key}:${l.value}`).join(', ');
    throw new V1QueryError(`No chart of context "${q.context}" on ${where} has the labels ${shown.slice(0, 200)}`);
  }
  throw noDimensionError(q, nodes);
}

/** The dimension filter matched nothing in any chart (listed or, for hidden ones, as the agent answered). */
export function noDimensionError(q: NetdataQueryModel, nodes: readonly V1Node[]): V1QueryError {
  return new V1QueryError(
    `Dimension "${q.dimensions.join('|').slice(0, 200)}" is not in the charts of context "${q.context}" on ` +
      describeNodes(nodes)
  );
}

/** v2 makes values absolute unless every grouping pass keeps dimensions apart, and with `percentage` (§3.1). */
export function v1NeedsAbsolute(q: NetdataQueryModel): boolean {
  return !groupByParams(q).groupBy.includes('dimension') || q.percentage === true;
}

/** 1.37's words for our time groups (`incremental-sum` is `incremental_sum` in its echo, both are read). */
function v1Group(q: NetdataQueryModel): string {
  return q.timeGroup;
}

export interface V1DataRequestOptions {
  timeoutMs?: number;
}

/**
 * `GET <node prefix>/api/v1/data?chart=<id>&…` for one target: the same absolute window and points for every chart,
 * `unaligned` so that charts of one update interval share their timestamps, oldest rows first, seconds.
 */
export function buildV1DataPath(
  q: NetdataQueryModel,
  target: V1Target,
  w: QueryWindow,
  opts: V1DataRequestOptions = {}
): string {
  const { after, before, points } = dataWindow(w);
  const options = ['jsonwrap', 'seconds', 'flip', 'unaligned'];
  if (v1NeedsAbsolute(q)) {
    options.push('abs');
  }
  if (q.percentage) {
    options.push('percentage');
  }
  const params: Array<[string, string | number | undefined]> = [
    ['chart', target.chart.id],
    ['after', after],
    ['before', before],
    ['points', points],
    ['group', v1Group(q)],
    ['group_options', effectiveTimeGroupOptions(q)],
    ['tier', dataTier(q)],
    ['format', 'json'],
    ['options', options.join('|')],
    ['timeout', timeoutParam(opts)],
    ['dimensions', simplePattern(q.dimensions)],
  ];
  const query = params
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
  return `${target.node.prefix}/api/v1/data?${query}`;
}
