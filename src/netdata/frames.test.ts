/** @jest-environment node */
import { DATA_FIXTURES, loadFixture, loadSpecExample } from '../../tests/fixtures';
import { automaticName, failedNodesError, json2ToFrames, toEpochMs } from './frames';
import { parseJson2 } from './json2';
import { DEFAULT_QUERY } from './query';
import type { Frame, Json2Response, NetdataQueryModel, NumberField, TimeField } from './types';

const MG = '7622017c-d2f5-4112-8149-5e13e2ef7ff1';
const HOST = 'nd290-local';

type RawFixture = {
  result: {
    labels: string[];
    data: unknown[][];
    point?: Record<string, number>;
    point_schema?: Record<string, number>;
  };
  view: {
    dimensions: { ids: string[]; names: string[]; units?: string[]; grouped_by: string[] };
    units?: string | string[];
    update_every: number;
  };
};

function parse(body: unknown): Json2Response {
  const r = parseJson2(body);
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.value;
}

function frames(body: unknown, query: Partial<NetdataQueryModel> = {}): Frame[] {
  return json2ToFrames(parse(body), {
    refId: 'A',
    query: { ...DEFAULT_QUERY, context: 'system.cpu', ...query },
    executedQueryString: 'GET /api/v3/data?x',
  });
}

function fields(frame: Frame): { time: TimeField; value: NumberField } {
  const [time, value] = frame.fields;
  if (time?.type !== 'time' || value?.type !== 'number') {
    throw new Error('frame is not time + number');
  }
  return { time, value };
}

/** Expected values straight from the raw capture: time in ms → value of series i (independent of the code). */
function rawSeries(raw: RawFixture, i: number): Map<number, number | null> {
  const valueAt = (raw.result.point ?? raw.result.point_schema ?? {}).value ?? 0;
  const series = new Map<number, number | null>();
  for (const row of raw.result.data) {
    const t = row[0];
    const ms =
      typeof t === 'string' ? new Date(t).getTime() : (t as number) > 1e12 ? (t as number) : (t as number) * 1000;
    series.set(ms, (row[i + 1] as Array<number | null>)[valueAt]);
  }
  return series;
}

function load(name: string): RawFixture {
  return loadFixture(name) as RawFixture;
}

