// The Netdata servers the Go conformance suite talks to: the project's spec-driven fake Agent/Parent and Cloud, plus
// Netdatas that fail at one health-check step each. Prints their URLs as one JSON line on stdout, then serves until
// stdin closes (the Go test process ended) or a signal arrives. Bundled with esbuild by scripts/conformance.mjs.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startFakeNetdata, type FakeNetdata } from '../../fake-netdata/server';
import { json2Body } from '../../hardening/json2Body';
import { okJson, startMisbehavingNetdata, type MisbehavingNetdata } from '../../hardening/misbehavingServer';
import v2Contexts from '../../fixtures/netdata-2.9/v2_contexts.json';
import v3Info from '../../fixtures/netdata-2.9/v3_info.json';

/** What the Go suite reads (tests/conformance/harness_test.go `fakeURLs`). */
export interface FakeUrls {
  agent: string;
  cloud: string;
  cloudToken: string;
  spaceId: string;
  roomId: string;
  /** Agent with bearer protection on: 412 for data requests without the token (netdata-api.md §2.4). */
  bearerAgent: string;
  bearerToken: string;
  /** /api/v3/info answers, the data API answers 401 / 403. */
  status401: string;
  status403: string;
  /** A v1-only Netdata whose version cannot be read: the plugin cannot tell which API it speaks. */
  tooOld: string;
  /** HTTPS with a self-signed certificate no CA vouches for. */
  tls: string;
  /** Nothing listens here. */
  refused: string;
  /** Data answers of about 50 MiB (valid json2). */
  huge: string;
  /** Valid json2 answers of about 24 MiB, whose frames are above 16 MiB. */
  big: string;
  /** Epoch seconds of the first row of `big`'s and `huge`'s answers; `bigPoints` rows, 1 s apart. */
  bigStartSec: number;
  bigPoints: number;
  bigSeries: number;
  /** A Parent with `manyContextsCount` contexts (the 2.9 fixture's, repeated per application instance). */
  manyContexts: string;
  manyContextsCount: number;
  /** An Agent of its own for the stream tests, so that no other test's requests mix with the polls they count. */
  live: string;
  /**
   * Not a Netdata API: `GET <requests>/<agent|bearerAgent|live>?path=/api/v3/data&function=processes` answers
   * `{"count": n}`, how many requests that fake has recorded for the path (and `function=` argument), both optional.
   */
  requests: string;
}

const BIG_SERIES = 1000;
const BIG_POINTS = 1400;
const HUGE_POINTS = 2600;
const MANY_CONTEXTS = 60_000;

/** `/api/v3/contexts` of a big Parent: the fixture's contexts, plus numbered copies as app/cgroup collectors make. */
function manyContextsBody(): string {
  const base = Object.entries(v2Contexts.contexts);
  const contexts: Record<string, unknown> = {};
  for (let i = 0; i < MANY_CONTEXTS; i++) {
    const [id, entry] = base[i % base.length];
    contexts[i < base.length ? id : `${id}_${Math.floor(i / base.length)}`] = entry;
  }
  return JSON.stringify({ ...v2Contexts, contexts });
}

async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

async function startTls(): Promise<Server> {
  // The bundle runs from a cache directory; the Go suite starts it with its own package directory as cwd.
  const dir = process.env.CONFORMANCE_FAKE_DIR ?? join(process.cwd(), 'fake');
  const info = JSON.stringify(v3Info);
  const server = createHttpsServer(
    { key: readFileSync(join(dir, 'selfsigned.key.pem')), cert: readFileSync(join(dir, 'selfsigned.cert.pem')) },
    (req, res) => okJson(info)(req, res)
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

/** A test-control server (not a Netdata API) counting the requests the named fakes have recorded. */
async function startRequestCounter(byName: Record<string, FakeNetdata>): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://counter');
    const fake = byName[url.pathname.slice(1)];
    if (fake === undefined) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end(`no fake named ${url.pathname.slice(1)}; known: ${Object.keys(byName).join(', ')}`);
      return;
    }
    const path = url.searchParams.get('path');
    const fn = url.searchParams.get('function');
    const count = fake.requests.filter(
      (r) => (path === null || r.path === path) && (fn === null || r.query.get('function') === fn)
    ).length;
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ count }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return server;
}

async function main(): Promise<void> {
  const bigStartSec = Math.floor(Date.now() / 1000) - 2 * 3600;
  const fakes: FakeNetdata[] = [];
  const misbehaving: MisbehavingNetdata[] = [];
  const agent = await startFakeNetdata({ mode: 'agent' });
  const cloud = await startFakeNetdata({ mode: 'cloud', cloudToken: 'cloud-token' });
  const bearerToken = '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b';
  const bearerAgent = await startFakeNetdata({ mode: 'agent', bearerToken });
  const tooOld = await startFakeNetdata({ mode: 'agent', apiLevel: 1, version: 'dev' });
  const live = await startFakeNetdata({ mode: 'agent' });
  fakes.push(agent, cloud, bearerAgent, tooOld, live);
  const requests = await startRequestCounter({ agent, bearerAgent, live });
  const unauthorized = 'Unauthorized';
  const status401 = await startMisbehavingNetdata(okJson(JSON.stringify({ error: unauthorized }), 401));
  const status403 = await startMisbehavingNetdata(okJson(JSON.stringify({ error: 'Forbidden' }), 403));
  const big = await startMisbehavingNetdata(
    okJson(json2Body({ series: BIG_SERIES, points: BIG_POINTS, startSec: bigStartSec }))
  );
  const huge = await startMisbehavingNetdata(
    okJson(json2Body({ series: BIG_SERIES, points: HUGE_POINTS, startSec: bigStartSec }))
  );
  const manyBody = manyContextsBody();
  const manyContexts = await startMisbehavingNetdata(okJson(manyBody));
  misbehaving.push(status401, status403, big, huge, manyContexts);
  const tls = await startTls();

  const urls: FakeUrls = {
    agent: agent.url,
    cloud: cloud.url,
    cloudToken: 'cloud-token',
    spaceId: cloud.spaceId,
    roomId: cloud.roomId,
    bearerAgent: bearerAgent.url,
    bearerToken,
    status401: status401.url,
    status403: status403.url,
    tooOld: tooOld.url,
    tls: `https://127.0.0.1:${(tls.address() as AddressInfo).port}`,
    refused: await closedPortUrl(),
    huge: huge.url,
    big: big.url,
    bigStartSec,
    bigPoints: BIG_POINTS,
    bigSeries: BIG_SERIES,
    manyContexts: manyContexts.url,
    manyContextsCount: MANY_CONTEXTS,
    live: live.url,
    requests: `http://127.0.0.1:${(requests.address() as AddressInfo).port}`,
  };
  process.stdout.write(JSON.stringify(urls) + '\n');

  const stop = () => {
    void Promise.all([
      ...fakes.map((f) => f.close()),
      ...misbehaving.map((m) => m.close()),
      ...[tls, requests].map(
        (server) =>
          new Promise<void>((r) => {
            server.closeAllConnections();
            server.close(() => r());
          })
      ),
    ]).finally(() => process.exit(0));
  };
  process.stdin.on('end', stop);
  process.stdin.on('error', stop);
  process.stdin.resume();
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`fake netdata failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
