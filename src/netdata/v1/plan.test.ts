import { loadV1Fixture } from '../../../tests/fixtures/netdata137';
import { parseQuery } from '../query';
import type { NetdataQueryModel, QueryWindow } from '../types';
import { parseV1Charts, parseV1Info } from './parse';
import { buildV1DataPath, noDimensionError, planV1Targets, selectV1Nodes, v1Unsupported, V1QueryError } from './plan';
import type { V1Node } from './types';

function ok<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.value;
}

const info = ok(parseV1Info(loadV1Fixture('v1_info.json')));
const [parent, child] = info.nodes as [V1Node, V1Node];
const both = [
  { node: parent, charts: ok(parseV1Charts(loadV1Fixture('v1_charts.json'))) },
  { node: child, charts: ok(parseV1Charts(loadV1Fixture('v1_charts_child_via_parent.json'))) },
];
const model = (json: object): NetdataQueryModel => ok(parseQuery(json));
const window: QueryWindow = { fromMs: 1796418017000, toMs: 1796418077000, maxDataPoints: 6, intervalMs: 1000 };

function params(path: string): Record<string, string> {
  return Object.fromEntries(new URL(path, 'http://x').searchParams);
}

describe('planV1Targets', () => {
  test('instances by chart id, name, id@guid or name@hostname; nodes by hostname or GUID', () => {
    const ids = (json: object) =>
      planV1Targets(model({ context: 'disk.io', ...json }), both).map((t) => `${t.chart.id}@${t.node.hostname}`);
    expect(ids({})).toEqual(['disk.vda@nd-parent', 'disk.zram0@nd-parent', 'disk.vda@nd-child', 'disk.zram0@nd-child']);
    expect(ids({ instances: ['disk.vda'] })).toEqual(['disk.vda@nd-parent', 'disk.vda@nd-child']);
    expect(ids({ instances: ['disk.vda@nd-child'] })).toEqual(['disk.vda@nd-child']);
    expect(ids({ instances: [`disk.zram0@${parent.machineGuid}`] })).toEqual(['disk.zram0@nd-parent']);
    expect(ids({ instances: ['!disk.zram0'] })).toEqual(['disk.vda@nd-parent', 'disk.vda@nd-child']);
    expect(selectV1Nodes(model({ context: 'x', nodes: [child.machineGuid] }), info.nodes)).toEqual([child]);
    expect(selectV1Nodes(model({ context: 'x', nodes: ['nd-*'] }), info.nodes)).toEqual([parent, child]);
  });

  test('label filters: same key OR, different keys AND, exact values (chart labels of /api/v1/charts)', () => {
    const ids = (labels: object[]) =>
      planV1Targets(model({ context: 'disk.io', labels }), [both[0]]).map((t) => t.chart.id);
    expect(ids([{ key: 'device', value: 'vda' }])).toEqual(['disk.vda']);
    expect(
      ids([
        { key: 'device', value: 'vda' },
        { key: 'device', value: 'zram0' },
      ])
    ).toEqual(['disk.vda', 'disk.zram0']);
    expect(
      ids([
        { key: 'device', value: 'zram0' },
        { key: 'device_type', value: 'virtual' },
      ])
    ).toEqual(['disk.zram0']);
    expect(() =>
      ids([
        { key: 'device', value: 'vda' },
        { key: 'device_type', value: 'virtual' },
      ])
    ).toThrow('No chart of context "disk.io" on node nd-parent has the labels device:vda, device_type:virtual');
  });

  test('dimensions selected by id or name; a chart without any is left out', () => {
    const t = planV1Targets(model({ context: 'system.cpu|disk.io', dimensions: ['user', 'reads'] }), [both[0]]);
    expect(t.map((x) => [x.chart.id, x.dimensions.map((d) => d.id)])).toEqual([
      ['system.cpu', ['user']],
      ['disk.vda', ['reads']],
      ['disk.zram0', ['reads']],
    ]);
  });

  test('what selects nothing is an error naming it', () => {
    const fail = (json: object) => () => planV1Targets(model(json), both);
    expect(fail({ context: 'no.such' })).toThrow(V1QueryError);
    expect(fail({ context: 'no.such' })).toThrow(
      'Context "no.such" does not exist on nodes nd-parent, nd-child (no chart of /api/v1/charts has it)'
    );
    expect(fail({ context: 'disk.io', instances: ['disk.sdz'] })).toThrow(
      'No chart of context "disk.io" on nodes nd-parent, nd-child matches the instance filter "disk.sdz"'
    );
    // /api/v1/charts lists no hidden dimension (system.cpu idle): the agent is asked, and a 404 there means "none".
    const probed = planV1Targets(model({ context: 'system.cpu', dimensions: ['idle'] }), both);
    expect(probed.map((t) => [t.node.hostname, t.probe])).toEqual([
      ['nd-parent', true],
      ['nd-child', true],
    ]);
    expect(noDimensionError(model({ context: 'system.cpu', dimensions: ['nosuchdim'] }), info.nodes).message).toBe(
      'Dimension "nosuchdim" is not in the charts of context "system.cpu" on nodes nd-parent, nd-child'
    );
    expect(() => selectV1Nodes(model({ context: 'x', nodes: ['web9'] }), info.nodes)).toThrow(
      'No node of this Netdata matches the node filter "web9" (its nodes: nd-parent, nd-child)'
    );
  });
});

