/** @jest-environment node */
import { DATA_FIXTURES, loadFixture, loadSpecExample } from '../../tests/fixtures';
import { failedNodesError, json2ToFrames, renderLegend, toEpochMs } from './frames';
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
    dimensions: { ids: string[]; names: string[]; units?: string[] };
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
      expect(value.config?.displayNameFromDS).toBe(raw.view.dimensions.names[i]);
      expect(value.name).toBe(raw.view.dimensions.names[i]);
      expect(value.labels?.context).toBeDefined();
      const units = raw.view.dimensions.units?.[i];
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
  it('dimension', () => {
    const out = frames(loadFixture('v2_data_system_cpu_json2.json'));
    expect(fields(out[5]).value.labels).toEqual({ dimension: 'user', context: 'system.cpu' });
  });

  it('node: hostname and machine GUID', () => {
    const out = frames(loadFixture('v2_data_group_by_node_avg.json'), { groupBy: ['node'] });
    expect(out).toHaveLength(1);
    expect(fields(out[0]).value.labels).toEqual({ node: HOST, machine_guid: MG, context: 'system.cpu' });
    expect(fields(out[0]).value.config?.displayNameFromDS).toBe(HOST);
  });

  it('node, dimension: composite ids split in grouped_by order', () => {
    const out = frames(loadFixture('v2_data_group_by_node_dimension.json'), { groupBy: ['node', 'dimension'] });
    expect(out).toHaveLength(9);
    expect(fields(out[5]).value.labels).toEqual({
      dimension: 'user',
      node: HOST,
      machine_guid: MG,
      context: 'system.cpu',
    });
    expect(fields(out[5]).value.name).toBe(`user,${HOST}`);
  });

  it('instance: the name as Netdata gives it', () => {
    const out = frames(loadFixture('v2_data_group_by_instance_sum.json'), {
      context: 'disk.io',
      groupBy: ['instance'],
    });
    expect(out.map((f) => fields(f).value.labels)).toEqual([
      { instance: `disk.vda@${HOST}`, context: 'disk.io' },
      { instance: `disk.zram0@${HOST}`, context: 'disk.io' },
    ]);
    expect(fields(out[0]).value.config?.unit).toBe('KiBs');
  });

  it('label: the label key as the Grafana label', () => {
    const out = frames(loadFixture('v2_data_group_by_label_device.json'), {
      context: 'disk.io',
      groupBy: ['label'],
      groupByLabels: ['device'],
    });
    expect(out.map((f) => fields(f).value.labels)).toEqual([
      { device: 'vda', context: 'disk.io' },
      { device: 'zram0', context: 'disk.io' },
    ]);
  });

  it('selected', () => {
    const out = frames(loadFixture('v2_data_group_by_selected_sum.json'), { groupBy: ['selected'] });
    expect(fields(out[0]).value.labels).toEqual({ selected: 'selected', context: 'system.cpu' });
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

  it('keeps a composite id whole when its parts do not match grouped_by', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_group_by_node_dimension.json')));
    body.view.dimensions.ids[0] = `a,b,${MG}`;
    body.view.dimensions.names[0] = `a,b,${HOST}`;
    const labels = fields(frames(body)[0]).value.labels;
    expect(labels).toMatchObject({ dimension: `a,b,${HOST}`, node: `a,b,${HOST}`, machine_guid: `a,b,${MG}` });
  });

  it('rebuilds grouped_by from the query when the response lacks it', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_group_by_node_dimension.json')));
    delete body.view.dimensions.grouped_by;
    const labels = fields(frames(body, { groupBy: ['node', 'dimension'] })[5]).value.labels;
    expect(labels).toEqual({ dimension: 'user', node: HOST, machine_guid: MG, context: 'system.cpu' });
  });

  it('makes identical label sets distinct with the series id', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_data_group_by_instance_sum.json')));
    body.view.dimensions.names = ['same', 'same'];
    const out = frames(body, { context: 'disk.io' });
    expect(out.map((f) => fields(f).value.labels)).toEqual([
      { instance: 'same', context: 'disk.io', series: `disk.vda@${MG}` },
      { instance: 'same', context: 'disk.io', series: `disk.zram0@${MG}` },
    ]);
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

  it('counts partial and reset points in one warning on the first frame', () => {
    const out = frames(withAnnotations(), { context: 'system.load' });
    expect(out[0].meta?.notices).toEqual([
      {
        severity: 'warning',
        text: 'Netdata flagged 3 partial points (not every series of the group had data) and 2 points after a counter reset or overflow',
      },
    ]);
    expect(out[1].meta?.notices).toBeUndefined();
    // Flagged points keep their values.
    expect(fields(out[0]).value.values[0]).toBe(0.935);
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

describe('legendFormat', () => {
  it('renders {{key}} with optional spaces; unknown keys render empty', () => {
    expect(renderLegend('{{node}} / {{ dimension }} {{nope}}!', { node: 'web01', dimension: 'user' })).toBe(
      'web01 / user !'
    );
    expect(renderLegend('{{constructor}}', {})).toBe('');
  });

  it('names the field and keeps the labels', () => {
    const out = frames(loadFixture('v2_data_group_by_node_dimension.json'), {
      legendFormat: '{{node}}: {{dimension}} ({{id}})',
    });
    const { value } = fields(out[5]);
    expect(value.name).toBe(`${HOST}: user (user,${MG})`);
    expect(value.config?.displayNameFromDS).toBe(value.name);
    expect(value.labels?.dimension).toBe('user');
  });

  it('falls back to the Netdata name when the legend renders empty', () => {
    const out = frames(loadFixture('v2_data_system_cpu_json2.json'), { legendFormat: '{{missing}}' });
    expect(fields(out[5]).value.name).toBe('user');
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
      },
      {
        node: 'db01',
        machine_guid: '0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
        node_id: 'b7c8d9e0-f1a2-4b3c-9d4e-5f6a7b8c9d0e',
        context: 'system.ram',
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
      { severity: 'warning', text: 'Netdata flagged 1 partial point (not every series of the group had data)' },
    ]);
  });
});
