import type { ComboboxOption } from '@grafana/ui';

import type { Aggregation, GroupByWord, TimeGroup } from '../../netdata/types';

export const GROUP_BY_OPTIONS: Array<ComboboxOption<GroupByWord>> = [
  { value: 'dimension', label: 'dimension', description: 'One series per dimension (default)' },
  { value: 'instance', label: 'instance', description: 'One series per instance (chart)' },
  { value: 'node', label: 'node', description: 'One series per node' },
  { value: 'label', label: 'label', description: 'One series per value of the chosen labels' },
  { value: 'context', label: 'context', description: 'One series per context' },
  { value: 'units', label: 'units', description: 'One series per unit' },
  {
    value: 'percentage-of-instance',
    label: 'percentage-of-instance',
    description: 'Selected dimensions as % of all dimensions of each instance (alone only)',
  },
  { value: 'selected', label: 'selected', description: 'Everything selected in one series (alone only)' },
];

/** Netdata lets these two override every other word (netdata-api.md §3.1), so they are chosen alone. */
export const EXCLUSIVE_GROUP_BY: GroupByWord[] = ['selected', 'percentage-of-instance'];

/**
 * The group-by words after a change: an exclusive word just added replaces the others; any other word just
 * added drops the exclusive ones.
 */
export function guardGroupBy(previous: GroupByWord[], next: GroupByWord[]): GroupByWord[] {
  const added = next.filter((w) => !previous.includes(w));
  const addedExclusive = added.find((w) => EXCLUSIVE_GROUP_BY.includes(w));
  if (addedExclusive) {
    return [addedExclusive];
  }
  const exclusive = next.filter((w) => EXCLUSIVE_GROUP_BY.includes(w));
  if (exclusive.length && next.length > exclusive.length) {
    return next.filter((w) => !EXCLUSIVE_GROUP_BY.includes(w));
  }
  return exclusive.length > 1 ? [exclusive[exclusive.length - 1]] : next;
}

export const AGGREGATION_OPTIONS: Array<ComboboxOption<Aggregation>> = [
  { value: 'avg', label: 'average', description: 'Average of the series in each group (default)' },
  { value: 'sum', label: 'sum', description: 'Sum of the series in each group' },
  { value: 'min', label: 'min', description: 'Minimum of the series in each group' },
  { value: 'max', label: 'max', description: 'Maximum of the series in each group' },
  {
    value: 'percentage',
    label: 'percentage',
    description: 'Selected dimensions as % of selected + filtered-out dimensions',
  },
  { value: 'extremes', label: 'extremes', description: 'Value with the largest magnitude, sign kept (agent ≥ 2.6)' },
];

export const TIME_GROUP_OPTIONS: Array<ComboboxOption<TimeGroup>> = [
  { value: 'average', label: 'average', description: 'Mean of the samples in each point (default)' },
  { value: 'min', label: 'min', description: 'Smallest sample' },
  { value: 'max', label: 'max', description: 'Largest sample' },
  { value: 'sum', label: 'sum', description: 'Sum of the samples' },
  { value: 'incremental-sum', label: 'incremental-sum', description: 'Last sample minus first sample' },
  { value: 'median', label: 'median', description: 'Median of the samples' },
  { value: 'trimmed-median', label: 'trimmed-median', description: 'Median after trimming N % of extreme samples' },
  { value: 'trimmed-mean', label: 'trimmed-mean', description: 'Mean after trimming N % of extreme samples' },
  {
    value: 'percentile',
    label: 'percentile',
    description: "Netdata's percentile: mean of the lowest N % of the samples",
  },
  { value: 'stddev', label: 'stddev', description: 'Standard deviation' },
  { value: 'cv', label: 'cv', description: 'Coefficient of variation (relative standard deviation, %)' },
  { value: 'ses', label: 'ses', description: 'Single exponential smoothing' },
  { value: 'des', label: 'des', description: 'Double exponential smoothing' },
  { value: 'countif', label: 'countif', description: '% of the samples matching a condition such as >0' },
  { value: 'extremes', label: 'extremes', description: 'Max of positive / min of negative samples (agent ≥ 2.6)' },
];

/** Time groups that take an option, with what the option means (netdata-api.md §3.1, §3.3). */
export const TIME_GROUP_OPTION: Partial<Record<TimeGroup, { label: string; placeholder: string; tooltip: string }>> = {
  percentile: { label: 'Percent', placeholder: '95', tooltip: 'Percentage of the samples to average, lowest first.' },
  'trimmed-mean': { label: 'Trim %', placeholder: '5', tooltip: 'Percentage of extreme samples to drop.' },
  'trimmed-median': { label: 'Trim %', placeholder: '5', tooltip: 'Percentage of extreme samples to drop.' },
  countif: {
    label: 'Condition',
    placeholder: '>0',
    tooltip: 'Operator and number: >0, >=10, <5, <=5, =0, !=0. Always include the operator.',
  },
};
