/** @jest-environment node */
// The built executable, driven like Grafana, against the real Netdata 1.37.1 Parent (and its streaming child).
// A recording proxy sits between the plugin and the Parent, so every value of every frame is checked against the
// /api/v1/data answer the plugin received, timestamp for timestamp, and the same request re-issued directly (the
// windows are pinned to whole seconds in the past) must return the same rows.
import type { Table } from 'apache-arrow';

import {
  dataSourceSettings,
  decodeFrames,
  startPlugin,
  type PluginProcess,
  type QueryInput,
} from '../protocol/grafanaHost';
import { decodedSeries, type DecodedSeries } from '../protocol/json2Expect';
import { describeReal, getJson, recordingProxy } from './realNetdata';

jest.setTimeout(120000);

interface V1Answer {
  dimension_names: string[];
  dimension_ids: string[];
  view_update_every: number;
  group: string;
  result: { labels: string[]; data: Array<Array<number | null>> };
}

interface AlarmLogEntry {
  hostname: string;
  unique_id: number;
  name: string;
  chart: string;
  context: string;
  status: string;
  old_status: string;
  when: number;
}

/** Every column of one answer, oldest row first: times in ms. */
function columns(answer: V1Answer): { times: number[]; byColumn: Array<Array<number | null>> } {
  const rows = [...answer.result.data].sort((a, b) => (a[0] as number) - (b[0] as number));
  return {
    times: rows.map((r) => (r[0] as number) * 1000),
    byColumn: answer.dimension_ids.map((_, i) => rows.map((r) => r[i + 1])),
  };
}

function aggregate(values: Array<number | null>, how: 'sum' | 'avg' | 'min' | 'max'): number | null {
  const present = values.filter((v): v is number => v !== null);
  if (present.length === 0) {
    return null;
  }
  switch (how) {
    case 'sum':
      return present.reduce((a, b) => a + b, 0);
    case 'avg':
      return present.reduce((a, b) => a + b, 0) / present.length;
    case 'min':
      return Math.min(...present);
    default:
      return Math.max(...present);
  }
}

function expectClose(actual: Array<number | null>, expected: Array<number | null>): void {
  expect(actual.map((v) => v === null)).toEqual(expected.map((v) => v === null));
  actual.forEach((v, i) => {
    if (v !== null) {
      expect(v).toBeCloseTo(expected[i] as number, 6);
    }
  });
}

