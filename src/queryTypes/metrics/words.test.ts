import { AGGREGATIONS, GROUP_BY_WORDS, groupByConflicts, TIME_GROUPS } from '../../netdata/vocabulary';
import type { GroupByWord } from '../../netdata/types';
import {
  AGGREGATION_OPTIONS,
  GROUP_BY_OPTIONS,
  guardGroupBy,
  TIME_GROUP_OPTIONS,
  timeGroupInfo,
  timeGroupOptionProblem,
} from './words';

describe('editor words come from the core vocabulary', () => {
  it('offers every group-by word, aggregation and time group', () => {
    expect(GROUP_BY_OPTIONS.map((o) => o.value)).toEqual(GROUP_BY_WORDS.map((w) => w.name));
    expect(AGGREGATION_OPTIONS.map((o) => o.value)).toEqual(AGGREGATIONS.map((a) => a.name));
    expect(TIME_GROUP_OPTIONS.map((o) => o.value)).toEqual(TIME_GROUPS.map((t) => t.name));
    expect(TIME_GROUP_OPTIONS).toHaveLength(15);
  });

  it('marks only words that need a newer Netdata than the v2 API brought', () => {
    const marked = [...AGGREGATION_OPTIONS, ...TIME_GROUP_OPTIONS]
      .filter((o) => o.description?.includes('needs Netdata'))
      .map((o) => `${o.value}: ${o.description?.slice(-21)}`);
    expect(marked).toEqual(['extremes: (needs Netdata ≥ 2.6)', 'extremes: (needs Netdata ≥ 2.6)']);
  });

  it('describes percentile and countif as Netdata computes them', () => {
    expect(TIME_GROUP_OPTIONS.find((o) => o.value === 'percentile')?.description).toMatch(/mean of the lowest N %/);
    expect(TIME_GROUP_OPTIONS.find((o) => o.value === 'countif')?.description).toMatch(/Percentage \(0–100\)/);
    expect(timeGroupInfo(undefined).name).toBe('average');
  });
});

describe('guardGroupBy', () => {
  const ALL = GROUP_BY_WORDS.map((w) => w.name);
  it.each<[GroupByWord[], GroupByWord[], GroupByWord[]]>([
    [['node'], ['node', 'instance'], ['node', 'instance']],
    [['node', 'dimension'], ['node', 'dimension', 'selected'], ['selected']],
    [['selected'], ['selected', 'node'], ['node']],
    [['selected'], ['selected', 'percentage-of-instance'], ['percentage-of-instance']],
    [['percentage-of-instance'], ['percentage-of-instance', 'label', 'node'], ['label', 'node']],
    [[], [], []],
  ])('%j → %j gives %j', (previous, next, expected) => {
    expect(guardGroupBy(previous, next)).toEqual(expected);
  });

  it('never leaves a combination Netdata refuses, whatever is added to whatever', () => {
    for (const a of ALL) {
      for (const b of ALL) {
        for (const c of ALL) {
          const result = guardGroupBy([a, b], [a, b, c]);
          expect(groupByConflicts(result)).toBeUndefined();
          expect(result.length).toBeGreaterThan(0);
        }
      }
    }
  });
});

describe('timeGroupOptionProblem', () => {
  const percentile = timeGroupInfo('percentile');
  const trimmed = timeGroupInfo('trimmed-mean');
  const countif = timeGroupInfo('countif');
  it.each([
    [percentile, '95', undefined],
    [percentile, '99.9', undefined],
    [percentile, '0', 'Enter a percentage above 0 and at most 100'],
    [percentile, 'abc', 'Enter a percentage above 0 and at most 100'],
    [trimmed, '60', 'Enter a percentage above 0 and at most 50'],
    [countif, '>=10', undefined],
    [countif, '!=0', undefined],
    [countif, '10', expect.stringMatching(/operator and a number/)],
    [countif, '$cond', undefined],
    [countif, '', undefined],
    [timeGroupInfo('average'), 'x', undefined],
  ])('%#', (info, value, expected) => {
    expect(timeGroupOptionProblem(info, value)).toEqual(expected);
  });
});
