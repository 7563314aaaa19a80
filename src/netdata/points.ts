// json2 `result.data` rows → per-series columns of points, oldest first (netdata-api.md §3.6).
// Hot path of every query (1 000 series × 500 points is half a million points): one pass over the rows, writing
// into preallocated arrays, no object per point. Gaps are NaN while filling, so that the arrays hold unboxed
// doubles; only a column that has gaps is turned into `number | null` at the end.

/** Point-annotation bits (§3.6). */
export const PA_EMPTY = 1;
export const PA_RESET = 2;
export const PA_PARTIAL = 4;

/** Numbers below this are epoch seconds (1e11 ms is 1973, 1e11 s is year 5138). */
const SECONDS_LIMIT = 1e11;

/** Epoch milliseconds of a row timestamp: seconds, milliseconds or an RFC 3339 string; undefined if unreadable. */
export function toEpochMs(t: unknown): number | undefined {
  if (typeof t === 'number') {
    if (!Number.isFinite(t)) {
      return undefined;
    }
    return Math.abs(t) < SECONDS_LIMIT ? t * 1000 : t;
  }
  if (typeof t === 'string') {
    if (/^\s*-?\d+(\.\d+)?\s*$/.test(t)) {
      return toEpochMs(Number(t));
    }
    const ms = Date.parse(t);
    return Number.isFinite(ms) ? ms : undefined;
  }
  return undefined;
}

/** Positions of the value, anomaly rate and annotation bits inside a `[value, arp, pa]` point. */
export interface PointLayout {
  value: number;
  arp: number;
  pa: number;
}

export interface SeriesColumns {
  /** Epoch milliseconds, ascending: rows with an unreadable timestamp are left out. */
  times: number[];
  /** Per series (column `s + 1` of a row): its values, null for gaps. */
  values: Array<Array<number | null>>;
  /** Per series, only when asked for: anomaly rates, null where the value is null or has none. */
  anomalyRates?: Array<Array<number | null>>;
  /** Per series: points flagged partial / following a counter reset. */
  partial: Int32Array;
  reset: Int32Array;
}

/**
 * The times of the rows with a readable timestamp, oldest first, and where each row goes in that order (-1: left
 * out). Netdata sends newest first without `flip`, oldest first with it: both are recognised without sorting;
 * anything else is sorted stably (rows with equal times keep their order).
 */
function timeOrder(data: readonly unknown[][]): { times: number[]; place: Int32Array } {
  const place = new Int32Array(data.length).fill(-1);
  const rows: number[] = [];
  const rowTimes: number[] = [];
  let ascending = true;
  let descending = true;
  for (let i = 0; i < data.length; i++) {
    const t = toEpochMs(data[i][0]);
    if (t === undefined) {
      continue;
    }
    if (rows.length > 0) {
      const previous = rowTimes[rowTimes.length - 1];
      ascending &&= t >= previous;
      // Strictly: reversing equal times would swap their rows, which a stable sort keeps in order.
      descending &&= t < previous;
    }
    rows.push(i);
    rowTimes.push(t);
  }
  const n = rows.length;
  if (ascending) {
    rows.forEach((i, k) => (place[i] = k));
    return { times: rowTimes, place };
  }
  if (descending) {
    rows.forEach((i, k) => (place[i] = n - 1 - k));
    return { times: rowTimes.reverse(), place };
  }
  const byTime = rows.map((_, k) => k).sort((a, b) => rowTimes[a] - rowTimes[b]);
  byTime.forEach((k, position) => (place[rows[k]] = position));
  return { times: byTime.map((k) => rowTimes[k]), place };
}

/** The NaN-marked gaps of a filled column become null (only called for columns that have some). */
function nullGaps(column: number[]): Array<number | null> {
  const out: Array<number | null> = column;
  for (let i = 0; i < out.length; i++) {
    if (Number.isNaN(out[i])) {
      out[i] = null;
    }
  }
  return out;
}

function columns(count: number, length: number): number[][] {
  const out: number[][] = new Array(count);
  for (let s = 0; s < count; s++) {
    out[s] = new Array(length);
  }
  return out;
}

/**
 * Reads `seriesCount` series out of the rows. A point is `[value, arp, pa]` at the positions of `at`, or a plain
 * number (format=json rows, no anomaly rate). An EMPTY point is a gap even when `null2zero` turned its value into
 * 0, and its anomaly rate means nothing either; non-finite values are gaps.
 */
export function readSeriesColumns(
  data: readonly unknown[][],
  seriesCount: number,
  at: PointLayout,
  withAnomalyRates: boolean
): SeriesColumns {
  const { times, place } = timeOrder(data);
  const n = times.length;
  const values = columns(seriesCount, n);
  const rates = withAnomalyRates ? columns(seriesCount, n) : undefined;
  const valueGaps = new Int32Array(seriesCount);
  const rateGaps = new Int32Array(seriesCount);
  const partial = new Int32Array(seriesCount);
  const reset = new Int32Array(seriesCount);
  const { value: valueAt, arp: arpAt, pa: paAt } = at;
  // Rows are read in the order they were parsed, which is their order in memory (faster than walking them
  // backwards), and each is written at its place in time.
  for (let i = 0; i < data.length; i++) {
    const k = place[i];
    if (k < 0) {
      continue;
    }
    const row = data[i];
    for (let s = 0; s < seriesCount; s++) {
      const point = row[s + 1];
      let value = NaN;
      let rate = NaN;
      if (Array.isArray(point)) {
        const pa: unknown = point[paAt];
        const bits = typeof pa === 'number' ? pa : 0;
        if (bits & PA_PARTIAL) {
          partial[s]++;
        }
        if (bits & PA_RESET) {
          reset[s]++;
        }
        const v: unknown = point[valueAt];
        if (!(bits & PA_EMPTY) && typeof v === 'number' && Number.isFinite(v)) {
          value = v;
          const r: unknown = point[arpAt];
          if (typeof r === 'number' && Number.isFinite(r)) {
            rate = r;
          }
        }
      } else if (typeof point === 'number' && Number.isFinite(point)) {
        value = point;
      }
      if (Number.isNaN(value)) {
        valueGaps[s]++;
      }
      values[s][k] = value;
      if (rates !== undefined) {
        if (Number.isNaN(rate)) {
          rateGaps[s]++;
        }
        rates[s][k] = rate;
      }
    }
  }
  return {
    times,
    values: values.map((column, s) => (valueGaps[s] > 0 ? nullGaps(column) : column)),
    anomalyRates: rates?.map((column, s) => (rateGaps[s] > 0 ? nullGaps(column) : column)),
    partial,
    reset,
  };
}
