import { loadV1Fixture } from '../../../tests/fixtures/netdata137';
import { parseAlertQuery } from '../alertTransitions';
import { v1AlarmLogNotice, v1Transitions, V1_ALARM_LOG_CAP } from './alarmLog';
import { v1ContextDetails, v1Contexts, v1NodeSummaries } from './catalog';
import { parseV1AlarmLog, parseV1Charts, parseV1Info } from './parse';
import type { V1AlarmLogEntry } from './types';

function ok<T>(r: { ok: true; value: T } | { ok: false; error: string }): T {
  if (!r.ok) {
    throw new Error(r.error);
  }
  return r.value;
}

const info = ok(parseV1Info(loadV1Fixture('v1_info.json')));
const charts = ok(parseV1Charts(loadV1Fixture('v1_charts.json')));

describe('v1 editor look-ups (real 1.37.1)', () => {
  test('nodes of a Parent, in the shape of the v2 nodes route', () => {
    expect(v1NodeSummaries(info.nodes)).toEqual([
      {
        id: info.nodes[1].machineGuid,
        machineGuid: info.nodes[1].machineGuid,
        hostname: 'nd-child',
        state: 'reachable',
      },
      {
        id: info.nodes[0].machineGuid,
        machineGuid: info.nodes[0].machineGuid,
        hostname: 'nd-parent',
        state: 'reachable',
      },
    ]);
  });

  test('contexts with titles, units and families', () => {
    const contexts = v1Contexts(charts);
    expect(contexts.map((c) => c.id)).toEqual(['disk.io', 'net.net', 'system.cpu', 'system.load', 'system.ram']);
    expect(contexts.find((c) => c.id === 'disk.io')).toMatchObject({
      title: 'Disk I/O Bandwidth',
      units: 'KiB/s',
      family: '/',
    });
  });

  test('a context in detail: dimensions, instances and label values over its charts', () => {
    const disk = v1ContextDetails(charts, 'disk.io');
    expect(disk?.instances).toEqual(['disk.vda', 'disk.zram0']);
    expect(disk?.dimensions).toEqual(['reads', 'writes']);
    expect(disk?.labels.device).toEqual(['vda', 'zram0']);
    expect(disk?.labels.device_type).toEqual(['physical', 'virtual']);
    expect(v1ContextDetails(charts, 'no.such')).toBeUndefined();
  });
});

describe('v1 alert annotations from /api/v1/alarm_log (real 1.37.1)', () => {
  const log = ok(parseV1AlarmLog(loadV1Fixture('v1_alarm_log.json')));
  const window = { fromMs: 1796417900000, toMs: 1796418100000, maxDataPoints: 1, intervalMs: 1000 };

  test('transitions in the window to the asked statuses, with the node', () => {
    const q = ok(parseAlertQuery({}));
    const t = v1Transitions(q, window, info.nodes[0], log);
    expect(t.map((x) => [x.alert, x.oldStatus, x.newStatus])).toEqual([
      ['nd_test_load_cleared', 'UNINITIALIZED', 'WARNING'],
      ['nd_test_cpu_raised', 'UNINITIALIZED', 'WARNING'],
    ]);
    expect(t[0]).toMatchObject({ hostname: 'nd-parent', context: 'system.load', instance: 'system.load' });
    const withClear = v1Transitions(ok(parseAlertQuery({ alertStatuses: ['CLEAR'] })), window, info.nodes[0], log);
    expect(withClear.map((x) => x.newStatus)).toEqual(['CLEAR']);
    const oneAlert = v1Transitions(ok(parseAlertQuery({ alert: 'nd_test_cpu_raised' })), window, info.nodes[0], log);
    expect(oneAlert.map((x) => x.alert)).toEqual(['nd_test_cpu_raised']);
    const outside = { ...window, fromMs: 1796417950000 };
    expect(v1Transitions(q, outside, info.nodes[0], log)).toEqual([]);
  });

  test('a full log that starts inside the window says that older entries are missing', () => {
    const full: V1AlarmLogEntry[] = Array.from({ length: V1_ALARM_LOG_CAP }, (_, i) => ({
      ...log[0],
      uniqueId: i,
      when: 1796418000 + i,
    }));
    expect(v1AlarmLogNotice(window, info.nodes[0], full)?.text).toContain('at most 1000 alert log entries per node');
    expect(v1AlarmLogNotice(window, info.nodes[0], log)).toBeUndefined();
  });
});
