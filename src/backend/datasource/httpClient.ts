// The HTTP client of one data source: keep-alive connections (httpTransport.ts), timeouts and cancellation, no redirects followed, the token
// only ever sent to the configured base URL, bounded retries of busy answers, a response-size limit enforced while
// the body streams in, and every failure turned into a NetdataRequestError.
import { netdataErrorMessage } from '../../netdata/errors';
import { registerSecret, scrubSecrets } from '../log/secrets';
import { DEADLINE_REASON } from './abortable';
import { describeFetchFailure } from './fetchFailure';
import { NetdataRequestError, statusForUpstream } from './requestError';
import { requestUrl } from './requestUrl';
import { fetchTransport, type FetchFn, type HttpAnswer, type HttpTransport, nodeHttpTransport } from './httpTransport';
import { DEFAULT_MAX_RESPONSE_BYTES, mebibytes } from './responseBody';
import { parseRetryAfter, retryDecision } from './retry';
import type { NetdataSettings } from './settings';

export interface RequestOptions {
  /** Aborts the request (Grafana cancelled the call or its deadline passed). */
  signal?: AbortSignal;
  /** Overrides the data source timeout (e.g. the time left until the gRPC deadline). */
  timeoutMs?: number;
}

export interface NetdataClient {
  readonly settings: NetdataSettings;
  /** Closes the kept-alive connections to Netdata (the instance was replaced or dropped). */
  close(): void;
  getJson(path: string, opts?: RequestOptions): Promise<unknown>;
  /** Every POST of this plugin is a read (Cloud data, nodes, contexts), so it is retried like a GET. */
  postJson(path: string, body: unknown, opts?: RequestOptions): Promise<unknown>;
}

const MAX_ERROR_BODY_BYTES = 64 * 1024;
const USER_AGENT = 'seed-netdata-datasource';

export type { FetchFn };

