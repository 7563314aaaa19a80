import { CoreApp, DataSourceInstanceSettings, ScopedVars } from '@grafana/data';

import { DataSource } from './datasource';
import { fakeTemplateSrv, type FakeVariable } from './testing/fakeTemplateSrv';
import { DEFAULT_QUERY } from './queryTypes/metrics/model';
import { NetdataOptions, NetdataQuery } from './types';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => {
    throw new Error('tests pass their own TemplateSrv');
  },
}));

const settings = (jsonData: NetdataOptions = {}): DataSourceInstanceSettings<NetdataOptions> =>
  ({
    uid: 'nd-uid',
    type: 'seed-netdata-datasource',
    name: 'Netdata',
    access: 'proxy',
    readOnly: false,
    jsonData,
    meta: {} as DataSourceInstanceSettings['meta'],
  }) as DataSourceInstanceSettings<NetdataOptions>;

const variables: Record<string, FakeVariable> = {
  node: { current: 'web1' },
  nodes: { current: ['web1', 'web2'] },
  anyNode: { current: '$__all', options: ['web1', 'web2', 'db1'], allValue: '*' },
  everyDim: { current: '$__all', options: ['user', 'system'] },
  dev: { current: ['sda', 'sdb'] },
  ctx: { current: ['disk.io', 'disk.ops'] },
  oddCtx: { current: ['net.eth0|1', 'net.a,b'] },
  oddDev: { current: ['eth0|1', 'a,b'] },
  space: { current: 'space-1' },
};

function newDataSource(jsonData?: NetdataOptions) {
  const templateSrv = fakeTemplateSrv(variables);
  return { ds: new DataSource(settings(jsonData), templateSrv), templateSrv };
}

const query = (q: Partial<NetdataQuery>): NetdataQuery => ({ refId: 'A', ...q });

describe('DataSource settings', () => {
  it('reads the transport and the Cloud defaults, agent when unset', () => {
    expect(newDataSource().ds.catalog.transport).toBe('agent');
    const { ds } = newDataSource({ transport: 'cloud', spaceId: 's1', roomId: 'r1' });
    expect([ds.catalog.transport, ds.catalog.defaultSpaceId, ds.catalog.defaultRoomId]).toEqual(['cloud', 's1', 'r1']);
  });
});

describe('filterQuery', () => {
  const { ds } = newDataSource();
  it.each([
    ['a context', { context: 'system.cpu' }, true],
    ['a templated context', { context: '$ctx' }, true],
    ['no context', {}, false],
    ['a blank context', { context: '  ' }, false],
    ['a hidden query', { context: 'system.cpu', hide: true }, false],
  ])('%s', (_, q, expected) => {
    expect(ds.filterQuery(query(q))).toBe(expected);
  });
});

describe('getDefaultQuery', () => {
  const { ds } = newDataSource();
  it('starts dashboards and Explore with a runnable query', () => {
    for (const app of [CoreApp.Dashboard, CoreApp.PanelEditor, CoreApp.Explore, CoreApp.Unknown]) {
      const q = ds.getDefaultQuery(app);
      expect(q).toEqual(DEFAULT_QUERY);
      expect(ds.filterQuery(query(q))).toBe(true);
    }
  });
  it('gives alert rules one series per node', () => {
    for (const app of [CoreApp.UnifiedAlerting, CoreApp.CloudAlerting]) {
      const q = ds.getDefaultQuery(app);
      expect(q.groupBy).toEqual(['node']);
      expect(ds.filterQuery(query(q))).toBe(true);
    }
  });
  it('returns a fresh copy each time, so an editor cannot change the defaults', () => {
    const q = ds.getDefaultQuery(CoreApp.Dashboard);
    q.groupBy?.push('node');
    expect(ds.getDefaultQuery(CoreApp.Dashboard).groupBy).toEqual(['dimension']);
  });
});