describe('json2ToFrames on every captured data response', () => {
  it.each(DATA_FIXTURES.filter((f) => !f.startsWith('err_')))('%s', (name) => {
    const raw = load(name);
    const out = frames(raw);
    const ids = raw.view.dimensions.ids;
    expect(out).toHaveLength(ids.length);
    out.forEach((frame, i) => {
      expect(frame.refId).toBe('A');
      expect(frame.meta).toMatchObject({
        type: 'timeseries-multi',
        typeVersion: [0, 1],
        executedQueryString: 'GET /api/v3/data?x',
      });
      const { time, value } = fields(frame);
      expect(frame.fields).toHaveLength(2);
      expect(time.name).toBe('time');
      expect(time.config?.interval).toBe(raw.view.update_every * 1000);
      // One value per row, times ascending, every time a plausible epoch in ms (2026 captures).
      expect(time.values).toHaveLength(raw.result.data.length);
      expect(value.values).toHaveLength(raw.result.data.length);
      for (let k = 1; k < time.values.length; k++) {
        expect(time.values[k]).toBeGreaterThan(time.values[k - 1]);
      }
      expect(time.values.every((t) => t > 1.7e12 && t < 1.9e12)).toBe(true);
      const expected = rawSeries(raw, i);
      time.values.forEach((t, k) => {
        expect(expected.has(t)).toBe(true);
        expect(value.values[k]).toBe(expected.get(t));
      });
      // The automatic name: Netdata's name, composite parts joined with ", ", the context for `selected`.
      const grouped = raw.view.dimensions.grouped_by;
      const netdataName = raw.view.dimensions.names[i];
      const expectedName =
        grouped.join() === 'selected'
          ? 'system.cpu'
          : grouped.length > 1
            ? netdataName.split(',').join(', ')
            : netdataName;
      expect(value.config?.displayNameFromDS).toBe(expectedName);
      expect(value.name).toBe(expectedName);
      expect(value.labels?.context).toBeDefined();
      // One node in every capture: each series carries it.
      expect(value.labels).toMatchObject({ node: HOST, machine_guid: MG });
      const units = raw.view.dimensions.units?.[i];
      if (units !== undefined) {
        expect(value.labels?.units).toBe(units);
      }
      expect(value.config?.unit).toBe(
        { percentage: 'percent', '%': 'percent', load: 'none', 'KiB/s': 'KiBs' }[units ?? '']
      );
    });
    const keys = out.map((f) => JSON.stringify(fields(f).value.labels));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('gives the unknown context one empty frame with an info notice', () => {
    const out = frames(loadFixture('err_v2_data_unknown_context.json'), { context: 'does.not.exist' });
    expect(out).toEqual([
      {
        refId: 'A',
        meta: {
          type: 'timeseries-multi',
          typeVersion: [0, 1],
          executedQueryString: 'GET /api/v3/data?x',
          notices: [
            {
              severity: 'info',
              text: 'No data: context "does.not.exist" matched nothing on Netdata (unknown context, or the selectors match no series)',
            },
          ],
        },
        fields: [],
      },
    ]);
    expect(failedNodesError(parse(loadFixture('err_v2_data_unknown_context.json')))).toBeUndefined();
  });
});

describe('labels per grouping', () => {
  const NODE = { node: HOST, machine_guid: MG };

  it('dimension: dimension, context, units and the only node', () => {
    const out = frames(loadFixture('v2_data_system_cpu_json2.json'));
    expect(fields(out[5]).value.labels).toEqual({
      dimension: 'user',
      context: 'system.cpu',
      units: 'percentage',
      ...NODE,
    });
    expect(fields(out[5]).value.config?.displayNameFromDS).toBe('user');
  });

  it('node: hostname and machine GUID', () => {
    const out = frames(loadFixture('v2_data_group_by_node_avg.json'), { groupBy: ['node'] });
    expect(out).toHaveLength(1);
    expect(fields(out[0]).value.labels).toEqual({ ...NODE, context: 'system.cpu', units: 'percentage' });
    expect(fields(out[0]).value.config?.displayNameFromDS).toBe(HOST);
  });

  it('node, dimension: composite ids split in grouped_by order, name joined with ", "', () => {
    const out = frames(loadFixture('v2_data_group_by_node_dimension.json'), { groupBy: ['node', 'dimension'] });
    expect(out).toHaveLength(9);
    expect(fields(out[5]).value.labels).toEqual({
      dimension: 'user',
      ...NODE,
      context: 'system.cpu',
      units: 'percentage',
    });
    expect(fields(out[5]).value.name).toBe(`user, ${HOST}`);
    expect(fields(out[5]).value.config?.displayNameFromDS).toBe(`user, ${HOST}`);
  });

  it('instance: the bare instance name, the node from its @ suffix', () => {
    const out = frames(loadFixture('v2_data_group_by_instance_sum.json'), {
      context: 'disk.io',
      groupBy: ['instance'],
    });
    expect(out.map((f) => fields(f).value.labels)).toEqual([
      { instance: 'disk.vda', ...NODE, context: 'disk.io', units: 'KiB/s' },
      { instance: 'disk.zram0', ...NODE, context: 'disk.io', units: 'KiB/s' },
    ]);
    // Netdata's own name stays the automatic one: it tells instances of different nodes apart.
    expect(fields(out[0]).value.config?.displayNameFromDS).toBe(`disk.vda@${HOST}`);
    expect(fields(out[0]).value.config?.unit).toBe('KiBs');
  });

  it('instance of one of several nodes: node labels from the summary node its suffix names', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_group_by_instance_sum.json')));
    body.summary.nodes.push({ mg: 'mg-2', nm: 'db01', ni: 1, nd: 'nd-2' });
    body.view.dimensions.ids[1] = 'disk.sda@mg-2';
    body.view.dimensions.names[1] = 'disk.sda@db01';
    const out = frames(body, { context: 'disk.io', groupBy: ['instance'] });
    expect(out.map((f) => fields(f).value.labels)).toEqual([
      { instance: 'disk.vda', ...NODE, context: 'disk.io', units: 'KiB/s' },
      { instance: 'disk.sda', node: 'db01', machine_guid: 'mg-2', node_id: 'nd-2', context: 'disk.io', units: 'KiB/s' },
    ]);
  });

  it('keeps an instance whole when its @ suffix names no known node', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_group_by_instance_sum.json')));
    body.summary.nodes = [];
    const out = frames(body, { context: 'disk.io', groupBy: ['instance'] });
    expect(fields(out[0]).value.labels).toEqual({ instance: `disk.vda@${HOST}`, context: 'disk.io', units: 'KiB/s' });
  });

  it('label: the label key as the Grafana label', () => {
    const out = frames(loadFixture('v2_data_group_by_label_device.json'), {
      context: 'disk.io',
      groupBy: ['label'],
      groupByLabels: ['device'],
    });
    expect(out.map((f) => fields(f).value.labels)).toEqual([
      { device: 'vda', context: 'disk.io', units: 'KiB/s', ...NODE },
      { device: 'zram0', context: 'disk.io', units: 'KiB/s', ...NODE },
    ]);
  });

  it('selected: named after the context', () => {
    const out = frames(loadFixture('v2_data_group_by_selected_sum.json'), { groupBy: ['selected'] });
    expect(fields(out[0]).value.labels).toEqual({
      selected: 'selected',
      context: 'system.cpu',
      units: 'percentage',
      ...NODE,
    });
    expect(fields(out[0]).value.config?.displayNameFromDS).toBe('system.cpu');
  });

  it('v3 node sum', () => {
    const out = frames(loadFixture('v3_data_group_by_node_sum.json'), { groupBy: ['node'], aggregation: 'sum' });
    expect(fields(out[0]).value.labels).toMatchObject({ node: HOST, machine_guid: MG });
  });

  it('adds node_id when the summary knows the node id', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_group_by_node_avg.json')));
    body.summary.nodes[0].nd = 'a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d';
    expect(fields(frames(body)[0]).value.labels?.node_id).toBe('a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d');
  });

  it('names no node when the query spans several nodes and does not group by node', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_system_cpu_json2.json')));
    body.summary.nodes.push({ mg: 'mg-2', nm: 'db01', ni: 1 });
    expect(fields(frames(body)[5]).value.labels).toEqual({
      dimension: 'user',
      context: 'system.cpu',
      units: 'percentage',
    });
  });

  it('keeps a composite id whole when its parts do not match grouped_by', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_group_by_node_dimension.json')));
    body.view.dimensions.ids[0] = `a,b,${MG}`;
    body.view.dimensions.names[0] = `a,b,${HOST}`;
    const { value } = fields(frames(body)[0]);
    expect(value.labels).toMatchObject({ dimension: `a,b,${HOST}`, node: `a,b,${HOST}`, machine_guid: `a,b,${MG}` });
    expect(value.config?.displayNameFromDS).toBe(`a,b,${HOST}`);
  });

  it('rebuilds grouped_by from the query when the response lacks it', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_group_by_node_dimension.json')));
    delete body.view.dimensions.grouped_by;
    const labels = fields(frames(body, { groupBy: ['node', 'dimension'] })[5]).value.labels;
    expect(labels).toEqual({ dimension: 'user', ...NODE, context: 'system.cpu', units: 'percentage' });
  });

  it('makes identical label sets distinct with the series id', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_group_by_instance_sum.json')));
    body.view.dimensions.names = ['same', 'same'];
    const out = frames(body, { context: 'disk.io' });
    expect(out.map((f) => fields(f).value.labels)).toEqual([
      { instance: 'same', ...NODE, context: 'disk.io', units: 'KiB/s', series: `disk.vda@${MG}` },
      { instance: 'same', ...NODE, context: 'disk.io', units: 'KiB/s', series: `disk.zram0@${MG}` },
    ]);
  });

  it('gives the units label of each series, "%" with the percentage option', () => {
    const multi = frames(loadFixture('v2_data_multi_context.json'), { context: 'system.cpu|system.load' });
    expect(multi.map((f) => fields(f).value.labels?.units)).toEqual([
      ...Array(9).fill('percentage'),
      ...Array(3).fill('load'),
    ]);
    const pct = frames(loadFixture('v2_data_percentage.json'));
    expect(pct.every((f) => fields(f).value.labels?.units === '%')).toBe(true);
  });

  it('names series from legendFormat over their labels, the labels unchanged', () => {
    const out = frames(loadFixture('v2_data_group_by_node_dimension.json'), {
      legendFormat: '{{dimension}} on {{node}}',
    });
    const { value } = fields(out[5]);
    expect(value.config?.displayNameFromDS).toBe(`user on ${HOST}`);
    expect(value.name).toBe(`user on ${HOST}`);
    expect(value.labels).toMatchObject({ dimension: 'user', node: HOST });
    expect(new Set(out.map((f) => fields(f).value.config?.displayNameFromDS)).size).toBe(out.length);
  });

  it('keeps the automatic name where the legend renders to blank, and offers it as {{name}}', () => {
    const blank = frames(loadFixture('v2_data_group_by_node_dimension.json'), { legendFormat: '  ' });
    expect(fields(blank[5]).value.config?.displayNameFromDS).toBe(`user, ${HOST}`);
    const named = frames(loadFixture('v2_data_group_by_node_dimension.json'), { legendFormat: '{{name}} @ {{node}}' });
    expect(fields(named[5]).value.config?.displayNameFromDS).toBe(`user, ${HOST} @ ${HOST}`);
  });
});