/** A Netdata HTTP failure that may be retried, with what Netdata asked for. */
class BusyAnswer {
  constructor(
    readonly error: NetdataRequestError,
    readonly status: number,
    readonly retryAfterMs: number | undefined
  ) {}
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function tooLargeError(target: string, limit: number, bytes: number): NetdataRequestError {
  return new NetdataRequestError(
    'too-large',
    `Netdata at ${target} answered with more than ${mebibytes(limit)} (at least ${mebibytes(bytes)}), the response ` +
      'size limit of this data source: narrow the query: select fewer nodes or instances, group by node or ' +
      'dimension instead of instance, set a series limit, or ask for fewer points (shorter time range, lower max ' +
      'data points)',
    413,
    'plugin'
  );
}

/** Without `fetchFn`, requests go through node:http/https with keep-alive connections of this client's own. */
export function createNetdataClient(settings: NetdataSettings, fetchFn?: FetchFn): NetdataClient {
  const transport: HttpTransport = fetchFn ? fetchTransport(fetchFn) : nodeHttpTransport();
  const base = settings.baseUrl;
  // Whatever a Netdata error body or message echoes, the token is scrubbed from it.
  registerSecret(settings.token);
  const target = `${base.origin}${base.pathname === '/' ? '' : base.pathname}`;
  const maxBytes = settings.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;

  function headers(withBody: boolean): Record<string, string> {
    const h: Record<string, string> = { Accept: 'application/json', 'User-Agent': USER_AGENT };
    if (withBody) {
      h['Content-Type'] = 'application/json';
    }
    if (settings.token) {
      h.Authorization = `Bearer ${settings.token}`;
      if (settings.transport === 'agent') {
        // Agents v1.41–v1.44 look for either header; both are accepted since v1.45 (netdata-api.md §2.4).
        h['X-Netdata-Auth'] = `Bearer ${settings.token}`;
      }
    }
    return h;
  }

  async function attempt(
    method: 'GET' | 'POST',
    url: URL,
    path: string,
    payload: string | undefined,
    signal: AbortSignal,
    failure: (err: unknown) => NetdataRequestError
  ): Promise<unknown> {
    let res: HttpAnswer;
    try {
      res = await transport.send({ method, url, headers: headers(payload !== undefined), body: payload, signal });
    } catch (err) {
      throw failure(err);
    }
    const bodyFailure = (err: unknown): NetdataRequestError => {
      const described = failure(err);
      if (described.kind === 'timeout' || described.kind === 'cancelled') {
        return described;
      }
      return new NetdataRequestError(
        'body',
        `Netdata at ${target} closed the connection before sending the whole response`,
        502,
        'downstream'
      );
    };
    if (res.status >= 300 && res.status < 400) {
      res.discard();
      throw redirectError(res, target);
    }
    if (res.status < 200 || res.status >= 300) {
      let text: string;
      try {
        text = await res.prefix(MAX_ERROR_BODY_BYTES);
      } catch (err) {
        throw bodyFailure(err);
      }
      const message = netdataErrorMessage(res.status, text, settings.transport);
      const error = new NetdataRequestError(
        'http',
        message,
        statusForUpstream(res.status),
        'downstream',
        res.status,
        text
      );
      throw new BusyAnswer(error, res.status, parseRetryAfter(res.header('retry-after'), Date.now()));
    }
    let body;
    try {
      body = await res.text(maxBytes);
    } catch (err) {
      throw bodyFailure(err);
    }
    if (!body.ok) {
      throw tooLargeError(target, maxBytes, body.bytes);
    }
    try {
      return JSON.parse(body.text) as unknown;
    } catch {
      const type = res.header('content-type') ?? 'no content type';
      const start = scrubSecrets(body.text.slice(0, 80).replace(/\s+/g, ' '));
      throw new NetdataRequestError(
        'body',
        `Netdata at ${target} answered ${path.split('?')[0]} with something that is not JSON (${type}): "${start}"`,
        502,
        'downstream'
      );
    }
  }

  async function send(method: 'GET' | 'POST', path: string, body: unknown, opts: RequestOptions): Promise<unknown> {
    const url = requestUrl(base, path);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const timeoutMs = Math.max(1, Math.min(settings.timeoutMs, opts.timeoutMs ?? Infinity));
    const deadline = Date.now() + timeoutMs;
    // One timer for all attempts, waits and body reads: the request as a whole never outlives its timeout.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), timeoutMs);
    const signal = opts.signal ? AbortSignal.any([opts.signal, timeout.signal]) : timeout.signal;
    const failure = (err: unknown) =>
      describeFetchFailure(err, {
        target,
        host: base.hostname,
        port: base.port || (base.protocol === 'https:' ? '443' : '80'),
        timeoutMs,
        timedOut: timeout.signal.aborted || opts.signal?.reason === DEADLINE_REASON,
        cancelled: opts.signal?.aborted ?? false,
      });
    try {
      for (let n = 1; ; n++) {
        try {
          return await attempt(method, url, path, payload, signal, failure);
        } catch (err) {
          if (!(err instanceof BusyAnswer)) {
            throw err;
          }
          const decision = retryDecision(err.status, n, err.retryAfterMs, deadline - Date.now());
          if (!decision.retry) {
            throw decision.why === undefined
              ? err.error
              : new NetdataRequestError(
                  'http',
                  `${err.error.message} (${decision.why})`,
                  err.error.status,
                  'downstream',
                  err.status
                );
          }
          try {
            await sleep(decision.waitMs, signal);
          } catch (abort) {
            throw failure(abort);
          }
        }
      }
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    settings,
    getJson: (path, opts = {}) => send('GET', path, undefined, opts),
    postJson: (path, body, opts = {}) => send('POST', path, body ?? {}, opts),
    close: () => transport.close(),
  };
}

function redirectError(res: HttpAnswer, target: string): NetdataRequestError {
  const location = res.header('location') ?? '';
  let where = 'another address';
  try {
    const to = new URL(location, target);
    where = to.host === new URL(target).host ? `${to.origin}${to.pathname}` : `the host ${to.host}`;
  } catch {
    // keep the generic wording
  }
  return new NetdataRequestError(
    'redirect',
    `Netdata at ${target} answered with a redirect (${res.status}) to ${where}; redirects are not followed so the ` +
      'token is never sent elsewhere: put the final URL in the data source settings',
    502,
    'downstream',
    res.status
  );
}
