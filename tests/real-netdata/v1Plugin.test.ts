/** @jest-environment node */
// The built executable against the real Netdata 1.37.1 Parent (v1 mode), through a recording proxy: every series of
// a frame is checked value for value, timestamp for timestamp, against the /api/v1/data answers the plugin received.
import {
  dataSourceSettings,
  decodeFrames,
  startPlugin,
  type PluginProcess,
  type QueryInput,
} from '../protocol/grafanaHost';
import { decodedSeries, type DecodedSeries } from '../protocol/json2Expect';
import { describeReal, recordingProxy } from './realNetdata';

jest.setTimeout(90000);

interface Jsonwrap {
  dimension_names: string[];
  result: { data: Array<Array<number | null>> };
}

describeReal('the plugin on the real Netdata 1.37.1 (v1 mode)', (real) => {
  let plugin: PluginProcess;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  // A window in the past: the agent has all of it.
  const now = Date.now();
  const window = { fromMs: now - 60_000, toMs: now - 5_000, maxDataPoints: 11, intervalMs: 1000 };
  const q = (refId: string, json: unknown, queryType?: string): QueryInput => ({ refId, json, queryType, ...window });

  beforeAll(async () => {
    proxy = await recordingProxy(real().url);
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await proxy?.close();
  });

  const settings = () => dataSourceSettings({ url: proxy.url, uid: 'real-v1' });

  /** The /api/v1/data answers of one chart received since `from`, by node prefix. */
  function answers(from: number, chart: string): Array<{ prefix: string; answer: Jsonwrap }> {
    return proxy.recorded
      .slice(from)
      .filter(
        (r) => /\/api\/v1\/data\?/.test(r.path) && new URLSearchParams(r.path.split('?')[1]).get('chart') === chart
      )
      .map((r) => {
        expect(r.status).toBe(200);
        return { prefix: r.path.split('/api/v1/')[0], answer: JSON.parse(r.text) as Jsonwrap };
      });
  }

  /** Series `column` of an answer: [ms, value] oldest first (the plugin asks with `flip`). */
  function column(a: Jsonwrap, index: number): Array<[number, number | null]> {
    return a.result.data.map((r): [number, number | null] => [(r[0] as number) * 1000, r[index + 1]]);
  }

  function points(s: DecodedSeries): Array<[number, number | null]> {
    return s.times.map((t, i) => [t, s.values[i]]);
  }

  async function run(query: QueryInput): Promise<DecodedSeries[]> {
    const res = await plugin.queryData(settings(), [query]);
    const r = res.responses[query.refId];
    expect(r.error).toBeFalsy();
    expect(r.status).toBe(200);
    return decodeFrames(r.frames).map(decodedSeries);
  }

  it('passes CheckHealth: "Netdata 1.37.1: v1 API", both nodes, what v1 cannot do', async () => {
    const res = await plugin.checkHealth(settings());
    expect(res.status).toBe(1);
    expect(res.message).toContain(`Connected to Netdata 1.37.1: v1 API at ${proxy.url}: 2 nodes`);
    expect(res.message).toContain('Not available on v1: anomaly rates');
  });

  it('a data source URL ending in /host/<child>/ sees only the child', async () => {
    const child = dataSourceSettings({ url: `${proxy.url}/host/${real().child}/`, uid: 'real-v1-child' });
    const health = await plugin.checkHealth(child);
    expect(health.message).toContain(`Netdata 1.37.1: v1 API at ${proxy.url}/host/${real().child}: 1 node`);
    const from = proxy.recorded.length;
    const res = await plugin.queryData(child, [q('A', { context: 'system.cpu' })]);
    expect(res.responses.A.error).toBeFalsy();
    const [s] = decodeFrames(res.responses.A.frames).map(decodedSeries);
    expect(s.labels.node).toBe(real().child);
    // Every request went through the child's prefix, none nested a second one.
    const paths = proxy.recorded.slice(from).map((r) => r.path.split('?')[0]);
    expect(paths).toContain(`/host/${real().child}/api/v1/data`);
    expect(paths.every((p) => p.startsWith(`/host/${real().child}/api/`))).toBe(true);
  });

  it('system.cpu by dimension on the Parent: value for value its /api/v1/data answer', async () => {
    const from = proxy.recorded.length;
    const got = await run(q('A', { context: 'system.cpu', nodes: [real().parent], groupBy: ['dimension'] }));
    const [{ prefix, answer }] = answers(from, 'system.cpu');
    expect(prefix).toBe('');
    expect(got.map((s) => s.labels.dimension)).toEqual(answer.dimension_names);
    got.forEach((s, i) => expect(points(s)).toEqual(column(answer, i)));
    expect(got[0].labels.node).toBe(real().parent);
    expect(answer.result.data.length).toBeGreaterThan(5);
  });

  it('system.cpu by dimension on both nodes: the average of the two answers (one via /host/<child>/)', async () => {
    const from = proxy.recorded.length;
    const got = await run(q('A', { context: 'system.cpu', groupBy: ['dimension'], aggregation: 'avg' }));
    const both = answers(from, 'system.cpu');
    expect(both.map((b) => b.prefix).sort()).toEqual(['', `/host/${real().child}`]);
    const [a, b] = both.map((x) => x.answer);
    got.forEach((s) => {
      const i = a.dimension_names.indexOf(s.labels.dimension);
      const j = b.dimension_names.indexOf(s.labels.dimension);
      const times = [...new Set([...column(a, i), ...column(b, j)].map(([t]) => t))].sort((x, y) => x - y);
      const at = (col: Array<[number, number | null]>, t: number) => col.find(([u]) => u === t)?.[1] ?? null;
      const expected = times.map((t): [number, number | null] => {
        const present = [at(column(a, i), t), at(column(b, j), t)].filter((v): v is number => v !== null);
        return [t, present.length === 0 ? null : present.reduce((x, y) => x + y, 0) / present.length];
      });
      expect(points(s)).toEqual(expected);
    });
  });

  it('disk.io by instance and dimension: each series is one column of its chart answer', async () => {
    const from = proxy.recorded.length;
    const got = await run(q('A', { context: 'disk.io', nodes: [real().parent], groupBy: ['instance', 'dimension'] }));
    expect(got.length).toBeGreaterThanOrEqual(4);
    for (const s of got) {
      const [{ answer }] = answers(from, s.labels.instance);
      const i = answer.dimension_names.indexOf(s.labels.dimension);
      expect(i).toBeGreaterThanOrEqual(0);
      expect(points(s)).toEqual(column(answer, i));
      expect(s.name).toBe(`${s.labels.dimension}, ${s.labels.instance}@${real().parent}`);
    }
  });

  it('system.load with time group max: group=max sent, the values as received', async () => {
    const from = proxy.recorded.length;
    const got = await run(q('A', { context: 'system.load', nodes: [real().parent], timeGroup: 'max' }));
    const [{ answer }] = answers(from, 'system.load');
    const sent = proxy.recorded.slice(from).find((r) => r.path.includes('chart=system.load'));
    expect(sent?.path).toContain('group=max');
    got.forEach((s, i) => expect(points(s)).toEqual(column(answer, i)));
  });

  it('answers a hidden dimension (system.cpu idle) that /api/v1/charts does not list, as the agent sent it', async () => {
    const from = proxy.recorded.length;
    const got = await run(q('A', { context: 'system.cpu', nodes: [real().parent], dimensions: ['idle'] }));
    const [{ answer }] = answers(from, 'system.cpu');
    expect(answer.dimension_names).toEqual(['idle']);
    expect(got.map((s) => s.labels.dimension)).toEqual(['idle']);
    expect(points(got[0])).toEqual(column(answer, 0));
  });

  it('fails bad queries alone, naming the context, dimension or node', async () => {
    const res = await plugin.queryData(settings(), [
      q('A', { context: 'no.such.context' }),
      q('B', { context: 'system.cpu', dimensions: ['nosuchdim'] }),
      q('C', { context: 'system.cpu', nodes: ['no-such-node'] }),
      q('D', { context: 'system.cpu', nodes: [real().parent] }),
    ]);
    expect(res.responses.A.error).toContain('Context "no.such.context" does not exist');
    expect(res.responses.B.error).toContain('Dimension "nosuchdim" is not in the charts of context "system.cpu"');
    expect(res.responses.C.error).toContain('No node of this Netdata matches the node filter "no-such-node"');
    expect(res.responses.D.status).toBe(200);
  });

  it('answers the editor look-ups: nodes, contexts, one context', async () => {
    const nodes = await plugin.callResource(settings(), 'nodes');
    expect(nodes.code).toBe(200);
    const list = (nodes.body as { nodes: Array<{ hostname: string; id: string }> }).nodes;
    expect(list.map((n) => n.hostname).sort()).toEqual([real().child, real().parent].sort());
    const contexts = await plugin.callResource(settings(), `contexts?nodes=${list[0].id}`);
    const ids = (contexts.body as { contexts: Array<{ id: string; title?: string }> }).contexts;
    expect(ids.find((c) => c.id === 'system.cpu')?.title).toBe('Total CPU utilization');
    const disk = await plugin.callResource(settings(), 'context?context=disk.io');
    const ctx = (
      disk.body as { context: { instances: string[]; dimensions: string[]; labels: Record<string, string[]> } }
    ).context;
    expect(ctx.dimensions).toEqual(['reads', 'writes']);
    expect(ctx.instances.length).toBeGreaterThanOrEqual(2);
    expect(ctx.labels.device?.length).toBeGreaterThanOrEqual(2);
  });

  it('makes annotations of the test alerts from /api/v1/alarm_log', async () => {
    const res = await plugin.queryData(settings(), [
      {
        refId: 'A',
        queryType: 'alertTransitions',
        json: { alertStatuses: ['WARNING', 'CLEAR'] },
        fromMs: now - 3600_000,
        toMs: now,
      },
    ]);
    expect(res.responses.A.error).toBeFalsy();
    const [t] = decodeFrames(res.responses.A.frames);
    const titles = t.getChild('title')!.toArray() as string[];
    expect(titles).toEqual(expect.arrayContaining([`${real().alertRaised} WARNING`, `${real().alertCleared} CLEAR`]));
  });
});
