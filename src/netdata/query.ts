// Validation of a saved Grafana query (untrusted JSON) into the Netdata query model.
import { migrateQuery } from './migrate';
import {
  hasControlChars,
  labelFilterProblem,
  patternItems,
  splitPatternText,
  stripControlChars,
  wireItem,
} from './patterns';
import type { Aggregation, GroupByWord, LabelFilter, NetdataQueryModel, Result, TimeGroup } from './types';
import {
  AGGREGATIONS,
  aggregationByName,
  GROUP_BY_WORDS,
  groupByConflicts,
  isGroupByWord,
  TIME_GROUPS,
  timeGroupByName,
  timeGroupInfo,
} from './vocabulary';

export const MAX_STRING_LENGTH = 4096;
export const MAX_ARRAY_LENGTH = 1000;
/** Netdata groups by at most 10 label keys. */
export const MAX_GROUP_BY_LABELS = 10;

export const DEFAULT_QUERY: NetdataQueryModel = {
  context: '',
  nodes: [],
  instances: [],
  dimensions: [],
  labels: [],
  groupBy: ['dimension'],
  groupByLabels: [],
  aggregation: 'avg',
  timeGroup: 'average',
};

/** Upper bound of `limit` (series kept before the rest is folded into one). */
export const MAX_LIMIT = 10000;

const COUNTIF_CONDITION = /^(>=|<=|==|!=|<>|>|<|=|:)\s*-?\d+(\.\d+)?$/;
const PERCENT_OPTION = /^\d+(\.\d+)?$/;

class QueryError extends Error {}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkLength(text: string, field: string): void {
  if (text.length > MAX_STRING_LENGTH) {
    throw new QueryError(`${field} is too long (${text.length} characters; at most ${MAX_STRING_LENGTH})`);
  }
}

function optionalString(raw: Record<string, unknown>, name: string): string | undefined {
  const value = raw[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new QueryError(`query.${name} must be a string`);
  }
  checkLength(value, `query.${name}`);
  return value;
}

function arrayField(raw: Record<string, unknown>, name: string): unknown[] {
  const value = raw[name];
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new QueryError(`query.${name} must be an array`);
  }
  if (value.length > MAX_ARRAY_LENGTH) {
    throw new QueryError(`query.${name} has too many items (${value.length}; at most ${MAX_ARRAY_LENGTH})`);
  }
  return value;
}

function stringArray(raw: Record<string, unknown>, name: string): string[] {
  const values = arrayField(raw, name).map((item, i) => {
    if (typeof item !== 'string') {
      throw new QueryError(`query.${name}[${i}] must be a string`);
    }
    checkLength(item, `query.${name}[${i}]`);
    if (item.includes('&')) {
      throw new QueryError(
        `query.${name}[${i}] contains '&', which cannot be sent to Netdata (it always splits URL parameters on '&')`
      );
    }
    return item;
  });
  const items = patternItems(values);
  if (items.length > MAX_ARRAY_LENGTH) {
    throw new QueryError(`query.${name} has too many items (${items.length}; at most ${MAX_ARRAY_LENGTH})`);
  }
  return items;
}

function parseContext(raw: Record<string, unknown>): string {
  const value = raw.context;
  if (typeof value !== 'string' || value.trim() === '') {
    throw new QueryError('query.context must be a non-empty string');
  }
  checkLength(value, 'query.context');
  if (hasControlChars(value)) {
    throw new QueryError('query.context must not contain control characters (tab, newline, ...)');
  }
  if (value.includes('&')) {
    throw new QueryError("query.context contains '&', which cannot be sent to Netdata");
  }
  // Several contexts may be given as a pattern (`system.cpu|system.load`); trim around each item (§2.2).
  const items = splitPatternText(value);
  if (items.length === 0) {
    throw new QueryError('query.context must be a non-empty string');
  }
  return items.map(wireItem).join('|');
}

function parseLabels(raw: Record<string, unknown>): LabelFilter[] {
  const labels: LabelFilter[] = [];
  arrayField(raw, 'labels').forEach((item, i) => {
    const field = `query.labels[${i}]`;
    let key: unknown;
    let value: unknown;
    if (typeof item === 'string') {
      // Also accept the `key:value` text Netdata itself uses.
      const colon = item.indexOf(':');
      if (colon < 0) {
        throw new QueryError(`${field} must be an object {key, value} or a "key:value" string`);
      }
      key = item.slice(0, colon);
      value = item.slice(colon + 1);
    } else if (isRecord(item)) {
      key = item.key ?? '';
      value = item.value ?? '';
    } else {
      throw new QueryError(`${field} must be an object {key, value}`);
    }
    if (typeof key !== 'string' || typeof value !== 'string') {
      throw new QueryError(`${field}.key and ${field}.value must be strings`);
    }
    checkLength(key, `${field}.key`);
    checkLength(value, `${field}.value`);
    const k = stripControlChars(key).trim();
    const v = stripControlChars(value).trim();
    if (k === '' && v === '') {
      return; // an empty row left in the editor
    }
    const problem = labelFilterProblem(k, v);
    if (problem !== undefined) {
      throw new QueryError(`${field} ("${k}:${v}") ${problem}`);
    }
    labels.push({ key: k, value: v });
  });
  return labels;
}

