// Benchmark of the built executable as Grafana runs it: cold start to the handshake line, idle and peak memory, a
// QueryData round trip against a bare fetch + JSON.parse of the same response from the same server, and small-query
// throughput. Run by scripts/bench.mjs (bundled with esbuild); prints one JSON line.
import { fork, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import v3Info from '../../tests/fixtures/netdata-2.9/v3_info.json';
import { json2Body } from '../../tests/hardening/json2Body';
import { cpuSeconds, peakRssMiB, rssMiB } from '../../tests/hardening/processStats';
import { dataSourceSettings, grafanaEnv, startPlugin, type PluginProcess } from '../../tests/protocol/grafanaHost';
import { leanClient, QueryDataRequest, QueryDataResponse } from './leanClient';

const executable = process.argv[2];

/** The canned Netdata runs in a child process so that it does not compete with the gRPC client for one core. */
function serveNetdata(): void {
  let body = json2Body({ series: 7, points: 60 });
  const info = JSON.stringify(v3Info);
  const server = createServer((req, res) => {
    const text = req.url?.startsWith('/api/v3/info') ? info : body;
    res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
  server.listen(0, '127.0.0.1', () => process.send!({ port: (server.address() as AddressInfo).port }));
  process.on('message', (m: { series: number; points: number }) => {
    body = json2Body(m);
    process.send!({ ok: true });
  });
  process.on('disconnect', () => process.exit(0));
}

function ask(child: ChildProcess, message?: object): Promise<{ port?: number }> {
  return new Promise((resolve) => {
    child.once('message', resolve);
    if (message) {
      child.send(message);
    }
  });
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

const delay = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main() {
  const netdata = fork(process.argv[1], ['--serve'], { stdio: 'inherit' });
  const { port } = await ask(netdata);
  const url = `http://127.0.0.1:${port}`;
  const setBody = (series: number, points: number) => ask(netdata, { series, points });
  const env = grafanaEnv({ GF_PLUGIN_LOG_LEVEL: 'info' });

  // Cold start: spawn to handshake line, ten times.
  const starts: number[] = [];
  const startRss: number[] = [];
  for (let i = 0; i < 10; i++) {
    const p = await startPlugin({ executable, env });
    starts.push(p.startedInMs);
    startRss.push(rssMiB(p.child.pid!));
    await p.kill();
  }

  const plugin: PluginProcess = await startPlugin({ executable, env });
  const pid = plugin.child.pid!;
  const settings = dataSourceSettings({ url, uid: 'bench' });
  expect((await plugin.checkHealth(settings)).status === 1, 'health check');
  await delay(1000);
  const idleRss = rssMiB(pid);

  const now = Date.now();

  const encodeRequest = (refId: string) =>
    QueryDataRequest.encode(
      QueryDataRequest.fromObject({
        pluginContext: { orgId: 1, pluginId: 'seed-netdata-datasource', dataSourceInstanceSettings: settings },
        headers: {},
        queries: [
          {
            refId,
            maxDataPoints: 300,
            intervalMS: 1000,
            timeRange: { fromEpochMS: now - 600_000, toEpochMS: now - 30_000 },
            json: Buffer.from(JSON.stringify({ refId, context: 'system.cpu' })),
          },
        ],
      })
    ).finish();
  const lean = leanClient(plugin.handshake.network, plugin.handshake.address);
  const request = encodeRequest('A');
  /** One QueryData call; true when query A came back with `frames` frames. */
  const oneCall = async (frames: number) => {
    const answer = QueryDataResponse.toObject(
      QueryDataResponse.decode(await lean.call('/pluginv2.Data/QueryData', request)),
      { defaults: true }
    ) as { responses: Record<string, { status: number; frames: Uint8Array[] }> };
    return answer.responses.A?.status === 200 && answer.responses.A.frames.length === frames;
  };

  // Round trip against a bare fetch + parse of the same answer, interleaved so that both see the same machine.
  const roundTrips: Record<string, { queryData: number; bare: number; ratio: number }> = {};
  for (const [series, points] of [
    [20, 300],
    [200, 1000],
  ]) {
    await setBody(series, points);
    const qd: number[] = [];
    const bare: number[] = [];
    const reps = series > 100 ? 20 : 60;
    for (let i = -5; i < reps; i++) {
      const t0 = performance.now();
      expect(await oneCall(series), `QueryData ${series}x${points}`);
      const t1 = performance.now();
      const r = await fetch(`${url}/api/v3/data?contexts=system.cpu`);
      await r.json();
      const t2 = performance.now();
      if (i >= 0) {
        qd.push(t1 - t0);
        bare.push(t2 - t1);
      }
    }
    roundTrips[`${series}x${points}`] = { queryData: median(qd), bare: median(bare), ratio: median(qd) / median(bare) };
  }

  // Small-query throughput: one query of 7 series × 60 points per call, 32 calls in flight, through a lean client.
  await setBody(7, 60);
  const calls = 5000;
  for (let i = 0; i < 300; i++) {
    expect(await oneCall(7), 'small query');
  }
  let next = 0;
  let failed = 0;
  const cpuBefore = cpuSeconds(pid);
  const clientCpuBefore = process.cpuUsage();
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (next++ < calls) {
        if (!(await oneCall(7))) {
          failed++;
        }
      }
    })
  );
  const seconds = (performance.now() - started) / 1000;
  const pluginCpu = cpuSeconds(pid) - cpuBefore;
  const clientCpu = process.cpuUsage(clientCpuBefore);
  lean.close();
  expect(failed === 0, `${failed} small queries failed`);
  const peakRss = peakRssMiB(pid);
  await plugin.shutdown();
  netdata.disconnect();

  process.stdout.write(
    `${JSON.stringify({
      executable,
      coldStartMs: median(starts),
      coldStartMaxMs: Math.max(...starts),
      startRssMiB: median(startRss),
      idleRssMiB: idleRss,
      peakRssMiB: peakRss,
      roundTrips,
      throughput: calls / seconds,
      pluginCpuMsPerQuery: (pluginCpu * 1000) / calls,
      clientCpuMsPerQuery: (clientCpu.user + clientCpu.system) / 1000 / calls,
    })}\n`
  );
}

function expect(ok: boolean, what: string): void {
  if (!ok) {
    throw new Error(`bench: ${what} failed`);
  }
}

if (process.argv.includes('--serve')) {
  serveNetdata();
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
