// Netdata's query words with what they compute (netdata-api.md §3.1–§3.4): one source for the editor and the core.
import type { Aggregation, GroupByWord, TimeGroup } from './types';

/** What the `time_group_options` of a time group is: a percent, a countif condition, or nothing. */
export type TimeGroupOptionKind = 'percent' | 'condition' | 'none';

export interface TimeGroupInfo {
  name: TimeGroup;
  label: string;
  /** How Netdata computes it, in the words the editor shows. */
  description: string;
  option: TimeGroupOptionKind;
  /** Netdata's value when no option is sent (percent or condition). */
  defaultOption?: string;
  /** Accepted option range for percent options (inclusive max; the min is exclusive). */
  optionMax?: number;
  /**
   * Higher tiers keep only per-minute min/max/sum/count, so these change meaning there (§3.3): without an explicit
   * tier the query is pinned to tier 0.
   */
  needsTier0: boolean;
  /** First agent version that knows it; older agents silently answer with `average`. */
  since: string;
}

export const TIME_GROUPS: readonly TimeGroupInfo[] = [
  {
    name: 'average',
    label: 'Average',
    description: 'Mean of the samples in each point (default)',
    option: 'none',
    needsTier0: false,
    since: 'v1.39.0',
  },
  {
    name: 'min',
    label: 'Min',
    description: 'Smallest sample in each point',
    option: 'none',
    needsTier0: false,
    since: 'v1.39.0',
  },
  {
    name: 'max',
    label: 'Max',
    description: 'Largest sample in each point',
    option: 'none',
    needsTier0: false,
    since: 'v1.39.0',
  },
  {
    name: 'sum',
    label: 'Sum',
    description: 'Sum of the samples in each point (for per-second rates: the sum of the per-second values)',
    option: 'none',
    needsTier0: false,
    since: 'v1.39.0',
  },
  {
    name: 'incremental-sum',
    label: 'Incremental sum',
    description: 'Last sample minus the first sample of each point: the change over the point, may be negative',
    option: 'none',
    needsTier0: true,
    since: 'v1.39.0',
  },
  {
    name: 'median',
    label: 'Median',
    description: 'Median of the samples in each point',
    option: 'none',
    needsTier0: true,
    since: 'v1.39.0',
  },
  {
    name: 'trimmed-median',
    label: 'Trimmed median',
    description: 'Median after dropping N % of the smallest and N % of the largest samples (N at most 50, default 5)',
    option: 'percent',
    defaultOption: '5',
    optionMax: 50,
    needsTier0: true,
    since: 'v1.39.0',
  },
  {
    name: 'trimmed-mean',
    label: 'Trimmed mean',
    description: 'Mean after dropping N % of the smallest and N % of the largest samples (N at most 50, default 5)',
    option: 'percent',
    defaultOption: '5',
    optionMax: 50,
    needsTier0: true,
    since: 'v1.39.0',
  },
  {
    name: 'percentile',
    label: 'Percentile (Netdata)',
    description:
      'Not the classic N-th percentile: the mean of the lowest N % of the samples in each point (of the highest ' +
      'N % when the samples include negatives). Default 95',
    option: 'percent',
    defaultOption: '95',
    optionMax: 100,
    needsTier0: true,
    since: 'v1.39.0',
  },
  {
    name: 'stddev',
    label: 'Standard deviation',
    description: 'Standard deviation of the samples in each point',
    option: 'none',
    needsTier0: true,
    since: 'v1.39.0',
  },
  {
    name: 'cv',
    label: 'Coefficient of variation',
    description: 'Standard deviation as a percentage of the mean of the samples (relative standard deviation)',
    option: 'none',
    needsTier0: true,
    since: 'v1.39.0',
  },
  {
    name: 'ses',
    label: 'Single exponential smoothing',
    description: 'Exponentially weighted average of the samples, recent samples weighing more',
    option: 'none',
    needsTier0: true,
    since: 'v1.39.0',
  },
  {
    name: 'des',
    label: 'Double exponential smoothing',
    description: 'Exponential smoothing that also follows the trend of the samples (Holt)',
    option: 'none',
    needsTier0: true,
    since: 'v1.39.0',
  },
  {
    name: 'countif',
    label: 'Count if',
    description:
      'Percentage (0–100) of the samples in each point that satisfy the condition, not a count. The condition is ' +
      'an operator and a number: >0, >=10, <5, <=5, =0, !=0 (default =0)',
    option: 'condition',
    defaultOption: '=0',
    needsTier0: true,
    since: 'v1.39.0',
  },
  {
    name: 'extremes',
    label: 'Extremes',
    description: 'The largest positive or the most negative sample, whichever is larger in magnitude, sign kept',
    option: 'none',
    needsTier0: true,
    since: 'v2.6.0',
  },
];

/** Other spellings Netdata accepts for a time group (§3.3), lower case. */
export const TIME_GROUP_ALIASES: Readonly<Record<string, TimeGroup>> = {
  avg: 'average',
  mean: 'average',
  incremental_sum: 'incremental-sum',
  rsd: 'cv',
  'coefficient-of-variation': 'cv',
  ema: 'ses',
  ewma: 'ses',
};

