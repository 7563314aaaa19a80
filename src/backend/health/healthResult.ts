// CheckHealth answers: OK/ERROR with one readable sentence, plus optional JSON details.
import { withHostPrefix } from '../../netdata/hostNode';
import { NetdataRequestError } from '../datasource/requestError';
import { scrubSecrets } from '../log/secrets';
import { HealthStatus, type CheckHealthResponseMsg } from '../protocol/messages';

export function healthOk(message: string, details?: Record<string, unknown>): CheckHealthResponseMsg {
  return {
    status: HealthStatus.OK,
    message: scrubSecrets(message),
    jsonDetails: details ? Buffer.from(scrubSecrets(JSON.stringify(details))) : Buffer.alloc(0),
  };
}

/** The health-check step that failed: connecting (info), the data API, or one of Netdata Cloud's look-ups. */
export type HealthStep = 'settings' | 'connect' | 'info' | 'data' | 'token' | 'spaces' | 'rooms' | 'nodes' | 'internal';

/**
 * ERROR with jsonDetails as Grafana's data source page reads them: `verboseMessage` (shown under the message),
 * plus which step failed and, for a failed request, its kind and Netdata's HTTP status.
 */
export function healthError(message: string, step: HealthStep, cause?: unknown): CheckHealthResponseMsg {
  const details: Record<string, unknown> = { step, verboseMessage: cause === undefined ? message : errorText(cause) };
  if (cause instanceof NetdataRequestError) {
    details.kind = cause.kind;
    if (cause.upstreamStatus !== undefined) {
      details.upstreamStatus = cause.upstreamStatus;
    }
  }
  return {
    status: HealthStatus.ERROR,
    message: scrubSecrets(message),
    jsonDetails: Buffer.from(scrubSecrets(JSON.stringify(details))),
  };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The base URL as the user typed it (with the `/host/<node>` the settings took off), without a trailing slash. */
export function shownUrl(url: URL, hostNode?: string): string {
  return withHostPrefix(url.href, hostNode);
}
