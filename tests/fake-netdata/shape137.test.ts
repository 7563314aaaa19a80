/** @jest-environment node */
// The fake as a v1-only agent (apiLevel 1) against real Netdata 1.37.1 captures (tests/fixtures/netdata-1.37).
import { readFileSync } from 'fs';
import { join } from 'path';

import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import { call } from './testHttp';
import { ALARM_LOG_NULLABLE, DATA_NULLABLE, comparableShape, rowsAreNumbers, subsetInOrder } from './v1Shape';

type Obj = Record<string, unknown>;

function capture(name: string): Obj {
  return JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'netdata-1.37', name), 'utf8')) as Obj;
}

/** Real 1.37.1 leaves the analytics fields null when anonymous statistics are off (as in the capture). */
export const INFO_ANALYTICS = ['hosts-available', 'charts-count', 'metrics-count'];

describe('the fake as Netdata 1.37.1 answers v1 like the captured real 1.37.1', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent', apiLevel: 1 });
  });
  afterAll(() => fake.close());

  const get = async (path: string): Promise<Obj> => {
    const a = await call(`${fake.url}${path}`);
    expect([path, a.status]).toEqual([path, 200]);
    return JSON.parse(a.text) as Obj;
  };

  const data: Array<[string, string]> = [
    [
      'v1_data_system_cpu_jsonwrap.json',
      'chart=system.cpu&after=-60&before=0&points=6&format=json&options=jsonwrap,seconds',
    ],
    [
      'v1_data_system_cpu_dimensions.json',
      'chart=system.cpu&dimensions=user|system&after=-60&points=6&format=json&options=jsonwrap,seconds',
    ],
    ['v1_data_system_cpu_context.json', 'context=system.cpu&after=-60&points=6&format=json&options=jsonwrap,seconds'],
    [
      'v1_data_disk_io_context_labels.json',
      'context=disk.io&chart_label_key=device&after=-60&points=4&format=json&options=jsonwrap,seconds',
    ],
    [
      'v1_data_system_load_max.json',
      'chart=system.load&after=-60&points=4&group=max&format=json&options=jsonwrap,seconds',
    ],
    ['v1_data_system_load_plain.json', 'chart=system.load&after=-60&points=4&format=json'],
  ];

  it.each(data)('/api/v1/data like %s: same keys in the same order, same types', async (file, query) => {
    const real = capture(file);
    const ours = await get(`/api/v1/data?${query}`);
    expect(comparableShape(ours, DATA_NULLABLE)).toEqual(comparableShape(real, DATA_NULLABLE));
    expect(rowsAreNumbers(ours)).toBe(true);
    if ('options' in real) {
      expect(typeof ours.options).toBe('string');
      expect((ours.id as string).split('/')[0]).toBe((real.id as string).split('/')[0]);
    }
  });

  it('context=disk.io: one column per chart × dimension, chart_ids and chart_labels parallel to the columns', async () => {
    const ours = await get(
      '/api/v1/data?context=disk.io&chart_label_key=device&after=-60&points=4&format=json&options=jsonwrap'
    );
    expect(ours.dimension_ids).toEqual(['reads', 'writes', 'reads', 'writes']);
    expect(ours.chart_ids).toEqual(['disk.vda', 'disk.vda', 'disk.sda', 'disk.sda']);
    expect(ours.chart_labels).toEqual({ device: ['vda', 'vda', 'sda', 'sda'] });
    expect(ours.options).toBe('jsonwrap,natural-points');
    expect(ours.id).toBe(
      'context://host:parent01/contexts:disk.io/instances:*/dimensions:*/after:-60/before:0/points:4/group:average/options:jsonwrap'
    );
  });

  it('/api/v1/charts: the same top-level keys, chart entry, dimension, alert and label shapes', async () => {
    const real = capture('v1_charts.json');
    const ours = await get('/api/v1/charts');
    expect(comparableShape(ours)).toEqual(comparableShape(real));
    const cpu = (ours.charts as Record<string, Obj>)['system.cpu'];
    expect(cpu.title).toMatch(/ \(system\.cpu\)$/);
  });

  it('/api/v1/alarm_log: the same entry keys and types, newest first, after= is an id', async () => {
    const real = capture('v1_alarm_log.json') as unknown as Obj[];
    const ours = (await get('/api/v1/alarm_log')) as unknown as Obj[];
    expect(ours.length).toBeGreaterThan(2);
    for (const entry of [ours[0], ours[1]]) {
      expect(comparableShape([entry], ALARM_LOG_NULLABLE)).toEqual(comparableShape([real[0]], ALARM_LOG_NULLABLE));
    }
    const ids = ours.map((e) => e.unique_id as number);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    const newer = (await get(`/api/v1/alarm_log?after=${ids[2]}`)) as unknown as Obj[];
    expect(newer.map((e) => e.unique_id)).toEqual(ids.slice(0, 2));
  });

  it('/api/v1/info: our keys are real 1.37.1 keys in its order, with its types; mirrored_hosts_status entries equal', async () => {
    const real = capture('v1_info.json');
    const ours = await get('/api/v1/info');
    const cmp = subsetInOrder(ours, real, INFO_ANALYTICS);
    expect(cmp.extra).toEqual([]);
    expect(cmp.order).toEqual(Object.keys(ours));
    expect(cmp.types).toEqual([]);
    const status = (d: Obj): string[] => Object.keys((d.mirrored_hosts_status as Obj[])[0]);
    expect(status(ours)).toEqual(status(real));
  });

  it('answers errors like 1.37.1: no v2, unknown command, no chart, unknown chart, unknown host', async () => {
    const errors = capture('errors.json') as Record<
      string,
      { path: string; status: number; contentType: string; body: string }
    >;
    for (const [name, e] of Object.entries(errors)) {
      if (name === 'host_unknown') {
        continue;
      }
      const a = await call(`${fake.url}${e.path}`);
      expect([name, a.status, a.contentType, a.text]).toEqual([name, e.status, e.contentType, e.body]);
    }
    const a = await call(`${fake.url}/host/no-such-host/api/v1/info`);
    expect([a.status, a.text]).toEqual([errors.host_unknown.status, errors.host_unknown.body]);
  });
});
