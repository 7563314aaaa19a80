// The data query as the engine sees it, and its reading from agent query parameters (netdata-api.md §3.1).
// Cloud bodies are mapped onto the same shape in cloud.ts.

import type { AgentQuery } from './queryString';
import { parseAgentInt, splitWords } from './queryString';
import type { LabelMatching } from './patterns';
import type { AgentVersion } from './version';
import { atLeast } from './version';

export interface GroupingPass {
  groupBy?: string;
  groupByLabel?: string;
  aggregation?: string;
}

export interface DataRequest {
  scopeNodes?: string;
  scopeContexts?: string;
  scopeInstances?: string;
  scopeLabels?: string;
  scopeDimensions?: string;
  nodes?: string;
  contexts?: string;
  instances?: string;
  labels?: string;
  dimensions?: string;
  alerts?: string;
  /** Undefined when absent. */
  after?: number;
  before?: number;
  points: number;
  timeGroup?: string;
  timeGroupOptions?: string;
  tier?: number;
  /** One or two grouping passes. */
  passes: GroupingPass[];
  /** Option words as sent (aliases resolved by the engine). */
  options: string[];
  /** Milliseconds; undefined or 0 = none. */
  timeout?: number;
  format?: string;
  /** Keep the top N-1 outputs and fold the rest into `remaining K dimensions` (>= 2.6). */
  cardinalityLimit?: number;
  /** How `labels` is read: per key from v1.45, any label before (netdata-api-extra.md §8.4); default per key. */
  labelMatching?: LabelMatching;
  /** v2.6–v2.10 also trim summary.nodes to the limit (netdata-api-extra.md §8.1); v2.11+ only on request. */
  limitTrimsSummary?: boolean;
}

const PASS_PARAM = /^(group_by|group_by_label|aggregation)(?:\[(\d+)\])?$/;
const PASS_FIELD: Record<string, keyof GroupingPass> = {
  group_by: 'groupBy',
  group_by_label: 'groupByLabel',
  aggregation: 'aggregation',
};

/** Plain `group_by=` (and `aggregation=`, `group_by_label=`) fill passes 0 then 1; `group_by[1]=` names the pass. */
export function parsePasses(query: AgentQuery): GroupingPass[] {
  const passes: GroupingPass[] = [{}, {}];
  const next: Record<string, number> = { group_by: 0, group_by_label: 0, aggregation: 0 };
  for (const [name, value] of query.pairs) {
    const m = PASS_PARAM.exec(name);
    if (!m) {
      continue;
    }
    const param = m[1];
    const index = m[2] !== undefined ? Number(m[2]) : next[param]++;
    if (index > 1) {
      continue;
    }
    passes[index][PASS_FIELD[param]] = value;
  }
  const second = passes[1];
  return second.groupBy !== undefined || second.groupByLabel !== undefined ? passes : [passes[0]];
}

function optionalInt(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseAgentInt(value);
}

/** `cardinality_limit` (>= 2.6), else `limit` + 1 (>= 2.11). */
function cardinalityLimit(query: AgentQuery, version: AgentVersion): number | undefined {
  const explicit = atLeast(version, 2, 6) ? optionalInt(query.last('cardinality_limit')) : undefined;
  if (explicit !== undefined && explicit > 0) {
    return explicit;
  }
  const limit = atLeast(version, 2, 11) ? optionalInt(query.last('limit')) : undefined;
  return limit !== undefined && limit > 0 ? limit + 1 : undefined;
}

export function dataRequestFromAgentQuery(query: AgentQuery, version: AgentVersion): DataRequest {
  const v26 = atLeast(version, 2, 6);
  const points = parseAgentInt(query.last('points'));
  return {
    scopeNodes: query.last('scope_nodes'),
    scopeContexts: query.last('scope_contexts'),
    scopeInstances: v26 ? query.last('scope_instances') : undefined,
    scopeLabels: v26 ? query.last('scope_labels') : undefined,
    scopeDimensions: v26 ? query.last('scope_dimensions') : undefined,
    nodes: query.last('nodes'),
    contexts: query.last('contexts'),
    instances: query.last('instances'),
    labels: query.last('labels'),
    dimensions: query.last('dimensions'),
    alerts: query.last('alerts'),
    after: optionalInt(query.last('after')),
    before: optionalInt(query.last('before')),
    points: points > 0 ? points : 0,
    timeGroup: query.last('time_group'),
    timeGroupOptions: query.last('time_group_options'),
    tier: optionalInt(query.last('tier')),
    passes: parsePasses(query),
    options: query.all('options').flatMap((o) => splitWords(o)),
    timeout: optionalInt(query.last('timeout')),
    format: query.last('format'),
    cardinalityLimit: cardinalityLimit(query, version),
    labelMatching: atLeast(version, 1, 45) ? 'per-key' : 'any-label',
    limitTrimsSummary: v26 && !atLeast(version, 2, 11),
  };
}
