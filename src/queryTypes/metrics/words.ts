import type { ComboboxOption } from '@grafana/ui';

import type { Aggregation, GroupByWord, TimeGroup } from '../../netdata/types';
import { AGGREGATIONS, GROUP_BY_WORDS, groupByConflicts, TIME_GROUPS, TimeGroupInfo } from '../../netdata/vocabulary';

/** `v2.6.0` → `Netdata ≥ 2.6`, for words older agents silently replace with a default. */
function needsVersion(since: string): string | undefined {
  const m = /^v?(\d+)\.(\d+)/.exec(since);
  if (!m) {
    return undefined;
  }
  const [major, minor] = [Number(m[1]), Number(m[2])];
  // Every agent with the v2 API knows the v1.39/v1.40 words; only newer ones deserve a mark.
  return major > 1 ? `needs Netdata ≥ ${major}.${minor}` : undefined;
}

function withVersion(description: string, since: string): string {
  const version = needsVersion(since);
  return version ? `${description} (${version})` : description;
}

export const GROUP_BY_OPTIONS: Array<ComboboxOption<GroupByWord>> = GROUP_BY_WORDS.map((w) => ({
  value: w.name,
  label: w.name,
  description: withVersion(w.description, w.since),
}));

export const AGGREGATION_OPTIONS: Array<ComboboxOption<Aggregation>> = AGGREGATIONS.map((a) => ({
  value: a.name,
  label: a.label,
  description: withVersion(a.description, a.since),
}));

export const TIME_GROUP_OPTIONS: Array<ComboboxOption<TimeGroup>> = TIME_GROUPS.map((t) => ({
  value: t.name,
  label: t.label,
  description: withVersion(t.description, t.since),
}));

export function timeGroupInfo(name: TimeGroup | undefined): TimeGroupInfo {
  return TIME_GROUPS.find((t) => t.name === name) ?? TIME_GROUPS[0];
}

const EXCLUSIVE: readonly GroupByWord[] = GROUP_BY_WORDS.filter((w) => w.exclusive).map((w) => w.name);

/**
 * The group-by words after a change, never a combination Netdata refuses (`groupByConflicts`): an exclusive word
 * (`selected`, `percentage-of-instance`) just added replaces the others; any other word just added drops the
 * exclusive ones.
 */
export function guardGroupBy(previous: readonly GroupByWord[], next: readonly GroupByWord[]): GroupByWord[] {
  if (groupByConflicts(next) === undefined) {
    return [...next];
  }
  const added = next.filter((w) => !previous.includes(w));
  const addedExclusive = added.find((w) => EXCLUSIVE.includes(w));
  if (addedExclusive) {
    return [addedExclusive];
  }
  const withoutExclusive = next.filter((w) => !EXCLUSIVE.includes(w));
  if (withoutExclusive.length > 0) {
    return withoutExclusive;
  }
  // Only exclusive words (two of them): keep the newest.
  return [next[next.length - 1]];
}

/** Validation of a time group option as Netdata reads it (netdata-api.md §3.1, §3.3); undefined when fine. */
export function timeGroupOptionProblem(info: TimeGroupInfo, value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '' || value.includes('$')) {
    return undefined;
  }
  const v = value.trim();
  if (info.option === 'percent') {
    const n = Number(v);
    const max = info.optionMax ?? 100;
    return /^\d+(\.\d+)?$/.test(v) && n > 0 && n <= max ? undefined : `Enter a percentage above 0 and at most ${max}`;
  }
  if (info.option === 'condition') {
    return /^(>=|<=|==|!=|<>|>|<|=|:)\s*-?\d+(\.\d+)?$/.test(v)
      ? undefined
      : 'Enter an operator and a number, e.g. >0, >=10, <5, =0 or !=0 (a number without an operator is misread)';
  }
  return undefined;
}
