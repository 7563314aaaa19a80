import { loadV1Fixture } from '../../../tests/fixtures/netdata137';
import { json2ToFrames } from '../frames';
import { PA_EMPTY, PA_PARTIAL } from '../points';
import { parseQuery } from '../query';
import type { NetdataQueryModel, NumberField } from '../types';
import { combineV1 } from './combine';
import { parseV1Charts, parseV1Data, parseV1Info } from './parse';
import { planV1Targets, type V1Target } from './plan';
import type { V1Chart, V1DataAnswer, V1Node } from './types';

function ok<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.value;
}

const info = ok(parseV1Info(loadV1Fixture('v1_info.json')));
const [parent, child] = info.nodes as [V1Node, V1Node];
const parentCharts = ok(parseV1Charts(loadV1Fixture('v1_charts.json')));
const childCharts = ok(parseV1Charts(loadV1Fixture('v1_charts_child_via_parent.json')));
const both = [
  { node: parent, charts: parentCharts },
  { node: child, charts: childCharts },
];

interface RawAnswer {
  dimension_names: string[];
  chart_ids?: string[];
  result: { data: Array<Array<number | null>> };
}

const raw = (name: string) => loadV1Fixture(name) as RawAnswer;
const cpuParent = raw('v1_data_system_cpu_jsonwrap.json');
const cpuChild = raw('v1_data_child_system_cpu_via_parent.json');
const loadMax = raw('v1_data_system_load_max.json');
const diskContext = raw('v1_data_disk_io_context_labels.json');

function model(json: object): NetdataQueryModel {
  return ok(parseQuery(json));
}

/** The answer of one chart, cut out of a real context answer (its columns are per chart, `chart_ids[]`). */
function chartAnswer(context: RawAnswer, chartId: string): V1DataAnswer {
  const cols = (context.chart_ids ?? []).flatMap((c, i) => (c === chartId ? [i] : []));
  return {
    viewUpdateEvery: 15,
    updateEvery: 1,
    dimensionIds: cols.map((i) => context.dimension_names[i]),
    dimensionNames: cols.map((i) => context.dimension_names[i]),
    rows: context.result.data.map((r) => [r[0], ...cols.map((i) => r[i + 1])]),
  };
}

/** Column `name` of a real answer, oldest first, times in ms. */
function column(answer: RawAnswer, index: number): Array<[number, number | null]> {
  return answer.result.data.map((r): [number, number | null] => [(r[0] as number) * 1000, r[index + 1]]).reverse();
}

function seriesOf(q: NetdataQueryModel, targets: V1Target[], answers: V1DataAnswer[]) {
  const frames = json2ToFrames(combineV1(q, targets, answers), { refId: 'A', query: q, executedQueryString: '' });
  return frames.map((f) => {
    const value = f.fields[1] as NumberField;
    const times = f.fields[0].values as number[];
    return {
      name: value.config?.displayNameFromDS,
      labels: value.labels,
      points: times.map((t, i): [number, number | null] => [t, value.values[i]]),
      notices: f.meta?.notices,
    };
  });
}

