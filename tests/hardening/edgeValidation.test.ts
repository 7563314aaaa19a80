/** @jest-environment node */
// Query JSON is validated where it enters the plugin: wrong types, huge strings, deep nesting and non-objects get a
// 400 naming the query and the problem, before anything is sent to Netdata. Unknown keys are ignored by design:
// Grafana puts its own keys in every query (and adds new ones between versions), and dashboards saved by other
// versions of this plugin or by Netdata's own plugin carry keys of their own; refusing them would break saved
// dashboards and alert rules. They still count towards the size and nesting limits.
import { status as grpcStatus } from '@grpc/grpc-js';
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, startPlugin, type PluginProcess, type QueryInput } from '../protocol/grafanaHost';
import { brief } from './answers';

jest.setTimeout(60_000);

const NOW = Date.now();

function q(refId: string, json: unknown): QueryInput {
  return { refId, json, fromMs: NOW - 600_000, toMs: NOW - 30_000, maxDataPoints: 60, intervalMs: 10_000 };
}

function nested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) {
    value = i % 2 === 0 ? [value] : { deeper: value };
  }
  return value;
}

describe('query JSON validated at the edge', () => {
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

  const settings = () => dataSourceSettings({ url: fake.url, uid: 'edge' });

  const REFUSED: Array<[string, unknown, RegExp]> = [
    ['context as a number', { context: 5 }, /query\.context must be a non-empty string/],
    ['nodes as an object', { context: 'system.cpu', nodes: { a: 1 } }, /query\.nodes must be an array/],
    [
      'a number among dimensions',
      { context: 'system.cpu', dimensions: ['user', 7] },
      /query\.dimensions\[1\] must be a string/,
    ],
    ['aggregation as a number', { context: 'system.cpu', aggregation: 7 }, /query\.aggregation must be a string/],
    [
      'an unknown aggregation',
      { context: 'system.cpu', aggregation: 'median-ish' },
      /query\.aggregation .* must be one of/,
    ],
    ['tier as text', { context: 'system.cpu', tier: 'abc' }, /query\.tier must be a non-negative integer/],
    ['a flag as text', { context: 'system.cpu', anomalyRate: 'yes' }, /query\.anomalyRate must be true or false/],
    ['a negative limit', { context: 'system.cpu', limit: -3 }, /query\.limit must be a whole number/],
    ['labels as a number', { context: 'system.cpu', labels: 5 }, /query\.labels must be an array/],
    ['a 5 000-character context', { context: 'a'.repeat(5000) }, /query\.context is too long/],
    ['a 5 000-character dimension', { context: 'system.cpu', dimensions: ['d'.repeat(5000)] }, /too long/],
    [
      '2 000 nodes',
      { context: 'system.cpu', nodes: Array.from({ length: 2000 }, (_, i) => `n${i}`) },
      /too many items/,
    ],
    ['an unknown key holding 2 MB', { context: 'system.cpu', notes: 'x'.repeat(2 * 1024 * 1024) }, /too large/],
    ['an unknown key nested 40 deep', { context: 'system.cpu', extra: nested(40) }, /nested too deeply/],
    ['labels nested 40 deep', { context: 'system.cpu', labels: [nested(40)] }, /nested too deeply/],
    ['a control character in context', { context: 'system.cpu\nsystem.load' }, /control characters/],
  ];

  it.each(REFUSED)('%s → 400 naming the field', async (_label, json, message) => {
    const before = fake.requests.filter((r) => r.path.endsWith('/data')).length;
    const res = await plugin.queryData(settings(), [q('E1', json), q('OK', { context: 'system.load' })]);
    const e1 = brief(res.responses.E1);
    expect(e1).toMatchObject({ status: 400, errorSource: 'plugin', frameCount: 0 });
    expect(e1.error).toMatch(/^Query E1: /);
    expect(e1.error).toMatch(message);
    expect(e1.error!.length).toBeLessThan(400);
    // The other query of the request is untouched, and the refused one never reached Netdata.
    expect(brief(res.responses.OK).status).toBe(200);
    expect(fake.requests.filter((r) => r.path.endsWith('/data')).length).toBe(before + 1);
  });

  it.each([
    ['an array', '[{"context":"system.cpu"}]', /must be a JSON object/],
    ['a number', '42', /must be a JSON object/],
    ['a string', '"system.cpu"', /must be a JSON object/],
    ['null', 'null', /must be a JSON object/],
    ['nothing', '', /empty/],
    ['cut JSON', '{"context": "system.cpu", "nodes": [', /not valid JSON/],
    ['deep brackets', `{"context":"system.cpu","x":${'['.repeat(100_000)}${']'.repeat(100_000)}}`, /nested too deeply/],
  ])('a query that is %s → 400', async (_label, raw, message) => {
    const res = await plugin.queryData(settings(), [q('E1', raw)]);
    expect(brief(res.responses.E1)).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringMatching(message),
    });
  });

  it("ignores Grafana's own keys and unknown ones", async () => {
    const res = await plugin.queryData(settings(), [
      q('A', {
        context: 'system.cpu',
        datasource: { type: 'seed-netdata-datasource', uid: 'edge' },
        intervalMs: 10_000,
        maxDataPoints: 60,
        hide: false,
        key: 'Q-1a2b',
        queryType: '',
        datasourceId: 3,
        editorMode: 'builder',
        exemplar: false,
        aNewerPluginsField: { nested: [1, 2, 3] },
      }),
    ]);
    expect(brief(res.responses.A)).toMatchObject({ status: 200, error: undefined });
    expect(res.responses.A.frames.length).toBeGreaterThan(0);
  });

  it('refuses a CallResource body above 16 MiB at the gRPC layer and keeps serving', async () => {
    const err = await plugin
      .callResource(settings(), 'nodes', 'POST', Buffer.alloc(17 * 1024 * 1024, 0x61))
      .then(() => undefined)
      .catch((e: { code?: number }) => e);
    expect(err?.code).toBe(grpcStatus.RESOURCE_EXHAUSTED);
    expect((await plugin.health()).status).toBe(1);
    expect(plugin.exitInfo).toBeUndefined();
  });
});
