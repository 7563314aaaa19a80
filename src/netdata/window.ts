// Grafana's time range and resolution → Netdata's `after`/`before`/`points` (netdata-api.md §2.3, §3.7).
import type { QueryWindow } from './types';

/** Netdata reads `after`/`before` values within ±3 years (in seconds) as relative to now (§2.3). */
export const NETDATA_RELATIVE_LIMIT_S = 94608000;
/** Hard cap of the agent on returned points (§3.1). */
export const NETDATA_MAX_POINTS = 86400;

export interface DataWindow {
  /** Absolute epoch seconds. */
  after: number;
  /** Absolute epoch seconds. */
  before: number;
  points: number;
}

/**
 * Absolute epoch seconds covering the whole Grafana range: `after` is floored and `before` ceiled so that no
 * requested millisecond is left out (a point at `t` covers `(t − update_every, t]`, so the newest point may end up
 * to a second after Grafana's `to`; the agent slides a window that ends after its *now* back by at most that second).
 * Points follow Grafana's resolution: Netdata spaces rows by `(before − after + 1) ÷ points` seconds (§3.7), so
 * `points` is the number of whole intervals in that span — rows are never closer than `intervalMs` (the panel's min
 * interval) — and at most `maxDataPoints`, at least 1.
 */
export function dataWindow(w: QueryWindow): DataWindow {
  if (!Number.isFinite(w.fromMs) || !Number.isFinite(w.toMs)) {
    throw new Error('The query time range is not a valid pair of timestamps');
  }
  const after = Math.floor(w.fromMs / 1000);
  let before = Math.ceil(w.toMs / 1000);
  if (before < after) {
    throw new Error('The query time range ends before it starts');
  }
  if (after <= NETDATA_RELATIVE_LIMIT_S) {
    // Smaller values would be read by Netdata as relative offsets from now.
    throw new Error('The query time range must start after 1973-01-01: Netdata cannot query earlier absolute times');
  }
  if (before === after) {
    before = after + 1;
  }
  const availableSeconds = before - after + 1;
  const intervalSeconds =
    Number.isFinite(w.intervalMs) && w.intervalMs > 0 ? Math.max(1, Math.ceil(w.intervalMs / 1000)) : 1;
  const byInterval = Math.floor(availableSeconds / intervalSeconds);
  const maxDataPoints =
    Number.isFinite(w.maxDataPoints) && w.maxDataPoints >= 1 ? Math.floor(w.maxDataPoints) : NETDATA_MAX_POINTS;
  const points = Math.max(1, Math.min(maxDataPoints, byInterval, NETDATA_MAX_POINTS));
  return { after, before, points };
}