describe('automaticName', () => {
  it.each([
    ['user', ['dimension'], 'user'],
    [`user,${HOST}`, ['dimension', 'node'], `user, ${HOST}`],
    ['physical,/', ['label:device_type', 'label:mount_point'], 'physical, /'],
    ['a,b,c', ['dimension', 'node'], 'a,b,c'],
    ['selected', ['selected'], 'system.cpu'],
    ['disk.io,KiB/s', ['context', 'units'], 'disk.io, KiB/s'],
    ['remaining 3 dimensions', ['dimension'], 'remaining 3 dimensions'],
  ])('%p grouped by %p → %p', (name, grouped, expected) => {
    expect(automaticName(name, grouped, 'system.cpu')).toBe(expected);
  });
});

describe('times and values', () => {
  it('reads the long-keys point schema', () => {
    const raw = load('v2_data_long_keys.json');
    const out = frames(raw, { context: 'system.load' });
    expect(raw.result.point).toBeUndefined();
    expect(raw.result.point_schema).toBeDefined();
    // Newest first in the capture: 1.3058295 at …140, 1.41 at …120, 0.7522655 at …100.
    expect(fields(out[0]).value.values).toEqual([0.7522655, 1.41, 1.3058295]);
    expect(fields(out[0]).time.values).toEqual([1795879100000, 1795879120000, 1795879140000]);
  });

  it('reads RFC 3339 times', () => {
    const out = frames(loadFixture('v2_data_rfc3339.json'), { context: 'system.load' });
    const { time } = fields(out[0]);
    expect(time.values[time.values.length - 1]).toBe(Date.UTC(2026, 10, 28, 15, 19, 0));
  });

  it('gives the same series for seconds, ms and RFC 3339 captures of the same window', () => {
    const seconds = frames(loadFixture('v2_data_minimal_stats.json'), { context: 'system.load' });
    const ms = frames(loadFixture('v2_data_null2zero_ms.json'), { context: 'system.load' });
    const rfc = frames(loadFixture('v2_data_rfc3339.json'), { context: 'system.load' });
    for (let i = 0; i < 3; i++) {
      expect(fields(ms[i]).time.values).toEqual(fields(seconds[i]).time.values);
      expect(fields(rfc[i]).time.values).toEqual(fields(seconds[i]).time.values);
      expect(fields(ms[i]).value.values).toEqual(fields(seconds[i]).value.values);
    }
  });

  it('sorts oldest-first and newest-first responses alike', () => {
    const reversed = load('v2_data_reversed.json');
    const flipped = JSON.parse(JSON.stringify(reversed));
    flipped.result.data.reverse();
    const a = frames(reversed, { context: 'system.load' });
    const b = frames(flipped, { context: 'system.load' });
    expect(a).toEqual(b);
    expect(fields(a[0]).value.values[0]).toBe(0.935);
  });

  it('keeps empty tier-1 points as gaps', () => {
    const out = frames(loadFixture('v2_data_tier1.json'), { context: 'system.load' });
    const { value } = fields(out[0]);
    expect(value.values[value.values.length - 1]).toBeNull();
    expect(value.values.filter((v) => v === null).length).toBeGreaterThan(0);
    expect(out[0].meta?.notices).toBeUndefined();
  });

  it('gives each series of a multi-context query its own unit', () => {
    const out = frames(loadFixture('v2_data_multi_context.json'), { context: 'system.cpu|system.load' });
    expect(out.map((f) => fields(f).value.config?.unit)).toEqual([...Array(9).fill('percent'), 'none', 'none', 'none']);
  });

  it('maps the % of the percentage option', () => {
    const out = frames(loadFixture('v2_data_percentage.json'));
    expect(out.every((f) => fields(f).value.config?.unit === 'percent')).toBe(true);
  });

  it('gives countif series the unit percent, whatever units Netdata keeps (netdata-api-extra.md §8.5)', () => {
    // Netdata answers countif in percent of the samples but keeps the context's units ("load") in view.units.
    const out = frames(loadFixture('v2_data_multi_context.json'), {
      context: 'system.cpu|system.load',
      timeGroup: 'countif',
      timeGroupOptions: '>0',
    });
    expect(out.map((f) => fields(f).value.config?.unit)).toEqual(Array(12).fill('percent'));
    expect(out.map((f) => fields(f).value.labels?.units)).toEqual(Array(12).fill('%'));
  });

  it('turns non-numbers, NaN and EMPTY points into null', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_reversed.json')));
    body.result.data[0][1] = ['x', 0, 0];
    body.result.data[1][1] = [0, 0, 1]; // null2zero's EMPTY point
    body.result.data[2][1] = 'garbage';
    body.result.data[3][1] = 4.5; // plain number (format=json rows)
    const values = fields(frames(body, { context: 'system.load' })[0]).value.values;
    expect(values.slice(0, 4)).toEqual([null, null, null, 4.5]);
  });
});

