/** @jest-environment node */
// The backend on a Netdata 1.37.1 Parent (v1 mode), replaying real 1.37.1 answers (tests/fixtures/netdata-1.37).
import { tableFromIPC } from 'apache-arrow';
import { loadV1Fixture } from '../../../tests/fixtures/netdata137';
import { InstanceCache } from '../datasource/instanceCache';
import { checkHealth } from '../health/checkHealth';
import { createLogger } from '../log/logger';
import type { CallContext } from '../protocol/callContext';
import { HealthStatus, type DataQueryMsg } from '../protocol/messages';
import { queryData } from '../query/queryData';
import { callResource } from '../resources/callResource';
import { instanceSettings } from '../testing/instanceSettings';
import { stubFetch, type StubAnswer, type StubRequest, type StubRoute } from '../testing/stubFetch';

const log = createLogger({ level: 'error', write: () => undefined });
const ctx: CallContext = {
  signal: new AbortController().signal,
  timeLeftMs: () => undefined,
  dispose: () => undefined,
};

interface RawAnswer {
  dimension_names: string[];
  chart_ids?: string[];
  result: { data: Array<Array<number | null>> };
  [k: string]: unknown;
}
const raw = (name: string) => loadV1Fixture(name) as RawAnswer;
const info = loadV1Fixture('v1_info.json') as { mirrored_hosts_status: Array<Record<string, unknown>> };
const cpuParent = raw('v1_data_system_cpu_jsonwrap.json');
const cpuChild = raw('v1_data_child_system_cpu_via_parent.json');
const loadMax = raw('v1_data_system_load_max.json');
const diskContext = raw('v1_data_disk_io_context_labels.json');
const PARENT_GUID = String(info.mirrored_hosts_status[0].guid);

/** The jsonwrap answer of one disk chart, cut out of the real context answer (its columns are per chart). */
function diskChart(id: string): RawAnswer {
  const cols = (diskContext.chart_ids ?? []).flatMap((c, i) => (c === id ? [i] : []));
  const names = cols.map((i) => diskContext.dimension_names[i]);
  return {
    ...diskContext,
    dimension_names: names,
    dimension_ids: names,
    chart_ids: undefined,
    chart_labels: undefined,
    dimensions: names.length,
    result: {
      labels: ['time', ...names],
      data: diskContext.result.data.map((r) => [r[0], ...cols.map((i) => r[i + 1])]),
    } as RawAnswer['result'],
  };
}

const unsupported = (version: string): StubAnswer => ({
  status: 404,
  text: `Unsupported API version: ${version}`,
  headers: { 'Content-Type': 'text/html; charset=utf-8' },
});

/** A real 1.37.1 Parent `nd-parent` with its child `nd-child` (and, with `gone`, a node it no longer holds). */
function parentRoute(extra: { gone?: boolean; data?: (req: StubRequest) => StubAnswer | undefined } = {}): StubRoute {
  return (req) => {
    const path = req.url.pathname;
    const chart = req.url.searchParams.get('chart');
    if (path === '/api/v3/info') {
      return unsupported('v3');
    }
    if (path === '/api/v2/info') {
      return unsupported('v2');
    }
    if (path === '/api/v1/info') {
      if (!extra.gone) {
        return { body: info };
      }
      const gone = { guid: 'aaaaaaaa-0000-4000-8000-000000000009', hostname: 'nd-gone', reachable: false, hops: 1 };
      return { body: { ...info, mirrored_hosts_status: [...info.mirrored_hosts_status, gone] } };
    }
    if (path.startsWith('/host/nd-gone/')) {
      return {
        status: 404,
        text: 'This netdata does not maintain a database for host: nd-gone',
        headers: { 'Content-Type': 'text/html; charset=utf-8' },
      };
    }
    const special = extra.data?.(req);
    if (special !== undefined) {
      return special;
    }
    switch (path) {
      case '/api/v1/charts':
        return { body: loadV1Fixture('v1_charts.json') };
      case '/host/nd-child/api/v1/charts':
        return { body: loadV1Fixture('v1_charts_child_via_parent.json') };
      case '/api/v1/alarm_log':
        return { body: loadV1Fixture('v1_alarm_log.json') };
      case '/host/nd-child/api/v1/alarm_log':
        return { body: [] };
      case '/api/v1/data':
        if (req.url.searchParams.get('dimensions') === 'nosuchdim') {
          // What 1.37.1 answers for a dimension the chart does not have (errors.json).
          return { status: 404, text: 'No metrics where matched to query.' };
        }
        if (chart === 'system.cpu') {
          return { body: cpuParent };
        }
        if (chart === 'system.load') {
          return { body: loadMax };
        }
        if (chart === 'disk.vda' || chart === 'disk.zram0') {
          return { body: diskChart(chart) };
        }
        return { status: 404, text: 'No metrics where matched to query.' };
      case '/host/nd-child/api/v1/data':
        return chart === 'system.cpu'
          ? { body: cpuChild }
          : { status: 404, text: 'No metrics where matched to query.' };
      default:
        return { status: 404, text: `Unsupported v1 API command: ${path.split('/').pop()}` };
    }
  };
}

