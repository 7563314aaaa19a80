/** @jest-environment node */
// Netdata misbehaving in every way we know of: each query gets a clear per-query error (or correct frames) within
// its deadline, busy answers are retried a bounded number of times and only when safe, huge answers are refused
// while they stream in, and the plugin's memory stays bounded while that happens.
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeNetdata, type FakeFault, type FakeNetdata } from '../fake-netdata/server';
import {
  dataSourceSettings,
  decodeFrames,
  startPlugin,
  type PluginProcess,
  type QueryInput,
} from '../protocol/grafanaHost';
import { decodedSeries } from '../protocol/json2Expect';
import { brief } from './answers';
import { json2Body, json2Document } from './json2Body';
import { okJson, startMisbehavingNetdata, type MisbehavingNetdata } from './misbehavingServer';
import { peakRssMiB, rssMiB } from './processStats';

jest.setTimeout(120_000);

const NOW = Date.now();
const QUERY = { context: 'system.cpu' };
/** Grafana's deadline for every query here, and the data source timeout (seconds) below it. */
const DEADLINE_MS = 10_000;
const DS_TIMEOUT_S = 6;
const FIFTY_MB_SERIES = 1000;
const FIFTY_MB_POINTS = 2600;

function q(refId = 'A', json: unknown = QUERY): QueryInput {
  return { refId, json, fromMs: NOW - 600_000, toMs: NOW - 30_000, maxDataPoints: 60, intervalMs: 10_000 };
}

let uidSeq = 0;
const freshUid = () => `fault-${++uidSeq}`;

async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

/** Streams `body` in 64 KiB chunks with back-pressure and no Content-Length; counts what got written. */
function streamBody(body: Buffer, written: { bytes: number }) {
  return (_req: unknown, res: ServerResponse) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    let offset = 0;
    const pump = () => {
      while (offset < body.length && !res.destroyed) {
        const chunk = body.subarray(offset, offset + 64 * 1024);
        offset += chunk.length;
        written.bytes += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (!res.destroyed) {
        res.end();
      }
    };
    pump();
  };
}

let bigBody: Buffer;

beforeAll(() => {
  // A valid json2 document of about 50 MB: 1 000 series × 2 600 points.
  bigBody = Buffer.from(json2Body({ series: FIFTY_MB_SERIES, points: FIFTY_MB_POINTS }));
});

