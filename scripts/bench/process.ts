// Benchmark of the built executable as Grafana runs it: cold start to the handshake line next to the bare runtime
// printing one line (paired run by run), idle and peak memory, a QueryData round trip against a bare fetch +
// JSON.parse of the same response from the same server, small-query throughput and the plugin's CPU per query, and
// latency under 50-way concurrency. Run by scripts/bench.mjs (bundled with esbuild) under the same Node as the
// executable's runtime, so that every "bare" figure is that Node's; prints one JSON line.
// Usage: node process.cjs <executable> [--node <bare runtime>] [--only cold,roundtrip,throughput,latency]
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import v3Info from '../../tests/fixtures/netdata-2.9/v3_info.json';
import { json2Body } from '../../tests/hardening/json2Body';
import { anonymousMiB, cpuSeconds, peakRssMiB, percentile, rssMiB } from '../../tests/hardening/processStats';
import { dataSourceSettings, grafanaEnv, startPlugin, type PluginProcess } from '../../tests/protocol/grafanaHost';
import { serveFloor } from './floor';
import { leanClient, QueryDataRequest, QueryDataResponse } from './leanClient';

const args = process.argv.slice(2);
const executable = args[0];
const option = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const bareNode = option('--node') ?? process.execPath;
const phases = new Set((option('--only') ?? 'cold,roundtrip,throughput,floor,latency').split(','));

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