const FROM = 1796418017000;
const TO = 1796418077000;

function query(refId: string, json: object, queryType = ''): DataQueryMsg {
  return {
    refId,
    maxDataPoints: 6,
    intervalMS: 1000,
    timeRange: { fromEpochMS: FROM, toEpochMS: TO },
    json: Buffer.from(JSON.stringify(json)),
    queryType,
  };
}

async function run(route: StubRoute, queries: DataQueryMsg[]) {
  const stub = stubFetch(route);
  const s = instanceSettings({}, undefined, 'http://parent:19999', `v1-${Math.random()}`);
  const res = await queryData(
    { pluginContext: { dataSourceInstanceSettings: s } as never, headers: {}, queries, format: 0 },
    new InstanceCache(stub.fetch),
    ctx,
    log
  );
  return { res: res.responses, requests: stub.requests.map((r) => `${r.url.pathname}${r.url.search}`) };
}

interface Series {
  name: string;
  labels: Record<string, string>;
  points: Array<[number, number | null]>;
  meta: { executedQueryString?: string; notices?: Array<{ text: string }> };
}

function series(frames: Uint8Array[]): Series[] {
  return frames.map((f) => {
    const t = tableFromIPC(f);
    const value = t.schema.fields[1];
    const times = t.getChildAt(0)!.toArray() as ArrayLike<number | bigint>;
    const values = t.getChildAt(1)!;
    return {
      name: JSON.parse(value.metadata.get('config') ?? '{}').displayNameFromDS,
      labels: JSON.parse(value.metadata.get('labels') ?? '{}'),
      points: Array.from({ length: t.numRows }, (_, i): [number, number | null] => [
        Number(times[i]) / 1e6, // Arrow time is in nanoseconds
        values.get(i) as number | null,
      ]),
      meta: JSON.parse(t.schema.metadata.get('meta') ?? '{}'),
    };
  });
}

/** Column `index` of a real answer, oldest first, ms. */
function column(answer: RawAnswer, index: number): Array<[number, number | null]> {
  return answer.result.data.map((r): [number, number | null] => [(r[0] as number) * 1000, r[index + 1]]).reverse();
}