function parseGroupByLabels(raw: Record<string, unknown>): string[] {
  const keys = stringArray(raw, 'groupByLabels');
  keys.forEach((key, i) => {
    if (/[*!:]/.test(key)) {
      throw new QueryError(`query.groupByLabels[${i}] ("${key}") must be a plain label key (no '*', '!' or ':')`);
    }
  });
  const unique = Array.from(new Set(keys));
  if (unique.length > MAX_GROUP_BY_LABELS) {
    throw new QueryError(
      `query.groupByLabels has ${unique.length} label keys; Netdata groups by at most ${MAX_GROUP_BY_LABELS}`
    );
  }
  return unique;
}

function parseGroupBy(raw: Record<string, unknown>, groupByLabels: string[]): GroupByWord[] {
  let words: unknown[];
  if (typeof raw.groupBy === 'string') {
    checkLength(raw.groupBy, 'query.groupBy');
    words = raw.groupBy.split(/[,|]/);
  } else {
    words = arrayField(raw, 'groupBy');
  }
  const groupBy: GroupByWord[] = [];
  words.forEach((word, i) => {
    if (typeof word !== 'string') {
      throw new QueryError(`query.groupBy[${i}] must be a string`);
    }
    const w = word.trim().toLowerCase();
    if (w === '') {
      return;
    }
    if (!isGroupByWord(w)) {
      throw new QueryError(
        `query.groupBy[${i}] ("${word.slice(0, 100)}") is not a Netdata group-by word; use one of ` +
          GROUP_BY_WORDS.map((g) => g.name).join(', ')
      );
    }
    if (!groupBy.includes(w)) {
      groupBy.push(w);
    }
  });
  // Netdata adds `label` when label keys are given (§3.1).
  if (groupByLabels.length > 0 && !groupBy.includes('label')) {
    groupBy.push('label');
  }
  if (groupBy.length === 0) {
    return [...DEFAULT_QUERY.groupBy];
  }
  const conflict = groupByConflicts(groupBy);
  if (conflict !== undefined) {
    throw new QueryError(
      `query.groupBy: ${conflict}` + (groupByLabels.length > 0 ? ' and clear query.groupByLabels' : '')
    );
  }
  if (groupBy.includes('label') && groupByLabels.length === 0) {
    throw new QueryError(
      'query.groupBy contains "label" but query.groupByLabels is empty; name at least one label key to group by'
    );
  }
  return groupBy;
}

function parseAggregation(raw: Record<string, unknown>): Aggregation {
  const value = optionalString(raw, 'aggregation');
  if (value === undefined || value.trim() === '') {
    return DEFAULT_QUERY.aggregation;
  }
  const aggregation = aggregationByName(value);
  if (aggregation === undefined) {
    throw new QueryError(
      `query.aggregation ("${value.slice(0, 100)}") must be one of ${AGGREGATIONS.map((a) => a.name).join(', ')}`
    );
  }
  return aggregation;
}

function parseTimeGroup(raw: Record<string, unknown>): { timeGroup: TimeGroup; suffix?: string } {
  const value = optionalString(raw, 'timeGroup');
  if (value === undefined || value.trim() === '') {
    return { timeGroup: DEFAULT_QUERY.timeGroup };
  }
  const name = value.trim().toLowerCase();
  const direct = timeGroupByName(name);
  if (direct !== undefined) {
    return { timeGroup: direct };
  }
  // `percentile95`, `trimmed-mean5`, `trimmed-median10`: the number is the time group option (§3.3).
  const numbered = /^(percentile|trimmed-mean|trimmed-median)(\d+(?:\.\d+)?)$/.exec(name);
  if (numbered) {
    return { timeGroup: numbered[1] as TimeGroup, suffix: numbered[2] };
  }
  throw new QueryError(
    `query.timeGroup ("${value.slice(0, 100)}") is not a Netdata time group; use one of ` +
      TIME_GROUPS.map((t) => t.name).join(', ')
  );
}