describe('applyTemplateVariables', () => {
  it('leaves a query without variables unchanged', () => {
    const { ds } = newDataSource();
    const q = query({
      context: 'system.cpu',
      nodes: ['web1'],
      dimensions: ['user', '!idle,*'],
      labels: [{ key: 'device', value: 'sda' }],
      groupBy: ['node'],
      aggregation: 'sum',
      timeGroup: 'countif',
      timeGroupOptions: '>0',
    });
    expect(ds.applyTemplateVariables(q, {})).toEqual(q);
  });

  it('replaces single values in every string field', () => {
    const { ds } = newDataSource();
    const q = ds.applyTemplateVariables(
      query({
        context: 'system.$node',
        spaceId: '$space',
        roomId: '${space}-room',
        legendFormat: '{{dimension}} on $node',
        timeGroupOptions: '>$node',
        nodes: ['$node'],
        instances: ['disk.$node'],
        dimensions: ['$node'],
        groupByLabels: ['$node'],
        labels: [{ key: '$node', value: '$node' }],
      }),
      {}
    );
    expect(q).toMatchObject({
      context: 'system.web1',
      spaceId: 'space-1',
      roomId: 'space-1-room',
      legendFormat: '{{dimension}} on web1',
      timeGroupOptions: '>web1',
      nodes: ['web1'],
      instances: ['disk.web1'],
      dimensions: ['web1'],
      groupByLabels: ['web1'],
      labels: [{ key: 'web1', value: 'web1' }],
    });
  });

  it('expands multi-value variables into separate list items', () => {
    const { ds } = newDataSource();
    const q = ds.applyTemplateVariables(
      query({
        context: 'disk.io',
        nodes: ['$nodes', 'db1', 'web1'],
        instances: ['disk.$dev'],
        dimensions: ['${everyDim}'],
        groupByLabels: ['$dev'],
        labels: [
          { key: 'device', value: '$dev' },
          { key: 'mount_point', value: '/' },
        ],
      }),
      {}
    );
    // web1 comes once: duplicates are dropped.
    expect(q.nodes).toEqual(['web1', 'web2', 'db1']);
    expect(q.instances).toEqual(['disk.sda', 'disk.sdb']);
    // "All" without a custom all value: every option.
    expect(q.dimensions).toEqual(['user', 'system']);
    expect(q.groupByLabels).toEqual(['sda', 'sdb']);
    expect(q.labels).toEqual([
      { key: 'device', value: 'sda' },
      { key: 'device', value: 'sdb' },
      { key: 'mount_point', value: '/' },
    ]);
  });

  it('keeps a custom all value such as * as one item', () => {
    const { ds } = newDataSource();
    expect(ds.applyTemplateVariables(query({ context: 'system.cpu', nodes: ['$anyNode'] }), {}).nodes).toEqual(['*']);
  });

  it('joins a multi-value context into one Netdata pattern', () => {
    const { ds } = newDataSource();
    expect(ds.applyTemplateVariables(query({ context: '$ctx' }), {}).context).toBe('disk.io|disk.ops');
  });

  it('keeps a value with , or | one name: escaped in the context pattern, one item in the lists', () => {
    const { ds } = newDataSource();
    const q = ds.applyTemplateVariables(
      query({ context: '$oddCtx', instances: ['$oddCtx'], labels: [{ key: 'device', value: '$oddDev' }] }),
      {}
    );
    expect(q.context).toBe('net.eth0\\|1|net.a\\,b');
    expect(q.instances).toEqual(['net.eth0|1', 'net.a,b']);
    expect(q.labels).toEqual([
      { key: 'device', value: 'eth0|1' },
      { key: 'device', value: 'a,b' },
    ]);
  });

  it('prefers scoped variables (repeated panels) over dashboard values', () => {
    const { ds } = newDataSource();
    const scoped: ScopedVars = { node: { text: 'db1', value: 'db1' } };
    const q = ds.applyTemplateVariables(
      query({ context: 'system.cpu', nodes: ['$node'], legendFormat: '$node' }),
      scoped
    );
    expect(q.nodes).toEqual(['db1']);
    expect(q.legendFormat).toBe('db1');
  });

  it('leaves unknown variables for the backend to report', () => {
    const { ds } = newDataSource();
    expect(ds.applyTemplateVariables(query({ context: '$nope', nodes: ['$nope'] }), {})).toMatchObject({
      context: '$nope',
      nodes: ['$nope'],
    });
  });

  it('does not add fields the query did not have', () => {
    const { ds } = newDataSource();
    expect(ds.applyTemplateVariables(query({ context: 'system.cpu' }), {})).toEqual(query({ context: 'system.cpu' }));
  });
});

describe('saved queries of earlier shapes', () => {
  /** As Netdata's own Grafana plugin saved it. */
  const legacy = {
    refId: 'A',
    contextId: 'disk.$dev',
    nodes: ['$node'],
    method: 'sum',
    group: 'avg',
    groupBy: ['node', 'device'],
    filterBy: 'device',
    filterValue: '$dev',
    legend: '{{name}} on $node',
  } as unknown as NetdataQuery;

  it('applyTemplateVariables migrates, then resolves variables in the migrated fields', () => {
    const { ds } = newDataSource();
    expect(ds.applyTemplateVariables(legacy, {})).toEqual({
      refId: 'A',
      context: 'disk.sda|disk.sdb',
      nodes: ['web1'],
      aggregation: 'sum',
      timeGroup: 'average',
      groupBy: ['node', 'label'],
      groupByLabels: ['device'],
      labels: [
        { key: 'device', value: 'sda' },
        { key: 'device', value: 'sdb' },
      ],
      legendFormat: '{{name}} on web1',
    });
  });

  it('runs: filterQuery reads the legacy context id', () => {
    const { ds } = newDataSource();
    expect(ds.filterQuery(legacy)).toBe(true);
  });
});

