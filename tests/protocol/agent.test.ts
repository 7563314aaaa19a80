/** @jest-environment node */
// The executable against a fake Netdata agent, driven the way Grafana drives it.
import { Type } from 'apache-arrow';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, startPlugin, type PluginProcess, type QueryInput } from './grafanaHost';
import { decodedSeries, expectedSeries } from './json2Expect';

jest.setTimeout(60000);

const BEARER = '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b';
const NOW = Date.now();
// Ends in the past so that re-issuing a recorded request meets exactly the same data.
const WINDOW = { fromMs: NOW - 10 * 60_000, toMs: NOW - 30_000, maxDataPoints: 60, intervalMs: 10_000 };

function q(refId: string, json: unknown): QueryInput {
  return { refId, json, ...WINDOW };
}

async function closedPortUrl(): Promise<string> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((r) => s.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('agent data source', () => {
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

  const settings = () => dataSourceSettings({ url: fake.url, uid: 'agent' });

  it('passes CheckHealth naming version, API, URL and nodes', async () => {
    const res = await plugin.checkHealth(settings());
    expect(res.message).toBe(`Connected to Netdata v2.9.0 (API v3) at ${fake.url}: ${fake.nodes.length} nodes`);
    expect(res.status).toBe(1);
  });

  it('returns exactly the values of the Netdata response for system.cpu grouped by node', async () => {
    fake.requests.length = 0;
    const res = await plugin.queryData(settings(), [
      q('A', { context: 'system.cpu', groupBy: ['node'], aggregation: 'sum' }),
    ]);
    const a = res.responses.A;
    expect(a.error).toBeFalsy();
    expect(a.status).toBe(200);

    const recorded = fake.requests.find((r) => r.path === '/api/v3/data');
    expect(recorded).toBeDefined();
    const again = await fetch(`${fake.url}${recorded!.path}?${recorded!.query.toString()}`);
    const expected = expectedSeries(await again.json());
    expect(expected.length).toBe(fake.nodes.length);

    const tables = decodeFrames(a.frames);
    expect(tables).toHaveLength(expected.length);
    tables.forEach((table, i) => {
      expect(table.schema.fields.map((f) => [f.typeId, f.nullable])).toEqual([
        [Type.Timestamp, false],
        [Type.Float, true],
      ]);
      expect(String(table.schema.fields[0].type)).toBe('Timestamp<NANOSECOND>');
      const series = decodedSeries(table);
      expect(series.labels.machine_guid).toBe(expected[i].id);
      expect(series.labels.node).toBe(expected[i].name);
      expect(series.times).toEqual(expected[i].times);
      expect(series.values).toEqual(expected[i].values);
      expect(series.values.some((v) => v !== null)).toBe(true);
      const meta = JSON.parse(table.schema.metadata.get('meta')!);
      expect(meta.type).toBe('timeseries-multi');
      expect(meta.executedQueryString).toBe(`${recorded!.path}?${recorded!.query.toString()}`);
    });
    expect(new Set(tables.map((t) => decodedSeries(t).labels.node))).toEqual(new Set(fake.nodes.map((n) => n.nm)));
  });

  it('answers an unknown context with a notice frame and status 200', async () => {
    const res = await plugin.queryData(settings(), [q('A', { context: 'does.not.exist' })]);
    expect(res.responses.A.status).toBe(200);
    const [table] = decodeFrames(res.responses.A.frames);
    expect(table.schema.fields).toHaveLength(0);
    const meta = JSON.parse(table.schema.metadata.get('meta')!);
    expect(meta.notices[0]).toMatchObject({ severity: 'info', text: expect.stringMatching(/does\.not\.exist/) });
  });

  it('fails a malformed query on its own while the other query of the request succeeds', async () => {
    const res = await plugin.queryData(settings(), [q('BAD', '{"context": '), q('GOOD', { context: 'system.load' })]);
    expect(res.responses.BAD).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringMatching(/not valid JSON/),
    });
    expect(res.responses.GOOD.status).toBe(200);
    expect(res.responses.GOOD.frames.length).toBeGreaterThan(0);
  });

  it('reports an unreachable URL per query, and the plugin keeps serving', async () => {
    const url = await closedPortUrl();
    const dead = dataSourceSettings({ url, uid: 'dead' });
    const res = await plugin.queryData(dead, [q('A', { context: 'system.cpu' }), q('B', { context: 'system.load' })]);
    for (const r of [res.responses.A, res.responses.B]) {
      expect(r).toMatchObject({ status: 502, errorSource: 'downstream' });
      expect(r.error).toMatch(/Connection refused.*ECONNREFUSED/);
    }
    const health = await plugin.checkHealth(dead);
    expect(health.status).toBe(2);
    expect(health.message).toMatch(/Connection refused/);
    expect((await plugin.health()).status).toBe(1);
    expect((await plugin.queryData(settings(), [q('A', { context: 'system.cpu' })])).responses.A.status).toBe(200);
  });

  it('turns Netdata faults into per-query errors', async () => {
    await plugin.queryData(settings(), [q('warm', { context: 'system.cpu' })]);
    fake.setFault({ kind: 'status', status: 500, body: 'Failed to prepare the query.', times: 1 });
    const r500 = await plugin.queryData(settings(), [q('A', { context: 'system.cpu' })]);
    expect(r500.responses.A).toMatchObject({
      status: 502,
      errorSource: 'downstream',
      error: expect.stringMatching(/HTTP 500/),
    });
    fake.setFault({ kind: 'truncate' });
    const cut = await plugin.queryData(settings(), [q('A', { context: 'system.cpu' })]);
    fake.setFault(undefined);
    expect(cut.responses.A).toMatchObject({ status: 502, errorSource: 'downstream' });
    fake.setFault({ kind: 'body', body: '{"not":"json2"}' });
    const odd = await plugin.queryData(settings(), [q('A', { context: 'system.cpu' })]);
    fake.setFault(undefined);
    expect(odd.responses.A).toMatchObject({ status: 502, errorSource: 'downstream' });
  });

  it('times out a hanging agent with the data source timeout', async () => {
    const slow = dataSourceSettings({ url: fake.url, uid: 'slow', timeout: 1 });
    await plugin.queryData(slow, [q('warm', { context: 'system.cpu' })]);
    fake.setFault({ kind: 'hang' });
    const started = Date.now();
    const res = await plugin.queryData(slow, [q('A', { context: 'system.cpu' })]);
    fake.setFault(undefined);
    expect(res.responses.A).toMatchObject({
      status: 504,
      errorSource: 'downstream',
      error: expect.stringMatching(/timeout/),
    });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it("answers before Grafana's deadline with a timeout error", async () => {
    await plugin.queryData(settings(), [q('warm', { context: 'system.cpu' })]);
    fake.setFault({ kind: 'hang' });
    const res = await plugin.queryData(settings(), [q('A', { context: 'system.cpu' })], 1500);
    fake.setFault(undefined);
    expect(res.responses.A).toMatchObject({ status: 504 });
  });

  it('serves the editor resources', async () => {
    const nodes = await plugin.callResource(settings(), 'nodes');
    expect(nodes.code).toBe(200);
    expect(nodes.headers['Content-Type']).toEqual(['application/json']);
    expect((nodes.body as { nodes: Array<{ hostname: string }> }).nodes.map((n) => n.hostname).sort()).toEqual(
      fake.nodes.map((n) => n.nm).sort()
    );
    const contexts = await plugin.callResource(settings(), 'contexts');
    expect(contexts.code).toBe(200);
    expect((contexts.body as { contexts: Array<{ id: string }> }).contexts.map((c) => c.id)).toContain('system.cpu');
    const one = await plugin.callResource(settings(), 'context?context=system.cpu');
    expect(one.code).toBe(200);
    expect((one.body as { context: { id: string; dimensions: string[] } }).context).toMatchObject({
      id: 'system.cpu',
      dimensions: expect.arrayContaining(['user', 'system']),
    });
    const spaces = await plugin.callResource(settings(), 'spaces');
    expect(spaces.code).toBe(400);
    const bad = await plugin.callResource(settings(), 'context?context=../../etc/passwd');
    expect(bad.code).toBe(400);
    expect((bad.body as { error: string }).error).toMatch(/not a valid id/);
  });

  it('kept stdout silent and stderr in hclog JSON', () => {
    expect(plugin.extraStdout).toBe('');
    for (const entry of plugin.logEntries()) {
      expect(entry).toBeDefined();
      expect(typeof entry!['@message']).toBe('string');
    }
  });
});

describe('agent with bearer protection', () => {
  let fake: FakeNetdata;
  let plugin: PluginProcess;

  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent', bearerToken: BEARER });
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });

  it('fails CheckHealth without a token, naming bearer protection', async () => {
    const res = await plugin.checkHealth(dataSourceSettings({ url: fake.url, uid: 'nobearer' }));
    expect(res.status).toBe(2);
    expect(res.message).toMatch(/bearer protection on.*paste a valid agent bearer token/);
  });

  it('answers queries without a token with 412 errors, and with the token normally', async () => {
    const none = await plugin.queryData(dataSourceSettings({ url: fake.url, uid: 'nobearer' }), [
      q('A', { context: 'system.cpu' }),
    ]);
    expect(none.responses.A).toMatchObject({
      status: 412,
      errorSource: 'downstream',
      error: expect.stringMatching(/bearer/),
    });
    const withToken = dataSourceSettings({ url: fake.url, uid: 'bearer', token: BEARER });
    expect((await plugin.checkHealth(withToken)).status).toBe(1);
    const ok = await plugin.queryData(withToken, [q('A', { context: 'system.cpu' })]);
    expect(ok.responses.A.status).toBe(200);
    const sent = fake.requests.filter((r) => r.path === '/api/v3/data').pop()!;
    expect(sent.headers.authorization).toBe(`Bearer ${BEARER}`);
  });

  it('fails only the query that met a 412, the other succeeds, Health still works', async () => {
    const withToken = dataSourceSettings({ url: fake.url, uid: 'bearer', token: BEARER });
    fake.setFault({ kind: 'status', status: 412, body: 'You need to be authorized to access this resource', times: 1 });
    const res = await plugin.queryData(withToken, [
      q('A', { context: 'system.cpu' }),
      q('B', { context: 'system.load' }),
    ]);
    const statuses = [res.responses.A.status, res.responses.B.status].sort();
    expect(statuses).toEqual([200, 412]);
    expect((await plugin.health()).status).toBe(1);
  });

  it('never logs or returns the token', () => {
    expect(plugin.stderrLines.join('\n')).not.toContain(BEARER);
  });
});