describe('notices', () => {
  function withAnnotations(): Record<string, any> {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_reversed.json')));
    body.result.data[0][1][2] = 4;
    body.result.data[1][2][2] = 4;
    body.result.data[2][3][2] = 2;
    body.result.data[3][1][2] = 6;
    return body;
  }

  it('counts partial and reset points per series, on the first frame', () => {
    const body = withAnnotations();
    const [n1, n2, n3] = body.view.dimensions.names;
    const out = frames(body, { context: 'system.load' });
    expect(out[0].meta?.notices).toEqual([
      {
        severity: 'warning',
        text: `3 points of 2 series are partial: not every node/instance contributed (2 of "${n1}", 1 of "${n2}")`,
      },
      {
        severity: 'warning',
        text: `2 points of 2 series follow a counter reset or overflow (1 of "${n1}", 1 of "${n3}")`,
      },
    ]);
    expect(out[1].meta?.notices).toBeUndefined();
    // Flagged points keep their values.
    expect(fields(out[0]).value.values[0]).toBe(0.935);
  });

  it('names the one series that has flagged points', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_reversed.json')));
    const [n1, n2] = body.view.dimensions.names;
    body.result.data[0][1][2] = 4;
    body.result.data[1][1][2] = 4;
    body.result.data[4][1][2] = 5;
    body.result.data[2][2][2] = 2;
    const out = frames(body, { context: 'system.load' });
    expect(out[0].meta?.notices).toEqual([
      { severity: 'warning', text: `3 points of "${n1}" are partial: not every node/instance contributed` },
      { severity: 'warning', text: `1 point of "${n2}" follows a counter reset or overflow` },
    ]);
    // 5 = PARTIAL + EMPTY: a gap.
    const { value, time } = fields(out[0]);
    const emptyAt = time.values.indexOf(toEpochMs(body.result.data[4][0])!);
    expect(emptyAt).toBeGreaterThanOrEqual(0);
    expect(value.values[emptyAt]).toBeNull();
  });

  it('names at most 10 series and counts the rest', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_system_cpu_json2.json')));
    // 9 captured series plus 3 copies: 12 series, each with one partial point.
    const dims = body.view.dimensions;
    for (const extra of ['x1', 'x2', 'x3']) {
      body.result.labels.push(extra);
      dims.ids.push(extra);
      dims.names.push(extra);
      for (const key of ['units', 'priorities', 'aggregated']) {
        dims[key]?.push(dims[key][0]);
      }
      body.result.data.forEach((row: unknown[][]) => row.push([...row[1]]));
    }
    const series = body.result.labels.length - 1;
    for (let i = 1; i <= series; i++) {
      body.result.data[0][i][2] = 4;
    }
    const [notice] = frames(body)[0].meta?.notices ?? [];
    expect(series).toBeGreaterThan(10);
    expect(notice.text).toMatch(new RegExp(`^${series} points of ${series} series are partial: `));
    expect(notice.text).toMatch(new RegExp(`and ${series - 10} more series\\)$`));
  });

  it('warns about failed nodes and errors when every node failed without data', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_reversed.json')));
    body.summary.nodes.push({ mg: 'm2', nm: 'db01', ni: 1, st: { ai: 1, code: 403, msg: 'not authorized' } });
    const out = frames(body, { context: 'system.load' });
    expect(out[0].meta?.notices).toEqual([
      { severity: 'warning', text: '1 Netdata node failed and is missing from the result: db01 (403: not authorized)' },
    ]);
    expect(failedNodesError(parse(body))).toBeUndefined();

    const empty = JSON.parse(JSON.stringify(loadFixture('err_v2_data_unknown_context.json')));
    empty.summary.nodes = [
      { mg: 'm1', nm: 'web01', ni: 0, st: { code: 504, msg: 'timeout' } },
      { mg: 'm2', nm: 'db01', ni: 1, st: { code: 401 } },
    ];
    expect(failedNodesError(parse(empty))).toBe(
      'All Netdata nodes of the query failed: web01 (504: timeout), db01 (401)'
    );
    const emptyFrames = frames(empty);
    expect(emptyFrames[0].meta?.notices?.map((n) => n.severity)).toEqual(['info', 'warning']);
  });
});