describe('Netdata faults from the fake agent', () => {
  let fake: FakeNetdata;
  let plugin: PluginProcess;

  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });
  afterEach(() => fake.setFault(undefined));

  /** A warmed-up data source (agent API known), then the fault, then one query; what Netdata saw and how long. */
  async function withFault(fault: FakeFault, deadlineMs = DEADLINE_MS) {
    const settings = dataSourceSettings({ url: fake.url, uid: freshUid(), timeout: DS_TIMEOUT_S });
    expect(brief((await plugin.queryData(settings, [q('warm')])).responses.warm).status).toBe(200);
    const before = fake.requests.length;
    fake.setFault(fault);
    const started = Date.now();
    const res = await plugin.queryData(settings, [q()], deadlineMs);
    const ms = Date.now() - started;
    fake.setFault(undefined);
    const seen = fake.requests.slice(before);
    expect(seen.every((r) => r.path === '/api/v3/data')).toBe(true);
    expect(ms).toBeLessThan(deadlineMs);
    return { a: brief(res.responses.A), ms, seen };
  }

  it.each([500, 502])('%i: a clear error, not retried', async (status) => {
    const { a, seen } = await withFault({ kind: 'status', status, body: 'Failed to prepare the query.' });
    expect(a).toMatchObject({ status: 502, errorSource: 'downstream', frameCount: 0 });
    expect(a.error).toMatch(new RegExp(`HTTP ${status}`));
    expect(seen).toHaveLength(1);
  });

  it('503 twice, then an answer: retried, and the query gets its frames', async () => {
    const { a, seen } = await withFault({ kind: 'status', status: 503, times: 2 });
    expect(a.error).toBeFalsy();
    expect(a.status).toBe(200);
    expect(a.frames.length).toBeGreaterThan(0);
    expect(seen).toHaveLength(3);
  });

  it('503 every time: three attempts, then a clear error', async () => {
    const { a, seen } = await withFault({ kind: 'status', status: 503 });
    expect(a).toMatchObject({ status: 502, errorSource: 'downstream' });
    expect(a.error).toMatch(/unavailable \(HTTP 503\).*gave up after 3 attempts/);
    expect(seen).toHaveLength(3);
  });

  it('429 with Retry-After: 1 waits that long, then succeeds', async () => {
    const { a, seen, ms } = await withFault({ kind: 'status', status: 429, headers: { 'Retry-After': '1' }, times: 1 });
    expect(a.status).toBe(200);
    expect(a.frames.length).toBeGreaterThan(0);
    expect(seen).toHaveLength(2);
    expect(ms).toBeGreaterThanOrEqual(950);
  });

  it('429 without Retry-After: bounded backoff, then "too many requests"', async () => {
    const { a, seen, ms } = await withFault({ kind: 'status', status: 429 });
    expect(a).toMatchObject({ status: 429, errorSource: 'downstream' });
    expect(a.error).toMatch(/too many requests.*gave up after 3 attempts/);
    expect(seen).toHaveLength(3);
    // 250 ms + 500 ms of backoff.
    expect(ms).toBeGreaterThanOrEqual(700);
  });

  it('429 asking for a wait longer than the cap: not retried, and the message says why', async () => {
    const { a, seen } = await withFault({ kind: 'status', status: 429, headers: { 'Retry-After': '120' } });
    expect(a.status).toBe(429);
    expect(a.error).toMatch(/asked to retry after 120 s, longer than the 10 s this plugin waits/);
    expect(seen).toHaveLength(1);
  });

  it("429 asking for a wait that does not fit Grafana's deadline: answered in time, not retried", async () => {
    const { a, seen, ms } = await withFault({ kind: 'status', status: 429, headers: { 'Retry-After': '3' } }, 2500);
    expect(a.status).toBe(429);
    expect(a.error).toMatch(/asked to retry after 3 s, which does not fit/);
    expect(seen).toHaveLength(1);
    expect(ms).toBeLessThan(1500);
  });

  it.each([
    [412, /requires a bearer token \(HTTP 412\)/],
    [401, /requires a bearer token \(HTTP 401\)/],
    [403, /refused access \(HTTP 403\)/],
  ])('%i (bearer protection): the auth status, never retried', async (status, message) => {
    const { a, seen } = await withFault({ kind: 'status', status, body: 'You need to be authorized' });
    expect(a).toMatchObject({ status, errorSource: 'downstream' });
    expect(a.error).toMatch(message);
    expect(seen).toHaveLength(1);
  });

  it('a body cut mid-JSON', async () => {
    const { a, seen } = await withFault({ kind: 'truncate' });
    expect(a).toMatchObject({ status: 502, errorSource: 'downstream' });
    expect(a.error).toMatch(/closed the connection before sending the whole response/);
    expect(seen).toHaveLength(1);
  });

  it('a server that hangs: the data source timeout answers first', async () => {
    const settings = dataSourceSettings({ url: fake.url, uid: freshUid(), timeout: 1 });
    await plugin.queryData(settings, [q('warm')]);
    fake.setFault({ kind: 'hang' });
    const started = Date.now();
    const res = await plugin.queryData(settings, [q()], DEADLINE_MS);
    expect(Date.now() - started).toBeLessThan(2500);
    expect(brief(res.responses.A)).toMatchObject({
      status: 504,
      error: expect.stringMatching(/did not answer within 1 s/),
    });
  });

  it('a valid 50 MB body announced by Content-Length: refused, with how to narrow the query', async () => {
    const { a, ms } = await withFault({ kind: 'body', body: bigBody.toString('utf8') });
    expect(a).toMatchObject({ status: 413, errorSource: 'plugin', frameCount: 0 });
    expect(a.error).toMatch(/more than 32 MiB/);
    expect(a.error).toMatch(/narrow the query: select fewer nodes or instances, group by node/);
    expect(a.error).toMatch(/fewer points/);
    expect(ms).toBeLessThan(5000);
  });

  it('the response-size limit follows jsonData.maxResponseMiB', async () => {
    const small = dataSourceSettings({ url: fake.url, uid: freshUid() });
    small.jsonData = Buffer.from(JSON.stringify({ transport: 'agent', maxResponseMiB: 1 }));
    const body = json2Body({ series: 60, points: 2000 }); // about 2.4 MB
    await plugin.queryData(small, [q('warm')]);
    fake.setFault({ kind: 'body', body });
    const res = await plugin.queryData(small, [q()]);
    expect(brief(res.responses.A)).toMatchObject({ status: 413, error: expect.stringMatching(/more than 1 MiB/) });
  });
});

