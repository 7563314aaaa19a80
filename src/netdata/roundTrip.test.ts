/** @jest-environment node */
// Every control of the saved query → the Agent URL parameter and the Cloud body field that carries it.
import { buildAgentDataRequest } from './agentRequest';
import { buildCloudDataRequest } from './cloudRequest';
import { migrateQuery } from './migrate';
import { parseQuery } from './query';
import type { CloudDataBody, NetdataQueryModel, QueryWindow } from './types';

const WINDOW: QueryWindow = { fromMs: 1717171200000, toMs: 1717174800000, maxDataPoints: 1000, intervalMs: 5000 };
const TARGET = { spaceId: 'space-1', roomId: 'room-1' };
const UUID = 'a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d';

function model(saved: Record<string, unknown>): NetdataQueryModel {
  // What the editor saves is JSON: go through a JSON round trip like a dashboard does.
  const r = parseQuery(JSON.parse(JSON.stringify({ refId: 'A', ...saved })));
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.value;
}

function agent(saved: Record<string, unknown>): URLSearchParams {
  const path = buildAgentDataRequest(model(saved), WINDOW, 3).path;
  return new URLSearchParams(path.slice(path.indexOf('?') + 1));
}

function cloud(saved: Record<string, unknown>): CloudDataBody {
  return buildCloudDataRequest(model(saved), WINDOW, TARGET).body;
}

type Case = [
  string,
  Record<string, unknown>,
  (p: URLSearchParams) => unknown,
  unknown,
  (b: CloudDataBody) => unknown,
  unknown,
];

