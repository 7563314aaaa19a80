import { correlationsDisplayText, DEFAULT_CORRELATIONS, parseCorrelationsQuery } from './correlations';
import { currentAlertsDisplayText, DEFAULT_CURRENT_ALERTS, parseCurrentAlertsQuery } from './currentAlerts';
import { nodeInventoryDisplayText, parseNodeInventoryQuery } from './nodeInventory';

describe('correlations model', () => {
  it('fills the defaults (ks2, baseline 4, top 50, every context)', () => {
    expect(parseCorrelationsQuery({ queryType: 'correlations' })).toEqual({ ok: true, value: DEFAULT_CORRELATIONS });
  });

  it('keeps a full model, trimming pattern items', () => {
    const r = parseCorrelationsQuery({
      nodes: [' web1 ', 'db*'],
      contexts: 'system.* | disk.*',
      labels: [
        { key: 'device', value: 'sda' },
        { key: '', value: '' },
      ],
      method: 'Anomaly-Rate',
      baseline: '8',
      limit: 10,
      spaceId: ' s1 ',
    });
    expect(r).toEqual({
      ok: true,
      value: {
        queryType: 'correlations',
        nodes: ['web1', 'db*'],
        contexts: 'system.*|disk.*',
        labels: [{ key: 'device', value: 'sda' }],
        method: 'anomaly-rate',
        baseline: 8,
        limit: 10,
        spaceId: 's1',
      },
    });
  });

  it.each([
    [{ method: 'pearson' }, 'query.method must be one of ks2, volume, anomaly-rate, value'],
    [{ baseline: 0 }, 'query.baseline must be a whole number from 1 to 64'],
    [{ baseline: 2.5 }, 'query.baseline must be a whole number from 1 to 64'],
    [{ limit: -1 }, 'query.limit must be a whole number from 1 to 10000'],
    [{ contexts: 42 }, 'query.contexts must be a string (a Netdata pattern such as system.*)'],
    [
      { contexts: 'a&b' },
      "query.contexts[0] contains '&', which cannot be sent to Netdata (it splits URL parameters on '&')",
    ],
    [{ nodes: [1] }, 'query.nodes[0] must be a string'],
    [
      { labels: [{ key: 'a*', value: 'b' }] },
      expect.stringMatching(/^query.labels\[0\] \("a\*:b"\) has '\*' in its key/),
    ],
  ])('refuses %j naming the field', (raw, error) => {
    expect(parseCorrelationsQuery(raw)).toEqual({ ok: false, error });
  });

  it('refuses what is not an object', () => {
    expect(parseCorrelationsQuery([])).toEqual({ ok: false, error: 'query must be a JSON object' });
  });

  it('has a one-line display text', () => {
    expect(correlationsDisplayText(DEFAULT_CORRELATIONS)).toBe('Correlations ks2 of * vs 4× baseline (top 50)');
    expect(
      correlationsDisplayText({
        ...DEFAULT_CORRELATIONS,
        method: 'value',
        contexts: 'system.*',
        nodes: ['a', 'b', 'c', 'd'],
        labels: [{ key: 'k', value: 'v' }],
        limit: 5,
      })
    ).toBe('Correlations value of system.* on a, b, c +1 where k=v (top 5)');
  });
});

describe('current alerts model', () => {
  it('defaults to CRITICAL and WARNING everywhere', () => {
    expect(parseCurrentAlertsQuery({})).toEqual({ ok: true, value: DEFAULT_CURRENT_ALERTS });
    expect(parseCurrentAlertsQuery({ statuses: [] })).toEqual({ ok: true, value: DEFAULT_CURRENT_ALERTS });
  });

  it('reads statuses case-insensitively, once each, and an alert name pattern', () => {
    expect(
      parseCurrentAlertsQuery({ statuses: ['clear', 'CLEAR', 'undefined'], alert: 'disk_*', contexts: 'disk.*' })
    ).toEqual({
      ok: true,
      value: { queryType: 'alerts', nodes: [], contexts: 'disk.*', alert: 'disk_*', statuses: ['CLEAR', 'UNDEFINED'] },
    });
  });

  it.each([
    [{ statuses: 'CRITICAL' }, 'query.statuses must be an array (CRITICAL, WARNING, CLEAR, UNDEFINED, UNINITIALIZED)'],
    [{ statuses: ['RAISED'] }, 'query.statuses[0] must be one of CRITICAL, WARNING, CLEAR, UNDEFINED, UNINITIALIZED'],
    [{ alert: 'a\nb' }, 'query.alert[0] must not contain control characters (tab, newline, ...)'],
    [{ roomId: 3 }, 'query.roomId must be a string'],
  ])('refuses %j naming the field', (raw, error) => {
    expect(parseCurrentAlertsQuery(raw)).toEqual({ ok: false, error });
  });

  it('has a one-line display text', () => {
    expect(currentAlertsDisplayText(DEFAULT_CURRENT_ALERTS)).toBe('Alerts CRITICAL, WARNING');
    expect(
      currentAlertsDisplayText({ ...DEFAULT_CURRENT_ALERTS, contexts: 'disk.*', alert: 'disk_*', nodes: ['web1'] })
    ).toBe('Alerts CRITICAL, WARNING of disk.* (disk_*) on web1');
  });
});

describe('node inventory model', () => {
  it('reads node patterns; empty = all', () => {
    expect(parseNodeInventoryQuery({})).toEqual({ ok: true, value: { queryType: 'nodes', nodes: [] } });
    expect(parseNodeInventoryQuery({ nodes: 'web*|db1', roomId: 'r' })).toEqual({
      ok: true,
      value: { queryType: 'nodes', nodes: ['web*', 'db1'], roomId: 'r' },
    });
    expect(parseNodeInventoryQuery({ nodes: {} })).toEqual({
      ok: false,
      error: 'query.nodes must be an array of strings',
    });
  });

  it('has a one-line display text', () => {
    expect(nodeInventoryDisplayText({ queryType: 'nodes', nodes: [] })).toBe('Nodes (all)');
    expect(nodeInventoryDisplayText({ queryType: 'nodes', nodes: ['web*', 'db1'] })).toBe('Nodes web*, db1');
  });
});
