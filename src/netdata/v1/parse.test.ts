import { loadV1Fixture as loadV1 } from '../../../tests/fixtures/netdata137';
import { contextTitle, parseV1AlarmLog, parseV1Charts, parseV1Data, parseV1Info, scopeV1Info } from './parse';

describe('parseV1Info (real 1.37.1 Parent)', () => {
  test('every node with its GUID and the prefix reaching it', () => {
    const info = parseV1Info(loadV1('v1_info.json'));
    expect(info.ok).toBe(true);
    if (!info.ok) {
      return;
    }
    expect(info.value.version).toBe('v1.37.1');
    expect(info.value.hostname).toBe('nd-parent');
    expect(info.value.nodes.map((n) => [n.hostname, n.hops, n.prefix])).toEqual([
      ['nd-parent', 0, ''],
      ['nd-child', 1, '/host/nd-child'],
    ]);
    expect(info.value.nodes[0].machineGuid).toMatch(/^[0-9a-f-]{36}$/);
    expect(info.value.nodes[0].nodeId).toBeUndefined();
  });

  test('through /host/<child>/ the data source sees only the child, without a second prefix', () => {
    const info = parseV1Info(loadV1('v1_info_child_via_parent.json'));
    expect(info.ok && info.value.nodes.map((n) => [n.hostname, n.prefix])).toEqual([['nd-child', '']]);
  });

  test('not an info document: a clear error', () => {
    expect(parseV1Info([])).toEqual({ ok: false, error: '/api/v1/info is not a JSON object' });
    expect(parseV1Info({ version: 'v1.37.1' })).toEqual({
      ok: false,
      error: '/api/v1/info lists no node (no mirrored_hosts)',
    });
    const bare = parseV1Info({ version: 'v1.37.1', uid: 'g-1', mirrored_hosts: ['a', 'b'] });
    expect(bare.ok && bare.value.nodes.map((n) => [n.hostname, n.machineGuid, n.prefix])).toEqual([
      ['a', 'g-1', ''],
      ['b', 'b', '/host/b'],
    ]);
  });
});

describe('parseV1Charts (real 1.37.1)', () => {
  test('charts with context, units, dimensions, labels; titles without the " (<chart name>)" suffix', () => {
    const charts = parseV1Charts(loadV1('v1_charts.json'));
    expect(charts.ok).toBe(true);
    if (!charts.ok) {
      return;
    }
    const cpu = charts.value.find((c) => c.id === 'system.cpu');
    expect(cpu).toMatchObject({
      context: 'system.cpu',
      units: 'percentage',
      family: 'cpu',
      title: 'Total CPU utilization',
    });
    expect(cpu?.dimensions.map((d) => d.id)).toContain('user');
    expect(cpu?.dimensions.map((d) => d.id)).not.toContain('idle');
    const vda = charts.value.find((c) => c.id === 'disk.vda');
    expect(vda).toMatchObject({ context: 'disk.io', labels: expect.objectContaining({ device: 'vda' }) });
    // Sorted by priority: system.cpu (100) first.
    expect(charts.value[0].id).toBe('system.cpu');
  });

  test('contextTitle strips only the chart name suffix', () => {
    expect(contextTitle('Disk I/O Bandwidth (disk.vda)', 'disk.vda')).toBe('Disk I/O Bandwidth');
    expect(contextTitle('Load (x)', 'system.load')).toBe('Load (x)');
  });

  test('no charts object: an error', () => {
    expect(parseV1Charts({ hostname: 'x' }).ok).toBe(false);
  });
});

describe('parseV1Data (real 1.37.1)', () => {
  test('columns and rows of a jsonwrap answer', () => {
    const raw = loadV1('v1_data_system_cpu_jsonwrap.json') as { result: { data: unknown[][] } };
    const d = parseV1Data(raw);
    expect(d.ok).toBe(true);
    if (!d.ok) {
      return;
    }
    expect(d.value.dimensionIds).toEqual([
      'guest_nice',
      'guest',
      'steal',
      'softirq',
      'irq',
      'user',
      'system',
      'nice',
      'iowait',
    ]);
    expect(d.value.viewUpdateEvery).toBe(10);
    expect(d.value.rows).toEqual(raw.result.data);
  });

  test('a context answer keeps one column per chart × dimension', () => {
    const d = parseV1Data(loadV1('v1_data_disk_io_context_labels.json'));
    expect(d.ok && d.value.dimensionNames).toEqual(['reads', 'writes', 'reads', 'writes']);
  });

  test('an answer without jsonwrap, or with broken rows, is a clear error', () => {
    expect(parseV1Data(loadV1('v1_data_system_load_plain.json'))).toMatchObject({ ok: false });
    const base = { api: 1, dimension_ids: ['a'], dimension_names: ['a'], dimensions: 1 };
    expect(parseV1Data({ ...base, result: { data: [[1, 2, 3]] } })).toEqual({
      ok: false,
      error: 'result.data[0] has 2 values for 1 dimensions',
    });
    expect(parseV1Data({ ...base, result: { data: [[1, 'x']] } })).toEqual({
      ok: false,
      error: 'result.data[0][1] is not a number or null',
    });
    expect(parseV1Data({ ...base, api: 2, result: { data: [] } })).toMatchObject({ ok: false });
    expect(parseV1Data({ ...base, dimension_names: [], result: { data: [] } })).toMatchObject({ ok: false });
  });

  test('"no data" (no visible dimension) is no column', () => {
    const d = parseV1Data({
      api: 1,
      dimension_ids: ['no data'],
      dimension_names: ['no data'],
      dimensions: 0,
      result: { data: [[1, null]] },
    });
    expect(d).toEqual({
      ok: true,
      value: { viewUpdateEvery: 0, updateEvery: 0, dimensionIds: [], dimensionNames: [], rows: [] },
    });
  });
});

describe('parseV1AlarmLog (real 1.37.1)', () => {
  test('entries newest first with statuses, values and the chart', () => {
    const log = parseV1AlarmLog(loadV1('v1_alarm_log.json'));
    expect(log.ok).toBe(true);
    if (!log.ok) {
      return;
    }
    expect(log.value[0]).toMatchObject({
      hostname: 'nd-parent',
      name: 'nd_test_load_cleared',
      chart: 'system.load',
      context: 'system.load',
      status: 'CLEAR',
      oldStatus: 'WARNING',
      classification: 'Utilization',
    });
    expect(typeof log.value[0].value).toBe('number');
    expect(parseV1AlarmLog({})).toEqual({ ok: false, error: '/api/v1/alarm_log is not a JSON array' });
  });
});

describe('scopeV1Info', () => {
  test('a /host/<node> taken off the base URL keeps only that node, with its prefix', () => {
    const info = parseV1Info(loadV1('v1_info.json'));
    if (!info.ok) {
      throw new Error(info.error);
    }
    const child = info.value.nodes[1];
    for (const id of ['nd-child', child.machineGuid]) {
      const scoped = scopeV1Info(info.value, id);
      expect(scoped.ok && scoped.value.nodes).toEqual([child]);
    }
    expect(scopeV1Info(info.value, undefined)).toEqual(info);
    expect(scopeV1Info(info.value, 'web9')).toEqual({
      ok: false,
      error:
        'This Netdata does not hold the node "web9" named by the data source URL\'s /host/ prefix ' +
        '(its nodes: nd-parent, nd-child)',
    });
  });
});
