// The controls of the query editor, one case each: the saved JSON as the editor writes it, what the request to
// Netdata must carry (Agent URL parameter, Cloud body field) and what the frames must show.
import type { CloudDataBody } from '../../src/netdata/types';
import type { ControlCase, Outcome, Series } from './controlsHarness';
import { labelSets, sortedSets } from './controlsHarness';

/** The fake's nodes (tests/fake-netdata/README.md). */
export const PARENT = {
  nm: 'parent01',
  mg: '0f8e6a8c-1b2d-4c3e-9f40-5a6b7c8d9e01',
  nd: '5e1f1a2b-3c4d-4e5f-8a9b-0c1d2e3f4a01',
};
/** child01 has a node id only in Cloud mode (only claimed nodes have one). */
export const CHILD = {
  nm: 'child01',
  mg: '7d3c2b1a-9e8f-4a6b-b5c4-d3e2f1a0b902',
  nd: 'a4b5c6d7-e8f9-4a0b-9c1d-2e3f4a5b6c02',
};
export const HOSTNAMES = [PARENT.nm, CHILD.nm];

/** system.cpu dimensions a query returns without a dimension filter (`idle` is hidden). */
export const CPU_VISIBLE = ['guest', 'softirq', 'user', 'system', 'nice', 'iowait'];

/** The fields the editor always writes, and the data source reference Grafana keeps beside them. */
export function editorQuery(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    datasource: { type: 'seed-netdata-datasource', uid: 'netdata-test' },
    context: 'system.cpu',
    dimensions: [],
    instances: [],
    labels: [],
    groupBy: ['dimension'],
    aggregation: 'avg',
    timeGroup: 'average',
    ...over,
  };
}

const FIXED_AGENT_OPTIONS = ['jsonwrap', 'flip', 'ms', 'unaligned', 'minify'];
const FIXED_CLOUD_OPTIONS = ['jsonwrap', 'minify', 'unaligned', 'ms', 'flip'];

const names = (o: Outcome) => o.series.map((s) => s.name);
const sorted = (list: string[]) => [...list].sort();
const allValues = (series: Series[]) => series.flatMap((s) => s.values).filter((v): v is number => v !== null);

function expectSomeValues(o: Outcome): void {
  expect(o.series.length).toBeGreaterThan(0);
  for (const s of o.series) {
    expect(s.values.some((v) => v !== null)).toBe(true);
  }
}

/** Every value of every series within [min, max]. */
function expectWithin(o: Outcome, min: number, max: number): void {
  const values = allValues(o.series);
  expect(values.length).toBeGreaterThan(0);
  expect(Math.min(...values)).toBeGreaterThanOrEqual(min);
  expect(Math.max(...values)).toBeLessThanOrEqual(max);
}

/** The only series of an outcome. */
function only(o: Outcome): Series {
  expect(o.series).toHaveLength(1);
  return o.series[0];
}

/** Point-wise comparison of two series over the same timestamps. */
function pointwise(a: Series, b: Series, check: (x: number, y: number, i: number) => void): void {
  expect(a.times).toEqual(b.times);
  let compared = 0;
  a.values.forEach((x, i) => {
    const y = b.values[i];
    if (x !== null && y !== null) {
      check(x, y, i);
      compared++;
    }
  });
  expect(compared).toBeGreaterThan(10);
}

const near = (x: number, y: number) => expect(Math.abs(x - y)).toBeLessThan(1e-4 * Math.max(1, Math.abs(y)));

// ---- agent / cloud request readers

function agentOptions(p: URLSearchParams): string[] {
  return (p.get('options') ?? '').split(',');
}

const metrics = (b: CloudDataBody) => b.aggregations.metrics[0];

/**
 * The request of one case equals the request of another (controls that shape only the frames), except for the
 * Netdata-side `timeout`, which follows the time left before Grafana's deadline.
 */
function sameRequestAs(other: Outcome, o: Outcome): void {
  const withoutTimeout = (x: Outcome) => {
    const params = new URLSearchParams(x.params);
    params.delete('timeout');
    const body = { ...(x.recorded.body as Record<string, unknown> | undefined) };
    delete body.timeout;
    return { method: x.recorded.method, path: x.recorded.path, params: params.toString(), body };
  };
  expect(withoutTimeout(o)).toEqual(withoutTimeout(other));
}

// ---- cases shared by both transports

