/** @jest-environment node */
// Grafana's deadlines and cancellations must stop the Netdata requests in flight, and large requests
// (up to 16 MiB) must be accepted.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import v3Info from '../fixtures/netdata-2.9/v3_info.json';
import { dataSourceSettings, startPlugin, type PluginProcess, type QueryInput } from './grafanaHost';

jest.setTimeout(30000);

const NOW = Date.now();
const query: QueryInput = { refId: 'A', json: { context: 'system.cpu' }, fromMs: NOW - 600_000, toMs: NOW - 30_000 };

describe('deadlines and cancellation', () => {
  let plugin: PluginProcess;
  let agent: Server;
  let url: string;
  /** When each hanging data request was closed by the plugin (ms since it arrived), in arrival order. */
  let closedAfter: Array<Promise<number>> = [];

  beforeAll(async () => {
    agent = createServer((req: IncomingMessage, res) => {
      if (req.url?.startsWith('/api/v3/info')) {
        res.setHeader('Content-Type', 'application/json');
        res.end(JSON.stringify(v3Info));
        return;
      }
      // Data requests hang until the client goes away.
      const arrived = Date.now();
      closedAfter.push(new Promise((resolve) => res.on('close', () => resolve(Date.now() - arrived))));
    });
    await new Promise<void>((r) => agent.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(agent.address() as AddressInfo).port}`;
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    agent.closeAllConnections();
    await new Promise<void>((r) => agent.close(() => r()));
  });
  beforeEach(() => {
    closedAfter = [];
  });

  it('aborts the Netdata request when Grafana cancels the call', async () => {
    const call = plugin.queryDataCall(dataSourceSettings({ url, uid: 'cancel' }), [query]);
    call.response.catch(() => undefined);
    while (closedAfter.length === 0) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const cancelledAt = Date.now();
    call.cancel();
    await closedAfter[0];
    expect(Date.now() - cancelledAt).toBeLessThan(1000);
    expect((await plugin.health()).status).toBe(1);
  });

  it('aborts the Netdata request at the deadline and still answers in time', async () => {
    const started = Date.now();
    const res = await plugin.queryData(dataSourceSettings({ url, uid: 'deadline' }), [query], 2000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.responses.A).toMatchObject({ status: 504, errorSource: 'downstream' });
    expect(await closedAfter[0]).toBeLessThan(2000);
  });

  it('accepts CallResource bodies above grpc-js’s default 4 MiB limit', async () => {
    const res = await plugin.callResource(
      dataSourceSettings({ url, uid: 'big' }),
      'nodes',
      'POST',
      Buffer.alloc(6 * 1024 * 1024, 0x61)
    );
    expect(res.code).toBe(405);
    expect(res.body).toEqual({ error: expect.stringMatching(/only answers GET/) });
  });
});
