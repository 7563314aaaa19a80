import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

// Test support: the real Netdata 1.37.1 fixture started by netdata.sh (.ci/run exports .cache/real-netdata.env).
// Without NETDATA_V1_URL the suites are skipped on a developer machine and fail in CI (CI=true): CI must run them.

export interface RealNetdata {
  /** The Parent, e.g. http://127.0.0.1:19991. */
  url: string;
  parent: string;
  child: string;
  alertRaised: string;
  alertCleared: string;
}

export function realNetdata(): RealNetdata | undefined {
  const url = process.env.NETDATA_V1_URL;
  if (!url) {
    return undefined;
  }
  return {
    url: url.replace(/\/+$/, ''),
    parent: process.env.NETDATA_V1_PARENT ?? 'nd-parent',
    child: process.env.NETDATA_V1_CHILD ?? 'nd-child',
    alertRaised: process.env.NETDATA_V1_ALERT_RAISED ?? 'nd_test_cpu_raised',
    alertCleared: process.env.NETDATA_V1_ALERT_CLEARED ?? 'nd_test_load_cleared',
  };
}

/** `describe` against the real agent; skipped without it, except in CI where its absence is a failure. */
export function describeReal(name: string, fn: (real: () => RealNetdata) => void): void {
  const real = realNetdata();
  if (real) {
    describe(name, () => fn(() => real));
    return;
  }
  if (process.env.CI === 'true' || process.env.CI === '1') {
    describe(name, () => {
      it('has the real Netdata fixture (NETDATA_V1_URL) in CI', () => {
        throw new Error(
          'NETDATA_V1_URL is not set: CI must start tests/real-netdata/netdata.sh and export .cache/real-netdata.env'
        );
      });
    });
    return;
  }
  describe.skip(`${name} (NETDATA_V1_URL not set: start tests/real-netdata/netdata.sh)`, () => fn(() => real as never));
}

export interface Answer {
  status: number;
  contentType: string;
  text: string;
}

/** A GET with node's http (not fetch: the jsdom test environment has none). */
export function get(base: string, path: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.get(base + path, { timeout: 10000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: String(res.headers['content-type'] ?? ''),
          text: Buffer.concat(chunks).toString('utf8'),
        })
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path}: timed out`)));
    req.on('error', reject);
  });
}

export async function getJson<T = unknown>(base: string, path: string): Promise<T> {
  const a = await get(base, path);
  if (a.status !== 200) {
    throw new Error(`${path}: HTTP ${a.status}: ${a.text.slice(0, 200)}`);
  }
  return JSON.parse(a.text) as T;
}

export interface Recorded {
  path: string;
  status: number;
  text: string;
}

/** Forwards GETs to the agent and keeps every answer. */
export async function recordingProxy(
  target: string
): Promise<{ url: string; recorded: Recorded[]; close: () => Promise<void> }> {
  const recorded: Recorded[] = [];
  const server: http.Server = http.createServer((req, res) => {
    void (async () => {
      const upstream = await fetch(target + (req.url ?? '/'), { signal: AbortSignal.timeout(20000) });
      const text = await upstream.text();
      recorded.push({ path: req.url ?? '/', status: upstream.status, text });
      res.writeHead(upstream.status, { 'Content-Type': upstream.headers.get('content-type') ?? 'text/plain' });
      res.end(text);
    })().catch((err: unknown) => {
      res.writeHead(502);
      res.end(String(err));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, recorded, close: () => new Promise<void>((r) => server.close(() => r())) };
}
