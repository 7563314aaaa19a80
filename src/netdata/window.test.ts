/** @jest-environment node */
import { buildCloudDataRequest, CLOUD_MAX_POINTS } from './cloudRequest';
import { DEFAULT_QUERY } from './query';
import { dataWindow, NETDATA_MAX_POINTS } from './window';

const T0 = 1717171200000;
const HOUR = 3600_000;

describe('dataWindow', () => {
  it.each([
    // range ms, maxDataPoints, intervalMs (Grafana's, min interval already applied), points
    ['1 h at the panel width', HOUR, 1200, 3000, 1200],
    ['1 h with a 1 min min interval', HOUR, 1200, 60_000, 60],
    ['1 h with a 10 s interval', HOUR, 1200, 10_000, 360],
    ['7 d at 30 min', 7 * 24 * HOUR, 1000, 1_800_000, 336],
    ['sub-second interval: Netdata has at most one point per second (both ends included)', 10_000, 1000, 100, 11],
    ['interval missing: one point per second up to maxDataPoints', HOUR, 500, 0, 500],
    ['maxDataPoints missing: the interval decides', HOUR, 0, 60_000, 60],
    ['interval not dividing the range: whole intervals only, rows never closer than it', 100_000, 1000, 30_000, 3],
  ])('%s', (_, range, maxDataPoints, intervalMs, points) => {
    expect(dataWindow({ fromMs: T0, toMs: T0 + range, maxDataPoints, intervalMs })).toEqual({
      after: T0 / 1000,
      before: (T0 + range) / 1000,
      points,
    });
  });

  it('never asks for more than the agent cap', () => {
    const w = dataWindow({ fromMs: T0, toMs: T0 + 30 * 24 * HOUR, maxDataPoints: 1e7, intervalMs: 1 });
    expect(w.points).toBe(NETDATA_MAX_POINTS);
  });

  it('covers every millisecond of the range', () => {
    expect(dataWindow({ fromMs: T0 + 1, toMs: T0 + HOUR - 1, maxDataPoints: 10, intervalMs: 1000 })).toEqual({
      after: T0 / 1000,
      before: (T0 + HOUR) / 1000,
      points: 10,
    });
  });
});

describe('the Cloud cap of 500 points', () => {
  it.each([
    [24 * HOUR, 2000, 10_000],
    [7 * 24 * HOUR, 1500, 1000],
    [HOUR, 1000, 1000],
  ])('caps points and keeps the whole range (%p ms, %p points, %p ms interval)', (range, maxDataPoints, intervalMs) => {
    const w = { fromMs: T0, toMs: T0 + range, maxDataPoints, intervalMs };
    const agentWindow = dataWindow(w);
    const body = buildCloudDataRequest({ ...DEFAULT_QUERY, context: 'c' }, w, { spaceId: 's', roomId: 'r' }).body;
    expect(agentWindow.points).toBeGreaterThan(CLOUD_MAX_POINTS);
    expect(body.window).toEqual({ after: agentWindow.after, before: agentWindow.before, points: CLOUD_MAX_POINTS });
  });
});