function parseTimeGroupOptions(
  raw: Record<string, unknown>,
  timeGroup: TimeGroup,
  suffix?: string
): string | undefined {
  const rawOption = raw.timeGroupOptions;
  let option: string | undefined;
  if (typeof rawOption === 'number' && Number.isFinite(rawOption)) {
    option = String(rawOption);
  } else if (rawOption !== undefined && rawOption !== null) {
    if (typeof rawOption !== 'string') {
      throw new QueryError('query.timeGroupOptions must be a string');
    }
    checkLength(rawOption, 'query.timeGroupOptions');
    option = stripControlChars(rawOption).trim();
  }
  if (option === '') {
    option = undefined;
  }
  const info = timeGroupInfo(timeGroup);
  if (info.option === 'percent') {
    // An explicit option overrides the number in the name, as Netdata does (§3.1).
    const percent = option ?? suffix;
    if (percent === undefined) {
      return undefined;
    }
    const n = Number(percent);
    const max = info.optionMax ?? 100;
    if (!PERCENT_OPTION.test(percent) || !(n > 0 && n <= max)) {
      throw new QueryError(
        `query.timeGroupOptions ("${percent.slice(0, 100)}") must be a percent above 0 and at most ${max} for ${timeGroup}`
      );
    }
    return percent;
  }
  if (info.option === 'condition') {
    if (option === undefined) {
      return undefined;
    }
    return countifCondition(option);
  }
  // Other time groups take no option; a stale one from an earlier choice is dropped.
  return undefined;
}

/**
 * A countif condition with its operator: Netdata drops the first character of a bare number (`10` is read as `=0`,
 * §3.1), so a bare number means "equal to" and gets `=`. Throws on anything else that is not a condition.
 */
export function countifCondition(option: string): string {
  const trimmed = option.trim();
  const withOperator = /^-?\d/.test(trimmed) ? `=${trimmed}` : trimmed;
  if (!COUNTIF_CONDITION.test(withOperator)) {
    throw new QueryError(
      `query.timeGroupOptions ("${option.slice(0, 100)}") must be a countif condition such as >0, >=10, <5, !=0 or =0`
    );
  }
  return withOperator.replace(/\s+/g, '');
}

function parseTier(raw: Record<string, unknown>): number | undefined {
  const value = raw.tier;
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > 100) {
    throw new QueryError('query.tier must be a non-negative integer (0 = full resolution), or empty for automatic');
  }
  return n;
}

function parsePathId(raw: Record<string, unknown>, name: 'spaceId' | 'roomId'): string | undefined {
  const value = optionalString(raw, name);
  const id = value?.trim();
  return id === undefined || id === '' ? undefined : id;
}

function optionalFlag(raw: Record<string, unknown>, name: 'anomalyRate' | 'nonZero' | 'percentage' | 'live'): boolean {
  const value = raw[name];
  if (value === undefined || value === null) {
    return false;
  }
  if (typeof value !== 'boolean') {
    throw new QueryError(`query.${name} must be true or false`);
  }
  return value;
}

function parseLimit(raw: Record<string, unknown>): number | undefined {
  const value = raw.limit;
  if (value === undefined || value === null || value === '' || value === 0) {
    return undefined;
  }
  const n = typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 1 || n > MAX_LIMIT) {
    throw new QueryError(`query.limit must be a whole number of series between 1 and ${MAX_LIMIT}, or empty for all`);
  }
  return n;
}

/**
 * Validates the saved JSON of a Grafana query and fills defaults; extra keys (refId, datasource, …) are ignored.
 * Earlier saved shapes (Netdata's own plugin, single-string lists) are migrated first (`migrateQuery`).
 */
export function parseQuery(input: unknown): Result<NetdataQueryModel> {
  if (!isRecord(input)) {
    return { ok: false, error: 'query must be a JSON object' };
  }
  const raw = migrateQuery(input);
  try {
    const context = parseContext(raw);
    const groupByLabels = parseGroupByLabels(raw);
    const groupBy = parseGroupBy(raw, groupByLabels);
    const { timeGroup, suffix } = parseTimeGroup(raw);
    const model: NetdataQueryModel = {
      context,
      nodes: stringArray(raw, 'nodes'),
      instances: stringArray(raw, 'instances'),
      dimensions: stringArray(raw, 'dimensions'),
      labels: parseLabels(raw),
      groupBy,
      groupByLabels,
      aggregation: parseAggregation(raw),
      timeGroup,
    };
    const timeGroupOptions = parseTimeGroupOptions(raw, timeGroup, suffix);
    if (timeGroupOptions !== undefined) {
      model.timeGroupOptions = timeGroupOptions;
    }
    const tier = parseTier(raw);
    if (tier !== undefined) {
      model.tier = tier;
    }
    const legendFormat = optionalString(raw, 'legendFormat');
    if (legendFormat !== undefined && legendFormat.trim() !== '') {
      model.legendFormat = legendFormat;
    }
    const spaceId = parsePathId(raw, 'spaceId');
    if (spaceId !== undefined) {
      model.spaceId = spaceId;
    }
    const roomId = parsePathId(raw, 'roomId');
    if (roomId !== undefined) {
      model.roomId = roomId;
    }
    for (const flag of ['anomalyRate', 'nonZero', 'percentage', 'live'] as const) {
      if (optionalFlag(raw, flag)) {
        model[flag] = true;
      }
    }
    const limit = parseLimit(raw);
    if (limit !== undefined) {
      model.limit = limit;
    }
    return { ok: true, value: model };
  } catch (e) {
    if (e instanceof QueryError) {
      return { ok: false, error: e.message };
    }
    throw e;
  }
}