const CASES: Case[] = [
  ['context', { context: 'disk.io' }, (p) => p.get('scope_contexts'), 'disk.io', (b) => b.scope.contexts, ['disk.io']],
  [
    'nodes (hostnames)',
    { context: 'c', nodes: ['web01', 'db*'] },
    (p) => p.get('scope_nodes'),
    'web01|db*',
    (b) => [b.scope.nodes, b.selectors.nodes],
    [undefined, ['web01', 'db*']],
  ],
  [
    'nodes (node ids)',
    { context: 'c', nodes: [UUID] },
    (p) => p.get('scope_nodes'),
    UUID,
    (b) => [b.scope.nodes, b.selectors.nodes],
    [[UUID], ['*']],
  ],
  [
    'instances',
    { context: 'c', instances: ['disk.vda', '!disk.sda'] },
    (p) => p.get('instances'),
    'disk.vda|!disk.sda',
    (b) => b.selectors.instances,
    ['disk.vda', '!disk.sda'],
  ],
  [
    'dimensions (negation only)',
    { context: 'c', dimensions: ['!idle'] },
    (p) => p.get('dimensions'),
    '!idle|*',
    (b) => b.selectors.dimensions,
    ['!idle', '*'],
  ],
  [
    'labels',
    {
      context: 'c',
      labels: [
        { key: 'device', value: 'vda' },
        { key: 'device', value: 'sda' },
      ],
    },
    (p) => p.get('labels'),
    'device:vda|device:sda',
    (b) => b.selectors.labels,
    ['device:vda', 'device:sda'],
  ],
  [
    'groupBy + groupByLabels',
    { context: 'c', groupBy: ['node', 'label'], groupByLabels: ['mount_point'] },
    (p) => [p.get('group_by'), p.get('group_by_label')],
    ['node,label', 'mount_point'],
    (b) => [b.aggregations.metrics[0].group_by, b.aggregations.metrics[0].group_by_label],
    [['node', 'label'], ['mount_point']],
  ],
  [
    'aggregation',
    { context: 'c', aggregation: 'avg' },
    (p) => p.get('aggregation'),
    'average',
    (b) => b.aggregations.metrics[0].aggregation,
    'avg',
  ],
  [
    'aggregation extremes',
    { context: 'c', aggregation: 'extremes' },
    (p) => p.get('aggregation'),
    'extremes',
    (b) => b.aggregations.metrics[0].aggregation,
    'extremes',
  ],
  [
    'timeGroup + percent option (and tier 0)',
    { context: 'c', timeGroup: 'percentile', timeGroupOptions: '99' },
    (p) => [p.get('time_group'), p.get('time_group_options'), p.get('tier')],
    ['percentile', '99', '0'],
    (b) => [b.aggregations.time.time_group, b.aggregations.time.time_group_options, b.window.tier],
    ['percentile', '99', 0],
  ],
  [
    'countif condition',
    { context: 'c', timeGroup: 'countif', timeGroupOptions: '>=10' },
    (p) => [p.get('time_group'), p.get('time_group_options')],
    ['countif', '>=10'],
    (b) => [b.aggregations.time.time_group, b.aggregations.time.time_group_options],
    ['countif', '>=10'],
  ],
  ['tier', { context: 'c', tier: 2 }, (p) => p.get('tier'), '2', (b) => b.window.tier, 2],
  [
    'nonZero',
    { context: 'c', nonZero: true },
    (p) => p.get('options')?.split(','),
    ['jsonwrap', 'flip', 'ms', 'unaligned', 'minify', 'nonzero'],
    (b) => b.options,
    ['jsonwrap', 'minify', 'unaligned', 'ms', 'flip', 'nonzero'],
  ],
  [
    'percentage',
    { context: 'c', percentage: true },
    (p) => p.get('options')?.split(','),
    ['jsonwrap', 'flip', 'ms', 'unaligned', 'minify', 'percentage'],
    (b) => b.options,
    ['jsonwrap', 'minify', 'unaligned', 'ms', 'flip', 'percentage'],
  ],
  [
    'nonZero + percentage off',
    { context: 'c', nonZero: false, percentage: false },
    (p) => p.get('options'),
    'jsonwrap,flip,ms,unaligned,minify',
    (b) => b.options,
    ['jsonwrap', 'minify', 'unaligned', 'ms', 'flip'],
  ],
  ['limit', { context: 'c', limit: 5 }, (p) => p.get('cardinality_limit'), '6', (b) => b.limit, 5],
  ['no limit', { context: 'c' }, (p) => p.get('cardinality_limit'), null, (b) => b.limit, undefined],
  [
    "Netdata's plugin query",
    { contextId: 'disk.space', groupBy: 'mount_point', method: 'sum', filterBy: 'device', filterValue: 'vda' },
    (p) => [p.get('scope_contexts'), p.get('group_by'), p.get('group_by_label'), p.get('aggregation'), p.get('labels')],
    ['disk.space', 'label', 'mount_point', 'sum', 'device:vda'],
    (b) => [
      b.scope.contexts,
      b.aggregations.metrics[0].group_by,
      b.aggregations.metrics[0].group_by_label,
      b.aggregations.metrics[0].aggregation,
      b.selectors.labels,
    ],
    [['disk.space'], ['label'], ['mount_point'], 'sum', ['device:vda']],
  ],
];

describe('every control reaches both transports', () => {
  it.each(CASES)('%s → Agent URL', (_, saved, read, expected) => {
    expect(read(agent(saved))).toEqual(expected);
  });

  it.each(CASES)('%s → Cloud body', (_, saved, __, ___, read, expected) => {
    expect(read(cloud(saved))).toEqual(expected);
  });

  it('anomalyRate and legendFormat shape the frames only: the requests are the same with and without them', () => {
    const plain = { context: 'system.cpu', groupBy: ['node'] };
    const dressed = { ...plain, anomalyRate: true, legendFormat: '{{dimension}} on {{node}}' };
    expect(agent(dressed).toString()).toBe(agent(plain).toString());
    expect(cloud(dressed)).toEqual(cloud(plain));
  });

  it('a migrated query builds the same requests as its saved form', () => {
    const saved = { contextId: 'system.cpu', groupBy: 'node', method: 'max', group: 'median', nodes: 'web01' };
    const migrated = migrateQuery(saved);
    expect(agent(migrated).toString()).toBe(agent(saved).toString());
    expect(cloud(migrated)).toEqual(cloud(saved));
  });
});
