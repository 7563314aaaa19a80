import { loadFixture } from '../../tests/fixtures';
import {
  buildAgentAlertsRequest,
  buildCloudAlertsRequest,
  currentAlertsFrame,
  filterAlertRows,
  parseAlertInstances,
  STATUS_MAPPINGS,
} from './alertInstances';
import { DEFAULT_CURRENT_ALERTS } from './currentAlerts';
import {
  agentDashboardUrl,
  cloudRoomUrl,
  exploreLinkRange,
  exploreSeriesLink,
  rowNetdataLink,
  seriesNetdataLink,
} from './netdataLinks';
import { buildAgentNodesRequest, filterNodeRows, nodesFrame, parseNodeRows } from './nodesTable';
import { compilePattern } from './patternMatch';
import { buildAgentSearchRequest, filterContextList, mergeSearchHits, parseSearchAnswer, searchWords } from './search';

const ALERTS = {
  api: 2,
  nodes: [
    { mg: 'mg-1', nm: 'web1', ni: 0 },
    { mg: 'mg-2', nm: 'db1', ni: 1 },
  ],
  alert_instances: [
    {
      ni: 1,
      nm: 'disk_space_usage',
      ctx: 'disk.space',
      ch: 'disk_space._',
      ch_n: 'disk_space._',
      st: 'WARNING',
      units: '%',
      sum: 'Disk / space usage',
      tr_t: 1759990000,
      v: 83.7,
      t: 1760000060,
    },
    {
      ni: 0,
      nm: 'ram_in_use',
      ctx: 'system.ram',
      ch: 'system.ram',
      ch_n: 'system.ram',
      st: 'CRITICAL',
      units: '%',
      sum: 'RAM',
      tr_t: 1759980000,
      v: null,
    },
    { ni: 0, nm: 'load_average_1', ctx: 'system.load', ch: 'system.load', ch_n: 'system.load', st: 'CLEAR', tr_t: 1 },
    { ni: 0, nm: 'gone', ctx: 'x', ch: 'x', ch_n: 'x', st: 'REMOVED' },
  ],
};

describe('current alerts', () => {
  it('asks for instances and values (nothing comes back without options) with status words', () => {
    expect(
      buildAgentAlertsRequest({ ...DEFAULT_CURRENT_ALERTS, alert: 'disk_*', contexts: 'disk.*', nodes: ['db1'] }, 3)
        .path
    ).toBe(
      '/api/v3/alerts?options=instances%2Cvalues&status=critical%2Cwarning&alert=disk_*&timeout=30000&scope_contexts=disk.*&scope_nodes=db1'
    );
    expect(buildCloudAlertsRequest(DEFAULT_CURRENT_ALERTS, { spaceId: 's', roomId: 'r' }).body).toEqual({
      options: ['instances', 'values'],
      status: ['critical', 'warning'],
      timeout: 30000,
    });
  });

  it('reads the 2.9 answer without options as no alerts', () => {
    expect(parseAlertInstances(loadFixture('v2_alerts.json'))).toEqual({ ok: true, value: [] });
  });

  it('resolves nodes by ni, filters statuses, sorts most severe first and colours the status', () => {
    const rows = parseAlertInstances(ALERTS);
    expect(rows.ok).toBe(true);
    const shown = filterAlertRows(rows.ok ? rows.value : [], DEFAULT_CURRENT_ALERTS, false);
    const frame = currentAlertsFrame(shown, { refId: 'A', executedQueryString: 'q' });
    const col = (name: string) => frame.fields.find((f) => f.name === name)!;
    expect(frame.fields.map((f) => f.name)).toEqual([
      'node',
      'alert',
      'context',
      'instance',
      'status',
      'value',
      'units',
      'since',
      'summary',
    ]);
    expect(col('node').values).toEqual(['web1', 'db1']);
    expect(col('status').values).toEqual(['CRITICAL', 'WARNING']);
    expect(col('value').values).toEqual([null, 83.7]);
    expect(col('since').values).toEqual([1759980000000, 1759990000000]);
    expect(col('status').config).toEqual({
      mappings: STATUS_MAPPINGS,
      custom: { cellOptions: { type: 'color-background', mode: 'basic' } },
    });
    expect(STATUS_MAPPINGS[0].options.CRITICAL.color).toBe('red');
    expect(STATUS_MAPPINGS[0].options.CLEAR.color).toBe('green');
  });

  it('applies the patterns itself for Cloud', () => {
    const rows = parseAlertInstances(ALERTS);
    const q = {
      ...DEFAULT_CURRENT_ALERTS,
      statuses: ['CRITICAL', 'WARNING', 'CLEAR'] as const,
      nodes: ['web*'],
      alert: '!load_*|*',
    };
    const shown = filterAlertRows(rows.ok ? rows.value : [], { ...q, statuses: [...q.statuses] }, true);
    expect(shown.map((r) => r.alert)).toEqual(['ram_in_use']);
  });
});