export interface GroupByWordInfo {
  name: GroupByWord;
  label: string;
  description: string;
  /** Netdata drops every other word when this one is present (§3.1): it must be chosen alone. */
  exclusive: boolean;
  /** Keeps the sign of dimensions such as `sent` or `writes`; groupings without `dimension` make values absolute. */
  keepsSign: boolean;
  since: string;
}

export const GROUP_BY_WORDS: readonly GroupByWordInfo[] = [
  {
    name: 'dimension',
    label: 'Dimension',
    description: 'One series per dimension name, across all selected nodes and instances (default)',
    exclusive: false,
    keepsSign: true,
    since: 'v1.39.0',
  },
  {
    name: 'instance',
    label: 'Instance',
    description: 'One series per instance (chart) of each node',
    exclusive: false,
    keepsSign: false,
    since: 'v1.39.0',
  },
  {
    name: 'node',
    label: 'Node',
    description: 'One series per node',
    exclusive: false,
    keepsSign: false,
    since: 'v1.39.0',
  },
  {
    name: 'label',
    label: 'Label',
    description: 'One series per value of the chosen label keys ([unset] where an instance lacks the key)',
    exclusive: false,
    keepsSign: false,
    since: 'v1.39.0',
  },
  {
    name: 'context',
    label: 'Context',
    description: 'One series per context (useful with several contexts)',
    exclusive: false,
    keepsSign: false,
    since: 'v1.39.0',
  },
  {
    name: 'units',
    label: 'Units',
    description: 'One series per unit (useful with several contexts)',
    exclusive: false,
    keepsSign: false,
    since: 'v1.39.0',
  },
  {
    name: 'percentage-of-instance',
    label: 'Percentage of instance',
    description:
      'One series per instance: the selected dimensions as a % of all dimensions of the instance (only a ' +
      'percentage when a dimension filter leaves some out). Chosen alone',
    exclusive: true,
    keepsSign: false,
    since: 'v1.39.0',
  },
  {
    name: 'selected',
    label: 'Selected',
    description: 'Everything selected folded into one series. Chosen alone',
    exclusive: true,
    keepsSign: false,
    since: 'v1.39.0',
  },
];

export interface AggregationInfo {
  name: Aggregation;
  /** The word the agent takes (`average` for avg). */
  netdata: string;
  label: string;
  description: string;
  since: string;
}

export const AGGREGATIONS: readonly AggregationInfo[] = [
  {
    name: 'avg',
    netdata: 'average',
    label: 'Average',
    description: 'Average of the series in each group (default)',
    since: 'v1.39.0',
  },
  { name: 'sum', netdata: 'sum', label: 'Sum', description: 'Sum of the series in each group', since: 'v1.39.0' },
  { name: 'min', netdata: 'min', label: 'Min', description: 'Smallest of the series in each group', since: 'v1.39.0' },
  { name: 'max', netdata: 'max', label: 'Max', description: 'Largest of the series in each group', since: 'v1.39.0' },
  {
    name: 'percentage',
    netdata: 'percentage',
    label: 'Percentage',
    description:
      'Selected dimensions as a % of selected + filtered-out dimensions of the same instances; without a ' +
      'dimension filter Netdata returns the plain sum while the units say %',
    since: 'v1.40.0',
  },
  {
    name: 'extremes',
    netdata: 'extremes',
    label: 'Extremes',
    description: 'Per point, the series value with the largest magnitude, sign kept',
    since: 'v2.6.0',
  },
];

/** Other spellings accepted for an aggregation, lower case. */
export const AGGREGATION_ALIASES: Readonly<Record<string, Aggregation>> = { average: 'avg' };

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

export function timeGroupInfo(name: TimeGroup): TimeGroupInfo {
  const info = TIME_GROUPS.find((t) => t.name === name);
  if (info === undefined) {
    throw new Error(`Unknown time group ${name}`);
  }
  return info;
}

/** The time group a word names (main name or alias, any case), or undefined. */
export function timeGroupByName(word: string): TimeGroup | undefined {
  const w = word.trim().toLowerCase();
  return TIME_GROUPS.find((t) => t.name === w)?.name ?? own(TIME_GROUP_ALIASES, w);
}

/** The aggregation a word names (main name or alias, any case), or undefined. */
export function aggregationByName(word: string): Aggregation | undefined {
  const w = word.trim().toLowerCase();
  return AGGREGATIONS.find((a) => a.name === w)?.name ?? own(AGGREGATION_ALIASES, w);
}

export function isGroupByWord(word: string): word is GroupByWord {
  return GROUP_BY_WORDS.some((g) => g.name === word);
}

/** Time groups pinned to tier 0 unless the query names a tier. */
export const TIER0_TIME_GROUPS: readonly TimeGroup[] = TIME_GROUPS.filter((t) => t.needsTier0).map((t) => t.name);

/**
 * Why Netdata would not group by these words as chosen, or undefined when it would. `selected` and
 * `percentage-of-instance` make Netdata ignore every other word (§3.1), so combining them is refused.
 */
export function groupByConflicts(words: readonly GroupByWord[]): string | undefined {
  const unique = Array.from(new Set(words));
  for (const info of GROUP_BY_WORDS) {
    if (info.exclusive && unique.includes(info.name) && unique.length > 1) {
      const others = unique.filter((w) => w !== info.name).join(', ');
      return (
        `"${info.name}" cannot be combined with other group-by words (${others}); Netdata would ignore them. ` +
        'Use it alone'
      );
    }
  }
  return undefined;
}