describe('failed nodes in a hand-made two-node answer', () => {
  const MG1 = '6fc56a64-05d7-47a7-bc82-7f3235d8cbda';
  const MG2 = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';

  function answer(st2: Record<string, unknown>, st1: Record<string, unknown> = { ai: 0, code: 200, msg: 'OK' }) {
    const web01Failed = (st1.code as number) >= 400;
    return {
      api: 3,
      summary: {
        nodes: [
          { mg: MG1, nm: 'web01', ni: 0, st: st1 },
          { mg: MG2, nm: 'db01', ni: 1, st: st2 },
        ],
      },
      result: {
        labels: web01Failed ? ['time'] : ['time', MG1],
        point: { value: 0, arp: 1, pa: 2 },
        data: web01Failed
          ? []
          : [
              [1717171170000, [1.5, 0, 0]],
              [1717171200000, [2.5, 0, 0]],
            ],
      },
      view: {
        update_every: 30,
        units: 'MiB',
        dimensions: {
          grouped_by: ['node'],
          ids: web01Failed ? [] : [MG1],
          names: web01Failed ? [] : ['web01'],
          units: web01Failed ? [] : ['MiB'],
        },
      },
    };
  }

  it('one of two failed: the other node renders, a warning names the failed node and its message', () => {
    const body = answer({ ai: 1, code: 504, msg: 'query timeout' });
    expect(failedNodesError(parse(body))).toBeUndefined();
    const out = frames(body, { context: 'system.ram', groupBy: ['node'] });
    expect(out).toHaveLength(1);
    expect(fields(out[0]).value.values).toEqual([1.5, 2.5]);
    expect(fields(out[0]).value.labels).toEqual({
      node: 'web01',
      machine_guid: MG1,
      context: 'system.ram',
      units: 'MiB',
    });
    expect(out[0].meta?.notices).toEqual([
      { severity: 'warning', text: '1 Netdata node failed and is missing from the result: db01 (504: query timeout)' },
    ]);
  });

  it('all failed: the error names every node with its code and message', () => {
    const body = answer({ ai: 1, code: 403, msg: 'not authorized' }, { ai: 0, code: 500, msg: 'disk full' });
    expect(failedNodesError(parse(body))).toBe(
      'All Netdata nodes of the query failed: web01 (500: disk full), db01 (403: not authorized)'
    );
  });

  it('reads the long-key status of a node', () => {
    const body = answer({}) as Record<string, any>;
    body.summary.nodes[1] = {
      machine_guid: MG2,
      hostname: 'db01',
      nodes_array_index: 1,
      status: { code: 401, message: 'denied' },
    };
    const out = frames(body, { context: 'system.ram', groupBy: ['node'] });
    expect(out[0].meta?.notices?.[0].text).toBe(
      '1 Netdata node failed and is missing from the result: db01 (401: denied)'
    );
  });
});