const groupByCases: ControlCase[] = [
  {
    name: 'groupBy dimension (the defaults)',
    saved: editorQuery(),
    agent: (p) => {
      expect(p.get('scope_contexts')).toBe('system.cpu');
      expect(p.get('group_by')).toBe('dimension');
      expect(p.has('group_by_label')).toBe(false);
      expect(p.get('aggregation')).toBe('average');
      expect(p.get('time_group')).toBe('average');
      expect(p.has('time_group_options')).toBe(false);
      expect(p.has('tier')).toBe(false);
      expect(p.has('cardinality_limit')).toBe(false);
      expect(agentOptions(p)).toEqual(FIXED_AGENT_OPTIONS);
      for (const selector of ['scope_nodes', 'nodes', 'instances', 'dimensions', 'labels']) {
        expect(p.has(selector)).toBe(false);
      }
    },
    cloud: (b) => {
      expect(b.scope).toEqual({ contexts: ['system.cpu'] });
      expect(b.selectors).toEqual({
        contexts: ['*'],
        nodes: ['*'],
        instances: ['*'],
        dimensions: ['*'],
        labels: ['*'],
        alerts: ['*'],
      });
      expect(b.aggregations).toEqual({
        metrics: [{ group_by: ['dimension'], group_by_label: [], aggregation: 'avg' }],
        time: { time_group: 'average', time_resampling: 0 },
      });
      expect(b.window.tier).toBeUndefined();
      expect(b.options).toEqual(FIXED_CLOUD_OPTIONS);
      expect(b.limit).toBeUndefined();
      expect(b.format).toBe('json2');
    },
    frames: (o) => {
      expect(sorted(names(o))).toEqual(sorted(CPU_VISIBLE));
      for (const s of o.series) {
        expect(s.labels.dimension).toBe(s.name);
        expect(s.labels.context).toBe('system.cpu');
        // Two nodes in one series: no node label.
        expect(s.labels.node).toBeUndefined();
        expect(s.config.unit).toBe('percent');
        expect(s.config.displayNameFromDS).toBe(s.name);
      }
      expectSomeValues(o);
    },
  },
  {
    name: 'groupBy instance',
    saved: editorQuery({ context: 'disk.io', groupBy: ['instance'] }),
    agent: (p) => expect(p.get('group_by')).toBe('instance'),
    cloud: (b) => expect(metrics(b).group_by).toEqual(['instance']),
    frames: (o) => {
      expect(sortedSets(labelSets(o, ['instance', 'node']))).toEqual(
        sortedSets([
          { instance: 'disk.vda', node: PARENT.nm },
          { instance: 'disk.sda', node: PARENT.nm },
          { instance: 'disk.vda', node: CHILD.nm },
        ])
      );
      for (const s of o.series) {
        expect(s.config.unit).toBe('KiBs');
      }
    },
  },
  {
    name: 'groupBy node',
    saved: editorQuery({ groupBy: ['node'] }),
    agent: (p) => expect(p.get('group_by')).toBe('node'),
    cloud: (b) => expect(metrics(b).group_by).toEqual(['node']),
    frames: (o) => {
      expect(sortedSets(labelSets(o, ['node', 'machine_guid']))).toEqual(
        sortedSets([
          { node: PARENT.nm, machine_guid: PARENT.mg },
          { node: CHILD.nm, machine_guid: CHILD.mg },
        ])
      );
      for (const s of o.series) {
        expect(s.name).toBe(s.labels.node);
      }
    },
  },
  {
    name: 'groupBy label with groupByLabels',
    saved: editorQuery({ context: 'disk.io', groupBy: ['label'], groupByLabels: ['device_type'] }),
    agent: (p) => {
      expect(p.get('group_by')).toBe('label');
      expect(p.get('group_by_label')).toBe('device_type');
    },
    cloud: (b) => expect(metrics(b)).toMatchObject({ group_by: ['label'], group_by_label: ['device_type'] }),
    frames: (o) => {
      expect(sortedSets(labelSets(o, ['device_type']))).toEqual([
        { device_type: 'physical' },
        { device_type: 'virtual' },
      ]);
    },
  },
  {
    name: 'groupBy label with two label keys',
    saved: editorQuery({ context: 'disk.io', groupBy: ['label'], groupByLabels: ['device', 'device_type'] }),
    agent: (p) => expect([p.get('group_by'), p.get('group_by_label')]).toEqual(['label', 'device,device_type']),
    cloud: (b) => expect(metrics(b)).toMatchObject({ group_by: ['label'], group_by_label: ['device', 'device_type'] }),
    frames: (o) => {
      expect(sortedSets(labelSets(o, ['device', 'device_type']))).toEqual(
        sortedSets([
          { device: 'vda', device_type: 'physical' },
          { device: 'sda', device_type: 'physical' },
          { device: 'vda', device_type: 'virtual' },
        ])
      );
    },
  },
  {
    name: 'groupBy node and label (as the editor orders them)',
    saved: editorQuery({ context: 'disk.io', groupBy: ['node', 'label'], groupByLabels: ['device'] }),
    agent: (p) => expect([p.get('group_by'), p.get('group_by_label')]).toEqual(['node,label', 'device']),
    cloud: (b) => expect(metrics(b)).toMatchObject({ group_by: ['node', 'label'], group_by_label: ['device'] }),
    frames: (o) => {
      expect(sortedSets(labelSets(o, ['device', 'node']))).toEqual(
        sortedSets([
          { device: 'vda', node: PARENT.nm },
          { device: 'sda', node: PARENT.nm },
          { device: 'vda', node: CHILD.nm },
        ])
      );
    },
  },
  {
    name: 'groupBy node,dimension',
    saved: editorQuery({ groupBy: ['node', 'dimension'] }),
    agent: (p) => expect(p.get('group_by')).toBe('node,dimension'),
    cloud: (b) => expect(metrics(b).group_by).toEqual(['node', 'dimension']),
    frames: (o) => {
      const expected = HOSTNAMES.flatMap((node) => CPU_VISIBLE.map((dimension) => ({ dimension, node })));
      expect(sortedSets(labelSets(o, ['dimension', 'node']))).toEqual(sortedSets(expected));
      for (const s of o.series) {
        expect(s.name).toBe(`${s.labels.dimension}, ${s.labels.node}`);
      }
    },
  },
  {
    name: 'groupBy context (two contexts)',
    saved: editorQuery({ context: 'system.cpu|system.load', groupBy: ['context'] }),
    agent: (p) => {
      expect(p.get('scope_contexts')).toBe('system.cpu|system.load');
      expect(p.get('group_by')).toBe('context');
    },
    cloud: (b) => {
      expect(b.scope.contexts).toEqual(['system.cpu', 'system.load']);
      expect(metrics(b).group_by).toEqual(['context']);
    },
    frames: (o) => {
      expect(sortedSets(labelSets(o, ['context']))).toEqual([{ context: 'system.cpu' }, { context: 'system.load' }]);
      const cpu = o.series.find((s) => s.labels.context === 'system.cpu')!;
      expect(cpu.config.unit).toBe('percent');
    },
  },
  {
    name: 'groupBy units',
    saved: editorQuery({ groupBy: ['units'] }),
    agent: (p) => expect(p.get('group_by')).toBe('units'),
    cloud: (b) => expect(metrics(b).group_by).toEqual(['units']),
    frames: (o) => {
      const s = only(o);
      expect(s.labels.units).toBe('percentage');
      expect(s.config.unit).toBe('percent');
    },
  },
  {
    name: 'groupBy selected',
    saved: editorQuery({ groupBy: ['selected'] }),
    agent: (p) => expect(p.get('group_by')).toBe('selected'),
    cloud: (b) => expect(metrics(b).group_by).toEqual(['selected']),
    frames: (o) => {
      const s = only(o);
      // Netdata names it "selected"; the automatic name is the context.
      expect(s.name).toBe('system.cpu');
      expect(s.labels.context).toBe('system.cpu');
    },
  },
  {
    name: 'groupBy percentage-of-instance',
    saved: editorQuery({ dimensions: ['user'], groupBy: ['percentage-of-instance'] }),
    agent: (p) => {
      expect(p.get('group_by')).toBe('percentage-of-instance');
      expect(p.get('dimensions')).toBe('user');
    },
    cloud: (b) => {
      expect(metrics(b).group_by).toEqual(['percentage-of-instance']);
      expect(b.selectors.dimensions).toEqual(['user']);
    },
    frames: (o) => {
      expect(sortedSets(labelSets(o, ['instance', 'node']))).toEqual(
        sortedSets(HOSTNAMES.map((node) => ({ instance: 'system.cpu', node })))
      );
      expectWithin(o, 0, 100);
      for (const s of o.series) {
        expect(s.config.unit).toBe('percent');
      }
    },
  },
];

