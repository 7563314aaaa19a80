/** @jest-environment node */
import { describeFetchFailure, type FailureContext } from './fetchFailure';

const ctx: FailureContext = {
  target: 'https://nd.example:19999',
  host: 'nd.example',
  port: '19999',
  timeoutMs: 30000,
  timedOut: false,
  cancelled: false,
};

/** What undici throws: TypeError('fetch failed') with the socket error as cause. */
function fetchFailed(code: string, message: string): Error {
  const cause = Object.assign(new Error(message), { code });
  return Object.assign(new TypeError('fetch failed'), { cause });
}

describe('describeFetchFailure', () => {
  it.each([
    ['ENOTFOUND', 'getaddrinfo ENOTFOUND nd.example', 'dns', /Cannot resolve the host name "nd.example".*ENOTFOUND/],
    ['ECONNREFUSED', 'connect ECONNREFUSED', 'refused', /Connection refused by https:\/\/nd.example:19999.*port 19999/],
    ['UND_ERR_CONNECT_TIMEOUT', 'Connect Timeout Error', 'timeout', /Connecting to .* timed out/],
    [
      'CERT_HAS_EXPIRED',
      'certificate has expired',
      'tls',
      /TLS error talking to https:\/\/nd.example:19999: certificate has expired/,
    ],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate', 'tls', /TLS error/],
    ['ECONNRESET', 'socket hang up', 'network', /Cannot talk to Netdata at .*socket hang up \(ECONNRESET\)/],
  ])('names %s', (code, message, kind, text) => {
    const err = describeFetchFailure(fetchFailed(code, message), ctx);
    expect(err.kind).toBe(kind);
    expect(err.source).toBe('downstream');
    expect(err.message).toMatch(text);
  });

  it('prefers our own timeout and Grafana’s cancellation over the raw error', () => {
    const abort = new DOMException('This operation was aborted', 'AbortError');
    expect(describeFetchFailure(abort, { ...ctx, timedOut: true })).toMatchObject({ kind: 'timeout', status: 504 });
    expect(describeFetchFailure(abort, { ...ctx, timedOut: true }).message).toMatch(/did not answer within 30 s/);
    expect(describeFetchFailure(abort, { ...ctx, cancelled: true })).toMatchObject({
      kind: 'cancelled',
      source: 'plugin',
    });
  });
});
