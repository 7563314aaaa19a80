/** @jest-environment node */
// Our fake Netdata as 1.37.1 (apiLevel 1) against the live real 1.37.1: the same requests, the same shapes.
import type { FakeNetdata } from '../fake-netdata/server';
import { startFakeNetdata } from '../fake-netdata/server';
import {
  ALARM_LOG_NULLABLE,
  DATA_NULLABLE,
  HOSTS_STATUS_NULLABLE,
  comparableShape,
  rowsAreNumbers,
  subsetInOrder,
} from '../fake-netdata/v1Shape';
import { describeReal, get, getJson } from './realNetdata';

type Obj = Record<string, unknown>;

const INFO_ANALYTICS = ['hosts-available', 'charts-count', 'metrics-count'];

describeReal('the fake Netdata as 1.37.1 answers v1 like the real 1.37.1', (real) => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent', apiLevel: 1 });
  });
  afterAll(() => fake?.close());

  const both = async (path: string): Promise<[Obj, Obj]> => [
    await getJson<Obj>(fake.url, path),
    await getJson<Obj>(real().url, path),
  ];
  /** The query id names the host; the rest must be the same string. */
  const idTail = (id: unknown): string => String(id).replace(/host:[^/]+\//, 'host:<h>/');

  const data = [
    'chart=system.cpu&after=-60&before=0&points=6&format=json&options=jsonwrap,seconds',
    'chart=system.cpu&dimensions=user|system&after=-60&points=6&format=json&options=jsonwrap,seconds',
    'chart=system.cpu&dimension=user&dims=system&after=-30&points=3&format=json&options=jsonwrap,seconds,flip,null2zero',
    'context=system.cpu&after=-60&points=6&format=json&options=jsonwrap,seconds',
    'context=disk.io&after=-60&points=4&format=json&options=jsonwrap,seconds',
    'context=disk.io&chart_label_key=device&after=-60&points=4&format=json&options=jsonwrap|seconds',
    'chart=system.load&after=-60&points=4&group=max&format=json&options=jsonwrap,seconds',
    'chart=system.load&after=-60&points=4&group=avg&format=json2&options=jsonwrap,ms',
    'chart=system.load&after=-60&points=4&format=json',
  ];

  it.each(data)('/api/v1/data?%s: same key paths, types, options string and query id', async (query) => {
    const [ours, theirs] = await both(`/api/v1/data?${query}`);
    expect(comparableShape(ours, DATA_NULLABLE)).toEqual(comparableShape(theirs, DATA_NULLABLE));
    expect(rowsAreNumbers(ours)).toBe(true);
    expect(rowsAreNumbers(theirs)).toBe(true);
    if ('api' in theirs) {
      expect(ours.options).toBe(theirs.options);
      expect(idTail(ours.id)).toBe(idTail(theirs.id));
      expect(ours.name).toBe(ours.id);
      expect([ours.group, ours.format]).toEqual([theirs.group, theirs.format]);
    }
  });

  it('context=disk.io: both return one column per chart × dimension with chart_ids (no cross-chart average)', async () => {
    const [ours, theirs] = await both(
      '/api/v1/data?context=disk.io&chart_label_key=device&after=-60&points=4&format=json&options=jsonwrap,seconds'
    );
    for (const d of [ours, theirs]) {
      const charts = d.chart_ids as string[];
      const distinct = [...new Set(charts)];
      expect(distinct.length).toBeGreaterThanOrEqual(2);
      expect(d.dimension_ids).toEqual(distinct.flatMap(() => ['reads', 'writes']));
      expect(charts).toEqual(distinct.flatMap((c) => [c, c]));
      expect(Object.keys(d.chart_labels as Obj)).toEqual(['device']);
      expect(((d.chart_labels as Obj).device as string[]).length).toBe(charts.length);
      expect(d.dimensions).toBe(charts.length);
    }
  });

  it('/api/v1/charts: the same top-level keys and the same chart entry shapes (system.cpu, a disk)', async () => {
    const [ours, theirs] = await both('/api/v1/charts');
    const top = (d: Obj): string[] => comparableShape({ ...d, charts: {} });
    expect(top(ours)).toEqual(top(theirs));
    const entry = (d: Obj, id: string): string[] => comparableShape({ charts: { [id]: (d.charts as Obj)[id] } });
    expect(entry(ours, 'system.cpu')).toEqual(entry(theirs, 'system.cpu'));
    const disk = (d: Obj): string =>
      Object.keys(d.charts as Obj).find((k) => ((d.charts as Record<string, Obj>)[k].context as string) === 'disk.io')!;
    const ourDisk = comparableShape({ charts: { x: (ours.charts as Obj)[disk(ours)] } });
    const realDisk = comparableShape({ charts: { x: (theirs.charts as Obj)[disk(theirs)] } });
    // A disk without alerts has an empty `alarms{}`: compare without the alert entry lines.
    const noAlarms = (s: string[]): string[] => s.filter((l) => !l.startsWith('charts.*.alarms.*'));
    expect(noAlarms(ourDisk)).toEqual(noAlarms(realDisk));
    for (const d of [ours, theirs]) {
      const cpu = (d.charts as Record<string, Obj>)['system.cpu'];
      expect(cpu.title).toMatch(/ \(system\.cpu\)$/);
      expect(Object.keys(cpu.dimensions as Obj)).not.toContain('idle');
    }
  });

  it('/api/v1/alarm_log: the same entry keys, order and types', async () => {
    const ours = await getJson<Obj[]>(fake.url, '/api/v1/alarm_log');
    const theirs = await getJson<Obj[]>(real().url, '/api/v1/alarm_log');
    const cleared = theirs.find((e) => e.status === 'CLEAR' && e.old_status === 'WARNING')!;
    expect(cleared).toBeDefined();
    expect(comparableShape([ours[0]], ALARM_LOG_NULLABLE)).toEqual(comparableShape([cleared], ALARM_LOG_NULLABLE));
    for (const log of [ours, theirs]) {
      const ids = log.map((e) => e.unique_id as number);
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    }
  });

  it('/api/v1/info: our keys are real keys in the real order with the real types', async () => {
    const [ours, theirs] = await both('/api/v1/info');
    const cmp = subsetInOrder(ours, theirs, INFO_ANALYTICS);
    expect(cmp.extra).toEqual([]);
    expect(cmp.order).toEqual(Object.keys(ours));
    expect(cmp.types).toEqual([]);
    const status = (d: Obj): string[] => comparableShape({ s: d.mirrored_hosts_status }, HOSTS_STATUS_NULLABLE);
    expect(status(ours)).toEqual(status(theirs));
  });

  it('errors: status, content type and text equal', async () => {
    for (const path of [
      '/api/v2/info',
      '/api/v3/data?contexts=system.cpu',
      '/api/v1/nosuchcommand',
      '/api/v1/data',
      '/api/v1/data?chart=no.such.chart',
      '/api/v1/data?context=no.such.context',
      '/api/v1/data?chart=system.cpu&dimensions=nosuchdim&after=-10&format=json',
      // Escaped pattern characters are literal (netdata-api-extra.md §8.3): no dimension has these names.
      '/api/v1/data?chart=system.cpu&dimensions=user%5C%7Csystem&after=-10&format=json',
      '/api/v1/data?chart=system.cpu&dimensions=%5C!user&after=-10&format=json',
      '/host/no-such-host/api/v1/info',
    ]) {
      const [a, b] = [await get(fake.url, path), await get(real().url, path)];
      expect([path, a.status, a.contentType, a.text]).toEqual([path, b.status, b.contentType, b.text]);
    }
  });
});