const selectorCases: ControlCase[] = [
  {
    name: 'context',
    saved: editorQuery({ context: 'system.load' }),
    agent: (p) => expect(p.get('scope_contexts')).toBe('system.load'),
    cloud: (b) => {
      expect(b.scope.contexts).toEqual(['system.load']);
      expect(b.selectors.contexts).toEqual(['*']);
    },
    frames: (o) => {
      expect(sorted(names(o))).toEqual(['load1', 'load15', 'load5']);
      for (const s of o.series) {
        expect(s.labels.context).toBe('system.load');
        expect(s.config.unit).toBe('none');
        // system.load is collected every 5 s.
        expect(s.times[1] - s.times[0]).toBeGreaterThanOrEqual(5000);
      }
    },
  },
  {
    name: 'dimensions',
    saved: editorQuery({ dimensions: ['user', 'system'] }),
    agent: (p) => expect(p.get('dimensions')).toBe('user|system'),
    cloud: (b) => {
      expect(b.selectors.dimensions).toEqual(['user', 'system']);
      expect(b.scope.dimensions).toBeUndefined();
    },
    frames: (o) => {
      expect(sorted(names(o))).toEqual(['system', 'user']);
      expectSomeValues(o);
    },
  },
  {
    name: 'dimensions: a negation alone',
    saved: editorQuery({ dimensions: ['!guest'] }),
    // A list of negations alone selects nothing in Netdata: `*` is appended.
    agent: (p) => expect(p.get('dimensions')).toBe('!guest|*'),
    cloud: (b) => expect(b.selectors.dimensions).toEqual(['!guest', '*']),
    frames: (o) => {
      expect(names(o)).not.toContain('guest');
      expect(names(o)).toEqual(expect.arrayContaining(['softirq', 'user', 'system', 'nice', 'iowait']));
    },
  },
  {
    name: 'dimensions: a typed negation pattern',
    // One typed value is one pattern (netdata-api-extra.md §8.3); an exclusion alone means "all but".
    saved: editorQuery({ dimensions: ['!user'] }),
    agent: (p) => expect(p.get('dimensions')).toBe('!user|*'),
    cloud: (b) => expect(b.selectors.dimensions).toEqual(['!user', '*']),
    frames: (o) => {
      expect(names(o)).not.toContain('user');
      expect(names(o)).toEqual(expect.arrayContaining(['guest', 'softirq', 'system', 'nice', 'iowait']));
    },
  },
  {
    name: 'instances',
    saved: editorQuery({ context: 'disk.io', instances: ['disk.sda'], groupBy: ['instance'] }),
    agent: (p) => expect(p.get('instances')).toBe('disk.sda'),
    cloud: (b) => expect(b.selectors.instances).toEqual(['disk.sda']),
    frames: (o) => {
      expect(labelSets(o, ['instance', 'node'])).toEqual([{ instance: 'disk.sda', node: PARENT.nm }]);
    },
  },
  {
    name: 'instances: a negation',
    saved: editorQuery({ context: 'disk.io', instances: ['!disk.sda'], groupBy: ['instance'] }),
    agent: (p) => expect(p.get('instances')).toBe('!disk.sda|*'),
    cloud: (b) => expect(b.selectors.instances).toEqual(['!disk.sda', '*']),
    frames: (o) => {
      expect(sortedSets(labelSets(o, ['instance', 'node']))).toEqual(
        sortedSets(HOSTNAMES.map((node) => ({ instance: 'disk.vda', node })))
      );
    },
  },
  {
    name: 'labels: two values of one key (OR)',
    saved: editorQuery({
      context: 'disk.io',
      labels: [
        { key: 'mount_point', value: '/' },
        { key: 'mount_point', value: '/data' },
      ],
      groupBy: ['instance'],
    }),
    agent: (p) => expect(p.get('labels')).toBe('mount_point:/|mount_point:/data'),
    cloud: (b) => expect(b.selectors.labels).toEqual(['mount_point:/', 'mount_point:/data']),
    frames: (o) => {
      // child01's disk has no mount_point: left out.
      expect(sortedSets(labelSets(o, ['instance', 'node']))).toEqual(
        sortedSets([
          { instance: 'disk.vda', node: PARENT.nm },
          { instance: 'disk.sda', node: PARENT.nm },
        ])
      );
    },
  },
  {
    name: 'labels: two keys (AND)',
    saved: editorQuery({
      context: 'disk.io',
      labels: [
        { key: 'device', value: 'vda' },
        { key: 'device_type', value: 'virtual' },
      ],
      groupBy: ['instance'],
    }),
    agent: (p) => expect(p.get('labels')).toBe('device:vda|device_type:virtual'),
    cloud: (b) => expect(b.selectors.labels).toEqual(['device:vda', 'device_type:virtual']),
    frames: (o) => {
      expect(labelSets(o, ['instance', 'node'])).toEqual([{ instance: 'disk.vda', node: CHILD.nm }]);
    },
  },
];