describe('Netdata faults from a purpose-built server', () => {
  let server: MisbehavingNetdata;
  let plugin: PluginProcess;

  beforeAll(async () => {
    server = await startMisbehavingNetdata();
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await server?.close();
  });

  async function query(json: unknown = QUERY, url = server.url) {
    const settings = dataSourceSettings({ url, uid: freshUid(), timeout: DS_TIMEOUT_S });
    const started = Date.now();
    const res = await plugin.queryData(settings, [q('A', json)], DEADLINE_MS);
    const ms = Date.now() - started;
    expect(ms).toBeLessThan(DEADLINE_MS);
    return { a: brief(res.responses.A), ms };
  }

  it('connection refused', async () => {
    const { a } = await query(QUERY, await closedPortUrl());
    expect(a).toMatchObject({ status: 502, errorSource: 'downstream' });
    expect(a.error).toMatch(/Connection refused by http:\/\/127\.0\.0\.1:\d+ \(ECONNREFUSED\)/);
  });

  it('DNS failure', async () => {
    const { a } = await query(QUERY, 'http://netdata-parent.invalid:19999');
    expect(a).toMatchObject({ status: 502, errorSource: 'downstream' });
    expect(a.error).toMatch(/Cannot resolve the host name "netdata-parent\.invalid".*DNS lookup failed/);
  });

  it('429 with Retry-After: 1 is retried after about a second', async () => {
    let n = 0;
    server.setHandler((req, res) => {
      n++;
      if (n === 1) {
        res.writeHead(429, { 'Retry-After': '1', 'Content-Type': 'text/plain' });
        res.end('slow down');
        return;
      }
      okJson(json2Body({ series: 2, points: 10 }))(req, res);
    });
    const before = server.dataRequests().length;
    const { a } = await query();
    const seen = server.dataRequests().slice(before);
    expect(a.status).toBe(200);
    expect(seen).toHaveLength(2);
    expect(seen[1].at - seen[0].at).toBeGreaterThanOrEqual(950);
    expect(seen[1].at - seen[0].at).toBeLessThan(2000);
  });

  it('a valid 50 MB body streamed without Content-Length: refused after 32 MiB, the connection closed', async () => {
    const written = { bytes: 0 };
    server.setHandler(streamBody(bigBody, written));
    const before = server.dataRequests().length;
    const { a } = await query();
    expect(a).toMatchObject({ status: 413, errorSource: 'plugin' });
    expect(a.error).toMatch(/more than 32 MiB \(at least 32 MiB\).*narrow the query/);
    const [req] = server.dataRequests().slice(before);
    await req.closed;
    // The plugin stopped reading: the server could not push the whole 50 MB.
    expect(written.bytes).toBeLessThan(bigBody.length);
  });

  it('rows with NaN, strings and missing points: nulls there, exact values elsewhere', async () => {
    const t0 = 1_795_878_000_000;
    const doc = json2Document({ series: 2, points: 0 });
    (doc.result as { data: unknown[][] }).data = [
      [t0, [1.5, 0, 0], [2.5, 0, 0]],
      [t0 + 1000, ['NaN', 0, 0], [null, 0, 0]],
      [t0 + 2000, ['abc', 0, 0]],
      [t0 + 3000],
      [t0 + 4000, 7, '8'],
      ['not a time', [99, 0, 0], [99, 0, 0]],
      [t0 + 5000, [3.25, 0, 1], [4, 0, 0]],
      [t0 + 6000, [{ v: 1 }, 0, 0], [[5], 0, 0]],
    ];
    server.setHandler(okJson(JSON.stringify(doc)));
    const { a } = await query();
    expect(a.error).toBeFalsy();
    expect(a.status).toBe(200);
    const series = decodeFrames(a.frames).map(decodedSeries);
    expect(series).toHaveLength(2);
    const times = [0, 1, 2, 3, 4, 5, 6].map((i) => t0 + i * 1000);
    expect(series[0].times).toEqual(times);
    expect(series[0].values).toEqual([1.5, null, null, null, 7, null, null]);
    expect(series[1].values).toEqual([2.5, null, null, null, null, 4, null]);
  });

  it('a bare NaN token (not JSON): a clear error', async () => {
    server.setHandler(okJson('{"api":2,"result":{"labels":["time","a"],"data":[[1,[NaN,0,0]]]}}'));
    const { a } = await query();
    expect(a).toMatchObject({ status: 502, errorSource: 'downstream' });
    expect(a.error).toMatch(/answered \/api\/v3\/data with something that is not JSON/);
  });

  it('view.units as an array: one unit for all series, or per series', async () => {
    server.setHandler(okJson(json2Body({ series: 2, points: 5, units: ['percentage', 'percentage'] })));
    const same = await query();
    expect(same.a.status).toBe(200);
    for (const t of decodeFrames(same.a.frames)) {
      expect(JSON.parse(t.schema.fields[1].metadata.get('config')!).unit).toBe('percent');
    }
    const doc = json2Document({ series: 2, points: 5, units: ['KiB/s', 'percentage'] });
    const dims = (doc.view as { dimensions: Record<string, unknown> }).dimensions;
    delete dims.units;
    server.setHandler(okJson(JSON.stringify(doc)));
    const mixed = await query();
    expect(mixed.a.status).toBe(200);
    expect(decodeFrames(mixed.a.frames)).toHaveLength(2);
  });

  it('a reordered result.point layout is read by position', async () => {
    const doc = json2Document({ series: 1, points: 3, point: { pa: 0, value: 1, arp: 2 } });
    const rows = (doc.result as { data: unknown[][] }).data;
    for (const row of rows) {
      const [v, arp, pa] = row[1] as number[];
      row[1] = [pa, v, arp];
    }
    server.setHandler(okJson(JSON.stringify(doc)));
    const { a } = await query();
    expect(a.status).toBe(200);
    const [series] = decodeFrames(a.frames).map(decodedSeries);
    expect(series.values).toEqual(rows.map((r) => (r[1] as number[])[1]));
  });

  it('an unknown result.point layout: a clear error rather than wrong numbers', async () => {
    server.setHandler(okJson(json2Body({ series: 2, points: 5, point: { avg: 0, anomaly: 1, flags: 2 } })));
    const { a } = await query();
    expect(a).toMatchObject({ status: 502, errorSource: 'downstream', frameCount: 0 });
    expect(a.error).toMatch(/unknown point layout.*positions: avg, anomaly, flags/);
  });

  it('kept serving through all of it', async () => {
    expect(plugin.exitInfo).toBeUndefined();
    expect((await plugin.health()).status).toBe(1);
  });
});