describe('interpolateVariablesInQueries', () => {
  it('keeps every saved choice of a panel query for Explore, with variables resolved', () => {
    const { ds } = newDataSource();
    const saved = query({
      context: 'disk.io',
      nodes: ['$nodes'],
      instances: ['disk.sda'],
      dimensions: ['!idle,*'],
      labels: [{ key: 'device', value: 'sda' }],
      groupBy: ['node', 'label'],
      groupByLabels: ['device'],
      aggregation: 'max',
      timeGroup: 'countif',
      timeGroupOptions: '>0',
      tier: 0,
      legendFormat: '{{node}}',
      hide: false,
    });
    const [explored] = ds.interpolateVariablesInQueries([saved], {});
    expect(explored).toEqual({
      ...saved,
      nodes: ['web1', 'web2'],
      datasource: { type: 'seed-netdata-datasource', uid: 'nd-uid' },
    });
  });
});

describe('getQueryDisplayText', () => {
  const { ds } = newDataSource();
  it('names the context and only non-default choices', () => {
    expect(ds.getQueryDisplayText(query({ context: 'system.cpu' }))).toBe('system.cpu · avg by dimension');
  });
  it('describes a full query on one line', () => {
    const text = ds.getQueryDisplayText(
      query({
        context: 'disk.io',
        nodes: ['web1', 'web2'],
        dimensions: ['reads'],
        labels: [{ key: 'device', value: 'sda' }],
        groupBy: ['node', 'label'],
        groupByLabels: ['device'],
        aggregation: 'sum',
        timeGroup: 'percentile',
        timeGroupOptions: '99',
        legendFormat: '{{node}}',
      })
    );
    expect(text).toBe(
      'disk.io · nodes: web1, web2 · dimensions: reads · labels: device:sda · sum by node, label (device) · ' +
        'time: percentile 99 · legend: {{node}}'
    );
    expect(text).not.toContain('\n');
  });
  it('names the anomaly rate, tier and series options', () => {
    expect(
      ds.getQueryDisplayText(
        query({ context: 'system.cpu', tier: 0, anomalyRate: true, nonZero: true, percentage: true, limit: 5 })
      )
    ).toBe('system.cpu · avg by dimension · tier 0 · % of row total, non-zero only, top 5, anomaly rate');
  });
  it("describes a query saved by Netdata's own plugin in the current words", () => {
    const legacy = { refId: 'A', contextId: 'disk.io', method: 'sum', groupBy: ['node'] } as unknown as NetdataQuery;
    expect(ds.getQueryDisplayText(legacy)).toBe('disk.io · sum by node');
  });
  it('says when the context is missing', () => {
    expect(ds.getQueryDisplayText(query({}))).toContain('(no context)');
  });
});

