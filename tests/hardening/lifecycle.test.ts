/** @jest-environment node */
// Lifecycle under load, beyond tests/protocol/lifecycle.test.ts and cancellation.test.ts (handshake, idle Shutdown,
// SIGINT, SIGTERM, parent death, cancelling one hanging query): Shutdown and SIGINT with queries in flight, and
// Grafana's cancellation leaving no work behind in every place a request can wait (a Retry-After pause, a body
// streaming in, a resource look-up, a health check).
import type { ServerResponse } from 'node:http';
import type { DataSourceInstanceSettingsMsg } from '../../src/backend/protocol/messages';
import { dataSourceSettings, startPlugin, type PluginProcess, type QueryInput } from '../protocol/grafanaHost';
import { json2Body } from './json2Body';
import { okJson, startMisbehavingNetdata, type MisbehavingNetdata } from './misbehavingServer';

jest.setTimeout(60_000);

const NOW = Date.now();
const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

function q(refId: string): QueryInput {
  return { refId, json: { context: 'system.cpu' }, fromMs: NOW - 600_000, toMs: NOW - 30_000 };
}

function pluginContext(settings: DataSourceInstanceSettingsMsg) {
  return { orgId: 1, pluginId: 'seed-netdata-datasource', dataSourceInstanceSettings: settings };
}

const hang = () => undefined;

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) {
      throw new Error('condition not met in time');
    }
    await delay(10);
  }
}

describe('lifecycle with work in flight', () => {
  let server: MisbehavingNetdata;

  beforeAll(async () => {
    server = await startMisbehavingNetdata();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('Shutdown with 20 queries waiting on Netdata: exits 0 within 2 s and closes every Netdata connection', async () => {
    const plugin = await startPlugin();
    try {
      server.setHandler(hang);
      const settings = dataSourceSettings({ url: server.url, uid: 'shutdown' });
      const before = server.dataRequests().length;
      const calls = Array.from({ length: 20 }, (_, i) =>
        plugin.queryData(settings, [q(`Q${i}`)]).catch(() => 'failed')
      );
      await waitFor(() => server.dataRequests().length - before >= 20);
      const { exit, ms } = await plugin.shutdown();
      expect(exit.code).toBe(0);
      expect(ms).toBeLessThan(2000);
      const closed = await Promise.race([
        Promise.all(
          server
            .dataRequests()
            .slice(before)
            .map((r) => r.closed)
        ).then(() => true),
        delay(1000).then(() => false),
      ]);
      expect(closed).toBe(true);
      await Promise.all(calls);
    } finally {
      await plugin.kill();
    }
  });

  it('SIGINT while a query is in flight: ignored, and the query completes', async () => {
    const plugin = await startPlugin();
    try {
      let release: (() => void) | undefined;
      server.setHandler((req, res) => {
        release = () => okJson(json2Body({ series: 2, points: 10 }))(req, res);
      });
      const settings = dataSourceSettings({ url: server.url, uid: 'sigint' });
      const call = plugin.queryData(settings, [q('A')]);
      await waitFor(() => release !== undefined);
      plugin.child.kill('SIGINT');
      await delay(200);
      release!();
      const res = await call;
      expect(res.responses.A.status).toBe(200);
      expect(plugin.exitInfo).toBeUndefined();
    } finally {
      await plugin.kill();
    }
  });
});

describe("Grafana's cancellation leaves no work behind", () => {
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

  it('during a Retry-After pause: Netdata is not asked again', async () => {
    server.setHandler((_req, res) => {
      res.writeHead(429, { 'Retry-After': '2', 'Content-Type': 'text/plain' });
      res.end('busy');
    });
    const settings = dataSourceSettings({ url: server.url, uid: 'cancel-retry' });
    const before = server.dataRequests().length;
    const call = plugin.queryDataCall(settings, [q('A')]);
    call.response.catch(() => undefined);
    await waitFor(() => server.dataRequests().length > before);
    await delay(300);
    call.cancel();
    await delay(2500);
    expect(server.dataRequests().length - before).toBe(1);
    expect((await plugin.health()).status).toBe(1);
  });

  it('while a large body streams in: the connection is closed', async () => {
    let writes = 0;
    server.setHandler((_req, res: ServerResponse) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.write('{"api":2,"result":{"labels":["time","a"],"data":[');
      const timer = setInterval(() => {
        writes++;
        res.write('[1795878000000,[1,0,0]],'.repeat(1000));
      }, 20);
      res.on('close', () => clearInterval(timer));
    });
    const settings = dataSourceSettings({ url: server.url, uid: 'cancel-body' });
    const before = server.dataRequests().length;
    const call = plugin.queryDataCall(settings, [q('A')]);
    call.response.catch(() => undefined);
    await waitFor(() => server.dataRequests().length > before && writes > 5);
    const cancelledAt = Date.now();
    call.cancel();
    const closedAt = await server.dataRequests()[before].closed;
    expect(closedAt - cancelledAt).toBeLessThan(1000);
  });

  it('of a resource look-up: its Netdata request is aborted', async () => {
    server.setHandler(hang);
    const settings = dataSourceSettings({ url: server.url, uid: 'cancel-resource' });
    const before = server.dataRequests().length;
    const c = plugin.client('pluginv2.Resource');
    const stream = (c.CallResource as (req: unknown) => NodeJS.ReadableStream & { cancel(): void }).call(c, {
      pluginContext: pluginContext(settings),
      path: 'contexts',
      method: 'GET',
      url: 'contexts',
      headers: {},
      body: Buffer.alloc(0),
    });
    stream.on('error', () => undefined);
    stream.on('data', () => undefined);
    await waitFor(() => server.dataRequests().length > before);
    const cancelledAt = Date.now();
    stream.cancel();
    const closedAt = await server.dataRequests()[before].closed;
    expect(closedAt - cancelledAt).toBeLessThan(1000);
  });

  it('of a health check: its Netdata request is aborted', async () => {
    server.setHandler(hang);
    const settings = dataSourceSettings({ url: server.url, uid: 'cancel-health' });
    const before = server.dataRequests().length;
    const c = plugin.client('pluginv2.Diagnostics');
    const call = (c.CheckHealth as (req: unknown, cb: (err: unknown) => void) => { cancel(): void }).call(
      c,
      { pluginContext: pluginContext(settings), headers: {} },
      () => undefined
    );
    // The health check first reads /api/v3/info (answered), then waits on the data API.
    await waitFor(() => server.dataRequests().length > before);
    const cancelledAt = Date.now();
    call.cancel();
    const closedAt = await server.dataRequests()[before].closed;
    expect(closedAt - cancelledAt).toBeLessThan(1000);
    expect((await plugin.health()).status).toBe(1);
  });
});