/** The per-node series of `user`, the reference for the aggregations across nodes. */
const PER_NODE_USER = 'user per node (reference for aggregations)';

function perNode(other: (name: string) => Outcome): [Series, Series] {
  const o = other(PER_NODE_USER);
  expect(o.series).toHaveLength(2);
  return [o.series[0], o.series[1]];
}

const aggregationCases: ControlCase[] = [
  {
    name: PER_NODE_USER,
    saved: editorQuery({ dimensions: ['user'], groupBy: ['node'] }),
    agent: (p) => expect([p.get('dimensions'), p.get('group_by')]).toEqual(['user', 'node']),
    cloud: (b) => expect([b.selectors.dimensions, metrics(b).group_by]).toEqual([['user'], ['node']]),
    frames: (o) => expect(sorted(names(o))).toEqual(sorted(HOSTNAMES)),
  },
  ...(
    [
      ['avg', 'average', (a: number, b: number) => (a + b) / 2],
      ['sum', 'sum', (a: number, b: number) => a + b],
      ['min', 'min', Math.min],
      ['max', 'max', Math.max],
      // Positive values: the one of largest magnitude is the max.
      ['extremes', 'extremes', (a: number, b: number) => (Math.abs(a) >= Math.abs(b) ? a : b)],
    ] as const
  ).map(([aggregation, word, across]): ControlCase => ({
    name: `aggregation ${aggregation}`,
    saved: editorQuery({ dimensions: ['user'], aggregation }),
    agent: (p) => expect(p.get('aggregation')).toBe(word),
    cloud: (b) => expect(metrics(b).aggregation).toBe(aggregation),
    frames: (o, other) => {
      const s = only(o);
      expect(s.name).toBe('user');
      const [a, b] = perNode(other);
      pointwise(s, a, (x, y, i) => near(x, across(y, b.values[i]!)));
    },
  })),
  {
    name: 'aggregation percentage',
    // As verified live (netdata-api.md §3.1): grouped without `dimension`, values are absolute.
    saved: editorQuery({ context: 'disk.io', dimensions: ['reads'], groupBy: ['node'], aggregation: 'percentage' }),
    agent: (p) => expect([p.get('aggregation'), p.get('dimensions')]).toEqual(['percentage', 'reads']),
    cloud: (b) => expect([metrics(b).aggregation, b.selectors.dimensions]).toEqual(['percentage', ['reads']]),
    frames: (o) => {
      expect(sorted(names(o))).toEqual(sorted(HOSTNAMES));
      for (const s of o.series) {
        // reads as a share of reads + writes: KiB/s become a percentage.
        expect(s.config.unit).toBe('percent');
      }
      expectWithin(o, 0, 100);
    },
  },
];

