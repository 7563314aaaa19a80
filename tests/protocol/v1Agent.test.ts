/** @jest-environment node */
// The executable against the fake Netdata in v1 mode (Netdata 1.37: only /api/v1), driven the way Grafana drives it:
// every series is checked against the /api/v1/data answers the plugin received, and the same queries against a v2.9
// fake of the same data give the same series names, labels and values (dashboards work unchanged).
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, startPlugin, type PluginProcess, type QueryInput } from './grafanaHost';
import { decodedSeries, type DecodedSeries } from './json2Expect';

jest.setTimeout(60000);

const NOW = Date.now();
// Ends in the past so that re-issuing a recorded request meets exactly the same data.
const WINDOW = { fromMs: NOW - 10 * 60_000, toMs: NOW - 60_000, maxDataPoints: 30, intervalMs: 10_000 };
const q = (refId: string, json: unknown): QueryInput => ({ refId, json, ...WINDOW });

interface Jsonwrap {
  dimension_names: string[];
  result: { data: Array<Array<number | null>> };
}

describe('v1 mode through the executable (fake Netdata 1.37.1 Parent)', () => {
  let v1: FakeNetdata;
  let v2: FakeNetdata;
  let plugin: PluginProcess;

  beforeAll(async () => {
    v1 = await startFakeNetdata({ mode: 'agent', apiLevel: 1 });
    v2 = await startFakeNetdata({ mode: 'agent' });
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await v1?.close();
    await v2?.close();
  });

  const settings = (fake: FakeNetdata, uid: string) => dataSourceSettings({ url: fake.url, uid });

  async function series(fake: FakeNetdata, uid: string, json: unknown): Promise<DecodedSeries[]> {
    const res = await plugin.queryData(settings(fake, uid), [q('A', json)]);
    expect(res.responses.A.error).toBeFalsy();
    expect(res.responses.A.status).toBe(200);
    return decodeFrames(res.responses.A.frames).map(decodedSeries);
  }

  /** The /api/v1/data answers of the last query, fetched again (same past window, same data). */
  async function received(from: number): Promise<Array<{ path: string; chart: string; answer: Jsonwrap }>> {
    const calls = v1.requests.slice(from).filter((r) => r.path.endsWith('/api/v1/data'));
    return Promise.all(
      calls.map(async (r) => ({
        path: r.path,
        chart: r.query.get('chart') ?? '',
        answer: (await (await fetch(`${v1.url}${r.path}?${r.query.toString()}`)).json()) as Jsonwrap,
      }))
    );
  }

  const column = (a: Jsonwrap, i: number) => ({
    times: a.result.data.map((r) => (r[0] as number) * 1000),
    values: a.result.data.map((r) => r[i + 1]),
  });

  it('passes CheckHealth naming Netdata 1.37.1: v1 API and what v1 cannot do', async () => {
    const res = await plugin.checkHealth(settings(v1, 'v1'));
    expect(res.status).toBe(1);
    expect(res.message).toContain(`Connected to Netdata 1.37.1: v1 API at ${v1.url}: 2 nodes`);
    expect(res.message).toContain('anomaly rates');
  });

  it('system.cpu by dimension on one node: one chart= request, every series its column', async () => {
    const from = v1.requests.length;
    const got = await series(v1, 'v1', { context: 'system.cpu', nodes: ['parent01'] });
    const [one, ...more] = await received(from);
    expect(more).toEqual([]);
    expect(one.chart).toBe('system.cpu');
    expect(got.map((s) => s.name)).toEqual(one.answer.dimension_names);
    got.forEach((s, i) => {
      expect({ times: s.times, values: s.values }).toEqual(column(one.answer, i));
    });
  });

  it('disk.io by instance and dimension on the Parent and its child: /host/child01/ for the child', async () => {
    const from = v1.requests.length;
    const got = await series(v1, 'v1', { context: 'disk.io', groupBy: ['instance', 'dimension'] });
    const calls = await received(from);
    expect(calls.map((c) => `${c.path.split('/api/')[0]}${c.chart}`).sort()).toEqual(
      ['disk.sda', 'disk.vda', '/host/child01disk.vda'].sort()
    );
    expect(got).toHaveLength(6);
    for (const s of got) {
      const node = s.labels.node === 'child01' ? '/host/child01' : '';
      const call = calls.find((c) => c.chart === s.labels.instance && c.path.startsWith(`${node}/api/`))!;
      const i = call.answer.dimension_names.indexOf(s.labels.dimension);
      expect({ times: s.times, values: s.values }).toEqual(column(call.answer, i));
    }
  });

  it('fails what v1 cannot answer and what does not exist, each query alone', async () => {
    const res = await plugin.queryData(settings(v1, 'v1'), [
      q('A', { context: 'system.cpu', anomalyRate: true }),
      q('B', { context: 'no.such.context' }),
      q('C', { context: 'system.cpu', dimensions: ['nosuchdim'] }),
      q('D', { context: 'system.cpu', nodes: ['nosuchnode'] }),
      q('E', { context: 'system.load' }),
    ]);
    expect(res.responses.A).toMatchObject({
      status: 501,
      error: expect.stringContaining('anomaly rates need Netdata v1.39+'),
    });
    expect(res.responses.B.error).toContain('Context "no.such.context" does not exist on nodes parent01, child01');
    expect(res.responses.C.error).toContain('Dimension "nosuchdim" is not in the charts of context "system.cpu"');
    expect(res.responses.D.error).toContain('No node of this Netdata matches the node filter "nosuchnode"');
    expect(res.responses.E.status).toBe(200);
  });

  const SAME_AS_V2: Array<[string, object]> = [
    ['system.cpu by dimension, both nodes', { context: 'system.cpu' }],
    ['disk.io by instance and dimension', { context: 'disk.io', groupBy: ['instance', 'dimension'] }],
    ['disk.io by node, sum', { context: 'disk.io', groupBy: ['node'], aggregation: 'sum' }],
    ['disk.io by instance, max', { context: 'disk.io', groupBy: ['instance'], aggregation: 'max' }],
    ['disk.io by dimension and label device', { context: 'disk.io', groupByLabels: ['device'] }],
    [
      'disk.io by label device_type only, min',
      { context: 'disk.io', groupBy: ['label'], groupByLabels: ['device_type'], aggregation: 'min' },
    ],
    [
      'disk.io by dimension, node filter and label filter',
      { context: 'disk.io', nodes: ['parent01'], labels: [{ key: 'device', value: 'sda' }] },
    ],
    ['system.load with time group max', { context: 'system.load', timeGroup: 'max' }],
    ['system.cpu hidden idle, selected by name', { context: 'system.cpu', dimensions: ['idle'] }],
    [
      'disk.io by instance and dimension, limit 2',
      { context: 'disk.io', groupBy: ['instance', 'dimension'], limit: 2 },
    ],
    ['system.cpu by dimension, avg, limit 3', { context: 'system.cpu', limit: 3 }],
    ['system.cpu all but user and system', { context: 'system.cpu', dimensions: ['!user', '!system'] }],
    ['net.net by context and units', { context: 'net.net', groupBy: ['context', 'units'] }],
  ];

  it.each(SAME_AS_V2)('%s: the series names, labels and values of the v2 path', async (_, json) => {
    const fromV1 = await series(v1, 'v1', json);
    const fromV2 = await series(v2, 'v2', json);
    expect(fromV1.length).toBeGreaterThan(0);
    expect(fromV1.some((s) => s.values.some((v) => v !== null && v !== 0))).toBe(true);
    const key = (s: DecodedSeries) => JSON.stringify(Object.entries(s.labels).sort());
    expect(fromV1.map(key).sort()).toEqual(fromV2.map(key).sort());
    for (const s of fromV1) {
      const other = fromV2.find((o) => key(o) === key(s))!;
      expect(s.name).toBe(other.name);
      expect(s.times).toEqual(other.times);
      s.values.forEach((v, i) => {
        if (v === null || other.values[i] === null) {
          expect(v).toBe(other.values[i]);
        } else {
          expect(v).toBeCloseTo(other.values[i] as number, 4);
        }
      });
    }
  });

  it('answers the editor look-ups and makes annotations from /api/v1/alarm_log', async () => {
    const nodes = await plugin.callResource(settings(v1, 'v1'), 'nodes');
    expect((nodes.body as { nodes: Array<{ hostname: string }> }).nodes.map((n) => n.hostname)).toEqual([
      'child01',
      'parent01',
    ]);
    const ctx = await plugin.callResource(settings(v1, 'v1'), 'context?context=disk.io');
    expect((ctx.body as { context: { instances: string[] } }).context.instances.sort()).toEqual([
      'disk.sda',
      'disk.vda',
    ]);
    const res = await plugin.queryData(settings(v1, 'v1'), [
      {
        refId: 'A',
        queryType: 'alertTransitions',
        json: { alertStatuses: ['WARNING', 'CRITICAL', 'CLEAR'] },
        fromMs: NOW - 6 * 3600_000,
        toMs: NOW,
      },
    ]);
    expect(res.responses.A.error).toBeFalsy();
    const [t] = decodeFrames(res.responses.A.frames);
    expect(t.numRows).toBeGreaterThan(0);
    const v2res = await plugin.queryData(settings(v2, 'v2'), [
      {
        refId: 'A',
        queryType: 'alertTransitions',
        json: { alertStatuses: ['WARNING', 'CRITICAL', 'CLEAR'] },
        fromMs: NOW - 6 * 3600_000,
        toMs: NOW,
      },
    ]);
    const [t2] = decodeFrames(v2res.responses.A.frames);
    // The same alert history seen through /api/v1/alarm_log and /api/v3/alert_transitions.
    expect(t.getChild('title')!.toArray()).toEqual(t2.getChild('title')!.toArray());
  });
});
