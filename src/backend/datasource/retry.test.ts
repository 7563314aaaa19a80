import { MAX_ATTEMPTS, MAX_RETRY_WAIT_MS, parseRetryAfter, retryDecision } from './retry';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');

  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });

  it('ignores what it cannot read', () => {
    for (const header of [null, '', 'soon', '-1', '1.5']) {
      expect(parseRetryAfter(header, now)).toBeUndefined();
    }
  });
});

describe('retryDecision', () => {
  it('retries only 429 and 503', () => {
    for (const status of [400, 401, 403, 404, 412, 451, 500, 502, 504]) {
      expect(retryDecision(status, 1, undefined, 30_000)).toEqual({ retry: false });
    }
    expect(retryDecision(429, 1, undefined, 30_000)).toEqual({ retry: true, waitMs: 250 });
    expect(retryDecision(503, 2, undefined, 30_000)).toEqual({ retry: true, waitMs: 500 });
  });

  it('stops after the last attempt', () => {
    expect(retryDecision(503, MAX_ATTEMPTS, undefined, 30_000)).toEqual({
      retry: false,
      why: `gave up after ${MAX_ATTEMPTS} attempts`,
    });
  });

  it('waits as long as Retry-After asks, up to the cap', () => {
    expect(retryDecision(429, 1, 2000, 30_000)).toEqual({ retry: true, waitMs: 2000 });
    expect(retryDecision(429, 1, MAX_RETRY_WAIT_MS + 1000, 60_000)).toMatchObject({
      retry: false,
      why: expect.stringMatching(/asked to retry after 11 s, longer than the 10 s/),
    });
  });

  it('does not retry when the wait would not leave time for an answer', () => {
    expect(retryDecision(429, 1, 3000, 3200)).toMatchObject({
      retry: false,
      why: expect.stringMatching(/does not fit in the 3\.2 s left/),
    });
    expect(retryDecision(503, 1, undefined, 600)).toMatchObject({
      retry: false,
      why: expect.stringMatching(/no time/),
    });
  });
});