describe('v1 mode: queries on a real 1.37.1 Parent', () => {
  test('system.cpu by dimension of nd-parent: value for value the /api/v1/data answer received', async () => {
    const { res, requests } = await run(parentRoute(), [query('A', { context: 'system.cpu', nodes: ['nd-parent'] })]);
    expect(res.A.error).toBeFalsy();
    const got = series(res.A.frames);
    expect(got.map((s) => s.name)).toEqual(cpuParent.dimension_names);
    got.forEach((s, i) => expect(s.points).toEqual(column(cpuParent, i)));
    expect(got[0].labels).toMatchObject({ node: 'nd-parent', machine_guid: PARENT_GUID, context: 'system.cpu' });
    expect(requests).toEqual([
      '/api/v3/info',
      '/api/v2/info',
      '/api/v1/info',
      '/api/v1/charts',
      '/api/v1/data?chart=system.cpu&after=1796418017&before=1796418077&points=6&group=average&format=json&options=jsonwrap%7Cseconds%7Cflip%7Cunaligned&timeout=27000',
    ]);
    expect(got[0].meta.executedQueryString).toBe(requests[4]);
  });

  test('system.cpu of both nodes: one request per node (/host/nd-child/), averaged per timestamp', async () => {
    const { res, requests } = await run(parentRoute(), [query('A', { context: 'system.cpu' })]);
    expect(requests.filter((r) => r.includes('/data?'))).toHaveLength(2);
    expect(requests).toContain('/host/nd-child/api/v1/charts');
    const user = series(res.A.frames).find((s) => s.name === 'user');
    const p = column(cpuParent, 5);
    const c = column(cpuChild, 5);
    expect(user?.points).toEqual(p.map(([t, v], i) => [t, ((v as number) + (c[i][1] as number)) / 2]));
  });

  test('disk.io by instance and dimension: one chart= request per disk, each column as received', async () => {
    const { res, requests } = await run(parentRoute(), [
      query('A', { context: 'disk.io', nodes: ['nd-parent'], groupBy: ['instance', 'dimension'] }),
    ]);
    expect(
      requests.filter((r) => r.includes('/data?')).map((r) => new URLSearchParams(r.split('?')[1]).get('chart'))
    ).toEqual(['disk.vda', 'disk.zram0']);
    const got = series(res.A.frames);
    expect(got.map((s) => s.name)).toEqual([
      'reads, disk.vda@nd-parent',
      'writes, disk.vda@nd-parent',
      'reads, disk.zram0@nd-parent',
      'writes, disk.zram0@nd-parent',
    ]);
    got.forEach((s, i) => expect(s.points).toEqual(column(diskContext, i)));
  });

  test('system.load with time group max: group=max sent, the values as received', async () => {
    const { res, requests } = await run(parentRoute(), [
      query('A', { context: 'system.load', nodes: ['nd-parent'], timeGroup: 'max' }),
    ]);
    expect(requests.find((r) => r.includes('/data?'))).toContain('group=max');
    series(res.A.frames).forEach((s, i) => expect(s.points).toEqual(column(loadMax, i)));
  });

  test('bad input fails its query alone, naming the chart, context, dimension or node', async () => {
    const { res } = await run(parentRoute({ gone: true }), [
      query('A', { context: 'no.such.context', nodes: ['nd-parent'] }),
      query('B', { context: 'system.cpu', nodes: ['nd-parent'], dimensions: ['nosuchdim'] }),
      query('C', { context: 'system.cpu', nodes: ['nd-gone'] }),
      query('D', { context: 'system.cpu', nodes: ['nd-parent'], anomalyRate: true }),
      query('E', { context: 'system.cpu', nodes: ['nd-parent'] }),
    ]);
    expect(res.A).toMatchObject({
      status: 400,
      error: expect.stringContaining('Context "no.such.context" does not exist on node nd-parent'),
    });
    expect(res.B).toMatchObject({
      status: 400,
      error: expect.stringContaining('Dimension "nosuchdim" is not in the charts'),
    });
    expect(res.C).toMatchObject({
      status: 404,
      errorSource: 'downstream',
      error: expect.stringContaining('Node nd-gone is not reachable through this Netdata Parent'),
    });
    expect(res.D).toMatchObject({ status: 501, error: expect.stringContaining('anomaly rates need Netdata v1.39+') });
    expect(res.E.status).toBe(200);
  });

  test('a chart the agent no longer matches, and an answer not of the documented shape: clear errors', async () => {
    const { res } = await run(
      parentRoute({
        data: (req) => {
          const chart = req.url.searchParams.get('chart');
          if (chart === 'system.load') {
            return { body: { api: 1, result: 'nope' } };
          }
          if (chart === 'system.cpu') {
            return { status: 404, text: 'No metrics where matched to query.' };
          }
          return undefined;
        },
      }),
      [
        query('A', { context: 'system.load', nodes: ['nd-parent'] }),
        query('B', { context: 'system.cpu', nodes: ['nd-parent'] }),
      ]
    );
    expect(res.A).toMatchObject({
      status: 502,
      error: expect.stringContaining(
        'answered /api/v1/data for chart system.load of node nd-parent with an unexpected document'
      ),
    });
    expect(res.B).toMatchObject({
      status: 404,
      error: expect.stringContaining('Chart system.cpu of node nd-parent: Netdata matched nothing'),
    });
  });

  test('annotations from /api/v1/alarm_log of every node, in the annotation frame', async () => {
    const window = { fromEpochMS: 1796417900000, toEpochMS: 1796418100000 };
    const { res, requests } = await run(parentRoute(), [
      { ...query('A', { alertStatuses: ['WARNING', 'CLEAR'] }, 'alertTransitions'), timeRange: window },
    ]);
    expect(res.A.error).toBeFalsy();
    expect(requests).toEqual(expect.arrayContaining(['/api/v1/alarm_log', '/host/nd-child/api/v1/alarm_log']));
    const t = tableFromIPC(res.A.frames[0]);
    expect(t.schema.fields.map((f) => f.name)).toEqual(['time', 'title', 'text', 'tags']);
    expect(t.getChild('title')!.toArray()).toEqual([
      'nd_test_cpu_raised WARNING',
      'nd_test_load_cleared WARNING',
      'nd_test_load_cleared CLEAR',
    ]);
    expect(
      Array.from(t.getChild('time')!.toArray() as ArrayLike<number | bigint>).map((ns) => Number(ns) / 1e6)
    ).toEqual([1796417942000, 1796417943000, 1796417958000]);
  });
});

