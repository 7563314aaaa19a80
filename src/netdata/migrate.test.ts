/** @jest-environment node */
import { migrateQuery } from './migrate';
import { parseQuery } from './query';

/** Saved queries of earlier shapes, and what they become. */
const CASES: Array<[string, Record<string, unknown>, Record<string, unknown>]> = [
  [
    "Netdata's plugin, first shape: one group-by word, one label filter",
    {
      refId: 'A',
      spaceId: 's1',
      roomId: 'r1',
      contextId: 'system.cpu',
      nodes: ['a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d'],
      dimensions: ['user', 'system'],
      groupBy: 'node',
      method: 'avg',
      group: 'avg',
      filterBy: 'No filter',
      filterValue: '',
    },
    {
      refId: 'A',
      spaceId: 's1',
      roomId: 'r1',
      context: 'system.cpu',
      nodes: ['a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d'],
      dimensions: ['user', 'system'],
      groupBy: ['node'],
      aggregation: 'avg',
      timeGroup: 'average',
    },
  ],
  [
    "Netdata's plugin: a label key as the group-by",
    { contextId: 'disk.space', groupBy: 'mount_point', method: 'sum', group: 'incremental-sum' },
    {
      context: 'disk.space',
      groupBy: ['label'],
      groupByLabels: ['mount_point'],
      aggregation: 'sum',
      timeGroup: 'incremental-sum',
    },
  ],
  [
    "Netdata's plugin, later shape: words and label keys mixed, a filter and a legend",
    {
      contextId: 'disk.space',
      groupBy: ['node', 'mount_point', 'filesystem', 'node'],
      method: 'max',
      group: 'stddev',
      filterBy: 'device_type',
      filterValue: 'physical',
      legend: '{{mount_point}} on {{node}}',
    },
    {
      context: 'disk.space',
      groupBy: ['node', 'label'],
      groupByLabels: ['mount_point', 'filesystem'],
      aggregation: 'max',
      timeGroup: 'stddev',
      labels: [{ key: 'device_type', value: 'physical' }],
      legendFormat: '{{mount_point}} on {{node}}',
    },
  ],
  [
    'single-string lists',
    {
      context: 'disk.io',
      nodes: 'web01, db01',
      instances: 'disk.vda|disk.sda',
      dimensions: 'user|system',
      groupByLabels: 'device,mount_point',
      labels: 'k:v|k2:v2',
    },
    {
      context: 'disk.io',
      nodes: ['web01', 'db01'],
      instances: ['disk.vda', 'disk.sda'],
      dimensions: ['user', 'system'],
      groupByLabels: ['device', 'mount_point'],
      labels: [
        { key: 'k', value: 'v' },
        { key: 'k2', value: 'v2' },
      ],
    },
  ],
  [
    'label strings inside an array and a label map',
    { context: 'c', labels: ['device:vda', { key: 'a', value: 'b' }] },
    {
      context: 'c',
      labels: [
        { key: 'device', value: 'vda' },
        { key: 'a', value: 'b' },
      ],
    },
  ],
  [
    "a label map (Netdata's v2 Cloud filter)",
    { context: 'c', labels: { device: ['vda', 'sda'], mount_point: '/' } },
    {
      context: 'c',
      labels: [
        { key: 'device', value: 'vda' },
        { key: 'device', value: 'sda' },
        { key: 'mount_point', value: '/' },
      ],
    },
  ],
  [
    'groupBy as a string, the legacy word chart, aggregation average',
    { context: 'c', groupBy: 'chart,Node', aggregation: 'average' },
    { context: 'c', groupBy: ['instance', 'node'], aggregation: 'avg' },
  ],
  [
    'time group aliases and numbered names',
    { context: 'c', timeGroup: 'percentile99' },
    { context: 'c', timeGroup: 'percentile', timeGroupOptions: '99' },
  ],
  [
    'a numbered name with an explicit option keeps the option',
    { context: 'c', timeGroup: 'trimmed-mean10', timeGroupOptions: '20' },
    { context: 'c', timeGroup: 'trimmed-mean', timeGroupOptions: '20' },
  ],
  ['time group alias', { context: 'c', timeGroup: 'EWMA' }, { context: 'c', timeGroup: 'ses' }],
  [
    'the current shape is left alone',
    {
      context: 'system.cpu',
      nodes: ['web01'],
      groupBy: ['dimension', 'node'],
      groupByLabels: [],
      labels: [{ key: 'a', value: 'b' }],
      aggregation: 'sum',
      timeGroup: 'countif',
      timeGroupOptions: '>0',
      anomalyRate: true,
      limit: 5,
    },
    {
      context: 'system.cpu',
      nodes: ['web01'],
      groupBy: ['dimension', 'node'],
      groupByLabels: [],
      labels: [{ key: 'a', value: 'b' }],
      aggregation: 'sum',
      timeGroup: 'countif',
      timeGroupOptions: '>0',
      anomalyRate: true,
      limit: 5,
    },
  ],
  [
    'our own context wins over contextId, and our aggregation over method',
    { context: 'system.load', contextId: 'system.cpu', aggregation: 'min', method: 'max' },
    { context: 'system.load', aggregation: 'min' },
  ],
];