describe('node inventory (2.9 capture)', () => {
  it('reads where anomaly detection runs from the ml capability, and leaves it unknown where a node does not say', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_nodes.json')));
    const [capture] = body.nodes;
    body.nodes.push(
      { ...capture, mg: 'mg-on', nm: 'ml-on', capabilities: [{ name: 'ml', version: 1, enabled: true }] },
      { ...capture, mg: 'mg-unknown', nm: 'old', capabilities: undefined }
    );
    const rows = parseNodeRows(body);
    expect(rows.ok && rows.value.map((r) => [r.node, r.anomalyDetection])).toEqual([
      ['ml-on', true],
      ['nd290-local', false],
      ['old', undefined],
    ]);
  });

  it('makes one row per node with labels as fields', () => {
    const rows = parseNodeRows(loadFixture('v2_nodes.json'));
    expect(rows.ok).toBe(true);
    const frame = nodesFrame(rows.ok ? rows.value : [], { refId: 'A', executedQueryString: '/api/v3/nodes' });
    const col = (name: string) => frame.fields.find((f) => f.name === name)?.values;
    expect(frame.fields.slice(0, 8).map((f) => f.name)).toEqual([
      'node',
      'machine_guid',
      'node_id',
      'version',
      'os',
      'reachable',
      'critical',
      'warning',
    ]);
    expect(col('node')).toEqual(['nd290-local']);
    expect(col('machine_guid')).toEqual(['7622017c-d2f5-4112-8149-5e13e2ef7ff1']);
    expect(col('node_id')).toEqual(['']);
    expect(col('version')).toEqual(['v2.9.0']);
    expect(col('os')).toEqual(['Linux 6.18.44-fc-v782']); // os.nm is "unknown": the kernel says more
    expect(col('reachable')).toEqual([1]);
    expect([col('critical'), col('warning')]).toEqual([[0], [1]]);
    expect(col('_architecture')).toEqual(['x86_64']);
    expect(col('_is_parent')).toEqual(['false']);
  });

  it('filters by hostname, GUID or node id on our side (Cloud) and scopes agent requests', () => {
    const rows = parseNodeRows({
      nodes: [
        { mg: 'a', nm: 'web1' },
        { mg: 'b', nd: 'n-2', nm: 'db1', state: 'stale' },
      ],
    });
    const all = rows.ok ? rows.value : [];
    expect(filterNodeRows(all, { queryType: 'nodes', nodes: ['WEB*'] }).map((r) => r.node)).toEqual(['web1']);
    expect(filterNodeRows(all, { queryType: 'nodes', nodes: ['n-2'] }).map((r) => r.reachable)).toEqual([false]);
    expect(buildAgentNodesRequest({ queryType: 'nodes', nodes: ['web*', 'db1'] }, 2).path).toBe(
      '/api/v2/nodes?timeout=30000&scope_nodes=web*%7Cdb1'
    );
  });
});

