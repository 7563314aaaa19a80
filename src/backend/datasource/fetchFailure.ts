// Turns what global fetch throws (undici errors with a `cause`) into a message naming the failing step.
import { NetdataRequestError } from './requestError';

const TLS_CODES = new Set([
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  cause?: unknown;
}

function asErrorLike(value: unknown): ErrorLike | undefined {
  return value !== null && typeof value === 'object' ? (value as ErrorLike) : undefined;
}

/** The innermost error with a `code` (undici wraps the socket error as `cause`, sometimes twice). */
function rootCause(err: unknown): ErrorLike | undefined {
  let current = asErrorLike(err);
  for (let depth = 0; current && depth < 5; depth++) {
    if (typeof current.code === 'string' && current.code !== 'UND_ERR_SOCKET') {
      return current;
    }
    const next = asErrorLike(current.cause);
    if (!next) {
      return current;
    }
    current = next;
  }
  return current;
}

export interface FailureContext {
  /** Where we were talking to, e.g. `http://host:19999` (never carries credentials). */
  target: string;
  host: string;
  port: string;
  timeoutMs: number;
  timedOut: boolean;
  cancelled: boolean;
}

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

export function describeFetchFailure(err: unknown, ctx: FailureContext): NetdataRequestError {
  if (ctx.timedOut) {
    return new NetdataRequestError(
      'timeout',
      `Netdata at ${ctx.target} did not answer within ${seconds(ctx.timeoutMs)} (timeout)`,
      504,
      'downstream'
    );
  }
  if (ctx.cancelled) {
    return new NetdataRequestError('cancelled', 'The request was cancelled by Grafana', 499, 'plugin');
  }
  const cause = rootCause(err);
  const code = typeof cause?.code === 'string' ? cause.code : '';
  const detail = typeof cause?.message === 'string' ? cause.message : String(err);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') {
    return new NetdataRequestError(
      'dns',
      `Cannot resolve the host name "${ctx.host}" of ${ctx.target} (DNS lookup failed: ${code}); check the URL`,
      502,
      'downstream'
    );
  }
  if (code === 'ECONNREFUSED') {
    return new NetdataRequestError(
      'refused',
      `Connection refused by ${ctx.target} (ECONNREFUSED): is Netdata running and listening on port ${ctx.port}?`,
      502,
      'downstream'
    );
  }
  if (code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new NetdataRequestError('timeout', `Connecting to ${ctx.target} timed out (${code})`, 504, 'downstream');
  }
  if (TLS_CODES.has(code) || /certificate|ssl|tls/i.test(detail)) {
    return new NetdataRequestError(
      'tls',
      `TLS error talking to ${ctx.target}: ${detail}${code ? ` (${code})` : ''}`,
      502,
      'downstream'
    );
  }
  return new NetdataRequestError(
    'network',
    `Cannot talk to Netdata at ${ctx.target}: ${detail}${code ? ` (${code})` : ''}`,
    502,
    'downstream'
  );
}