describe('v1 mode: health and editor look-ups', () => {
  test('health: "Netdata 1.37.1: v1 API" and what v1 cannot do', async () => {
    const stub = stubFetch(parentRoute());
    const s = instanceSettings({}, undefined, 'http://parent:19999', 'h');
    const res = await checkHealth(
      { pluginContext: { dataSourceInstanceSettings: s } as never, headers: {} },
      new InstanceCache(stub.fetch),
      ctx
    );
    expect(res.status).toBe(HealthStatus.OK);
    expect(res.message).toContain(
      'Connected to Netdata 1.37.1: v1 API at http://parent:19999: 2 nodes, 7 charts on nd-parent'
    );
    expect(res.message).toContain('anomaly rates');
    expect(res.message).toContain('need Netdata v1.39+');
    expect(JSON.parse(String(res.jsonDetails))).toMatchObject({ api: 1, version: 'v1.37.1', nodes: 2 });
  });

  async function resource(url: string) {
    const stub = stubFetch(parentRoute());
    const s = instanceSettings({}, undefined, 'http://parent:19999', 'r');
    const res = await callResource(
      {
        pluginContext: { dataSourceInstanceSettings: s } as never,
        path: url.split('?')[0],
        method: 'GET',
        url,
        headers: {},
        body: Buffer.alloc(0),
      },
      new InstanceCache(stub.fetch),
      ctx,
      log
    );
    return {
      code: res.code,
      body: JSON.parse(res.body.toString()),
      requests: stub.requests.map((r) => r.url.pathname),
    };
  }

  test('nodes from mirrored_hosts_status, contexts and one context from the charts of the selected nodes', async () => {
    const nodes = await resource('nodes');
    expect(nodes.code).toBe(200);
    expect(nodes.body.nodes.map((n: { hostname: string }) => n.hostname)).toEqual(['nd-child', 'nd-parent']);
    const contexts = await resource(`contexts?nodes=${PARENT_GUID}`);
    expect(contexts.requests).not.toContain('/host/nd-child/api/v1/charts');
    expect(contexts.body.contexts.find((c: { id: string }) => c.id === 'system.cpu')).toEqual({
      id: 'system.cpu',
      title: 'Total CPU utilization',
      units: 'percentage',
      family: 'cpu',
      priority: 100,
    });
    const disk = await resource('context?context=disk.io');
    expect(disk.body.context).toMatchObject({
      id: 'disk.io',
      instances: ['disk.vda', 'disk.zram0'],
      dimensions: ['reads', 'writes'],
    });
    expect(disk.body.context.labels.device).toEqual(['vda', 'zram0']);
    const missing = await resource('context?context=no.such');
    expect(missing).toMatchObject({
      code: 404,
      body: { error: 'Netdata has no context "no.such" (on the selected nodes)' },
    });
  });
});
