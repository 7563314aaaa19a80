/** @jest-environment node */
// Property: whatever query Grafana (or a broken client, or a hand-edited dashboard) sends, the plugin answers every
// query of the request with frames or with a per-query error, and keeps running. 10 000 random and mutated query
// models go through QueryData of the real executable, many per call, against the fake Agent and Cloud.
import { tableFromIPC } from 'apache-arrow';
import fc from 'fast-check';
import { AGGREGATIONS, GROUP_BY_WORDS, TIME_GROUPS } from '../../src/netdata/vocabulary';
import type { DataResponseMsg } from '../../src/backend/protocol/messages';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import {
  dataSourceSettings,
  grafanaEnv,
  startPlugin,
  type PluginProcess,
  type QueryInput,
} from '../protocol/grafanaHost';
import { okJson, startMisbehavingNetdata, type MisbehavingNetdata } from './misbehavingServer';

jest.setTimeout(180_000);

const BATCHES = 50;
const PER_BATCH = 200;
const NOW = Date.now();

const MODEL_KEYS = [
  'context',
  'nodes',
  'instances',
  'dimensions',
  'labels',
  'groupBy',
  'groupByLabels',
  'aggregation',
  'timeGroup',
  'timeGroupOptions',
  'tier',
  'anomalyRate',
  'nonZero',
  'percentage',
  'limit',
  'legendFormat',
  'spaceId',
  'roomId',
  // Netdata's own plugin's keys (migrated by the core) and Grafana's.
  'contextId',
  'method',
  'group',
  'filterBy',
  'filterValue',
  'legend',
  'refId',
  'datasource',
  'hide',
  // Prototype pollution attempts and plain unknown keys.
  '__proto__',
  'constructor',
  'prototype',
  'somethingNew',
];

const weirdString = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  '\r\n',
  '\t',
  '&after=-1',
  '|',
  ',',
  '!',
  '*',
  '!*',
  '..',
  '../../api/v1/info',
  '%2F',
  'http://evil.invalid/',
  '💥🔥',
  '\u202eevil',
  'é'.repeat(3000),
  'a'.repeat(5000),
  '{{node}}',
  'label:value',
  'percentile101',
  'countif',
  '>=abc',
  'NaN',
  '-1',
  '1e309'
);

const nasty: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  weirdString,
  fc.integer(),
  fc.double(),
  fc.constantFrom(-1, 0, -0, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 0.5, 101),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.oneof(fc.string({ maxLength: 10 }), weirdString, fc.integer()), { maxLength: 6 }),
  fc.array(fc.record({ key: fc.oneof(fc.string({ maxLength: 8 }), weirdString), value: nastyLeaf() }), {
    maxLength: 3,
  }),
  fc.jsonValue({ maxDepth: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 4 }),
  fc.constant(Array.from({ length: 1500 }, (_, i) => `n${i}`))
);

function nastyLeaf(): fc.Arbitrary<unknown> {
  return fc.oneof(fc.string({ maxLength: 10 }), weirdString, fc.integer(), fc.constant(null));
}

const validModel = fc.record(
  {
    context: fc.constantFrom(
      'system.cpu',
      'system.load',
      'system.ram',
      'disk.io',
      'net.net',
      'does.not.exist',
      'system.*',
      'system.cpu|system.load'
    ),
    nodes: fc.subarray(['parent01', 'child01', '*', '!child01', 'nope']),
    instances: fc.subarray(['disk.vda', 'disk.sda', 'net.eth0', '*']),
    dimensions: fc.subarray(['user', 'system', 'reads', 'writes', 'load1', '!idle', '*']),
    labels: fc.array(
      fc.record({
        key: fc.constantFrom('device', 'device_type', 'mount_point', ''),
        value: fc.constantFrom('vda', 'sda', 'physical', '*', '/', ''),
      }),
      { maxLength: 2 }
    ),
    groupBy: fc.subarray(
      GROUP_BY_WORDS.map((g) => g.name),
      { maxLength: 2 }
    ),
    groupByLabels: fc.subarray(['device', 'device_type', 'mount_point']),
    aggregation: fc.constantFrom(...AGGREGATIONS.map((a) => a.name)),
    timeGroup: fc.constantFrom(...TIME_GROUPS.map((t) => t.name), 'percentile95', 'trimmed-mean5'),
    timeGroupOptions: fc.constantFrom('>0', '95', '=0', '50'),
    tier: fc.integer({ min: 0, max: 3 }),
    anomalyRate: fc.boolean(),
    nonZero: fc.boolean(),
    percentage: fc.boolean(),
    limit: fc.integer({ min: 1, max: 20 }),
    legendFormat: fc.string({ maxLength: 20 }),
  },
  { requiredKeys: ['context'] }
);