describe('migrateQuery', () => {
  it.each(CASES)('%s', (_, saved, expected) => {
    expect(migrateQuery(saved)).toEqual(expected);
  });

  it.each(CASES)('is idempotent: %s', (_, saved) => {
    const once = migrateQuery(saved);
    expect(migrateQuery(once)).toEqual(once);
  });

  it.each(CASES)('gives parseQuery a valid query: %s', (_, saved) => {
    const parsed = parseQuery(migrateQuery(saved));
    expect(parsed.ok).toBe(true);
  });

  it('does not change its input', () => {
    const saved = { contextId: 'c', groupBy: 'node', labels: 'a:b' };
    const copy = JSON.parse(JSON.stringify(saved));
    migrateQuery(saved);
    expect(saved).toEqual(copy);
  });

  it('keeps Grafana keys it does not know', () => {
    const saved = { refId: 'B', datasource: { uid: 'x' }, hide: true, intervalMs: 1000, contextId: 'c' };
    expect(migrateQuery(saved)).toEqual({
      refId: 'B',
      datasource: { uid: 'x' },
      hide: true,
      intervalMs: 1000,
      context: 'c',
    });
  });

  it('leaves unreadable values for parseQuery to report', () => {
    const saved = { context: 'c', groupBy: ['bogus'], labels: ['novalue'], aggregation: 'mean', nodes: 3 };
    expect(migrateQuery(saved)).toEqual(saved);
    const parsed = parseQuery(saved);
    expect(parsed).toEqual({ ok: false, error: expect.stringMatching(/^query\.(groupBy|labels|aggregation|nodes)/) });
  });

  it("treats unknown group-by words as label keys only in Netdata's plugin shape", () => {
    expect(migrateQuery({ context: 'c', groupBy: 'mount_point' })).toEqual({ context: 'c', groupBy: ['mount_point'] });
    expect(migrateQuery({ contextId: 'c', groupBy: 'mount_point' })).toMatchObject({
      groupBy: ['label'],
      groupByLabels: ['mount_point'],
    });
  });

  it('ignores a half filter', () => {
    expect(migrateQuery({ contextId: 'c', filterBy: 'device', filterValue: '' })).toEqual({ context: 'c' });
    expect(migrateQuery({ contextId: 'c', filterValue: 'vda' })).toEqual({ context: 'c' });
  });

  it('adds the filter to labels already saved', () => {
    expect(
      migrateQuery({ contextId: 'c', labels: [{ key: 'a', value: 'b' }], filterBy: 'device', filterValue: 'vda' })
    ).toEqual({
      context: 'c',
      labels: [
        { key: 'a', value: 'b' },
        { key: 'device', value: 'vda' },
      ],
    });
  });
});
