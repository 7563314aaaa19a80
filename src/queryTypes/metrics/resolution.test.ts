import { DataQueryRequest, dateTime } from '@grafana/data';

import { resolutionHint } from './resolution';

const request = (rangeMs: number, maxDataPoints: number, intervalMs: number) =>
  ({
    range: { from: dateTime(1_700_000_000_000), to: dateTime(1_700_000_000_000 + rangeMs), raw: {} },
    maxDataPoints,
    intervalMs,
  }) as unknown as DataQueryRequest;

describe('resolutionHint', () => {
  it('is the points the request builders send: one per interval, at most max data points', () => {
    expect(resolutionHint(request(3_600_000, 1200, 5000), false)).toMatch(
      /^Resolution: 720 points per series, about one per 5s,/
    );
    expect(resolutionHint(request(3_600_000, 100, 1000), false)).toMatch(
      /^Resolution: 100 points per series, about one per 36s,/
    );
  });
  it('names the Cloud cap', () => {
    expect(resolutionHint(request(86_400_000, 1500, 60_000), true)).toMatch(
      /^Resolution: 500 points per series, about one per 2m \(Netdata Cloud answers at most 500\)/
    );
  });
  it('says nothing before the panel ran, or for a range Netdata cannot query', () => {
    expect(resolutionHint(undefined, false)).toBeUndefined();
    expect(
      resolutionHint(
        {
          ...request(1000, 10, 1),
          range: { from: dateTime(10), to: dateTime(20), raw: {} },
        } as unknown as DataQueryRequest,
        false
      )
    ).toBeUndefined();
  });
});