describe('memory while Netdata sends 50 MB', () => {
  let server: MisbehavingNetdata;
  let plugin: PluginProcess;

  beforeAll(async () => {
    server = await startMisbehavingNetdata();
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await server?.close();
  });

  it('stays bounded: the body is refused at the limit instead of buffered and parsed', async () => {
    const pid = plugin.child.pid!;
    const settings = dataSourceSettings({ url: server.url, uid: 'memory', timeout: DS_TIMEOUT_S });
    server.setHandler(okJson(json2Body({ series: 20, points: 300 })));
    expect(brief((await plugin.queryData(settings, [q()])).responses.A).status).toBe(200);
    const idle = rssMiB(pid);
    const peakBefore = peakRssMiB(pid);
    const answers: number[] = [];
    for (let i = 0; i < 3; i++) {
      server.setHandler(streamBody(bigBody, { bytes: 0 }));
      answers.push(brief((await plugin.queryData(settings, [q()])).responses.A).status!);
      server.setHandler(okJson(bigBody.toString('utf8')));
      answers.push(brief((await plugin.queryData(settings, [q()])).responses.A).status!);
    }
    expect(answers).toEqual([413, 413, 413, 413, 413, 413]);
    const peak = peakRssMiB(pid);
    // eslint-disable-next-line no-console
    console.log(
      `50 MB body ×6: idle RSS ${idle.toFixed(0)} MiB, peak before ${peakBefore.toFixed(0)} MiB, peak after ` +
        `${peak.toFixed(0)} MiB`
    );
    // Buffering 32 MiB of chunks costs about that much; parsing 50 MB would cost several hundred MiB.
    expect(peak - peakBefore).toBeLessThan(160);
    expect(peak).toBeLessThan(320);
    expect((await plugin.health()).status).toBe(1);
  });
});