describe('resource helpers', () => {
  function withResources(body: unknown, jsonData?: NetdataOptions) {
    const { ds, templateSrv } = newDataSource(jsonData);
    const getResource = jest.spyOn(ds, 'getResource').mockResolvedValue(body);
    return { ds, getResource, templateSrv };
  }

  it('getNodes calls the nodes route and keeps valid entries', async () => {
    const { ds, getResource } = withResources({
      nodes: [{ id: 'mg-1', machineGuid: 'mg-1', hostname: 'web1', state: 'reachable' }, { hostname: 'no id' }, 'junk'],
    });
    await expect(ds.catalog.nodes()).resolves.toEqual([
      { id: 'mg-1', machineGuid: 'mg-1', hostname: 'web1', state: 'reachable' },
    ]);
    expect(getResource).toHaveBeenCalledWith('nodes', {}, expect.objectContaining({ showErrorAlert: false }));
  });

  it('getContexts passes the nodes as a list and the Cloud target, interpolated', async () => {
    const { ds, getResource } = withResources({ contexts: [{ id: 'system.cpu', title: 'CPU', units: '%' }] });
    await expect(ds.catalog.contexts(['$nodes'], { spaceId: '$space', roomId: 'r1' })).resolves.toEqual([
      { id: 'system.cpu', title: 'CPU', units: '%' },
    ]);
    expect(getResource).toHaveBeenCalledWith(
      'contexts',
      { nodes: ['web1', 'web2'], spaceId: 'space-1', roomId: 'r1' },
      expect.anything()
    );
  });

  it('getContexts without nodes sends no nodes parameter', async () => {
    const { ds, getResource } = withResources({ contexts: [] });
    await ds.catalog.contexts();
    expect(getResource).toHaveBeenCalledWith('contexts', {}, expect.anything());
  });

  it('getContextDetails calls the context route and normalises the details', async () => {
    const { ds, getResource } = withResources({
      context: { id: 'disk.io', units: 'KiB/s', dimensions: ['reads', 'writes'], labels: { device: ['sda', 7] } },
    });
    await expect(ds.catalog.context('disk.io', ['web1'])).resolves.toEqual({
      id: 'disk.io',
      units: 'KiB/s',
      dimensions: ['reads', 'writes'],
      instances: [],
      labels: { device: ['sda'] },
    });
    expect(getResource).toHaveBeenCalledWith('context', { context: 'disk.io', nodes: ['web1'] }, expect.anything());
  });

  it('getContextDetails answers undefined for a body without a context', async () => {
    const { ds } = withResources({ error: 'x' });
    await expect(ds.catalog.context('disk.io')).resolves.toBeUndefined();
  });

  it('getSpaces and getRooms call their routes', async () => {
    const { ds, getResource } = withResources({ spaces: [{ id: 's1', name: 'Space 1' }, { id: 's2' }] });
    await expect(ds.catalog.spaces()).resolves.toEqual([
      { id: 's1', name: 'Space 1' },
      { id: 's2', name: 's2' },
    ]);
    expect(getResource).toHaveBeenLastCalledWith('spaces', {}, expect.anything());

    getResource.mockResolvedValue({ rooms: [{ id: 'r1', name: 'All nodes' }] });
    await expect(ds.catalog.rooms('$space')).resolves.toEqual([{ id: 'r1', name: 'All nodes' }]);
    expect(getResource).toHaveBeenLastCalledWith('rooms', { spaceId: 'space-1' }, expect.anything());
  });

  it('shares a look-up between editors for a minute, but never keeps a failure', async () => {
    const { ds, getResource } = withResources({ contexts: [{ id: 'system.cpu' }] });
    const now = jest.spyOn(Date, 'now').mockReturnValue(1_000_000);
    await ds.catalog.contexts(['web1']);
    await ds.catalog.contexts(['web1']);
    expect(getResource).toHaveBeenCalledTimes(1);
    await ds.catalog.contexts(['web2']);
    expect(getResource).toHaveBeenCalledTimes(2);

    now.mockReturnValue(1_000_000 + 61_000);
    await ds.catalog.contexts(['web1']);
    expect(getResource).toHaveBeenCalledTimes(3);

    getResource.mockRejectedValueOnce(new Error('down'));
    await expect(ds.catalog.nodes()).rejects.toThrow('down');
    await expect(ds.catalog.nodes()).resolves.toEqual([]);
    expect(getResource).toHaveBeenCalledTimes(5);
    now.mockRestore();
  });

  it('asks the backend once for simultaneous identical look-ups (two editors opening together)', async () => {
    const { ds, getResource } = withResources({});
    let answer: (body: unknown) => void = () => {};
    getResource.mockReturnValue(new Promise((resolve) => (answer = resolve)));
    const first = ds.catalog.contexts(['web1']);
    const second = ds.catalog.contexts(['web1']);
    expect(getResource).toHaveBeenCalledTimes(1);
    answer({ contexts: [{ id: 'system.cpu' }] });
    await expect(Promise.all([first, second])).resolves.toEqual([[{ id: 'system.cpu' }], [{ id: 'system.cpu' }]]);
    expect(getResource).toHaveBeenCalledTimes(1);
  });

  it('keeps look-ups per data source', async () => {
    const a = withResources({ nodes: [{ id: 'a' }] });
    const b = withResources({ nodes: [{ id: 'b' }] });
    expect((await a.ds.catalog.nodes()).map((n) => n.id)).toEqual(['a']);
    expect((await b.ds.catalog.nodes()).map((n) => n.id)).toEqual(['b']);
  });

  it('passes the backend error through', async () => {
    const { ds, getResource } = withResources({});
    getResource.mockRejectedValue({ status: 400, data: { error: 'Spaces exist only on Netdata Cloud' } });
    await expect(ds.catalog.spaces()).rejects.toMatchObject({ data: { error: 'Spaces exist only on Netdata Cloud' } });
  });
});
