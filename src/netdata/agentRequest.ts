// `GET /api/v3/data` (or `/api/v2/data`) request of an Agent/Parent (netdata-api.md §3, §9).
import type { AgentFeatures } from './agentFeatures';
import { labelsPattern, simplePattern, stripControlChars, textPattern } from './patterns';
import { countifCondition } from './query';
import type { AgentRequest, Aggregation, GroupByWord, NetdataQueryModel, QueryWindow } from './types';
import { dataTier, type TierRetention } from './tiers';
import { TIER0_TIME_GROUPS } from './vocabulary';
import { dataWindow } from './window';

/** The agent keeps 64 KiB of URL and silently drops the rest (§2.1); stay clearly below. */
export const MAX_AGENT_URL_BYTES = 60 * 1024;
export const DEFAULT_TIMEOUT_MS = 30000;

/**
 * Rows oldest first (`flip`), millisecond timestamps (`ms`), the window exactly as asked (`unaligned`), compact JSON
 * (`minify`), `jsonwrap` for agents that still look at it. All exist on every v2-capable agent (§3.2).
 */
export const DATA_OPTIONS: readonly string[] = ['jsonwrap', 'flip', 'ms', 'unaligned', 'minify'];

/** Time groups pinned to tier 0 without an explicit tier (§3.3); the list lives in the vocabulary. */
export { TIER0_TIME_GROUPS };

export interface DataRequestOptions {
  /** Netdata-side query timeout in ms; default 30000; 0 sends none. */
  timeoutMs?: number;
  /** What the agent's version reads (labels, series limit); a current agent when not given. */
  features?: AgentFeatures;
  /** The agent's retention per tier (its info's `db_size`): tier 0 is forced for statistics only inside it. */
  tiers?: readonly TierRetention[];
}

/** The agent's word for an aggregation (`avg` is an alias there; `average` is the main name). */
export function agentAggregation(aggregation: Aggregation): string {
  return aggregation === 'avg' ? 'average' : aggregation;
}

/** The options of a data request: the fixed ones plus the query's `nonzero` and `percentage`. */
export function dataOptions(q: NetdataQueryModel, fixed: readonly string[]): string[] {
  const options = [...fixed];
  if (q.nonZero) {
    options.push('nonzero');
  }
  if (q.percentage) {
    options.push('percentage');
  }
  return options;
}

/** Agent `cardinality_limit`: the top `limit` series plus the one that folds the rest (§3.1). */
export function cardinalityLimit(q: NetdataQueryModel): number | undefined {
  return q.limit !== undefined && Number.isInteger(q.limit) && q.limit > 0 ? q.limit + 1 : undefined;
}

/**
 * The series-limit parameter in the agent's own words: `limit=N` from v2.11, `cardinality_limit=N+1` on v2.6–v2.10
 * (§2.6); older agents have none (they would ignore it: the frames say so instead).
 */
export function seriesLimitParam(
  q: NetdataQueryModel,
  features: AgentFeatures | undefined
): [string, number | undefined] {
  const limit = cardinalityLimit(q);
  const param = features === undefined ? 'cardinality_limit' : features.seriesLimit;
  if (param === 'limit') {
    return ['limit', limit === undefined ? undefined : limit - 1];
  }
  return ['cardinality_limit', param === undefined ? undefined : limit];
}

/** `time_group_options` to send; a countif condition always carries its operator (§3.1). */
export function effectiveTimeGroupOptions(q: NetdataQueryModel): string | undefined {
  const option = q.timeGroupOptions === undefined ? '' : stripControlChars(q.timeGroupOptions).trim();
  if (option === '') {
    return undefined;
  }
  return q.timeGroup === 'countif' ? countifCondition(option) : option;
}

/** Word list of the group-by pass, `label` included only with keys (without them Netdata groups by dimension). */
export function groupByParams(q: NetdataQueryModel): { groupBy: GroupByWord[]; groupByLabel: string[] } {
  const groupByLabel = q.groupByLabels.map((k) => stripControlChars(k).trim()).filter((k) => k !== '');
  let groupBy: GroupByWord[] = q.groupBy.filter((w) => w !== 'label' || groupByLabel.length > 0);
  if (groupByLabel.length > 0 && !groupBy.includes('label')) {
    groupBy.push('label');
  }
  if (groupBy.length === 0) {
    groupBy = ['dimension'];
  }
  return { groupBy, groupByLabel };
}

export function contextPattern(context: string): string {
  const pattern = textPattern(context);
  if (pattern === undefined) {
    throw new Error('The query has no context: choose a Netdata context (such as system.cpu)');
  }
  return pattern;
}

/**
 * Builds the data request, with the tier it sends (tiers.ts: whether a statistic may come from aggregated tiers).
 * Throws an Error with a readable message when the query cannot be expressed as a URL the agent will read whole (the
 * caller reports it as this query's error).
 */
export function buildAgentDataRequest(
  q: NetdataQueryModel,
  w: QueryWindow,
  apiVersion: 2 | 3,
  opts?: DataRequestOptions
): AgentRequest & { tier: number | undefined } {
  const { after, before, points } = dataWindow(w);
  const tier = dataTier(q, after, opts?.tiers);
  const { groupBy, groupByLabel } = groupByParams(q);
  const params: Array<[string, string | number | undefined]> = [
    ['scope_contexts', contextPattern(q.context)],
    ['after', after],
    ['before', before],
    ['points', points],
    ['format', 'json2'],
    ['options', dataOptions(q, DATA_OPTIONS).join(',')],
    ['group_by', groupBy.join(',')],
    ['group_by_label', groupByLabel.length > 0 ? groupByLabel.join(',') : undefined],
    ['aggregation', agentAggregation(q.aggregation)],
    ['time_group', q.timeGroup],
    ['time_group_options', effectiveTimeGroupOptions(q)],
    ['tier', tier],
    seriesLimitParam(q, opts?.features),
    ['timeout', timeoutParam(opts)],
    // Selectors last: they are the only long values.
    ['scope_nodes', simplePattern(q.nodes)],
    ['instances', simplePattern(q.instances)],
    ['dimensions', simplePattern(q.dimensions)],
    ['labels', labelsPattern(q.labels, opts?.features?.labelMatching)],
  ];
  const query = params
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
  const path = `/api/v${apiVersion}/data?${query}`;
  if (path.length > MAX_AGENT_URL_BYTES) {
    throw new Error(
      `The Netdata request would be ${Math.ceil(path.length / 1024)} KiB long; Netdata agents cut URLs at 64 KiB. ` +
        'Use fewer or shorter node, instance, dimension or label filters (wildcards such as web* help)'
    );
  }
  return { method: 'GET', path, tier };
}

export function timeoutParam(opts?: DataRequestOptions): number | undefined {
  const timeout = opts?.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeout) || timeout <= 0) {
    return undefined;
  }
  return Math.ceil(timeout);
}