/** What a time group's points must show, compared with the min, max and average time groups of the same query. */
type TimeGroupCheck = (s: Series, ref: { min: Series; max: Series; average: Series }) => void;

const betweenMinAndMax: TimeGroupCheck = (s, { min, max }) => {
  pointwise(s, min, (x, y) => expect(x).toBeGreaterThanOrEqual(y - 1e-6));
  pointwise(s, max, (x, y) => expect(x).toBeLessThanOrEqual(y + 1e-6));
};
const notAverage: TimeGroupCheck = (s, { average }) => expect(s.values).not.toEqual(average.values);
const notNegative: TimeGroupCheck = (s) => expect(Math.min(...allValues([s]))).toBeGreaterThanOrEqual(0);

interface TimeGroupRow {
  timeGroup: string;
  /** As typed in the editor. */
  option?: string;
  /** `time_group_options` sent to Netdata. */
  sent?: string;
  /** Pinned to tier 0 without an explicit tier (higher tiers keep only min/max/sum/count). */
  tier0: boolean;
  check: TimeGroupCheck;
}

const TIME_GROUP_ROWS: TimeGroupRow[] = [
  { timeGroup: 'average', tier0: false, check: betweenMinAndMax },
  { timeGroup: 'min', tier0: false, check: notAverage },
  { timeGroup: 'max', tier0: false, check: notAverage },
  // 10 one-second samples per 10-second point.
  {
    timeGroup: 'sum',
    tier0: false,
    check: (s, { average }) => pointwise(s, average, (x, y) => expect(x).toBeGreaterThan(5 * y)),
  },
  { timeGroup: 'incremental-sum', tier0: true, check: notAverage },
  { timeGroup: 'median', tier0: true, check: betweenMinAndMax },
  { timeGroup: 'trimmed-median', option: '20', sent: '20', tier0: true, check: betweenMinAndMax },
  { timeGroup: 'trimmed-mean', option: '10', sent: '10', tier0: true, check: betweenMinAndMax },
  { timeGroup: 'percentile', option: '95', sent: '95', tier0: true, check: betweenMinAndMax },
  { timeGroup: 'stddev', tier0: true, check: notNegative },
  { timeGroup: 'cv', tier0: true, check: notNegative },
  { timeGroup: 'ses', tier0: true, check: betweenMinAndMax },
  { timeGroup: 'des', tier0: true, check: notAverage },
  // user is always above 0: every sample counts, and countif is a percentage.
  {
    timeGroup: 'countif',
    option: '>0',
    sent: '>0',
    tier0: true,
    check: (s) => expect(new Set(allValues([s]))).toEqual(new Set([100])),
  },
  { timeGroup: 'extremes', tier0: true, check: betweenMinAndMax },
];

