/** @jest-environment node */
// The go-plugin side of the protocol: handshake, stdout/stderr discipline, internal services, shutdown.
import { Client, credentials, status } from '@grpc/grpc-js';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXECUTABLE, grafanaEnv, runToExit, startPlugin, type PluginProcess } from './grafanaHost';

jest.setTimeout(30000);

const HCLOG_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}(Z|[+-]\d{2}:\d{2})$/;

function expectHclog(lines: string[]): void {
  expect(lines.length).toBeGreaterThan(0);
  for (const line of lines) {
    expect(Buffer.byteLength(line)).toBeLessThan(64 * 1024);
    const entry = JSON.parse(line) as Record<string, unknown>;
    expect(typeof entry['@level']).toBe('string');
    expect(['trace', 'debug', 'info', 'warn', 'error']).toContain(entry['@level']);
    expect(typeof entry['@message']).toBe('string');
    expect(typeof entry['@timestamp']).toBe('string');
    expect(entry['@timestamp']).toMatch(HCLOG_TIMESTAMP);
  }
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('plugin process as Grafana starts it', () => {
  let plugin: PluginProcess;

  beforeAll(async () => {
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
  });

  it('prints the go-plugin handshake line first: 1|2|unix|<socket>|grpc', () => {
    const h = plugin.handshake;
    expect(h.raw).toMatch(/^1\|2\|unix\|[^|]+\|grpc\n$/);
    expect(h.address.startsWith(tmpdir())).toBe(true);
    expect(h.address).toMatch(/\/plugin[0-9a-f]+$/);
    expect(plugin.socketExists()).toBe(true);
  });

  it('answers grpc.health.v1 SERVING for "", "plugin" and the pluginv2 services', async () => {
    for (const name of ['', 'plugin', 'pluginv2.Data', 'pluginv2.Diagnostics', 'pluginv2.Resource']) {
      expect((await plugin.health(name)).status).toBe(1);
    }
    expect((await plugin.health('no.such.Service')).status).toBe(3);
  });

  it('keeps StreamStdio open without sending anything', async () => {
    const stdio = plugin.openStdio();
    await delay(300);
    expect(stdio.received).toEqual([]);
    expect(stdio.ended()).toBe(false);
    stdio.cancel();
  });

  it('answers UNIMPLEMENTED for QueryChunkedData, and NOT_FOUND for a stream without a data source', async () => {
    const data = plugin.client('pluginv2.Data');
    const chunked = (data.QueryChunkedData as (r: unknown) => NodeJS.ReadableStream).call(data, { queries: [] });
    const code = await new Promise<number>((res) => {
      chunked.on('error', (e: { code: number }) => res(e.code));
      chunked.on('data', () => undefined);
    });
    expect(code).toBe(status.UNIMPLEMENTED);
    const raw = new Client(plugin.target, credentials.createInsecure());
    const streamCode = await new Promise<number>((res) =>
      raw.makeUnaryRequest(
        '/pluginv2.Stream/SubscribeStream',
        (b: Buffer) => b,
        (b: Buffer) => b,
        Buffer.alloc(0),
        (err) => res(err?.code ?? status.OK)
      )
    );
    raw.close();
    expect(streamCode).toBe(status.OK);
    expect((await plugin.subscribeStream({} as never, 'metrics/x')).status).toBe(1);
  });

  it('serves CollectMetrics in Prometheus text format', async () => {
    const res = await plugin.collectMetrics({} as never);
    expect(res.metrics.prometheus.toString()).toMatch(/^process_resident_memory_bytes \d+$/m);
  });

  it('survives a request without data source settings and a bad resource path', async () => {
    const health = await plugin.checkHealth(null as never);
    expect(health.status).toBe(2);
    expect(health.message).toMatch(/no data source settings/);
    const res = await plugin.callResource(null as never, 'no/such/thing');
    expect(res.code).toBe(404);
    expect(res.headers['Content-Type']).toEqual(['application/json']);
    expect(res.body).toEqual({ error: expect.stringMatching(/Unknown resource/) });
    expect((await plugin.health()).status).toBe(1);
  });

  it('ignores SIGINT', async () => {
    plugin.child.kill('SIGINT');
    await delay(300);
    expect(plugin.exitInfo).toBeUndefined();
    expect((await plugin.health()).status).toBe(1);
  });

  it('exits 0 within 2 s of the Shutdown RPC and removes its socket', async () => {
    // Grafana keeps StreamStdio open all the time; it must not hold the shutdown up.
    plugin.openStdio();
    await delay(100);
    const { exit, ms } = await plugin.shutdown();
    expect(exit.code).toBe(0);
    expect(ms).toBeLessThan(2000);
    expect(plugin.socketExists()).toBe(false);
  });

  it('never wrote anything to stdout after the handshake', () => {
    expect(plugin.extraStdout).toBe('');
  });

  it('logs only hclog JSON lines on stderr', () => {
    expectHclog(plugin.stderrLines.filter((l) => l.trim() !== ''));
  });
});

describe('start-up rules', () => {
  it('refuses to run without the magic cookie, like go-plugin', async () => {
    const env = grafanaEnv();
    delete env.grafana_plugin_type;
    const res = await runToExit(env);
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(/This binary is a plugin/);
  });

  it('refuses protocol versions without 2', async () => {
    const res = await runToExit(grafanaEnv({ PLUGIN_PROTOCOL_VERSIONS: '1,3' }));
    expect(res.code).toBe(1);
    expect(res.stdout).toBe('');
  });

  it('accepts a version list that includes 2', async () => {
    const plugin = await startPlugin({ env: grafanaEnv({ PLUGIN_PROTOCOL_VERSIONS: '1,2' }) });
    expect(plugin.handshake.app).toBe('2');
    await plugin.kill();
  });

  it('puts its socket in PLUGIN_UNIX_SOCKET_DIR', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpx-sock-'));
    try {
      const plugin = await startPlugin({ env: grafanaEnv({ PLUGIN_UNIX_SOCKET_DIR: dir }) });
      expect(plugin.handshake.address.startsWith(`${dir}/plugin`)).toBe(true);
      expect((await plugin.health()).status).toBe(1);
      await plugin.shutdown();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops gracefully on SIGTERM and removes its socket', async () => {
    const plugin = await startPlugin();
    expect((await plugin.health()).status).toBe(1);
    plugin.closeClients();
    const started = Date.now();
    plugin.child.kill('SIGTERM');
    const exit = await plugin.exited;
    expect(exit.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(plugin.socketExists()).toBe(false);
  });

  it('exits when its parent process is gone', async () => {
    // A shell parent that starts the plugin and is then killed: the plugin is re-parented.
    const shell = spawn('/bin/sh', ['-c', '"$0" & echo "pid $!" >&2; wait', EXECUTABLE], {
      env: grafanaEnv(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    shell.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const line = await new Promise<string>((res) => shell.stdout.once('data', (c: Buffer) => res(c.toString())));
    expect(line).toMatch(/^1\|2\|unix\|/);
    const pid = Number(/pid (\d+)/.exec(stderr)?.[1]);
    expect(pid).toBeGreaterThan(0);
    const socket = line.split('|')[3];
    shell.kill('SIGKILL');
    // A zombie waiting for its new parent to reap it counts as exited.
    const alive = () => {
      try {
        return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      } catch {
        return false;
      }
    };
    const killedAt = Date.now();
    while (alive() && Date.now() < killedAt + 5000) {
      await delay(50);
    }
    const stillAlive = alive();
    // ppid is polled every second; the graceful stop adds little.
    expect(Date.now() - killedAt).toBeLessThan(2500);
    if (stillAlive) {
      process.kill(pid, 'SIGKILL');
    }
    expect(stillAlive).toBe(false);
    expect(existsSync(socket)).toBe(false);
  });
});