describe('buildV1DataPath', () => {
  const [cpu] = planV1Targets(model({ context: 'system.cpu' }), [both[1]]);

  test('one chart of one node: /host/<hostname>/ prefix, absolute window, jsonwrap rows oldest first', () => {
    const path = buildV1DataPath(model({ context: 'system.cpu' }), cpu, window, { timeoutMs: 5000 });
    expect(path.startsWith('/host/nd-child/api/v1/data?')).toBe(true);
    expect(params(path)).toEqual({
      chart: 'system.cpu',
      after: '1796418017',
      before: '1796418077',
      points: '6',
      group: 'average',
      format: 'json',
      options: 'jsonwrap|seconds|flip|unaligned',
      timeout: '5000',
    });
  });

  test('time groups, their options and tier 0 for the statistical ones; dimension patterns as given', () => {
    const p = (json: object) => params(buildV1DataPath(model({ context: 'system.cpu', ...json }), cpu, window));
    expect(p({ timeGroup: 'max' })).toMatchObject({ group: 'max' });
    expect(p({ timeGroup: 'percentile', timeGroupOptions: '90' })).toMatchObject({
      group: 'percentile',
      group_options: '90',
      tier: '0',
    });
    expect(p({ timeGroup: 'countif', timeGroupOptions: '>0' })).toMatchObject({
      group: 'countif',
      group_options: '>0',
    });
    expect(p({ tier: 1 })).toMatchObject({ tier: '1' });
    expect(p({ dimensions: ['!idle'] })).toMatchObject({ dimensions: '!idle|*' });
  });

  test('abs where v2 makes values absolute (no dimension in the grouping, or percentage)', () => {
    const options = (json: object) => p(json).options;
    const p = (json: object) => params(buildV1DataPath(model({ context: 'system.cpu', ...json }), cpu, window));
    expect(options({ groupBy: ['node'] })).toBe('jsonwrap|seconds|flip|unaligned|abs');
    expect(options({ groupBy: ['instance'] })).toBe('jsonwrap|seconds|flip|unaligned|abs');
    expect(options({ groupBy: ['instance', 'dimension'] })).toBe('jsonwrap|seconds|flip|unaligned');
    expect(options({ percentage: true })).toBe('jsonwrap|seconds|flip|unaligned|abs|percentage');
  });
});

describe('what 1.37 cannot answer', () => {
  test('an error naming each feature and the version that has it', () => {
    expect(v1Unsupported(model({ context: 'system.cpu' }))).toBeUndefined();
    const text = v1Unsupported(
      model({ context: 'system.cpu', anomalyRate: true, timeGroup: 'extremes', aggregation: 'percentage' })
    );
    expect(text).toContain('anomaly rates need Netdata v1.39+');
    expect(text).toContain('the percentage aggregation needs Netdata v1.40+');
    expect(text).toContain('the extremes time group needs Netdata v2.6+');
    expect(v1Unsupported(model({ context: 'system.cpu', groupBy: ['percentage-of-instance'] }))).toContain(
      'group by percentage-of-instance needs Netdata v1.39+'
    );
  });
});