const timeGroupName = (tg: string, option?: string) => `timeGroup ${tg}${option ? ` ${option}` : ''}`;

const timeGroupCases: ControlCase[] = [
  ...TIME_GROUP_ROWS.map(({ timeGroup, option, sent, tier0, check }): ControlCase => ({
    name: timeGroupName(timeGroup, option),
    saved: editorQuery({ dimensions: ['user'], timeGroup, ...(option ? { timeGroupOptions: option } : {}) }),
    agent: (p) => {
      expect(p.get('time_group')).toBe(timeGroup);
      expect(p.get('time_group_options')).toBe(sent ?? null);
      expect(p.get('tier')).toBe(tier0 ? '0' : null);
    },
    cloud: (b) => {
      expect(b.aggregations.time.time_group).toBe(timeGroup);
      expect(b.aggregations.time.time_group_options).toBe(sent);
      expect(b.window.tier).toBe(tier0 ? 0 : undefined);
    },
    frames: (o, other) => {
      expectSomeValues(o);
      check(only(o), {
        min: only(other(timeGroupName('min'))),
        max: only(other(timeGroupName('max'))),
        average: only(other(timeGroupName('average'))),
      });
    },
  })),
  {
    name: 'timeGroup countif with a bare number as typed',
    saved: editorQuery({ dimensions: ['user'], timeGroup: 'countif', timeGroupOptions: '0' }),
    // A bare number means "equal to": Netdata would drop its first digit, so the operator is added.
    agent: (p) => expect(p.get('time_group_options')).toBe('=0'),
    cloud: (b) => expect(b.aggregations.time.time_group_options).toBe('=0'),
    frames: (o) => expect(new Set(allValues(o.series))).toEqual(new Set([0])),
  },
];

const tierCases: ControlCase[] = [
  {
    name: 'tier 0',
    saved: editorQuery({ dimensions: ['user'], tier: 0 }),
    agent: (p) => expect(p.get('tier')).toBe('0'),
    cloud: (b) => expect(b.window.tier).toBe(0),
    frames: (o) => {
      expect(o.doc.db?.per_tier?.map((t) => t.queries > 0)).toEqual([true, false, false]);
      expectSomeValues(o);
    },
  },
  {
    name: 'tier 1',
    saved: editorQuery({ dimensions: ['user'], tier: 1 }),
    agent: (p) => expect(p.get('tier')).toBe('1'),
    cloud: (b) => expect(b.window.tier).toBe(1),
    frames: (o, other) => {
      expect(o.doc.db?.per_tier?.map((t) => t.queries > 0)).toEqual([false, true, false]);
      expectSomeValues(o);
      // Per-minute averages read at 10-second points: not the tier 0 values.
      expect(only(o).values).not.toEqual(only(other('tier 0')).values);
    },
  },
  {
    name: 'tier 2 (hourly) over six hours',
    saved: editorQuery({ dimensions: ['user'], tier: 2 }),
    window: { fromMs: Date.now() - 6 * 3600_000, intervalMs: 600_000 },
    agent: (p) => expect(p.get('tier')).toBe('2'),
    cloud: (b) => expect(b.window.tier).toBe(2),
    frames: (o) => {
      expect(o.doc.db?.per_tier?.map((t) => t.queries > 0)).toEqual([false, false, true]);
      expectSomeValues(o);
    },
  },
];