describe('anomaly rate', () => {
  function withArp(): Record<string, any> {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_reversed.json')));
    body.result.data.forEach((row: unknown[][], r: number) => {
      for (let i = 1; i < row.length; i++) {
        row[i][1] = r * 10 + i; // distinct, checkable rates
      }
    });
    return body;
  }

  it('adds one percent series per output dimension after the values, from the arp position', () => {
    const body = withArp();
    const out = frames(body, { context: 'system.load', anomalyRate: true });
    const n = body.result.labels.length - 1;
    expect(out).toHaveLength(2 * n);
    const values = out.slice(0, n).map(fields);
    const rates = out.slice(n).map(fields);
    const byTime = new Map<number, unknown[]>(body.result.data.map((row: unknown[]) => [toEpochMs(row[0]), row]));
    rates.forEach(({ time, value }, i) => {
      expect(time.values).toEqual(values[i].time.values);
      expect(value.name).toBe(`${values[i].value.name} anomaly rate`);
      expect(value.config).toEqual({
        displayNameFromDS: `${values[i].value.config?.displayNameFromDS} anomaly rate`,
        unit: 'percent',
        min: 0,
        max: 100,
      });
      expect(value.labels).toEqual({ ...values[i].value.labels, series_type: 'anomaly_rate' });
      time.values.forEach((t, k) => {
        const point = byTime.get(t)![i + 1] as number[];
        expect(value.values[k]).toBe(point[1]);
      });
    });
    const keys = out.map((f) => JSON.stringify(fields(f).value.labels));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('reads arp where result.point puts it', () => {
    const body = withArp();
    body.result.point = { value: 2, arp: 0, pa: 1 };
    body.result.data.forEach((row: unknown[][]) => {
      for (let i = 1; i < row.length; i++) {
        const [v, arp, pa] = row[i] as number[];
        row[i] = [arp, pa, v];
      }
    });
    const plain = frames(withArp(), { context: 'system.load', anomalyRate: true });
    expect(frames(body, { context: 'system.load', anomalyRate: true })).toEqual(plain);
  });

  it('gives empty points and non-array points no rate', () => {
    const body = withArp();
    body.result.data[0][1] = [null, 7, 1];
    body.result.data[1][1] = 3.5;
    const out = frames(body, { context: 'system.load', anomalyRate: true });
    const { time, value } = fields(out[3]);
    expect(value.values[time.values.indexOf(toEpochMs(body.result.data[0][0])!)]).toBeNull();
    expect(value.values[time.values.indexOf(toEpochMs(body.result.data[1][0])!)]).toBeNull();
    expect(value.values.filter((v) => v === null)).toHaveLength(2);
  });

  it('names anomaly-rate series from the legend too, apart from their value series', () => {
    const names = (legend: string) =>
      frames(withArp(), { context: 'system.load', anomalyRate: true, legendFormat: legend }).map(
        (f) => fields(f).value.config?.displayNameFromDS
      );
    expect(names('{{dimension}}')).toEqual([
      'load1',
      'load5',
      'load15',
      'load1 anomaly rate',
      'load5 anomaly rate',
      'load15 anomaly rate',
    ]);
    expect(names('{{dimension}} ({{series_type}})').slice(2, 4)).toEqual([
      'load15 (series_type)',
      'load1 (anomaly_rate)',
    ]);
    expect(names('{{name}}').slice(3, 4)).toEqual(['load1 anomaly rate']);
  });

  it('adds nothing without the option', () => {
    expect(frames(withArp(), { context: 'system.load' })).toHaveLength(3);
  });

  it('on the real capture (ML off) the rates are 0', () => {
    const out = frames(loadFixture('v2_data_group_by_node_avg.json'), { groupBy: ['node'], anomalyRate: true });
    expect(out).toHaveLength(2);
    const rate = fields(out[1]).value;
    expect(rate.name).toBe(`${HOST} anomaly rate`);
    expect(rate.values.length).toBeGreaterThan(0);
    expect(rate.values.every((v) => v === 0)).toBe(true);
  });
});

describe('anomaly rate where anomaly detection is off (netdata-api-extra.md §8.6)', () => {
  const MG = '7622017c-d2f5-4112-8149-5e13e2ef7ff1';
  /** The node-grouped capture with a second node, db01, whose series copies the first. */
  function twoNodes(): Record<string, any> {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_group_by_node_avg.json')));
    body.summary.nodes.push({ mg: 'mg-2', nm: 'db01', ni: 1, nd: 'nd-2' });
    const dims = body.view.dimensions;
    dims.ids.push('mg-2');
    dims.names.push('db01');
    for (const key of ['units', 'priorities', 'aggregated']) {
      if (Array.isArray(dims[key])) {
        dims[key].push(dims[key][0]);
      }
    }
    body.result.labels.push('mg-2');
    body.result.data.forEach((row: unknown[]) => row.push(row[1]));
    return body;
  }
  function withOff(body: unknown, query: Partial<NetdataQueryModel>, off: Array<[string, string]>): Frame[] {
    return json2ToFrames(parse(body), {
      refId: 'A',
      query: { ...DEFAULT_QUERY, context: 'system.cpu', anomalyRate: true, ...query },
      executedQueryString: 'GET /api/v3/data?x',
      anomalyDetectionOff: new Map(off),
    });
  }
  const rateFrames = (out: Frame[]) => out.filter((f) => fields(f).value.labels?.series_type === 'anomaly_rate');
  const notices = (out: Frame[]) => (out[0].meta?.notices ?? []).map((n) => [n.severity, n.text]);
  const OFF_TEXT = (names: string) =>
    `Anomaly detection is off on ${names}: Netdata's anomaly rate there is a flat 0, not a measurement, so no ` +
    'anomaly-rate series is shown for it (enable machine learning in netdata.conf [ml])';

  it('per node: the rate series of the node without it gives way to a notice naming the node', () => {
    const out = withOff(twoNodes(), { groupBy: ['node'] }, [
      ['mg-2', 'db01'],
      ['nd-2', 'db01'],
    ]);
    expect(out).toHaveLength(3);
    expect(rateFrames(out).map((f) => fields(f).value.labels?.node)).toEqual([HOST]);
    expect(notices(out)).toEqual([['info', OFF_TEXT('db01')]]);
  });

  it('one node without it: only its values and the notice (the capture, whose ML is off)', () => {
    const out = withOff(loadFixture('v2_data_group_by_node_avg.json'), { groupBy: ['node'] }, [[MG, HOST]]);
    expect(out).toHaveLength(1);
    expect(rateFrames(out)).toEqual([]);
    expect(notices(out)).toEqual([['info', OFF_TEXT(HOST)]]);
  });

  it('series across nodes: no rate when no node has it, a warning when some have it', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_reversed.json')));
    body.summary.nodes.push({ mg: 'mg-2', nm: 'db01', ni: 1 });
    const dims = body.view.dimensions.ids.length;
    const allOff = withOff(body, { context: 'system.load' }, [
      [MG, HOST],
      ['mg-2', 'db01'],
    ]);
    expect(rateFrames(allOff)).toEqual([]);
    expect(notices(allOff)).toEqual([['info', OFF_TEXT(`${HOST}, db01`)]]);
    const someOff = withOff(body, { context: 'system.load' }, [['mg-2', 'db01']]);
    expect(rateFrames(someOff)).toHaveLength(dims);
    expect(notices(someOff)).toEqual([
      ['info', OFF_TEXT('db01')],
      [
        'warning',
        'The anomaly rates of series that combine several nodes count db01 as 0 (anomaly detection is off there)',
      ],
    ]);
  });

  it('every node with it, or nothing known: the rates as Netdata gives them, no notice', () => {
    for (const off of [[], undefined]) {
      const out = json2ToFrames(parse(twoNodes()), {
        refId: 'A',
        query: { ...DEFAULT_QUERY, context: 'system.cpu', anomalyRate: true, groupBy: ['node'] },
        executedQueryString: 'GET /api/v3/data?x',
        ...(off !== undefined ? { anomalyDetectionOff: new Map(off) } : {}),
      });
      expect(rateFrames(out)).toHaveLength(2);
      expect(out[0].meta?.notices).toBeUndefined();
    }
  });
});

describe('toEpochMs', () => {
  it.each([
    [1795879140, 1795879140000],
    [1795879140000, 1795879140000],
    ['2026-11-28T15:19:00Z', Date.UTC(2026, 10, 28, 15, 19, 0)],
    ['1795879140', 1795879140000],
    ['nope', undefined],
    [NaN, undefined],
    [null, undefined],
  ])('%p → %p', (input, expected) => {
    expect(toEpochMs(input)).toBe(expected);
  });
});

describe('the Parent answer of netdata-api.md §8.2 (two claimed nodes, group by node, ms + flip)', () => {
  const out = frames(loadSpecExample('spec_8_2_parent_group_by_node_sum.json'), {
    context: 'system.ram',
    groupBy: ['node'],
    aggregation: 'sum',
  });

  it('has one frame per node with hostname, machine GUID and node id', () => {
    expect(out.map((f) => fields(f).value.labels)).toEqual([
      {
        node: 'web01',
        machine_guid: '6fc56a64-05d7-47a7-bc82-7f3235d8cbda',
        node_id: 'a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d',
        context: 'system.ram',
        units: 'MiB',
      },
      {
        node: 'db01',
        machine_guid: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        node_id: 'b7c8d9e0-f1a2-4b3c-9d4e-5f6a7b8c9d0e',
        context: 'system.ram',
        units: 'MiB',
      },
    ]);
    expect(out.map((f) => fields(f).value.config)).toEqual([
      { displayNameFromDS: 'web01', unit: 'mbytes' },
      { displayNameFromDS: 'db01', unit: 'mbytes' },
    ]);
  });

  it('keeps the millisecond times and the values', () => {
    expect(fields(out[1]).time.values).toEqual([1717171170000, 1717171200000]);
    expect(fields(out[1]).time.config).toEqual({ interval: 30000 });
    expect(fields(out[1]).value.values).toEqual([32012.5, 31998.1]);
  });

  it('reports the partial point', () => {
    expect(out[0].meta?.notices).toEqual([
      { severity: 'warning', text: '1 point of "db01" is partial: not every node/instance contributed' },
    ]);
  });
});

describe('series limit (netdata-api-extra.md §8.1, §8.2: v2.6–v2.10 answer shape)', () => {
  const TOP = '6fc56a64-05d7-47a7-bc82-7f3235d8cbda';
  const OTHER = '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0';
  /** Three nodes, cardinality_limit=2: summary.nodes keeps the top node plus the `__remaining_nodes__` entry. */
  function limited(groupedBy: string[], ids: string[], names: string[]) {
    return {
      api: 3,
      summary: {
        nodes: [
          { mg: TOP, nm: 'web01', ni: 2, st: { ai: 0, code: 200 } },
          { id: '__remaining_nodes__', nm: 'remaining 2 nodes', con: 40 },
        ],
      },
      result: {
        labels: ['time', ...ids],
        point: { value: 0, arp: 1, pa: 2 },
        data: [[1717171200000, ...ids.map((_, i) => [i + 1, 0, 0])]],
      },
      view: { update_every: 1, units: '%', dimensions: { grouped_by: groupedBy, ids, names } },
    };
  }

  it('a summary trimmed to one node does not make that node every series’ node', () => {
    const out = frames(limited(['dimension'], ['user', 'system'], ['user', 'system']), { limit: 5 });
    for (const f of out) {
      expect(fields(f).value.labels).not.toHaveProperty('node');
      expect(fields(f).value.labels).not.toHaveProperty('machine_guid');
    }
  });

  it('an instance of a node the summary left out keeps its own node, from its id and name', () => {
    const out = frames(limited(['instance'], [`disk.sda@${OTHER}`], ['disk.sda@db01']), { limit: 5 });
    expect(fields(out[0]).value.labels).toMatchObject({ instance: 'disk.sda', node: 'db01', machine_guid: OTHER });
  });

  it('the remainder is labelled as the merged series it is, with a notice', () => {
    const out = frames(limited(['node'], [TOP, 'remaining 2 dimensions'], ['web01', 'remaining 2 dimensions']), {
      limit: 1,
      groupBy: ['node'],
    });
    const rest = fields(out[1]).value;
    expect(rest.labels).toEqual({
      context: 'system.cpu',
      series_type: 'remainder',
      merged_series: '2',
      units: '%',
    });
    expect(rest.config?.displayNameFromDS).toBe('remaining 2 series (sum)');
    expect(fields(out[0]).value.labels).toMatchObject({ node: 'web01', machine_guid: TOP });
    expect(out[0].meta?.notices).toContainEqual({
      severity: 'info',
      text: expect.stringMatching(
        /^Series limit: 2 series beyond the top 1 are merged into "remaining 2 series \(sum\)"/
      ),
    });
  });

  it('a failed node in a limited summary is not "all nodes failed": the folded ones are not listed', () => {
    const body = limited(['dimension'], [], []);
    body.summary.nodes[0].st = { ai: 0, code: 500 };
    expect(failedNodesError(parse(body))).toBeUndefined();
    body.summary.nodes.pop();
    expect(failedNodesError(parse(body))).toMatch(/^All Netdata nodes of the query failed/);
  });

  it('without a limit in the query a series of that name is an ordinary one', () => {
    const out = frames(limited(['dimension'], ['remaining 2 dimensions'], ['remaining 2 dimensions']));
    expect(fields(out[0]).value.labels).toMatchObject({ dimension: 'remaining 2 dimensions' });
    expect(out[0].meta?.notices ?? []).toEqual([]);
  });
});
