// The saved model of a correlations query (queryType `correlations`): rank what changed in the query's time range
// (the highlight) against a baseline window before it, by one of Netdata's scoring methods (netdata-api-extra.md §1).
import { CORRELATIONS_QUERY_TYPE } from './queryType';
import {
  integerField,
  labelList,
  pathIdField,
  patternList,
  patternText,
  readModel,
  shortList,
  wordField,
} from './modelFields';
import type { LabelFilter, Result } from './types';

export type CorrelationMethod = 'ks2' | 'volume' | 'anomaly-rate' | 'value';

export const CORRELATION_METHODS: readonly CorrelationMethod[] = ['ks2', 'volume', 'anomaly-rate', 'value'];

export interface CorrelationsQueryModel {
  queryType: typeof CORRELATIONS_QUERY_TYPE;
  /** Node patterns (hostname, machine GUID or node id); empty = all nodes. */
  nodes: string[];
  /** Netdata pattern over context ids. */
  contexts: string;
  /** Exact label filters (same key OR-ed, different keys AND-ed). */
  labels: LabelFilter[];
  method: CorrelationMethod;
  /**
   * Baseline length as a multiple of the highlight (ks2/volume). Netdata rounds it up to a power of two
   * (§1.2 step 3); the frame says which baseline was used.
   */
  baseline: number;
  /** Rows kept, most changed first. */
  limit: number;
  spaceId?: string;
  roomId?: string;
}

export const DEFAULT_CORRELATIONS: CorrelationsQueryModel = {
  queryType: CORRELATIONS_QUERY_TYPE,
  nodes: [],
  contexts: '*',
  labels: [],
  method: 'ks2',
  baseline: 4,
  limit: 50,
};

/**
 * Netdata gives the baseline `points × 2^k` points and silently shrinks k while that exceeds 10000 (§1.2 step 3);
 * 64× still leaves 156 highlight points, enough for ks2.
 */
export const MAX_BASELINE = 64;
export const MAX_CORRELATIONS_LIMIT = 10000;

/** Validates the saved JSON of a correlations query (untrusted) and fills defaults. */
export function parseCorrelationsQuery(raw: unknown): Result<CorrelationsQueryModel> {
  return readModel(raw, (r) => {
    const model: CorrelationsQueryModel = {
      queryType: CORRELATIONS_QUERY_TYPE,
      nodes: patternList(r, 'nodes'),
      contexts: patternText(r, 'contexts', DEFAULT_CORRELATIONS.contexts) ?? '*',
      labels: labelList(r, 'labels'),
      method: wordField(r, 'method', CORRELATION_METHODS, DEFAULT_CORRELATIONS.method),
      baseline: integerField(r, 'baseline', DEFAULT_CORRELATIONS.baseline, 1, MAX_BASELINE),
      limit: integerField(r, 'limit', DEFAULT_CORRELATIONS.limit, 1, MAX_CORRELATIONS_LIMIT),
    };
    const spaceId = pathIdField(r, 'spaceId');
    const roomId = pathIdField(r, 'roomId');
    if (spaceId !== undefined) {
      model.spaceId = spaceId;
    }
    if (roomId !== undefined) {
      model.roomId = roomId;
    }
    return model;
  });
}

/** Needs a baseline window before the highlight. */
export function usesBaseline(method: CorrelationMethod): boolean {
  return method === 'ks2' || method === 'volume';
}

/** One line for Explore's query history: `Correlations ks2 of system.* vs 4× baseline on web1 (top 50)`. */
export function correlationsDisplayText(m: CorrelationsQueryModel): string {
  let text = `Correlations ${m.method} of ${m.contexts}`;
  if (usesBaseline(m.method)) {
    text += ` vs ${m.baseline}× baseline`;
  }
  if (m.nodes.length > 0) {
    text += ` on ${shortList(m.nodes)}`;
  }
  if (m.labels.length > 0) {
    text += ` where ${shortList(m.labels.map((l) => `${l.key}=${l.value}`))}`;
  }
  return `${text} (top ${m.limit})`;
}