const DIMENSIONS_CASE = 'dimensions';
const NODE_DIMENSION_CASE = 'groupBy node,dimension';
const DEFAULTS_CASE = 'groupBy dimension (the defaults)';

/** The label keys a `{{key}}` legend template names. */
function templateKeys(legend: string): string[] {
  return Array.from(legend.matchAll(/\{\{\s*([^}\s]+)\s*\}\}/g), (m) => m[1]);
}

const optionCases: ControlCase[] = [
  {
    name: 'anomalyRate',
    saved: editorQuery({ dimensions: ['user', 'system'], anomalyRate: true }),
    agent: (p) => expect(p.get('dimensions')).toBe('user|system'),
    cloud: (b) => expect(b.selectors.dimensions).toEqual(['user', 'system']),
    frames: (o, other) => {
      // The same request as without anomaly rates: they come with every json2 point.
      sameRequestAs(other(DIMENSIONS_CASE), o);
      expect(o.anomaly).toHaveLength(o.series.length);
      o.anomaly.forEach((a, i) => {
        const value = o.series[i];
        expect(a.labels).toEqual({ ...value.labels, series_type: 'anomaly_rate' });
        expect(a.name).toBe(`${value.name} anomaly rate`);
        expect(a.config).toMatchObject({ unit: 'percent', min: 0, max: 100 });
        expect(a.times).toEqual(value.times);
      });
      expect(allValues(o.anomaly).length).toBeGreaterThan(0);
    },
  },
  {
    name: 'nonZero',
    saved: editorQuery({ nonZero: true }),
    agent: (p) => expect(agentOptions(p)).toEqual([...FIXED_AGENT_OPTIONS, 'nonzero']),
    cloud: (b) => expect(b.options).toEqual([...FIXED_CLOUD_OPTIONS, 'nonzero']),
    frames: (o, other) => {
      // guest is always 0.
      expect(names(other(DEFAULTS_CASE))).toContain('guest');
      expect(sorted(names(o))).toEqual(sorted(CPU_VISIBLE.filter((d) => d !== 'guest')));
    },
  },
  {
    name: 'percentage',
    saved: editorQuery({ context: 'disk.io', percentage: true }),
    agent: (p) => expect(agentOptions(p)).toEqual([...FIXED_AGENT_OPTIONS, 'percentage']),
    cloud: (b) => expect(b.options).toEqual([...FIXED_CLOUD_OPTIONS, 'percentage']),
    frames: (o) => {
      expect(sorted(names(o))).toEqual(['reads', 'writes']);
      for (const s of o.series) {
        // KiB/s become percentages of the row total, made absolute.
        expect(s.config.unit).toBe('percent');
      }
      expectWithin(o, 0, 100);
    },
  },
  {
    name: 'limit',
    saved: editorQuery({ limit: 2 }),
    agent: (p) => expect(p.get('cardinality_limit')).toBe('3'),
    cloud: (b) => expect(b.limit).toBe(2),
    frames: (o) => {
      expect(o.series.length).toBeLessThanOrEqual(3);
      expect(o.series).toHaveLength(3);
      expect(o.series[2].name).toMatch(/^remaining \d+ series \(sum\)$/);
      expect(o.series.slice(0, 2).every((s) => CPU_VISIBLE.includes(s.name))).toBe(true);
    },
  },
  {
    name: 'legendFormat',
    saved: editorQuery({ groupBy: ['node', 'dimension'], legendFormat: '{{dimension}} on {{node}}' }),
    agent: (p) => expect(p.get('group_by')).toBe('node,dimension'),
    cloud: (b) => expect(metrics(b).group_by).toEqual(['node', 'dimension']),
    frames: (o, other) => {
      // The legend changes the names only: the request and the series are those of the same query without one.
      sameRequestAs(other(NODE_DIMENSION_CASE), o);
      const keys = templateKeys(o.saved.legendFormat as string);
      expect(keys).toEqual(['dimension', 'node']);
      expect(sortedSets(labelSets(o, keys))).toEqual(
        sortedSets(HOSTNAMES.flatMap((node) => CPU_VISIBLE.map((dimension) => ({ dimension, node }))))
      );
      // The backend renders the template into each series' name, so alerts and public dashboards show it too.
      for (const s of o.series) {
        expect(s.config.displayNameFromDS).toBe(`${s.labels.dimension} on ${s.labels.node}`);
      }
      expect(sorted(names(o))).toEqual(
        sorted(HOSTNAMES.flatMap((node) => CPU_VISIBLE.map((dimension) => `${dimension} on ${node}`)))
      );
    },
  },
];

