// What every packaged executable must do once started, wherever it runs: the go-plugin handshake, grpc Health,
// CheckHealth and QueryData against the fake Netdata agent (values equal to the agent's answer), and a clean
// Shutdown, like Grafana drives it.
import type { FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, grafanaEnv, type PluginProcess } from '../protocol/grafanaHost';
import { decodedSeries, expectedSeries } from '../protocol/json2Expect';

/** Grafana's environment, minus host Node settings that have no meaning inside the sandboxes. */
export function pluginEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = grafanaEnv(extra);
  delete env.NODE_OPTIONS;
  delete env.NODE_EXTRA_CA_CERTS;
  return env;
}

export function expectHandshake(plugin: PluginProcess, network: 'unix' | 'tcp'): void {
  expect(plugin.handshake.raw).toMatch(
    network === 'unix' ? /^1\|2\|unix\|\/[^|]+\|grpc\r?\n$/ : /^1\|2\|tcp\|127\.0\.0\.1:\d+\|grpc\r?\n$/
  );
}

/** Health, CheckHealth and a QueryData whose frames carry exactly the values Netdata answered. */
export async function expectServesNetdata(plugin: PluginProcess, fake: FakeNetdata, url = fake.url): Promise<void> {
  expect((await plugin.health()).status).toBe(1);
  const settings = dataSourceSettings({ url, uid: 'packaging' });

  const health = await plugin.checkHealth(settings);
  expect(health.message).toContain('Connected to Netdata v2.9.0');
  expect(health.status).toBe(1);

  const now = Date.now();
  fake.requests.length = 0;
  const res = await plugin.queryData(settings, [
    {
      refId: 'A',
      json: { context: 'system.cpu', groupBy: ['node'], aggregation: 'sum' },
      fromMs: now - 10 * 60_000,
      toMs: now - 30_000,
      maxDataPoints: 60,
      intervalMs: 10_000,
    },
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
    const series = decodedSeries(table);
    expect(series.times).toEqual(expected[i].times);
    expect(series.values).toEqual(expected[i].values);
    expect(series.values.some((v) => v !== null)).toBe(true);
  });
}

/** Grafana's Kill(): Shutdown RPC, then the process must exit 0 within 2 s. */
export async function expectCleanShutdown(plugin: PluginProcess): Promise<void> {
  const { exit } = await plugin.shutdown();
  expect(exit).toEqual({ code: 0, signal: null });
}
