import { logLevel, logsFrame, logsRequestBody, logsVolumeFrames, parseLogsAnswer, parseLogsQuery } from './logs';

const ANSWER = {
  status: 200,
  type: 'table',
  columns: {
    timestamp: { index: 0, name: 'Timestamp', type: 'timestamp' },
    rowOptions: { index: 1, name: 'rowOptions', dummy: true },
    PRIORITY: { index: 2, name: 'PRIORITY' },
    _SYSTEMD_UNIT: { index: 3, name: '_SYSTEMD_UNIT' },
    MESSAGE: { index: 4, name: 'MESSAGE' },
  },
  data: [
    [1_700_000_002_000_001, { severity: 'critical' }, 'error', 'nginx.service', 'refused'],
    [1_700_000_002_000_001, { severity: 'normal' }, '6', 'sshd.service', 'accepted'],
  ],
  facets: [{ id: 'PRIORITY', name: 'PRIORITY', options: [{ id: '3', name: 'error', count: 1 }] }],
  histogram: {
    id: 'PRIORITY',
    name: 'PRIORITY',
    chart: { result: { labels: ['time', 'error', 'info'], data: [[1_700_000_060_000, [1, 0, 0], [4, 0, 0]]] } },
  },
};

describe('logs', () => {
  it('become a log-lines frame with levels from PRIORITY, unique ids and the chosen labels', () => {
    const q = parseLogsQuery({ labelFields: ['_SYSTEMD_UNIT'] });
    const a = parseLogsAnswer(ANSWER);
    expect(q.ok && a.ok).toBe(true);
    if (!q.ok || !a.ok) {
      return;
    }
    const frame = logsFrame(a.value, q.value, 'A', 'POST x');
    expect(frame.meta?.type).toBe('log-lines');
    expect(frame.fields.map((f) => [f.name, f.values])).toEqual([
      ['timestamp', [1_700_000_002_000.001, 1_700_000_002_000.001]],
      ['body', ['refused', 'accepted']],
      ['severity', ['error', 'info']],
      ['id', ['1700000002000001', '1700000002000001-1']],
      ['labels', [{ _SYSTEMD_UNIT: 'nginx.service' }, { _SYSTEMD_UNIT: 'sshd.service' }]],
    ]);
    // The logs data plane: body non-nullable (timestamp is, as every time field); the other columns never hold null.
    expect(frame.fields.filter((f) => f.type !== 'time').map((f) => [f.name, 'nullable' in f && f.nullable])).toEqual([
      ['body', false],
      ['severity', false],
      ['id', false],
      ['labels', false],
    ]);
    const volume = logsVolumeFrames(a.value, 'A');
    // Named by level, where Explore reads the level of a volume series from.
    expect(
      volume.map((f) => [f.name, f.fields[1].type === 'number' && f.fields[1].labels, f.fields[1].values])
    ).toEqual([
      ['error', { level: 'error' }, [1]],
      ['info', { level: 'info' }, [4]],
    ]);
    expect(volume[0].fields[0].values).toEqual([1_700_000_060_000]);
  });

  it('answer the volume instead of the lines when logsVolume is set, and refuse a non-boolean', () => {
    expect(parseLogsQuery({})).toMatchObject({ ok: true, value: { volume: false } });
    expect(parseLogsQuery({ logsVolume: true })).toMatchObject({ ok: true, value: { volume: true } });
    expect(parseLogsQuery({ logsVolume: 'yes' })).toEqual({
      ok: false,
      error: 'query.logsVolume must be true or false',
    });
  });

  it('bound rows per request and build the POST body with field names', () => {
    expect(parseLogsQuery({ limit: 5000 })).toMatchObject({ ok: false });
    const q = parseLogsQuery({ search: ' refused ', filters: { PRIORITY: ['3'] }, anchor: 17 });
    expect(q.ok && logsRequestBody(q.value, 1_700_000_000_500, 1_700_000_100_200)).toEqual({
      after: 1_700_000_000,
      before: 1_700_000_101,
      last: 200,
      direction: 'backward',
      histogram: 'PRIORITY',
      data_only: false,
      selections: { PRIORITY: ['3'] },
      anchor: 17,
      query: 'refused',
    });
    expect(parseLogsQuery({ filters: { 'a b': ['x'] } })).toMatchObject({ ok: false });
    expect(logLevel(undefined, 'warning')).toBe('warning');
    expect(logLevel('0', undefined)).toBe('emerg');
  });
});
