/** @jest-environment node */
import type { StoredPoint } from './dataset';
import { parseCountifCondition, parseTimeGroup } from './timeGroup';
import { parseVersion } from './version';

const v29 = parseVersion('v2.9.0');
const points = (values: number[]): StoredPoint[] =>
  values.map((v, t) => ({ t, value: v, min: v, max: v, sum: v, count: 1 }));

describe('§3.3 time groups (pure)', () => {
  it('parses countif conditions like the agent, bare numbers losing their first character', () => {
    expect(parseCountifCondition(undefined)).toEqual({ comparison: '==', target: 0 });
    expect(parseCountifCondition('>0')).toEqual({ comparison: '>', target: 0 });
    expect(parseCountifCondition('>=10')).toEqual({ comparison: '>=', target: 10 });
    expect(parseCountifCondition('<5')).toEqual({ comparison: '<', target: 5 });
    expect(parseCountifCondition('<=5')).toEqual({ comparison: '<=', target: 5 });
    expect(parseCountifCondition('==0')).toEqual({ comparison: '==', target: 0 });
    expect(parseCountifCondition(':0')).toEqual({ comparison: '==', target: 0 });
    expect(parseCountifCondition('!=0')).toEqual({ comparison: '!=', target: 0 });
    expect(parseCountifCondition('<>0')).toEqual({ comparison: '!=', target: 0 });
    expect(parseCountifCondition('10')).toEqual({ comparison: '==', target: 0 });
    expect(parseCountifCondition('75')).toEqual({ comparison: '==', target: 5 });
  });

  it('countif is a percentage of the samples', () => {
    expect(parseTimeGroup('countif', '>1', v29).reduce(points([0, 1, 2, 3]))).toBe(50);
  });

  it('percentileN is the mean of the lowest N % (of the highest with negatives)', () => {
    const ten = points([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(parseTimeGroup('percentile', undefined, v29).reduce(ten)).toBe(5);
    expect(parseTimeGroup('percentile50', undefined, v29).reduce(ten)).toBe(3);
    expect(parseTimeGroup('percentile50', '20', v29).reduce(ten)).toBe(1.5);
    expect(parseTimeGroup('percentile', '42', v29).name).toBe('percentile42');
    expect(parseTimeGroup('percentile42', undefined, v29).name).toBe('average');
    expect(parseTimeGroup('percentile50', undefined, v29).reduce(points([-1, -2, -3, -4]))).toBe(-1.5);
  });

  it('falls back to average for unknown words and words newer than the agent', () => {
    expect(parseTimeGroup('nonsense', undefined, v29).name).toBe('average');
    expect(parseTimeGroup('latest', undefined, v29).name).toBe('average');
    expect(parseTimeGroup('latest', undefined, parseVersion('v2.11.0')).name).toBe('latest');
    expect(parseTimeGroup('extremes', undefined, parseVersion('v2.5.0')).name).toBe('average');
    expect(parseTimeGroup('extremes', undefined, v29).reduce(points([3, -7, 5]))).toBe(-7);
    for (const alias of ['avg', 'mean']) {
      expect(parseTimeGroup(alias, undefined, v29).name).toBe('average');
    }
    expect(parseTimeGroup('rsd', undefined, v29).name).toBe('cv');
    expect(parseTimeGroup('ema', undefined, v29).name).toBe('ses');
  });

  it('uses the stored min/max/sum/count of higher tiers for average, min, max and sum', () => {
    const tier1: StoredPoint[] = [
      { t: 60, value: 2, min: 0, max: 9, sum: 120, count: 60 },
      { t: 120, value: 4, min: 1, max: 5, sum: 240, count: 60 },
    ];
    expect(parseTimeGroup('average', undefined, v29).reduce(tier1)).toBe(3);
    expect(parseTimeGroup('min', undefined, v29).reduce(tier1)).toBe(0);
    expect(parseTimeGroup('max', undefined, v29).reduce(tier1)).toBe(9);
    expect(parseTimeGroup('sum', undefined, v29).reduce(tier1)).toBe(360);
    expect(parseTimeGroup('median', undefined, v29).reduce(tier1)).toBe(3);
  });
});