function ask(child: ChildProcess, message?: object): Promise<{ port?: number; address?: string }> {
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

interface Start {
  child: ChildProcess;
  line: string;
  ms: number;
  /** CPU the process used until its first line, from /proc/PID/schedstat (not affected by waiting for a core). */
  cpuMs: number;
}

/** Spawn to the first stdout line, the same way for the bare runtime and for the executable. */
function firstLine(command: string, argv: string[], env: NodeJS.ProcessEnv): Promise<Start> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr!.resume();
    let out = '';
    child.on('error', reject);
    const onData = (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const nl = out.indexOf('\n');
      if (nl < 0) {
        return;
      }
      const ms = performance.now() - t0;
      child.stdout!.off('data', onData);
      child.stdout!.resume();
      const cpuMs = Number(readFileSync(`/proc/${child.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
      resolve({ child, line: out.slice(0, nl), ms, cpuMs });
    };
    child.stdout!.on('data', onData);
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) {
      resolve();
      return;
    }
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** grpc.health.v1.Health/Check with an empty request: the first call Grafana's go-plugin client makes. */
async function healthCheck(handshake: string): Promise<void> {
  const [, , network, address] = handshake.split('|');
  const client = leanClient(network, address);
  try {
    await client.call('/grpc.health.v1.Health/Check', new Uint8Array(0));
  } finally {
    client.close();
  }
}

async function coldStarts(env: NodeJS.ProcessEnv) {
  const pairs: Array<{ bare: number; bareCpu: number; exe: number; exeCpu: number; answer: number; rss: number }> = [];
  for (let i = -1; i < 10; i++) {
    // Bare first, then the executable: each pair sees the same machine load.
    const bare = await firstLine(bareNode, ['-e', 'console.log("ready"); setTimeout(() => {}, 1000)'], env);
    await stop(bare.child);
    const t0 = performance.now();
    const exe = await firstLine(executable, [], env);
    const handshakeMs = exe.ms;
    await healthCheck(exe.line);
    const answer = performance.now() - t0;
    await delay(300);
    const rss = rssMiB(exe.child.pid!);
    await stop(exe.child);
    if (i >= 0) {
      pairs.push({ bare: bare.ms, bareCpu: bare.cpuMs, exe: handshakeMs, exeCpu: exe.cpuMs, answer, rss });
    }
  }
  return {
    coldStartMs: median(pairs.map((p) => p.exe)),
    coldStartMaxMs: Math.max(...pairs.map((p) => p.exe)),
    coldStartCpuMs: median(pairs.map((p) => p.exeCpu)),
    bareStartMs: median(pairs.map((p) => p.bare)),
    bareStartCpuMs: median(pairs.map((p) => p.bareCpu)),
    coldStartRatio: median(pairs.map((p) => p.exe / p.bare)),
    coldStartCpuRatio: median(pairs.map((p) => p.exeCpu / p.bareCpu)),
    firstAnswerMs: median(pairs.map((p) => p.answer)),
    startRssMiB: median(pairs.map((p) => p.rss)),
  };
}

async function main() {
  const netdata = fork(process.argv[1], ['--serve'], { stdio: 'inherit' });
  const { port } = await ask(netdata);
  const url = `http://127.0.0.1:${port}`;
  const setBody = (series: number, points: number) => ask(netdata, { series, points });
  const env = grafanaEnv({ GF_PLUGIN_LOG_LEVEL: 'info' });
  const result: Record<string, unknown> = { executable, bareNode, bareNodeVersion: '' };
  result.bareNodeVersion = await firstLine(bareNode, ['-p', 'process.version'], env).then((s) => s.line);

  if (phases.has('cold')) {
    Object.assign(result, await coldStarts(env));
  }

  // The bare runtime's own idle memory, measured the same way: what any process of this Node costs here.
  const bare = await firstLine(bareNode, ['-e', 'console.log("ready"); setTimeout(() => {}, 5000)'], env);
  await delay(1000);
  result.bareIdleRssMiB = rssMiB(bare.child.pid!);
  result.bareIdleAnonMiB = anonymousMiB(bare.child.pid!);
  await stop(bare.child);

  const plugin: PluginProcess = await startPlugin({ executable, env });
  const pid = plugin.child.pid!;
  const settings = dataSourceSettings({ url, uid: 'bench' });
  expect((await plugin.checkHealth(settings)).status === 1, 'health check');
  await delay(1000);
  result.idleRssMiB = rssMiB(pid);
  result.idleAnonMiB = anonymousMiB(pid);

  const now = Date.now();
  const request = QueryDataRequest.encode(
    QueryDataRequest.fromObject({
      pluginContext: { orgId: 1, pluginId: 'seed-netdata-datasource', dataSourceInstanceSettings: settings },
      headers: {},
      queries: [
        {
          refId: 'A',
          maxDataPoints: 300,
          intervalMS: 1000,
          timeRange: { fromEpochMS: now - 600_000, toEpochMS: now - 30_000 },
          json: Buffer.from(JSON.stringify({ refId: 'A', context: 'system.cpu' })),
        },
      ],
    })
  ).finish();
  const lean = leanClient(plugin.handshake.network, plugin.handshake.address);
  /** One QueryData call; true when query A came back with `frames` frames. */
  const oneCall = async (frames: number) => {
    const answer = QueryDataResponse.toObject(
      QueryDataResponse.decode(await lean.call('/pluginv2.Data/QueryData', request)),
      { defaults: true }
    ) as { responses: Record<string, { status: number; frames: Uint8Array[] }> };
    return answer.responses.A?.status === 200 && answer.responses.A.frames.length === frames;
  };

  if (phases.has('roundtrip')) {
    // Round trip against a bare fetch + parse of the same answer, interleaved so that both see the same machine.
    const roundTrips: Record<string, { queryData: number; bare: number; ratio: number }> = {};
    for (const [series, points] of [
      [20, 300],
      [200, 1000],
    ]) {
      await setBody(series, points);
      const qd: number[] = [];
      const bare: number[] = [];
      const ratios: number[] = [];
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
          ratios.push((t1 - t0) / (t2 - t1));
        }
      }
      roundTrips[`${series}x${points}`] = { queryData: median(qd), bare: median(bare), ratio: median(ratios) };
    }
    result.roundTrips = roundTrips;
  }

  await setBody(7, 60);
  for (let i = 0; i < 300; i++) {
    expect(await oneCall(7), 'small query');
  }

  if (phases.has('throughput')) {
    // Small-query throughput: one query of 7 series × 60 points per call, 32 calls in flight, through a lean client.
    const calls = 5000;
    let next = 0;
    let failed = 0;
    const cpuBefore = cpuSeconds(pid);
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
    expect(failed === 0, `${failed} small queries failed`);
    result.throughput = calls / seconds;
    result.pluginCpuMsPerQuery = (pluginCpu * 1000) / calls;
  }

  if (phases.has('floor')) {
    // The same load on the floor server (floor.ts): what grpc-js, node:http and JSON.parse cost alone.
    const floor = fork(process.argv[1], ['--floor', url], { stdio: 'inherit' });
    const { address } = await ask(floor);
    const floorClient = leanClient('unix', address!);
    const floorCall = async () => {
      const answer = QueryDataResponse.toObject(
        QueryDataResponse.decode(await floorClient.call('/pluginv2.Data/QueryData', request)),
        { defaults: true }
      ) as { responses: Record<string, { status: number }> };
      return answer.responses.A?.status === 200;
    };
    for (let i = 0; i < 300; i++) {
      expect(await floorCall(), 'floor warm-up');
    }
    const calls = 5000;
    let next = 0;
    const cpuBefore = cpuSeconds(floor.pid!);
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next++ < calls) {
          expect(await floorCall(), 'floor query');
        }
      })
    );
    result.floorCpuMsPerQuery = ((cpuSeconds(floor.pid!) - cpuBefore) * 1000) / calls;
    floorClient.close();
    floor.disconnect();
  }

  if (phases.has('latency')) {
    // Latency of each small query while 50 are in flight (a dashboard of 50 panels refreshing at once).
    const calls = 3000;
    let next = 0;
    const latencies: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next++ < calls) {
          const t0 = performance.now();
          expect(await oneCall(7), 'small query under 50-way concurrency');
          latencies.push(performance.now() - t0);
        }
      })
    );
    latencies.sort((a, b) => a - b);
    result.latencyP50Ms = percentile(latencies, 50);
    result.latencyP99Ms = percentile(latencies, 99);
  }

  lean.close();
  result.peakRssMiB = peakRssMiB(pid);
  await plugin.shutdown();
  netdata.disconnect();
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

function expect(ok: boolean, what: string): void {
  if (!ok) {
    throw new Error(`bench: ${what} failed`);
  }
}

if (process.argv.includes('--serve')) {
  serveNetdata();
} else if (process.argv.includes('--floor')) {
  serveFloor(option('--floor')!);
} else {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
