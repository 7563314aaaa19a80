/** @jest-environment node */
import { PA_EMPTY, PA_PARTIAL, PA_RESET, readSeriesColumns, toEpochMs, type PointLayout } from './points';

const AT: PointLayout = { value: 0, arp: 1, pa: 2 };

/** The straightforward reading (sort the rows by time, then walk them once per series), to compare against. */
function reference(data: unknown[][], seriesCount: number, at: PointLayout) {
  const rows = data
    .map((row) => ({ t: toEpochMs(row[0]), row }))
    .filter((r): r is { t: number; row: unknown[] } => r.t !== undefined)
    .sort((a, b) => a.t - b.t);
  const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const series = Array.from({ length: seriesCount }, (_, s) => {
    const values: Array<number | null> = [];
    const anomalyRates: Array<number | null> = [];
    let partial = 0;
    let reset = 0;
    for (const { row } of rows) {
      const point = row[s + 1];
      if (!Array.isArray(point)) {
        values.push(finite(point));
        anomalyRates.push(null);
        continue;
      }
      const pa = typeof point[at.pa] === 'number' ? point[at.pa] : 0;
      partial += pa & PA_PARTIAL ? 1 : 0;
      reset += pa & PA_RESET ? 1 : 0;
      const value = pa & PA_EMPTY ? null : finite(point[at.value]);
      values.push(value);
      anomalyRates.push(value === null ? null : finite(point[at.arp]));
    }
    return { values, anomalyRates, partial, reset };
  });
  return {
    times: rows.map((r) => r.t),
    values: series.map((s) => s.values),
    anomalyRates: series.map((s) => s.anomalyRates),
    partial: series.map((s) => s.partial),
    reset: series.map((s) => s.reset),
  };
}

/** Deterministic pseudo-random numbers (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Order = 'ascending' | 'descending' | 'shuffled' | 'equal times';

function randomData(seed: number, rows: number, seriesCount: number, order: Order): unknown[][] {
  const rnd = random(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(rnd() * items.length)];
  const data: unknown[][] = [];
  for (let r = 0; r < rows; r++) {
    const t = order === 'equal times' ? 1_795_878_000 + Math.floor(r / 3) : 1_795_878_000 + r;
    const row: unknown[] = [rnd() < 0.05 ? pick(['soon', null, NaN]) : rnd() < 0.5 ? t : t * 1000];
    for (let s = 0; s < seriesCount; s++) {
      const value = rnd() < 0.1 ? pick([null, 'x', Infinity, NaN, 0, -0]) : Math.round(rnd() * 1e9) / 1e3;
      const arp = rnd() < 0.1 ? pick([null, undefined, -Infinity]) : Math.round(rnd() * 100);
      const pa = rnd() < 0.3 ? pick([PA_EMPTY, PA_RESET, PA_PARTIAL, PA_PARTIAL | PA_RESET, 'bits', undefined]) : 0;
      row.push(rnd() < 0.05 ? pick([value, undefined, [value]]) : [value, arp, pa]);
    }
    data.push(row);
  }
  if (order === 'descending' || order === 'equal times') {
    data.reverse();
  } else if (order === 'shuffled') {
    for (let i = data.length - 1; i > 0; i--) {
      const j = Math.floor(rnd() * (i + 1));
      [data[i], data[j]] = [data[j], data[i]];
    }
  }
  return data;
}

describe('readSeriesColumns', () => {
  it.each<[Order, number]>([
    ['ascending', 1],
    ['descending', 2],
    ['shuffled', 3],
    ['equal times', 4],
    ['descending', 5],
    ['shuffled', 6],
  ])('reads %s rows (seed %i) exactly as sorting the rows and walking them per series does', (order, seed) => {
    const data = randomData(seed, 97, 7, order);
    const got = readSeriesColumns(data, 7, AT, true);
    const want = reference(data, 7, AT);
    expect(got.times).toEqual(want.times);
    expect(got.values).toEqual(want.values);
    expect(got.anomalyRates).toEqual(want.anomalyRates);
    expect(Array.from(got.partial)).toEqual(want.partial);
    expect(Array.from(got.reset)).toEqual(want.reset);
    // Object.is tells -0 from 0, which toEqual does not; no holes either (Arrow reads every index).
    got.values.forEach((column, s) => {
      expect(column).toHaveLength(want.times.length);
      column.forEach((v, k) => expect(Object.is(v, want.values[s][k])).toBe(true));
    });
  });

  it('keeps rows with equal times in their order, whichever way the rest is sorted', () => {
    const data = [
      [3000, [3, 0, 0]],
      [2000, [21, 0, 0]],
      [2000, [22, 0, 0]],
      [1000, [1, 0, 0]],
    ];
    const got = readSeriesColumns(data, 1, AT, false);
    expect(got.times).toEqual([1e6, 2e6, 2e6, 3e6]);
    expect(got.values[0]).toEqual([1, 21, 22, 3]);
  });

  it('reverses newest-first rows, leaves oldest-first rows, and skips unreadable timestamps', () => {
    const newestFirst = [
      [3, 30],
      ['bad', 99],
      [2, 20],
      [1, 10],
    ];
    expect(readSeriesColumns(newestFirst, 1, AT, false)).toMatchObject({
      times: [1000, 2000, 3000],
      values: [[10, 20, 30]],
    });
    const oldestFirst = [
      [1, 10],
      [2, 20],
      [null, 99],
      [3, 30],
    ];
    expect(readSeriesColumns(oldestFirst, 1, AT, false)).toMatchObject({
      times: [1000, 2000, 3000],
      values: [[10, 20, 30]],
    });
  });

  it('makes gaps null: EMPTY points even when null2zero made them 0, missing and non-finite values', () => {
    const data = [
      [1, [0, 5, PA_EMPTY], 1],
      [2, [null, 5, 0], 'x'],
      [3, [7, 5, PA_PARTIAL], Infinity],
      [4, [8, 6, PA_RESET]],
    ];
    const got = readSeriesColumns(data, 2, AT, true);
    expect(got.values).toEqual([
      [null, null, 7, 8],
      [1, null, null, null],
    ]);
    expect(got.anomalyRates).toEqual([
      [null, null, 5, 6],
      [null, null, null, null],
    ]);
    expect(Array.from(got.partial)).toEqual([1, 0]);
    expect(Array.from(got.reset)).toEqual([1, 0]);
  });

  it('reads the point positions the response declares, and builds anomaly rates only when asked', () => {
    const data = [[1, [PA_PARTIAL, 12.5, 40]]];
    const got = readSeriesColumns(data, 1, { value: 1, arp: 2, pa: 0 }, false);
    expect(got.values).toEqual([[12.5]]);
    expect(got.anomalyRates).toBeUndefined();
    expect(Array.from(got.partial)).toEqual([1]);
  });

  it('returns empty columns for no rows', () => {
    expect(readSeriesColumns([], 2, AT, true)).toMatchObject({ times: [], values: [[], []], anomalyRates: [[], []] });
  });
});