describeReal('the executable against the real Netdata 1.37.1 Parent', (real) => {
  let plugin: PluginProcess;
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  // Whole seconds, 20 s in the past: the agent's answer for this window no longer changes.
  const toMs = Math.floor(Date.now() / 1000) * 1000 - 20_000;
  const fromMs = toMs - 60_000;

  beforeAll(async () => {
    proxy = await recordingProxy(real().url);
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await proxy?.close();
  });

  const settings = () => dataSourceSettings({ url: proxy.url, uid: 'real-netdata-137' });
  const q = (refId: string, json: Record<string, unknown>, maxDataPoints = 30): QueryInput => ({
    refId,
    json,
    fromMs,
    toMs,
    maxDataPoints,
    intervalMs: 1000,
  });

  /** Runs one query; returns its series and the /api/v1/data answers the plugin received for it. */
  async function run(
    json: Record<string, unknown>,
    maxDataPoints = 30
  ): Promise<{ series: DecodedSeries[]; answers: Array<{ path: string; answer: V1Answer }> }> {
    const from = proxy.recorded.length;
    const res = await plugin.queryData(settings(), [q('A', json, maxDataPoints)]);
    const a = res.responses.A;
    expect(a.error ?? '').toBe('');
    expect(a.status).toBe(200);
    const tables: Table[] = decodeFrames(a.frames ?? []);
    const answers = proxy.recorded
      .slice(from)
      .filter((r) => /\/api\/v1\/data\?/.test(r.path))
      .map((r) => {
        expect([r.path, r.status]).toEqual([r.path, 200]);
        return { path: r.path, answer: JSON.parse(r.text) as V1Answer };
      });
    expect(answers.length).toBeGreaterThan(0);
    return { series: tables.map(decodedSeries), answers };
  }

  /** The same request sent directly returns the same rows: the plugin's window is absolute and in the past. */
  async function expectReissuedEqual(answers: Array<{ path: string; answer: V1Answer }>): Promise<void> {
    for (const { path, answer } of answers) {
      expect(path).toMatch(/[?&]after=\d{9,}&before=\d{9,}&/);
      const again = await getJson<V1Answer>(real().url, path);
      expect([path, again.result.data]).toEqual([path, answer.result.data]);
    }
  }

  it('passes CheckHealth as "Netdata 1.37.1: v1 API" with both nodes', async () => {
    const res = await plugin.checkHealth(settings());
    expect(res.status).toBe(1);
    expect(res.message).toContain('Netdata 1.37.1: v1 API');
    expect(res.message).toContain('2 nodes');
    expect(res.message).toMatch(/Not available on v1: .*anomaly rates/);
  });

  it('system.cpu by dimension on the Parent: every series is the answer column, value for value', async () => {
    const { parent } = real();
    const { series, answers } = await run({ context: 'system.cpu', nodes: [parent], groupBy: ['dimension'] });
    expect(answers.map((a) => a.path.split('?')[0])).toEqual(['/api/v1/data']);
    expect(answers[0].path).toContain('chart=system.cpu');
    const { answer } = answers[0];
    const { times, byColumn } = columns(answer);
    expect(series.map((s) => s.name)).toEqual(answer.dimension_names);
    series.forEach((s, i) => {
      expect(s.labels.dimension).toBe(answer.dimension_names[i]);
      expect(s.times).toEqual(times);
      expect(s.values).toEqual(byColumn[i]);
    });
    expect(times.length).toBeGreaterThanOrEqual(20);
    expect(times.every((t) => t >= fromMs && t <= toMs)).toBe(true);
    await expectReissuedEqual(answers);
  });

  it('disk.io by instance and dimension on the Parent: one series per chart × dimension, equal to each answer', async () => {
    const { parent } = real();
    const charts = await getJson<{ charts: Record<string, { context: string }> }>(
      real().url,
      `/host/${parent}/api/v1/charts`
    );
    const disks = Object.keys(charts.charts).filter((id) => charts.charts[id].context === 'disk.io');
    expect(disks.length).toBeGreaterThanOrEqual(2);
    const { series, answers } = await run({ context: 'disk.io', nodes: [parent], groupBy: ['instance', 'dimension'] });
    const asked = answers.map((a) => new URLSearchParams(a.path.split('?')[1]).get('chart'));
    expect([...asked].sort()).toEqual([...disks].sort());
    expect(series).toHaveLength(disks.length * 2);
    for (const { path, answer } of answers) {
      const chart = new URLSearchParams(path.split('?')[1]).get('chart')!;
      const { times, byColumn } = columns(answer);
      answer.dimension_names.forEach((dim, i) => {
        const s = series.find((x) => x.labels.instance === chart && x.labels.dimension === dim);
        expect(s).toBeDefined();
        expect(s!.name).toBe(`${dim}, ${chart}@${parent}`);
        expect(s!.times).toEqual(times);
        expect(s!.values).toEqual(byColumn[i]);
      });
    }
    await expectReissuedEqual(answers);
  });

  it('system.load with time group max: group=max is sent and the series equal its answer', async () => {
    const { parent } = real();
    const { series, answers } = await run(
      { context: 'system.load', nodes: [parent], groupBy: ['dimension'], timeGroup: 'max' },
      10
    );
    expect(answers).toHaveLength(1);
    expect(answers[0].path).toContain('group=max');
    expect(answers[0].answer.group).toBe('max');
    const { times, byColumn } = columns(answers[0].answer);
    expect(series.map((s) => s.name)).toEqual(['load1', 'load5', 'load15']);
    series.forEach((s, i) => {
      expect(s.times).toEqual(times);
      expect(s.values).toEqual(byColumn[i]);
    });
    await expectReissuedEqual(answers);
  });

  it('group by node across both hosts: each node series is the sum of that node’s columns at each timestamp', async () => {
    const { parent, child } = real();
    const { series, answers } = await run({ context: 'system.cpu', groupBy: ['node'], aggregation: 'sum' });
    expect(answers.map((a) => a.path.split('?')[0]).sort()).toEqual(['/api/v1/data', `/host/${child}/api/v1/data`]);
    expect(series.map((s) => s.name).sort()).toEqual([child, parent].sort());
    for (const { path, answer } of answers) {
      const host = path.startsWith('/host/') ? child : parent;
      const { times, byColumn } = columns(answer);
      const s = series.find((x) => x.labels.node === host)!;
      expect(s.times).toEqual(times);
      expectClose(
        s.values,
        times.map((_, row) =>
          aggregate(
            byColumn.map((c) => c[row]),
            'sum'
          )
        )
      );
    }
    await expectReissuedEqual(answers);
  });

  it('by dimension over both hosts with avg and max: aggregated per timestamp across the two answers', async () => {
    for (const aggregation of ['avg', 'max'] as const) {
      const { series, answers } = await run({ context: 'system.cpu', groupBy: ['dimension'], aggregation });
      expect(answers).toHaveLength(2);
      const cols = answers.map((a) => columns(a.answer));
      // Both nodes were asked the same absolute, unaligned window: the rows line up.
      expect(cols[1].times).toEqual(cols[0].times);
      for (const s of series) {
        const perNode = answers.map((a, i) => cols[i].byColumn[a.answer.dimension_names.indexOf(s.name)]);
        expect(s.times).toEqual(cols[0].times);
        expectClose(
          s.values,
          cols[0].times.map((_, row) =>
            aggregate(
              perNode.map((c) => c[row]),
              aggregation
            )
          )
        );
      }
    }
  });

  it('a node filter on the child reads /host/<child>/api/v1/data and returns its answer', async () => {
    const { child } = real();
    const { series, answers } = await run({ context: 'system.load', nodes: [child], groupBy: ['dimension'] }, 10);
    expect(answers.map((a) => a.path.split('?')[0])).toEqual([`/host/${child}/api/v1/data`]);
    const { times, byColumn } = columns(answers[0].answer);
    series.forEach((s, i) => {
      expect(s.times).toEqual(times);
      expect(s.values).toEqual(byColumn[i]);
    });
    await expectReissuedEqual(answers);
  });

  it('an unknown chart, dimension or node is that query’s error, naming it', async () => {
    const res = await plugin.queryData(settings(), [
      q('A', { context: 'no.such.context' }),
      q('B', { context: 'system.cpu', dimensions: ['no_such_dimension'] }),
      q('C', { context: 'system.cpu', nodes: ['no-such-node'] }),
      q('D', { context: 'system.load', nodes: [real().parent] }),
    ]);
    expect(res.responses.A.error).toMatch(/no\.such\.context/);
    expect(res.responses.B.error).toMatch(/no_such_dimension/);
    expect(res.responses.C.error).toMatch(/no-such-node/);
    expect(res.responses.D.error ?? '').toBe('');
  });

  describe('editor resources and variables', () => {
    const resource = async (path: string): Promise<Record<string, unknown>> => {
      const a = await plugin.callResource(settings(), path);
      expect([path, a.code]).toEqual([path, 200]);
      return a.body as Record<string, unknown>;
    };

    it('nodes: the Parent and the child, from /api/v1/info mirrored_hosts_status', async () => {
      const { parent, child } = real();
      const info = await getJson<{ mirrored_hosts_status: Array<{ guid: string; hostname: string }> }>(
        real().url,
        '/api/v1/info'
      );
      const body = (await resource('nodes')) as { nodes: Array<{ hostname: string; machineGuid: string }> };
      expect(body.nodes.map((n) => n.hostname).sort()).toEqual([child, parent].sort());
      for (const n of body.nodes) {
        expect(n.machineGuid).toBe(info.mirrored_hosts_status.find((h) => h.hostname === n.hostname)!.guid);
      }
    });

    it('contexts: the contexts of /api/v1/charts, with units and titles without the chart-name suffix', async () => {
      const { parent } = real();
      const charts = await getJson<{ charts: Record<string, { context: string; units: string }> }>(
        real().url,
        `/host/${parent}/api/v1/charts`
      );
      const body = (await resource(`contexts?nodes=${parent}`)) as {
        contexts: Array<{ id: string; title?: string; units?: string }>;
      };
      const expected = [...new Set(Object.values(charts.charts).map((c) => c.context))].sort();
      expect(body.contexts.map((c) => c.id).sort()).toEqual(expected);
      const cpu = body.contexts.find((c) => c.id === 'system.cpu')!;
      expect(cpu.units).toBe('percentage');
      expect(cpu.title).toBe('Total CPU utilization');
    });

    it('context details (instances, dimensions, label keys and values) equal the charts of disk.io', async () => {
      const { parent } = real();
      const charts = await getJson<{
        charts: Record<
          string,
          { context: string; dimensions: Record<string, { name: string }>; chart_labels: Record<string, string> }
        >;
      }>(real().url, `/host/${parent}/api/v1/charts`);
      const disks = Object.entries(charts.charts).filter(([, c]) => c.context === 'disk.io');
      const body = (await resource(`context?context=disk.io&nodes=${parent}`)) as {
        context: { instances: string[]; dimensions: string[]; labels: Record<string, string[]> };
      };
      expect([...body.context.instances].sort()).toEqual(disks.map(([id]) => id).sort());
      expect(body.context.dimensions).toEqual(['reads', 'writes']);
      expect([...body.context.labels.device].sort()).toEqual(disks.map(([, c]) => c.chart_labels.device).sort());
      const cpu = (await resource(`context?context=system.cpu&nodes=${parent}`)) as {
        context: { dimensions: string[] };
      };
      expect(cpu.context.dimensions).toEqual(Object.values(charts.charts['system.cpu'].dimensions).map((d) => d.name));
    });

    it('an unknown context is a 404 naming it', async () => {
      const a = await plugin.callResource(settings(), 'context?context=no.such.context');
      expect(a.code).toBe(404);
      expect(a.text).toContain('no.such.context');
    });
  });

  it('annotations: the forced transitions of /api/v1/alarm_log on both hosts', async () => {
    const { parent, child, alertRaised, alertCleared } = real();
    const started = Math.floor(Date.now() / 1000);
    const logs = await Promise.all(
      [parent, child].map((h) => getJson<AlarmLogEntry[]>(real().url, `/host/${h}/api/v1/alarm_log`))
    );
    const oldest = Math.min(...logs.flat().map((e) => e.when));
    const window = { fromMs: (oldest - 60) * 1000, toMs: (started + 1) * 1000 };
    const res = await plugin.queryData(settings(), [
      { refId: 'A', json: { queryType: 'alertTransitions' }, queryType: 'alertTransitions', ...window },
      {
        refId: 'B',
        json: {
          queryType: 'alertTransitions',
          alert: alertCleared,
          nodes: [child],
          alertStatuses: ['WARNING', 'CLEAR'],
        },
        queryType: 'alertTransitions',
        ...window,
      },
    ]);
    const frame = (refId: string) => {
      const r = res.responses[refId];
      expect(r.error ?? '').toBe('');
      const t = decodeFrames(r.frames ?? [])[0];
      const col = (name: string): unknown[] => Array.from(t.getChild(name)!.toArray() as ArrayLike<unknown>);
      // Arrow time is nanoseconds (int64).
      const time = col('time').map((v) => Number((v as bigint) / BigInt(1_000_000)));
      return { time, title: col('title') as string[], tags: col('tags') as string[] };
    };
    const all = frame('A');
    for (const [host, log] of [
      [parent, logs[0]],
      [child, logs[1]],
    ] as const) {
      for (const name of [alertRaised, alertCleared]) {
        const warn = log.find((e) => e.name === name && e.status === 'WARNING')!;
        const i = all.title.findIndex(
          (t, k) => t === `${name} WARNING` && all.tags[k].split(',').includes(host) && all.time[k] === warn.when * 1000
        );
        expect([host, name, i >= 0]).toEqual([host, name, true]);
      }
    }
    // The default statuses (WARNING, CRITICAL) leave the CLEAR transitions out.
    expect(all.title.some((t) => t.endsWith(' CLEAR'))).toBe(false);
    const only = frame('B');
    expect(only.title.length).toBeGreaterThan(0);
    expect(only.title.every((t) => t.startsWith(`${alertCleared} `))).toBe(true);
    expect(only.tags.every((t) => t.split(',').includes(child))).toBe(true);
    const clear = logs[1].find((e) => e.name === alertCleared && e.status === 'CLEAR')!;
    expect(only.time[only.title.indexOf(`${alertCleared} CLEAR`)]).toBe(clear.when * 1000);
  });
});
