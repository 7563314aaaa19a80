/** @jest-environment node */
// 2 000 QueryData calls, 50 at a time, against the fake agent answering after 20 ms: every call answered, every
// answer belongs to the query that asked for it (its own context, its own time window, its own refId). Latency
// percentiles and peak memory are printed, not asserted.
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, grafanaEnv, startPlugin, type PluginProcess } from '../protocol/grafanaHost';
import { decodedSeries } from '../protocol/json2Expect';
import { cpuSeconds, peakRssMiB, percentile, rssMiB } from './processStats';

jest.setTimeout(180_000);

const CALLS = 2000;
const CONCURRENCY = 50;
const LATENCY_MS = 20;
const CONTEXTS = ['system.cpu', 'system.ram', 'net.net', 'disk.io'];
/** Each query asks for 30 one-second points ending at its own second. */
const POINTS = 30;
const END = Math.floor(Date.now() / 1000) * 1000 - 120_000;

interface Asked {
  refId: string;
  context: string;
  toMs: number;
}

function askedBy(call: number): Asked[] {
  // Two queries per call, different contexts; every call ends one second earlier than the one before.
  const toMs = END - call * 1000;
  return [
    { refId: `A${call}`, context: CONTEXTS[call % CONTEXTS.length], toMs },
    { refId: `B${call}`, context: CONTEXTS[(call + 1) % CONTEXTS.length], toMs },
  ];
}

describe(`${CALLS} QueryData calls at ${CONCURRENCY}-way concurrency`, () => {
  let fake: FakeNetdata;
  let plugin: PluginProcess;

  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent', latencyMs: LATENCY_MS });
    plugin = await startPlugin({ env: grafanaEnv({ GF_PLUGIN_LOG_LEVEL: 'info' }) });
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });

  it('loses none and mixes none up', async () => {
    const settings = dataSourceSettings({ url: fake.url, uid: 'load' });
    const pid = plugin.child.pid!;
    // Warm up (agent API detection, JIT) before measuring.
    for (let i = 0; i < 20; i++) {
      const warm = askedBy(CALLS + i);
      await plugin.queryData(
        settings,
        warm.map((a) => ({
          refId: a.refId,
          json: { context: a.context },
          fromMs: a.toMs - POINTS * 1000,
          toMs: a.toMs,
        }))
      );
    }
    const idle = rssMiB(pid);
    const cpuBefore = cpuSeconds(pid);
    const testCpuBefore = process.cpuUsage();
    const latencies: number[] = [];
    const problems: string[] = [];
    let answered = 0;
    let next = 0;
    const started = Date.now();
    const worker = async () => {
      for (let call = next++; call < CALLS; call = next++) {
        const asked = askedBy(call);
        const t0 = performance.now();
        const res = await plugin.queryData(
          settings,
          asked.map((a) => ({
            refId: a.refId,
            json: { context: a.context },
            fromMs: a.toMs - POINTS * 1000,
            toMs: a.toMs,
            maxDataPoints: POINTS,
            intervalMs: 1000,
          })),
          30_000
        );
        latencies.push(performance.now() - t0);
        answered++;
        if (
          Object.keys(res.responses).sort().join() !==
          asked
            .map((a) => a.refId)
            .sort()
            .join()
        ) {
          problems.push(`call ${call}: answered refIds ${Object.keys(res.responses).join()}`);
          continue;
        }
        for (const a of asked) {
          const r = res.responses[a.refId];
          if (r.status !== 200 || r.error || r.frames.length === 0) {
            problems.push(`${a.refId}: status ${r.status} ${r.error ?? ''}`);
            continue;
          }
          for (const table of decodeFrames(r.frames)) {
            const series = decodedSeries(table);
            const last = series.times[series.times.length - 1];
            if (table.schema.metadata.get('refId') !== a.refId) {
              problems.push(`${a.refId}: a frame of ${table.schema.metadata.get('refId')}`);
            } else if (series.labels.context !== a.context) {
              problems.push(`${a.refId}: context ${series.labels.context}, asked ${a.context}`);
            } else if (last !== a.toMs || series.times.length !== POINTS) {
              problems.push(
                `${a.refId}: ${series.times.length} points ending ${last}, asked ${POINTS} ending ${a.toMs}`
              );
            }
          }
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    const seconds = (Date.now() - started) / 1000;
    const sorted = [...latencies].sort((x, y) => x - y);
    const peak = peakRssMiB(pid);
    const pluginCpu = cpuSeconds(pid) - cpuBefore;
    const testCpu = process.cpuUsage(testCpuBefore);
    // eslint-disable-next-line no-console
    console.log(
      `load: ${CALLS} calls (${CALLS * 2} queries), ${CONCURRENCY} in flight, Netdata latency ${LATENCY_MS} ms: ` +
        `${seconds.toFixed(1)} s, ${(CALLS / seconds).toFixed(0)} calls/s; latency p50 ${percentile(sorted, 50).toFixed(1)} ms, ` +
        `p99 ${percentile(sorted, 99).toFixed(1)} ms, max ${sorted[sorted.length - 1].toFixed(1)} ms; ` +
        `RSS idle ${idle.toFixed(0)} MiB, peak ${peak.toFixed(0)} MiB; CPU: plugin ${pluginCpu.toFixed(1)} s, ` +
        `test process (fake Netdata + Grafana's side) ${((testCpu.user + testCpu.system) / 1e6).toFixed(1)} s`
    );
    expect(answered).toBe(CALLS);
    expect(problems.slice(0, 10)).toEqual([]);
    expect(fake.requests.filter((r) => r.path === '/api/v3/data').length).toBeGreaterThanOrEqual(CALLS * 2);
    expect(plugin.exitInfo).toBeUndefined();
  });
});