describe('search (2.9 capture)', () => {
  it('says what matched, skipping truncation markers', () => {
    const hits = parseSearchAnswer(loadFixture('v2_q_cpu.json'));
    const cpu = hits.find((h) => h.id === 'system.cpu');
    expect(cpu).toEqual({
      id: 'system.cpu',
      title: 'Total CPU utilization',
      family: 'cpu',
      matched: ['context id', 'title', 'family', 'instance system.cpu'],
    });
    expect(hits.find((h) => h.id === 'mem.kernel')?.matched).toEqual(['dimension Percpu']);
    const trimmed = parseSearchAnswer({
      contexts: {
        'disk.io': {
          matched: ['instances', 'labels'],
          instances: ['disk.sda', '... 3 instances more'],
          labels: { device: ['sda'] },
        },
        __truncated__: { total_contexts: 9 },
      },
    });
    expect(trimmed).toEqual([{ id: 'disk.io', matched: ['instance disk.sda', 'label device=sda'] }]);
  });

  it('reads the ≤ v2.5 match word and merges with the list filter', () => {
    const old = parseSearchAnswer({ contexts: { 'nginx.requests': { family: 'nginx', match: 'INSTANCE' } } });
    const listed = filterContextList(
      [
        { id: 'web.nginx_status', title: 'Nginx status' },
        { id: 'nginx.requests', title: 'Requests' },
        { id: 'system.cpu' },
      ],
      ['NGINX']
    );
    expect(mergeSearchHits(old, listed)).toEqual([
      { id: 'nginx.requests', family: 'nginx', title: 'Requests', matched: ['instance', 'context id'] },
      { id: 'web.nginx_status', title: 'Nginx status', matched: ['context id', 'title'] },
    ]);
  });

  it('sends words as *word* items, pattern characters taken literally', () => {
    expect(searchWords(' nginx  *err!|x ')).toEqual(['nginx', 'err', 'x']);
    expect(buildAgentSearchRequest(['cpu', 'a b'], 3).path).toBe('/api/v3/q?q=*cpu*%7C*a%20b*');
  });
});

describe('links', () => {
  it('opens the agent dashboard of the chart on its node, from the data source URL only', () => {
    expect(agentDashboardUrl('http://agent:19999/', { node: 'web 1', chart: 'disk.sda', fromMs: '1', toMs: '2' })).toBe(
      'http://agent:19999/host/web%201/#after=1;before=2;chart=disk.sda'
    );
    const series = seriesNetdataLink(
      { kind: 'agent', baseUrl: 'http://agent:19999/' },
      { node: 'p$1', context: 'system.cpu' }
    );
    expect(series.url).toBe('http://agent:19999/host/p%241/#after=${__from};before=${__to};chart=system.cpu');
    expect(rowNetdataLink({ kind: 'agent', baseUrl: 'http://a/' }, { node: 'node', chart: 'instance' }).url).toBe(
      'http://a/host/${__data.fields.node}/#chart=${__data.fields.instance}'
    );
    expect(cloudRoomUrl('https://app.netdata.cloud/', 's 1', 'r')).toBe(
      'https://app.netdata.cloud/spaces/s%201/rooms/r/overview'
    );
    expect(seriesNetdataLink({ kind: 'cloud', baseUrl: 'https://app.netdata.cloud/' }, {}).url).toBe(
      'https://app.netdata.cloud/'
    );
  });

  it('explores a correlations row as a metrics query, carrying the range under the SDK’s key', () => {
    const link = exploreSeriesLink({ uid: 'ds1', name: 'Netdata' }, { fromMs: 1000, toMs: 61000 });
    expect(link.internal).toMatchObject({
      datasourceUid: 'ds1',
      query: { queryType: 'metrics', context: '${__data.fields.context}', dimensions: ['${__data.fields.dimension}'] },
      timeRange: { from: '1970-01-01T00:00:01.000Z', to: '1970-01-01T00:01:01.000Z' },
    });
    expect(exploreLinkRange(link)).toEqual({ fromMs: 1000, toMs: 61000 });
    expect(exploreLinkRange({ internal: {} })).toBeUndefined();
  });
});

describe('compilePattern', () => {
  it('follows Netdata: first matching item decides, ! excludes, * is any text', () => {
    const p = compilePattern(['!*.tmp', 'disk.*']);
    expect([p.matches('disk.sda'), p.matches('disk.x.tmp'), p.matches('system.cpu')]).toEqual([true, false, false]);
    expect(compilePattern([]).matches('anything')).toBe(true);
    expect(compilePattern(['A*'], false).matches('abc')).toBe(true);
  });
});