/** A valid model with one to three keys (known, legacy, Grafana's or unknown) set to something nasty. */
const mutatedModel = fc
  .tuple(validModel, fc.array(fc.tuple(fc.constantFrom(...MODEL_KEYS), nasty), { minLength: 1, maxLength: 3 }))
  .map(([model, mutations]) => {
    const out: Record<string, unknown> = { ...model };
    for (const [key, value] of mutations) {
      // defineProperty: `__proto__` becomes an own key, as JSON.parse in the plugin makes it.
      Object.defineProperty(out, key, { value, enumerable: true, configurable: true, writable: true });
    }
    return JSON.stringify(out);
  });

/** JSON text broken on purpose: cut, a character replaced, a non-object, deep nesting, random text. */
const brokenJson = fc.oneof(
  fc.tuple(validModel, fc.nat()).map(([m, n]) => {
    const text = JSON.stringify(m);
    return text.slice(0, n % text.length);
  }),
  fc.tuple(validModel, fc.nat(), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' })).map(([m, n, c]) => {
    const text = JSON.stringify(m);
    const i = n % text.length;
    return text.slice(0, i) + c + text.slice(i + 1);
  }),
  fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.integer({ min: 17, max: 5000 }).map((d) => `{"context":"system.cpu","x":${'['.repeat(d)}${']'.repeat(d)}}`),
  fc.string({ maxLength: 60 })
);

const queryJson = fc.oneof(
  { arbitrary: validModel.map((m) => JSON.stringify(m)), weight: 4 },
  { arbitrary: mutatedModel, weight: 5 },
  { arbitrary: brokenJson, weight: 1 }
);

/** Grafana's side of the query: mostly a sane window, sometimes absurd numbers or an absurd range. */
const saneTimes = { ago: fc.integer({ min: 30_000, max: 3_600_000 }), span: fc.integer({ min: 1_000, max: 600_000 }) };
const anyInt = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER)
);
const window = fc.oneof(
  {
    arbitrary: fc.record({
      ...saneTimes,
      maxDataPoints: fc.integer({ min: 1, max: 120 }),
      intervalMs: fc.integer({ min: 1, max: 60_000 }),
    }),
    weight: 16,
  },
  { arbitrary: fc.record({ ...saneTimes, maxDataPoints: anyInt, intervalMs: anyInt }), weight: 3 },
  {
    arbitrary: fc.record({
      // Reversed, empty, before 1973, at epoch 0, far in the future, long ago.
      ago: fc.constantFrom(NOW, NOW + 1, -NOW, -100 * 365 * 86_400_000, 30 * 365 * 86_400_000, 60_000),
      span: fc.constantFrom(-60_000, 0, 1, 3_600_000),
      maxDataPoints: fc.integer({ min: 1, max: 120 }),
      intervalMs: fc.integer({ min: 1, max: 60_000 }),
    }),
    weight: 1,
  }
);

const query = fc.record({ json: queryJson, window, suffix: fc.string({ unit: 'grapheme', maxLength: 6 }) });

interface Problem {
  refId: string;
  json: string;
  answer: unknown;
  why: string;
}

function checkAnswer(refId: string, json: string, r: DataResponseMsg | undefined): Problem | undefined {
  const problem = (why: string): Problem => ({
    refId,
    json: json.slice(0, 300),
    answer: r && { status: r.status, error: r.error?.slice(0, 300), frames: r.frames.length },
    why,
  });
  if (!r) {
    return problem('no answer');
  }
  if (!Number.isInteger(r.status) || r.status! < 100 || r.status! > 599) {
    return problem('status outside 100..599');
  }
  if (r.status === 200) {
    if (r.error) {
      return problem('status 200 with an error');
    }
    if (r.frames.length === 0) {
      return problem('status 200 without frames');
    }
    try {
      r.frames.forEach((f) => tableFromIPC(f));
    } catch (e) {
      return problem(`a frame does not decode: ${String(e)}`);
    }
    return undefined;
  }
  if (typeof r.error !== 'string' || r.error.trim() === '') {
    return problem('an error status without an error text');
  }
  if (r.errorSource !== 'plugin' && r.errorSource !== 'downstream') {
    return problem('no errorSource');
  }
  if (/Internal error of the Netdata plugin/.test(r.error)) {
    return problem('an unexpected exception inside the plugin');
  }
  return undefined;
}