describe('v1 answers → the frames of the v2 path (real 1.37.1 answers)', () => {
  test('system.cpu by dimension on one node: every value as the agent sent it', () => {
    const q = model({ context: 'system.cpu', nodes: ['nd-parent'], groupBy: ['dimension'] });
    const targets = planV1Targets(q, [both[0]]);
    expect(targets.map((t) => t.chart.id)).toEqual(['system.cpu']);
    const series = seriesOf(q, targets, [ok(parseV1Data(cpuParent))]);
    expect(series.map((s) => s.name)).toEqual(cpuParent.dimension_names);
    series.forEach((s, i) => expect(s.points).toEqual(column(cpuParent, i)));
    expect(series[5].labels).toEqual({
      dimension: 'user',
      node: 'nd-parent',
      machine_guid: parent.machineGuid,
      context: 'system.cpu',
      units: 'percentage',
    });
  });

  test('system.cpu by dimension on the Parent and its child: avg, sum, min, max of the two nodes per timestamp', () => {
    const answers = [ok(parseV1Data(cpuParent)), ok(parseV1Data(cpuChild))];
    const user = 5;
    const p = column(cpuParent, user);
    const c = column(cpuChild, user);
    expect(p.map((x) => x[0])).toEqual(c.map((x) => x[0]));
    const expected: Record<string, (a: number, b: number) => number> = {
      avg: (a, b) => (a + b) / 2,
      sum: (a, b) => a + b,
      min: Math.min,
      max: Math.max,
    };
    for (const [aggregation, f] of Object.entries(expected)) {
      const q = model({ context: 'system.cpu', groupBy: ['dimension'], aggregation });
      const targets = planV1Targets(q, both);
      expect(targets.map((t) => t.node.hostname)).toEqual(['nd-parent', 'nd-child']);
      const series = seriesOf(q, targets, answers);
      const userSeries = series.find((s) => s.name === 'user');
      expect(userSeries?.points).toEqual(
        p.map(([t, a], i) => [t, a === null || c[i][1] === null ? (a ?? c[i][1]) : f(a, c[i][1] as number)])
      );
      // Two nodes: no node labels unless grouped by node, as on v2.
      expect(userSeries?.labels).toEqual({ dimension: 'user', context: 'system.cpu', units: 'percentage' });
    }
  });

  test('disk.io by instance and dimension: one series per chart × dimension, values as the agent sent them', () => {
    const q = model({ context: 'disk.io', nodes: ['nd-parent'], groupBy: ['instance', 'dimension'] });
    const targets = planV1Targets(q, [both[0]]);
    expect(targets.map((t) => t.chart.id)).toEqual(['disk.vda', 'disk.zram0']);
    const series = seriesOf(
      q,
      targets,
      targets.map((t) => chartAnswer(diskContext, t.chart.id))
    );
    expect(series.map((s) => s.name)).toEqual([
      'reads, disk.vda@nd-parent',
      'writes, disk.vda@nd-parent',
      'reads, disk.zram0@nd-parent',
      'writes, disk.zram0@nd-parent',
    ]);
    series.forEach((s, i) => expect(s.points).toEqual(column(diskContext, i)));
    expect(series[1].labels).toEqual({
      dimension: 'writes',
      instance: 'disk.vda',
      node: 'nd-parent',
      machine_guid: parent.machineGuid,
      context: 'disk.io',
      units: 'KiB/s',
    });
  });

  test('disk.io by dimension and label device: label values in the ids, as v2 names them', () => {
    const q = model({ context: 'disk.io', nodes: ['nd-parent'], groupBy: ['dimension'], groupByLabels: ['device'] });
    const targets = planV1Targets(q, [both[0]]);
    const combined = combineV1(
      q,
      targets,
      targets.map((t) => chartAnswer(diskContext, t.chart.id))
    );
    expect(combined.view.dimensions.grouped_by).toEqual(['dimension', 'label:device']);
    expect(combined.view.dimensions.ids).toEqual(['reads,vda', 'writes,vda', 'reads,zram0', 'writes,zram0']);
  });

  test('group by node: one series per node, ids are machine GUIDs, names hostnames; sum of the charts', () => {
    const q = model({ context: 'disk.io', nodes: ['nd-parent'], groupBy: ['node'], aggregation: 'sum' });
    const targets = planV1Targets(q, [both[0]]);
    const answers = targets.map((t) => chartAnswer(diskContext, t.chart.id));
    const combined = combineV1(q, targets, answers);
    expect(combined.view.dimensions.ids).toEqual([parent.machineGuid]);
    expect(combined.view.dimensions.names).toEqual(['nd-parent']);
    const sums = diskContext.result.data
      .map((r) => (r.slice(1) as Array<number | null>).reduce<number>((a, b) => a + (b ?? 0), 0))
      .reverse();
    expect(combined.result.data.map((r) => (r[1] as number[])[0])).toEqual(sums);
  });

  test('system.load with time group max: the max values of the agent, untouched', () => {
    const q = model({ context: 'system.load', nodes: ['nd-parent'], timeGroup: 'max' });
    const series = seriesOf(q, planV1Targets(q, [both[0]]), [ok(parseV1Data(loadMax))]);
    expect(series.map((s) => s.name)).toEqual(['load1', 'load5', 'load15']);
    series.forEach((s, i) => expect(s.points).toEqual(column(loadMax, i)));
  });

  test('nonzero hides output series that are all zero, after grouping', () => {
    const q = model({ context: 'system.cpu', nodes: ['nd-parent'], nonZero: true });
    const combined = combineV1(q, planV1Targets(q, [both[0]]), [ok(parseV1Data(cpuParent))]);
    expect(combined.view.dimensions.ids).not.toContain('guest_nice');
    expect(combined.view.dimensions.ids).toContain('user');
  });

  test('a series limit keeps the largest series and folds the rest into their sum, as v2.6+ does', () => {
    const q = model({ context: 'system.cpu', nodes: ['nd-parent'], limit: 2 });
    const combined = combineV1(q, planV1Targets(q, [both[0]]), [ok(parseV1Data(cpuParent))]);
    // user and system are the busiest dimensions of the capture; the other 7 are summed.
    expect(combined.view.dimensions.ids).toEqual(['user', 'system', 'remaining 7 dimensions']);
    const rest = [0, 1, 2, 3, 4, 7, 8];
    const expected = [...cpuParent.result.data]
      .reverse()
      .map((r) => rest.reduce((a, i) => a + (r[i + 1] as number), 0));
    const got = combined.result.data.map((r) => (r[3] as number[])[0]);
    got.forEach((v, k) => expect(v).toBeCloseTo(expected[k], 9));
  });

  test('a timestamp one member lacks is partial; none has it: empty', () => {
    const q = model({ context: 'disk.io', groupBy: ['node'] });
    const chart = (id: string): V1Chart => ({ ...parentCharts.find((c) => c.id === 'disk.vda')!, id, name: id });
    const targets: V1Target[] = [
      { node: parent, chart: chart('disk.a'), dimensions: [{ id: 'reads', name: 'reads' }] },
      { node: parent, chart: chart('disk.b'), dimensions: [{ id: 'reads', name: 'reads' }] },
    ];
    const answer = (rows: Array<Array<number | null>>): V1DataAnswer => ({
      viewUpdateEvery: 1,
      updateEvery: 1,
      dimensionIds: ['reads'],
      dimensionNames: ['reads'],
      rows,
    });
    const combined = combineV1(q, targets, [
      answer([
        [10, 1],
        [11, 2],
        [12, null],
      ]),
      answer([
        [10, 3],
        [12, null],
      ]),
    ]);
    expect(combined.result.data).toEqual([
      [10000, [2, 0, 0]],
      [11000, [2, 0, PA_PARTIAL]],
      [12000, [null, 0, PA_EMPTY]],
    ]);
  });
});
