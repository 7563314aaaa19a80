// CheckHealth answers: OK/ERROR with one readable sentence, plus optional JSON details.
import { scrubSecrets } from '../log/secrets';
import { HealthStatus, type CheckHealthResponseMsg } from '../protocol/messages';

export function healthOk(message: string, details?: Record<string, unknown>): CheckHealthResponseMsg {
  return {
    status: HealthStatus.OK,
    message: scrubSecrets(message),
    jsonDetails: details ? Buffer.from(scrubSecrets(JSON.stringify(details))) : Buffer.alloc(0),
  };
}

export function healthError(message: string): CheckHealthResponseMsg {
  return { status: HealthStatus.ERROR, message: scrubSecrets(message), jsonDetails: Buffer.alloc(0) };
}

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The base URL as the user typed it, without a trailing slash. */
export function shownUrl(url: URL): string {
  return url.href.replace(/\/$/, '');
}