describe('10 000 random and mutated queries through QueryData', () => {
  let agentFake: FakeNetdata;
  let cloudFake: FakeNetdata;
  let canned: MisbehavingNetdata;
  let plugin: PluginProcess;

  beforeAll(async () => {
    // Most batches go to a server that answers every data request with one of the real Netdata 2.9 data responses
    // in turn (many shapes, no cost); the rest go to the fake Agent and Cloud, which compute real answers.
    const dir = join(__dirname, '../fixtures/netdata-2.9');
    const bodies = readdirSync(dir)
      .filter((f) => /^v[23]_data_.*\.json$/.test(f))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
    let n = 0;
    canned = await startMisbehavingNetdata((req, res) => okJson(bodies[n++ % bodies.length])(req, res));
    agentFake = await startFakeNetdata({ mode: 'agent' });
    cloudFake = await startFakeNetdata({ mode: 'cloud' });
    // Info level, as Grafana runs it by default: keeps the 10 000 debug lines out of the pipe.
    plugin = await startPlugin({ env: grafanaEnv({ GF_PLUGIN_LOG_LEVEL: 'info' }) });
  });
  afterAll(async () => {
    await plugin?.kill();
    await agentFake?.close();
    await cloudFake?.close();
    await canned?.close();
  });

  it('answers every one with frames or a per-query error, and keeps running', async () => {
    const cannedAgent = dataSourceSettings({ url: canned.url, uid: 'fuzz-canned', timeout: 20 });
    const agent = dataSourceSettings({ url: agentFake.url, uid: 'fuzz-agent', timeout: 20 });
    const cloud = dataSourceSettings({
      url: cloudFake.url,
      transport: 'cloud',
      token: 'cloud-token',
      spaceId: cloudFake.spaceId,
      roomId: cloudFake.roomId,
      uid: 'fuzz-cloud',
      timeout: 20,
    });
    let batchNo = 0;
    let sent = 0;
    const statuses = new Map<number, number>();
    const firstError = new Map<number, string>();
    const problems: Problem[] = [];
    const started = Date.now();
    await fc.assert(
      fc.asyncProperty(fc.array(query, { minLength: PER_BATCH, maxLength: PER_BATCH }), async (batch) => {
        const turn = batchNo++ % 10;
        const settings = turn === 8 ? agent : turn === 9 ? cloud : cannedAgent;
        const inputs: QueryInput[] = batch.map((item, i) => {
          const toMs = NOW - item.window.ago;
          return {
            refId: `Q${i}${item.suffix}`,
            json: item.json,
            fromMs: toMs - item.window.span,
            toMs,
            maxDataPoints: item.window.maxDataPoints,
            intervalMs: item.window.intervalMs,
          };
        });
        const res = await plugin.queryData(settings, inputs, 60_000);
        sent += inputs.length;
        for (const input of inputs) {
          const answer = res.responses[input.refId];
          statuses.set(answer?.status ?? -1, (statuses.get(answer?.status ?? -1) ?? 0) + 1);
          if (answer?.error && !firstError.has(answer.status ?? -1)) {
            firstError.set(answer.status ?? -1, answer.error.slice(0, 160));
          }
          const p = checkAnswer(input.refId, input.json as string, answer);
          if (p) {
            problems.push(p);
          }
        }
        expect(Object.keys(res.responses)).toHaveLength(inputs.length);
        expect(problems.slice(0, 5)).toEqual([]);
        expect(plugin.exitInfo).toBeUndefined();
      }),
      { numRuns: BATCHES, endOnFailure: true }
    );
    // eslint-disable-next-line no-console
    console.log(
      `fuzz: ${sent} queries in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ` +
        JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0]))) +
        `; a sample error per status: ${JSON.stringify(Object.fromEntries(firstError), null, 1)}`
    );
    expect(sent).toBeGreaterThanOrEqual(10_000);
    // Enough of them were real queries that reached Netdata and came back as frames.
    expect(statuses.get(200) ?? 0).toBeGreaterThan(1000);
  });

  it('is still healthy afterwards', async () => {
    expect(plugin.exitInfo).toBeUndefined();
    expect((await plugin.health()).status).toBe(1);
    const health = await plugin.checkHealth(dataSourceSettings({ url: agentFake.url, uid: 'fuzz-agent', timeout: 20 }));
    expect(health.status).toBe(1);
    const res = await plugin.queryData(dataSourceSettings({ url: agentFake.url, uid: 'fuzz-agent' }), [
      { refId: 'A', json: { context: 'system.cpu' }, fromMs: NOW - 600_000, toMs: NOW - 30_000 },
    ]);
    expect(res.responses.A.status).toBe(200);
    const crashes = plugin.stderrLines.filter((l) => /uncaught exception|unhandled rejection/.test(l));
    expect(crashes).toEqual([]);
  });
});
