/** @jest-environment node */
import { TIER0_TIME_GROUPS as TIER0_FROM_REQUEST } from './agentRequest';
import { parseQuery } from './query';
import type { GroupByWord } from './types';
import {
  AGGREGATIONS,
  aggregationByName,
  GROUP_BY_WORDS,
  groupByConflicts,
  isGroupByWord,
  TIER0_TIME_GROUPS,
  TIME_GROUP_ALIASES,
  TIME_GROUPS,
  timeGroupByName,
  timeGroupInfo,
} from './vocabulary';

describe('TIME_GROUPS', () => {
  it('lists every time group of the model once, with a label and a description', () => {
    const names = TIME_GROUPS.map((t) => t.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual([
      'average',
      'min',
      'max',
      'sum',
      'incremental-sum',
      'median',
      'trimmed-median',
      'trimmed-mean',
      'percentile',
      'stddev',
      'cv',
      'ses',
      'des',
      'countif',
      'extremes',
    ]);
    for (const t of TIME_GROUPS) {
      expect(t.label.length).toBeGreaterThan(0);
      expect(t.description.length).toBeGreaterThan(10);
      expect(t.since).toMatch(/^v\d+\.\d+\.\d+$/);
    }
  });

  it('describes percentile and countif as Netdata computes them (spec §3.3)', () => {
    expect(timeGroupInfo('percentile').description).toMatch(/mean of the lowest N %/);
    expect(timeGroupInfo('percentile').description).toMatch(/highest N % when the samples include negatives/);
    expect(timeGroupInfo('countif').description).toMatch(/^Percentage \(0–100\) of the samples/);
    expect(timeGroupInfo('countif').description).toMatch(/not a count/);
  });

  it('gives the option kind and Netdata’s default option', () => {
    const options = Object.fromEntries(TIME_GROUPS.map((t) => [t.name, [t.option, t.defaultOption]]));
    expect(options).toMatchObject({
      percentile: ['percent', '95'],
      'trimmed-mean': ['percent', '5'],
      'trimmed-median': ['percent', '5'],
      countif: ['condition', '=0'],
      average: ['none', undefined],
      median: ['none', undefined],
    });
  });

  it('marks the statistical time groups as needing tier 0, the request builder uses the same list', () => {
    expect([...TIER0_TIME_GROUPS].sort()).toEqual(
      [
        'median',
        'percentile',
        'trimmed-mean',
        'trimmed-median',
        'stddev',
        'cv',
        'ses',
        'des',
        'countif',
        'extremes',
        'incremental-sum',
      ].sort()
    );
    expect(TIER0_FROM_REQUEST).toBe(TIER0_TIME_GROUPS);
    for (const t of ['average', 'min', 'max', 'sum'] as const) {
      expect(timeGroupInfo(t).needsTier0).toBe(false);
    }
  });

  it('default options are accepted by parseQuery', () => {
    for (const t of TIME_GROUPS.filter((t) => t.defaultOption !== undefined)) {
      const r = parseQuery({ context: 'c', timeGroup: t.name, timeGroupOptions: t.defaultOption });
      expect(r).toMatchObject({ ok: true, value: { timeGroup: t.name, timeGroupOptions: t.defaultOption } });
    }
  });

  it.each([
    ['AVG', 'average'],
    ['mean', 'average'],
    ['incremental_sum', 'incremental-sum'],
    ['rsd', 'cv'],
    ['ema', 'ses'],
    [' median ', 'median'],
    ['latest', undefined],
    ['constructor', undefined],
  ])('timeGroupByName(%p) → %p', (word, expected) => {
    expect(timeGroupByName(word)).toBe(expected);
  });

  it('aliases point at real time groups', () => {
    for (const target of Object.values(TIME_GROUP_ALIASES)) {
      expect(TIME_GROUPS.some((t) => t.name === target)).toBe(true);
    }
  });
});

describe('GROUP_BY_WORDS and AGGREGATIONS', () => {
  it('lists every group-by word once, the two exclusive ones marked', () => {
    expect(GROUP_BY_WORDS.map((g) => g.name)).toEqual([
      'dimension',
      'instance',
      'node',
      'label',
      'context',
      'units',
      'percentage-of-instance',
      'selected',
    ]);
    expect(GROUP_BY_WORDS.filter((g) => g.exclusive).map((g) => g.name)).toEqual([
      'percentage-of-instance',
      'selected',
    ]);
    expect(GROUP_BY_WORDS.filter((g) => g.keepsSign).map((g) => g.name)).toEqual(['dimension']);
    expect(isGroupByWord('node')).toBe(true);
    expect(isGroupByWord('chart')).toBe(false);
  });

  it('lists the aggregations with the word the agent takes and the version that introduced them', () => {
    expect(AGGREGATIONS.map((a) => [a.name, a.netdata, a.since])).toEqual([
      ['avg', 'average', 'v1.39.0'],
      ['sum', 'sum', 'v1.39.0'],
      ['min', 'min', 'v1.39.0'],
      ['max', 'max', 'v1.39.0'],
      ['percentage', 'percentage', 'v1.40.0'],
      ['extremes', 'extremes', 'v2.6.0'],
    ]);
    expect(aggregationByName('Average')).toBe('avg');
    expect(aggregationByName('mean')).toBeUndefined();
  });
});

describe('groupByConflicts', () => {
  it.each<[GroupByWord[], string | undefined]>([
    [['dimension'], undefined],
    [['node', 'dimension', 'label'], undefined],
    [['selected'], undefined],
    [['percentage-of-instance'], undefined],
    [['selected', 'selected'], undefined],
    [[], undefined],
    [
      ['selected', 'node'],
      '"selected" cannot be combined with other group-by words (node); Netdata would ignore them. Use it alone',
    ],
    [
      ['dimension', 'percentage-of-instance', 'instance'],
      '"percentage-of-instance" cannot be combined with other group-by words (dimension, instance); Netdata would ' +
        'ignore them. Use it alone',
    ],
  ])('%p → %p', (words, expected) => {
    expect(groupByConflicts(words)).toBe(expected);
  });

  it('is what parseQuery reports', () => {
    const r = parseQuery({ context: 'c', groupBy: ['selected', 'node'] });
    expect(r).toEqual({ ok: false, error: `query.groupBy: ${groupByConflicts(['selected', 'node'])}` });
  });
});
