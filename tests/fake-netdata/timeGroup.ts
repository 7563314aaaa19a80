// Time grouping (`time_group`, netdata-api.md §3.3): how the stored points inside one returned point are reduced.
// Higher tiers store avg/min/max/sum/count per point, so average/min/max/sum stay exact there while the statistical
// groups run over the per-point averages.

import type { StoredPoint } from './dataset';
import type { AgentVersion } from './version';
import { atLeast } from './version';

export interface TimeGrouping {
  /** Canonical name, e.g. `percentile95`, `countif`. */
  name: string;
  reduce(points: StoredPoint[]): number | null;
}

const PERCENTILES = [25, 50, 75, 80, 90, 95, 97, 98, 99];
const TRIMS = [1, 2, 3, 5, 10, 15, 20, 25];

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function sortedAsc(values: number[]): number[] {
  return [...values].sort((a, b) => a - b);
}

function median(values: number[]): number {
  const s = sortedAsc(values);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function trimmed(values: number[], percent: number): number[] {
  const s = sortedAsc(values);
  const cut = Math.floor((s.length * percent) / 100);
  const kept = s.slice(cut, s.length - cut);
  return kept.length > 0 ? kept : s;
}

/** The spec records that `percentileN` is the mean of the lowest N % (of the highest N % when negatives are present). */
function percentileMean(values: number[], percent: number): number {
  const s = sortedAsc(values);
  if (s[0] < 0) {
    s.reverse();
  }
  const slots = Math.max(1, Math.floor((s.length * percent) / 100));
  return mean(s.slice(0, slots));
}

function stddev(values: number[]): number {
  if (values.length < 2) {
    return 0;
  }
  const m = mean(values);
  const variance = values.reduce((acc, v) => acc + (v - m) ** 2, 0) / (values.length - 1);
  return Math.sqrt(variance);
}

function ses(values: number[]): number {
  const alpha = 2 / (values.length + 1);
  let level = values[0];
  for (let i = 1; i < values.length; i++) {
    level = alpha * values[i] + (1 - alpha) * level;
  }
  return level;
}

function des(values: number[]): number {
  if (values.length < 2) {
    return values[0];
  }
  const alpha = 2 / (values.length + 1);
  const beta = alpha;
  let level = values[0];
  let trend = values[1] - values[0];
  for (let i = 1; i < values.length; i++) {
    const previous = level;
    level = alpha * values[i] + (1 - alpha) * (level + trend);
    trend = beta * (level - previous) + (1 - beta) * trend;
  }
  return level + trend;
}

type Comparison = (value: number, target: number) => boolean;

/**
 * `countif` condition parsing as the agent does it: the first character picks the operator and is consumed even
 * when it is a digit, so a bare `10` is read as `=0` and `75` as `=5` (§3.3).
 */
export function parseCountifCondition(options: string | undefined): { comparison: string; target: number } {
  let rest = (options ?? '').replace(/^\s+/, '');
  let comparison = '==';
  if (rest.length > 0) {
    const c = rest[0];
    if (c === '!') {
      rest = rest.slice(1);
      if (rest[0] === '=' || rest[0] === ':') {
        rest = rest.slice(1);
      }
      comparison = '!=';
    } else if (c === '>') {
      rest = rest.slice(1);
      if (rest[0] === '=') {
        rest = rest.slice(1);
        comparison = '>=';
      } else {
        comparison = '>';
      }
    } else if (c === '<') {
      rest = rest.slice(1);
      if (rest[0] === '>') {
        rest = rest.slice(1);
        comparison = '!=';
      } else if (rest[0] === '=') {
        rest = rest.slice(1);
        comparison = '<=';
      } else {
        comparison = '<';
      }
    } else {
      rest = rest.slice(1);
      if (rest[0] === '=' || rest[0] === ':') {
        rest = rest.slice(1);
      }
      comparison = '==';
    }
  } else {
    rest = '0';
  }
  const target = Number.parseFloat(rest);
  return { comparison, target: Number.isFinite(target) ? target : 0 };
}

const COMPARISONS: Record<string, Comparison> = {
  '==': (v, t) => v === t,
  '!=': (v, t) => v !== t,
  '>': (v, t) => v > t,
  '>=': (v, t) => v >= t,
  '<': (v, t) => v < t,
  '<=': (v, t) => v <= t,
};

function values(points: StoredPoint[]): number[] {
  return points.map((p) => p.value);
}

function byValues(name: string, fn: (v: number[]) => number): TimeGrouping {
  return { name, reduce: (points) => (points.length === 0 ? null : fn(values(points))) };
}

function parsePercent(options: string | undefined): number | undefined {
  if (options === undefined) {
    return undefined;
  }
  const n = Number.parseFloat(options);
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** Resolves a `time_group` word (+ `time_group_options`); unknown words (and words newer than the agent) are average. */
export function parseTimeGroup(
  word: string | undefined,
  options: string | undefined,
  version: AgentVersion
): TimeGrouping {
  const w = word ?? 'average';
  const average: TimeGrouping = {
    name: 'average',
    reduce: (points) => {
      const count = points.reduce((a, p) => a + p.count, 0);
      return count === 0 ? null : points.reduce((a, p) => a + p.sum, 0) / count;
    },
  };
  switch (w) {
    case 'average':
    case 'avg':
    case 'mean':
      return average;
    case 'min':
      return { name: 'min', reduce: (p) => (p.length === 0 ? null : Math.min(...p.map((x) => x.min))) };
    case 'max':
      return { name: 'max', reduce: (p) => (p.length === 0 ? null : Math.max(...p.map((x) => x.max))) };
    case 'sum':
      return { name: 'sum', reduce: (p) => (p.length === 0 ? null : p.reduce((a, x) => a + x.sum, 0)) };
    case 'incremental-sum':
    case 'incremental_sum':
      return byValues('incremental-sum', (v) => v[v.length - 1] - v[0]);
    case 'median':
      return byValues('median', median);
    case 'stddev':
      return byValues('stddev', stddev);
    case 'cv':
    case 'rsd':
    case 'coefficient-of-variation':
      return byValues('cv', (v) => {
        const m = mean(v);
        return m === 0 ? 0 : (stddev(v) * 100) / m;
      });
    case 'ses':
    case 'ema':
    case 'ewma':
      return byValues('ses', ses);
    case 'des':
      return byValues('des', des);
    case 'countif': {
      const { comparison, target } = parseCountifCondition(options);
      const cmp = COMPARISONS[comparison];
      return byValues('countif', (v) => (v.filter((x) => cmp(x, target)).length * 100) / v.length);
    }
    case 'extremes':
      if (!atLeast(version, 2, 6)) {
        return average;
      }
      return {
        name: 'extremes',
        reduce: (p) => {
          if (p.length === 0) {
            return null;
          }
          const max = Math.max(...p.map((x) => x.max));
          const min = Math.min(...p.map((x) => x.min));
          return Math.abs(min) > Math.abs(max) ? min : max;
        },
      };
    case 'latest':
      if (!atLeast(version, 2, 11)) {
        return average;
      }
      return byValues('latest', (v) => v[v.length - 1]);
  }
  const percentile = /^percentile(\d*)$/.exec(w);
  if (percentile) {
    const named = percentile[1] === '' ? 95 : Number(percentile[1]);
    if (percentile[1] !== '' && !PERCENTILES.includes(named)) {
      return average;
    }
    const pct = parsePercent(options) ?? named;
    return byValues(`percentile${pct}`, (v) => percentileMean(v, pct));
  }
  const trim = /^trimmed-(mean|median)(\d*)$/.exec(w);
  if (trim) {
    const named = trim[2] === '' ? 5 : Number(trim[2]);
    if (trim[2] !== '' && !TRIMS.includes(named)) {
      return average;
    }
    const pct = parsePercent(options) ?? named;
    const kind = trim[1];
    return byValues(`trimmed-${kind}${pct}`, (v) =>
      kind === 'mean' ? mean(trimmed(v, pct)) : median(trimmed(v, pct))
    );
  }
  return average;
}