/** Netdata's points for Grafana's range and resolution: one per interval, at most maxDataPoints. */
export function expectedWindow(o: Outcome): { after: number; before: number; points: number } {
  const after = Math.floor(o.window.fromMs / 1000);
  const before = Math.ceil(o.window.toMs / 1000);
  const points = Math.min(o.window.maxDataPoints, Math.ceil((before - after) / (o.window.intervalMs / 1000)));
  return { after, before, points };
}

/**
 * Rows and their spacing (seconds) that Netdata returns for a window and `points` (netdata-api.md §3.7, verified
 * live): the row count may exceed `points` so that whole groups cover the window.
 */
export function netdataRows(after: number, before: number, points: number): { rows: number; step: number } {
  const duration = before - after;
  const available = duration + 1;
  const wanted = points === 0 || points > available ? available : Math.min(points, 86400);
  const group = Math.max(1, Math.floor(available / wanted)) + (available % wanted > Math.floor(wanted / 2) ? 1 : 0);
  const rows = wanted * group < duration ? Math.ceil(available / group) : wanted;
  return { rows, step: group };
}

/** The frames have the rows Netdata makes of the request's window and points, evenly spaced. */
export function expectRowsFor(o: Outcome, sent: { after: number; before: number; points: number }): void {
  const { rows, step } = netdataRows(sent.after, sent.before, sent.points);
  for (const s of o.series) {
    expect(s.times).toHaveLength(rows);
    expect(new Set(s.times.slice(1).map((t, i) => t - s.times[i]))).toEqual(new Set([step * 1000]));
  }
}

/** The window the recorded request carried (Agent parameters or Cloud body). */
export function sentWindow(o: Outcome): { after: number; before: number; points: number } {
  if (o.recorded.method === 'GET') {
    return {
      after: Number(o.params.get('after')),
      before: Number(o.params.get('before')),
      points: Number(o.params.get('points')),
    };
  }
  return { after: o.body.window.after, before: o.body.window.before, points: o.body.window.points };
}

const resolutionCases: ControlCase[] = [
  {
    name: 'points from maxDataPoints',
    saved: editorQuery({ dimensions: ['user'] }),
    window: { maxDataPoints: 20 },
    agent: (p, o) => {
      const { after, before } = expectedWindow(o);
      expect([p.get('after'), p.get('before'), p.get('points')]).toEqual([String(after), String(before), '20']);
    },
    cloud: (b, o) => expect(b.window).toEqual({ ...expectedWindow(o), points: 20 }),
    frames: (o) => expectRowsFor(o, { ...expectedWindow(o), points: 20 }),
  },
  {
    name: 'points from intervalMs (a min interval of 30 s)',
    saved: editorQuery({ dimensions: ['user'] }),
    window: { intervalMs: 30_000 },
    agent: (p, o) => {
      const { after, before } = expectedWindow(o);
      expect([Number(p.get('after')), Number(p.get('before'))]).toEqual([after, before]);
      expect(Math.abs(Number(p.get('points')) - (before - after) / 30)).toBeLessThanOrEqual(1);
    },
    cloud: (b, o) => {
      const { after, before } = expectedWindow(o);
      expect([b.window.after, b.window.before]).toEqual([after, before]);
      expect(Math.abs(b.window.points - (before - after) / 30)).toBeLessThanOrEqual(1);
    },
    frames: (o) => {
      expectRowsFor(o, sentWindow(o));
      const times = only(o).times;
      // Grafana's interval is the panel's min interval: rows no closer than 30 s, and not much coarser.
      const spacing = times[1] - times[0];
      expect(spacing).toBeGreaterThanOrEqual(30_000);
      expect(spacing).toBeLessThan(60_000);
    },
  },
];

export const SHARED_CASES: ControlCase[] = [
  ...selectorCases,
  ...groupByCases,
  ...aggregationCases,
  ...timeGroupCases,
  ...tierCases,
  ...optionCases,
  ...resolutionCases,
];
