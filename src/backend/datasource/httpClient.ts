// The HTTP client of one data source: global fetch, timeouts and cancellation, no redirects followed, the token
// only ever sent to the configured base URL, and every failure turned into a NetdataRequestError.
import { netdataErrorMessage } from '../../netdata/errors';
import { registerSecret, scrubSecrets } from '../log/secrets';
import { DEADLINE_REASON } from './abortable';
import { describeFetchFailure } from './fetchFailure';
import { NetdataRequestError, statusForUpstream } from './requestError';
import { requestUrl } from './requestUrl';
import type { NetdataSettings } from './settings';

export interface RequestOptions {
  /** Aborts the request (Grafana cancelled the call or its deadline passed). */
  signal?: AbortSignal;
  /** Overrides the data source timeout (e.g. the time left until the gRPC deadline). */
  timeoutMs?: number;
}

export interface NetdataClient {
  readonly settings: NetdataSettings;
  getJson(path: string, opts?: RequestOptions): Promise<unknown>;
  postJson(path: string, body: unknown, opts?: RequestOptions): Promise<unknown>;
}

const MAX_ERROR_BODY_CHARS = 64 * 1024;
const USER_AGENT = 'seed-netdata-datasource';

export type FetchFn = typeof fetch;

export function createNetdataClient(settings: NetdataSettings, fetchFn: FetchFn = fetch): NetdataClient {
  const base = settings.baseUrl;
  // Whatever a Netdata error body or message echoes, the token is scrubbed from it.
  registerSecret(settings.token);
  const target = `${base.origin}${base.pathname === '/' ? '' : base.pathname}`;

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

  async function send(method: 'GET' | 'POST', path: string, body: unknown, opts: RequestOptions): Promise<unknown> {
    const url = requestUrl(base, path);
    const timeoutMs = Math.max(1, Math.min(settings.timeoutMs, opts.timeoutMs ?? Infinity));
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
      let res: Response;
      try {
        res = await fetchFn(url, {
          method,
          headers: headers(body !== undefined),
          body: body === undefined ? undefined : JSON.stringify(body),
          redirect: 'manual',
          signal,
        });
      } catch (err) {
        throw failure(err);
      }
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel().catch(() => undefined);
        throw redirectError(res, target);
      }
      let text: string;
      try {
        text = await res.text();
      } catch (err) {
        const described = failure(err);
        if (described.kind === 'timeout' || described.kind === 'cancelled') {
          throw described;
        }
        throw new NetdataRequestError(
          'body',
          `Netdata at ${target} closed the connection before sending the whole response`,
          502,
          'downstream'
        );
      }
      if (!res.ok) {
        const message = netdataErrorMessage(res.status, text.slice(0, MAX_ERROR_BODY_CHARS), settings.transport);
        throw new NetdataRequestError('http', message, statusForUpstream(res.status), 'downstream', res.status);
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        const type = res.headers.get('content-type') ?? 'no content type';
        const start = scrubSecrets(text.slice(0, 80).replace(/\s+/g, ' '));
        throw new NetdataRequestError(
          'body',
          `Netdata at ${target} answered ${path.split('?')[0]} with something that is not JSON (${type}): "${start}"`,
          502,
          'downstream'
        );
      }
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    settings,
    getJson: (path, opts = {}) => send('GET', path, undefined, opts),
    postJson: (path, body, opts = {}) => send('POST', path, body ?? {}, opts),
  };
}

function redirectError(res: Response, target: string): NetdataRequestError {
  const location = res.headers.get('location') ?? '';
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
