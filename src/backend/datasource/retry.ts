// When a failed Netdata read is tried again: only "busy" answers (429, 503), a bounded number of times, waiting as
// long as Netdata asks (Retry-After) when that still fits the request's deadline. Auth and other 4xx never retry.

/** Statuses meaning "busy, ask again later"; everything else is final. */
export const RETRY_STATUSES: readonly number[] = [429, 503];
/** First request plus two retries. */
export const MAX_ATTEMPTS = 3;
/** Longest wait we accept from Retry-After; a longer one is reported instead of waited for. */
export const MAX_RETRY_WAIT_MS = 10_000;
/** Backoff without Retry-After: 250 ms, then 500 ms. */
export const BASE_BACKOFF_MS = 250;
/** A retry must leave this much time for Netdata to answer before the deadline. */
export const MIN_ATTEMPT_MS = 500;

/** Milliseconds from `now` that a Retry-After header asks for (delta-seconds or an HTTP date), if readable. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  const text = header?.trim() ?? '';
  if (text === '') {
    return undefined;
  }
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  // An HTTP date names its month (Date.parse alone would also read "-1" or "1.5" as dates).
  const at = /[A-Za-z]{3}/.test(text) ? Date.parse(text) : NaN;
  return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

export type RetryDecision = { retry: true; waitMs: number } | { retry: false; why?: string };

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}

/**
 * Whether attempt `attempt` (1-based) that failed with `status` is tried again, and after how long.
 * `timeLeftMs` is what remains until the request's timeout or Grafana's deadline.
 */
export function retryDecision(
  status: number,
  attempt: number,
  retryAfterMs: number | undefined,
  timeLeftMs: number
): RetryDecision {
  if (!RETRY_STATUSES.includes(status)) {
    return { retry: false };
  }
  if (attempt >= MAX_ATTEMPTS) {
    return { retry: false, why: `gave up after ${attempt} attempts` };
  }
  const waitMs = retryAfterMs ?? BASE_BACKOFF_MS * 2 ** (attempt - 1);
  if (retryAfterMs !== undefined && retryAfterMs > MAX_RETRY_WAIT_MS) {
    return {
      retry: false,
      why: `Netdata asked to retry after ${seconds(retryAfterMs)}, longer than the ${seconds(MAX_RETRY_WAIT_MS)} this plugin waits`,
    };
  }
  if (waitMs + MIN_ATTEMPT_MS > timeLeftMs) {
    return {
      retry: false,
      why:
        retryAfterMs !== undefined
          ? `Netdata asked to retry after ${seconds(retryAfterMs)}, which does not fit in the ${seconds(Math.max(0, timeLeftMs))} left before the timeout`
          : `no time left for another attempt before the timeout`,
    };
  }
  return { retry: true, waitMs };
}