describe('older agents', () => {
  it('uses /api/v2/data on an agent without /api/v3', async () => {
    const fake = await startFakeNetdata({ mode: 'agent', apiLevel: 2, version: 'v1.44.3' });
    const plugin = await startPlugin();
    try {
      const s = dataSourceSettings({ url: fake.url });
      expect((await plugin.checkHealth(s)).message).toMatch(/^Connected to Netdata v1\.44\.3 \(API v2\)/);
      const res = await plugin.queryData(s, [q('A', { context: 'system.cpu' })]);
      expect(res.responses.A.status).toBe(200);
      expect(fake.requests.some((r) => r.path === '/api/v2/data')).toBe(true);
      expect(fake.requests.some((r) => r.path === '/api/v3/data')).toBe(false);
    } finally {
      await plugin.kill();
      await fake.close();
    }
  });

  it('queries a v1-only agent in v1 mode (tests/protocol/v1Agent.test.ts has the rest)', async () => {
    const fake = await startFakeNetdata({ mode: 'agent', apiLevel: 1, version: 'v1.37.1' });
    const plugin = await startPlugin();
    try {
      const s = dataSourceSettings({ url: fake.url });
      const health = await plugin.checkHealth(s);
      expect(health.status).toBe(1);
      expect(health.message).toContain('Netdata 1.37.1: v1 API');
      const res = await plugin.queryData(s, [q('A', { context: 'system.cpu' })]);
      expect(res.responses.A.error).toBeFalsy();
      expect(fake.requests.some((r) => r.path === '/api/v1/data')).toBe(true);
      expect(fake.requests.some((r) => r.path === '/api/v2/data')).toBe(false);
    } finally {
      await plugin.kill();
      await fake.close();
    }
  });
});
