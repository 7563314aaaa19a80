import { DataQueryRequest, DataSourceInstanceSettings, MetricFindValue, ScopedVars } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import type { NetdataCatalog } from '../catalog';
import { DataSource } from '../datasource';
import type { ContextSummary, NodeSummary } from '../netdata/catalog';
import type { ContextDetails } from '../netdata/contextDetails';
import type { CloudTarget } from '../resources';
import type { NetdataOptions, NetdataVariableQuery } from '../types';
import {
  cleanVariableQuery,
  MAX_VARIABLE_CONTEXTS,
  parseVariableQueryText,
  simplePatternMatches,
  textFilter,
  toVariableQuery,
  variableQueryText,
} from './variableQuery';
import { NetdataVariableSupport } from './variableSupport';
import { fakeTemplateSrv, type FakeVariable } from '../testing/fakeTemplateSrv';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => {
    throw new Error('tests pass their own TemplateSrv');
  },
}));

const NODES: NodeSummary[] = [
  { id: 'nd-1', machineGuid: 'mg-1', nodeId: 'nd-1', hostname: 'web1' },
  { id: 'mg-2', machineGuid: 'mg-2', hostname: 'web2' },
  { id: 'nd-3', machineGuid: 'mg-3', nodeId: 'nd-3', hostname: 'db1' },
];

const CONTEXTS: ContextSummary[] = [
  { id: 'disk.io' },
  { id: 'disk.ops' },
  { id: 'disk_space.used' },
  { id: 'system.cpu' },
];

const DETAILS: Record<string, ContextDetails> = {
  'system.cpu': {
    id: 'system.cpu',
    dimensions: ['user', 'system', 'idle'],
    instances: ['system.cpu'],
    labels: { _collect_plugin: ['proc'] },
  },
  'disk.io': {
    id: 'disk.io',
    dimensions: ['reads', 'writes'],
    instances: ['disk.sdb', 'disk.sda'],
    labels: { device: ['sdb', 'sda', 'nvme10', 'nvme2'], _collect_plugin: ['proc'], device_type: ['physical'] },
  },
  'disk.ops': {
    id: 'disk.ops',
    dimensions: ['reads', 'writes', 'merged'],
    instances: ['disk_ops.sda'],
    labels: { device: ['sda', 'loop0'] },
  },
};

/** A catalog whose look-ups answer from the tables above and record what they were asked. */
function stubCatalog(transport: 'agent' | 'cloud' = 'agent') {
  const calls: Array<{ what: string; args: unknown[] }> = [];
  const ds = {
    transport,
    nodes: jest.fn(async (target?: CloudTarget) => {
      calls.push({ what: 'nodes', args: [target] });
      return NODES;
    }),
    contexts: jest.fn(async (nodes?: string[], target?: CloudTarget) => {
      calls.push({ what: 'contexts', args: [nodes, target] });
      return CONTEXTS;
    }),
    context: jest.fn(async (context: string, nodes?: string[], target?: CloudTarget) => {
      calls.push({ what: 'context', args: [context, nodes, target] });
      const details = DETAILS[context];
      if (!details) {
        throw { status: 404, data: { error: `Netdata has no context "${context}"` } };
      }
      return details;
    }),
  };
  return { ds: ds as unknown as NetdataCatalog, stub: ds, calls };
}

function run(
  variables: NetdataVariableSupport,
  query: Partial<NetdataVariableQuery> | string,
  scopedVars: ScopedVars = {}
): Promise<MetricFindValue[]> {
  const request = { targets: [query], scopedVars } as unknown as DataQueryRequest<NetdataVariableQuery>;
  return lastValueFrom(variables.query(request)).then((r) => r.data as MetricFindValue[]);
}

function setup(variables: Record<string, FakeVariable> = {}, transport: 'agent' | 'cloud' = 'agent') {
  const { ds, stub, calls } = stubCatalog(transport);
  return { support: new NetdataVariableSupport(ds, fakeTemplateSrv(variables)), stub, calls };
}

const values = (found: MetricFindValue[]) => found.map((f) => f.value);

describe('NetdataVariableSupport.query', () => {
  it('lists nodes as hostname text with the machine GUID as value on an agent', async () => {
    const { support } = setup();
    expect(await run(support, { kind: 'nodes' })).toEqual([
      { text: 'web1', value: 'mg-1' },
      { text: 'web2', value: 'mg-2' },
      { text: 'db1', value: 'mg-3' },
    ]);
  });

  it('lists nodes with their Cloud node id as value on Netdata Cloud', async () => {
    const { support } = setup({}, 'cloud');
    expect(await run(support, { kind: 'nodes' })).toEqual([
      { text: 'web1', value: 'nd-1' },
      { text: 'web2', value: 'mg-2' },
      { text: 'db1', value: 'nd-3' },
    ]);
  });

  it('filters nodes on the hostname with a pattern, an exclusion or a regex', async () => {
    const { support } = setup();
    expect(values(await run(support, { kind: 'nodes', filter: 'web*' }))).toEqual(['mg-1', 'mg-2']);
    expect(values(await run(support, { kind: 'nodes', filter: '!web2,*' }))).toEqual(['mg-1', 'mg-3']);
    expect(values(await run(support, { kind: 'nodes', filter: '/^(db|web)1$/' }))).toEqual(['mg-1', 'mg-3']);
  });

  it('lists contexts of the nodes of a chained multi-value variable, filtered by a pattern', async () => {
    const { support, stub } = setup({ node: { current: ['mg-1', 'mg-3'] } });
    const found = await run(support, { kind: 'contexts', nodes: ['$node'], filter: 'disk.*' });
    expect(found).toEqual([
      { text: 'disk.io', value: 'disk.io' },
      { text: 'disk.ops', value: 'disk.ops' },
    ]);
    expect(stub.contexts).toHaveBeenCalledWith(['mg-1', 'mg-3'], {});
  });

  it('takes variable values from the request scope before the dashboard', async () => {
    const { support, stub } = setup({ node: { current: 'mg-1' } });
    await run(support, { kind: 'contexts', nodes: ['$node'] }, { node: { text: 'db1', value: 'mg-3' } });
    expect(stub.contexts).toHaveBeenCalledWith(['mg-3'], {});
  });

  it('lists the dimensions of a chained context variable, in Netdata order', async () => {
    const { support, stub } = setup({ ctx: { current: 'system.cpu' }, node: { current: 'mg-2' } });
    expect(await run(support, { kind: 'dimensions', context: '$ctx', nodes: ['$node'] })).toEqual([
      { text: 'user', value: 'user' },
      { text: 'system', value: 'system' },
      { text: 'idle', value: 'idle' },
    ]);
    expect(stub.context).toHaveBeenCalledWith('system.cpu', ['mg-2'], {});
  });

  it('unites the values of every context of a multi-value context variable, once each', async () => {
    const { support, stub } = setup({ ctx: { current: ['disk.io', 'disk.ops'] } });
    expect(values(await run(support, { kind: 'dimensions', context: '$ctx' }))).toEqual(['reads', 'writes', 'merged']);
    expect(stub.context.mock.calls.map((c) => c[0])).toEqual(['disk.io', 'disk.ops']);
  });

  it('resolves a context pattern (and a custom all value) against the contexts of the chosen nodes', async () => {
    const { support, stub } = setup({ ctx: { current: '$__all', allValue: 'disk.*' } });
    expect(values(await run(support, { kind: 'instances', context: '$ctx' }))).toEqual([
      'disk.sdb',
      'disk.sda',
      'disk_ops.sda',
    ]);
    expect(stub.context.mock.calls.map((c) => c[0])).toEqual(['disk.io', 'disk.ops']);
    stub.context.mockClear();
    expect(values(await run(support, { kind: 'instances', context: '!disk.ops,disk.*' }))).toEqual([
      'disk.sdb',
      'disk.sda',
    ]);
    expect(stub.context.mock.calls.map((c) => c[0])).toEqual(['disk.io']);
  });

  it('gives no values for a context the chosen nodes lack, but reports other failures', async () => {
    const { support, stub } = setup({ ctx: { current: ['disk.io', 'mysql.queries'] } });
    expect(values(await run(support, { kind: 'dimensions', context: '$ctx' }))).toEqual(['reads', 'writes']);
    expect(await run(support, { kind: 'dimensions', context: 'mysql.queries' })).toEqual([]);
    stub.context.mockRejectedValueOnce({ status: 502, data: { error: 'Netdata did not answer' } });
    await expect(run(support, { kind: 'dimensions', context: 'disk.io' })).rejects.toThrow('Netdata did not answer');
  });

  it('refuses a context list too long to read one by one', async () => {
    const many = Array.from({ length: MAX_VARIABLE_CONTEXTS + 1 }, (_, i) => `c${i}`);
    const { support, stub } = setup({ ctx: { current: '$__all', options: many } });
    await expect(run(support, { kind: 'dimensions', context: '$ctx' })).rejects.toThrow(
      `names ${MAX_VARIABLE_CONTEXTS + 1} contexts`
    );
    expect(stub.context).not.toHaveBeenCalled();
  });

  it('asks for a context when a context kind has none', async () => {
    const { support } = setup({ ctx: { current: [] } });
    await expect(run(support, { kind: 'instances' })).rejects.toThrow('Choose a context');
    await expect(run(support, { kind: 'instances', context: '$ctx' })).rejects.toThrow('Choose a context');
  });

  it('lists label keys with Netdata’s own keys last', async () => {
    const { support } = setup();
    expect(values(await run(support, { kind: 'labelKeys', context: 'disk.io' }))).toEqual([
      'device',
      'device_type',
      '_collect_plugin',
    ]);
  });

  it('lists the values of a label key, numbers in natural order, for chained and multi-value keys', async () => {
    const { support } = setup({ key: { current: 'device' }, keys: { current: ['device', 'device_type'] } });
    expect(await run(support, { kind: 'labelValues', context: 'disk.io', labelKey: '$key' })).toEqual(
      ['nvme2', 'nvme10', 'sda', 'sdb'].map((v) => ({ text: v, value: v }))
    );
    expect(values(await run(support, { kind: 'labelValues', context: 'disk.io', labelKey: '$keys' }))).toEqual([
      'nvme2',
      'nvme10',
      'physical',
      'sda',
      'sdb',
    ]);
    await expect(run(support, { kind: 'labelValues', context: 'disk.io' })).rejects.toThrow('label key');
  });

  it('filters with a regex in which a multi-value variable becomes an escaped alternation', async () => {
    const { support } = setup({ dev: { current: ['sda', 'nvme1.0'] }, one: { current: 'sd.' } });
    const query = { kind: 'labelValues' as const, context: 'disk.io', labelKey: 'device' };
    expect(values(await run(support, { ...query, filter: '/^$dev$|^nvme2$/' }))).toEqual(['nvme2', 'sda']);
    // A single value is escaped too: `sd.` matches the text "sd." only.
    expect(values(await run(support, { ...query, filter: '/^$one$/' }))).toEqual([]);
    expect(values(await run(support, { ...query, filter: '$dev' }))).toEqual(['sda']);
    await expect(run(support, { ...query, filter: '/(/' })).rejects.toThrow('not a valid regular expression');
  });

  it('runs look-ups in the space and room of a Cloud override, with variables resolved', async () => {
    const { support, stub } = setup({ room: { current: 'room-2' } }, 'cloud');
    await run(support, { kind: 'contexts', spaceId: 'space-1', roomId: '$room' });
    expect(stub.contexts).toHaveBeenCalledWith([], { spaceId: 'space-1', roomId: 'room-2' });
    await run(support, { kind: 'nodes' });
    expect(stub.nodes).toHaveBeenLastCalledWith({ spaceId: undefined, roomId: undefined });
  });

  it('ignores a space and room on an agent', async () => {
    const { support, stub } = setup();
    await run(support, { kind: 'nodes', spaceId: 's', roomId: 'r' });
    expect(stub.nodes).toHaveBeenCalledWith({});
  });

  it('runs queries saved in the text form, or as an object holding only the text', async () => {
    const { support, stub } = setup({ node: { current: ['mg-1', 'mg-2'] } });
    expect(values(await run(support, 'label_values(disk.io, device, filter=sd*)'))).toEqual(['sda', 'sdb']);
    expect(values(await run(support, { refId: 'x', query: 'contexts(system.*, nodes=$node)' } as never))).toEqual([
      'system.cpu',
    ]);
    expect(stub.contexts).toHaveBeenLastCalledWith(['mg-1', 'mg-2'], {});
    expect(values(await run(support, ''))).toEqual(['mg-1', 'mg-2', 'mg-3']);
  });

  it('fails with a readable message for a query it cannot read', async () => {
    const { support } = setup();
    await expect(run(support, 'metrics(system.cpu)')).rejects.toThrow(/Unknown variable query.*label_values/);
    await expect(run(support, { kind: 'charts' } as never)).rejects.toThrow('Unknown variable kind "charts"');
  });

  it('turns failed look-ups into readable errors', async () => {
    const { support, stub } = setup();
    stub.nodes.mockRejectedValueOnce({ status: 401, data: { error: 'The Netdata Cloud token was refused' } });
    await expect(run(support, { kind: 'nodes' })).rejects.toThrow('The Netdata Cloud token was refused');
  });

  it('starts new variables with the node list', () => {
    const { support } = setup();
    expect(support.getDefaultQuery()).toMatchObject({ kind: 'nodes', query: 'nodes()' });
  });
});

describe('the data source', () => {
  it('offers the variable support and sends chained nodes to the contexts route as a list', async () => {
    const ds = new DataSource(
      { uid: 'nd', jsonData: {} } as DataSourceInstanceSettings<NetdataOptions>,
      fakeTemplateSrv({ node: { current: ['mg-1', 'mg-2'] } })
    );
    const getResource = jest
      .spyOn(ds, 'getResource')
      .mockResolvedValue({ contexts: [{ id: 'system.cpu' }, { id: 'system.load' }] });
    expect(ds.variables).toBeInstanceOf(NetdataVariableSupport);
    const found = await run(ds.variables as NetdataVariableSupport, 'contexts(nodes=$node, filter=*.load)');
    expect(found).toEqual([{ text: 'system.load', value: 'system.load' }]);
    expect(getResource).toHaveBeenCalledWith('contexts', { nodes: ['mg-1', 'mg-2'] }, { showErrorAlert: false });
  });
});

describe('the text form', () => {
  const ok = (text: string) => {
    const parsed = parseVariableQueryText(text);
    if (!parsed.ok) {
      throw new Error(parsed.error);
    }
    const { refId, query, ...rest } = parsed.value;
    return rest;
  };

  it('reads every kind', () => {
    expect(ok('nodes()')).toEqual({ kind: 'nodes' });
    expect(ok('nodes(web*)')).toEqual({ kind: 'nodes', filter: 'web*' });
    expect(ok('contexts()')).toEqual({ kind: 'contexts' });
    expect(ok('contexts(disk.*)')).toEqual({ kind: 'contexts', filter: 'disk.*' });
    expect(ok('dimensions(system.cpu)')).toEqual({ kind: 'dimensions', context: 'system.cpu' });
    expect(ok('instances(disk.io)')).toEqual({ kind: 'instances', context: 'disk.io' });
    expect(ok('label_keys(disk.io)')).toEqual({ kind: 'labelKeys', context: 'disk.io' });
    expect(ok('label_names(disk.io)')).toEqual({ kind: 'labelKeys', context: 'disk.io' });
    expect(ok('label_values(disk.io, device)')).toEqual({
      kind: 'labelValues',
      context: 'disk.io',
      labelKey: 'device',
    });
    expect(ok('  LABEL_VALUES ( $ctx ,$key )  ')).toEqual({ kind: 'labelValues', context: '$ctx', labelKey: '$key' });
  });

  it('reads options, quoted values and regexes', () => {
    expect(ok('dimensions(system.cpu, nodes=web1|$node, filter="!idle,*")')).toEqual({
      kind: 'dimensions',
      context: 'system.cpu',
      nodes: ['web1', '$node'],
      filter: '!idle,*',
    });
    expect(ok("label_values(key=device, context='disk.io', space=s1, room=r1)")).toEqual({
      kind: 'labelValues',
      context: 'disk.io',
      labelKey: 'device',
      spaceId: 's1',
      roomId: 'r1',
    });
    expect(ok('contexts(/^(disk|system)\\./)')).toEqual({ kind: 'contexts', filter: '/^(disk|system)\\./' });
    expect(ok('instances(disk.io, "say \\"hi\\"")')).toEqual({
      kind: 'instances',
      context: 'disk.io',
      filter: 'say "hi"',
    });
    // Options a kind does not use are dropped: a node list of nodes, a context of contexts.
    expect(ok('nodes(nodes=a, context=x)')).toEqual({ kind: 'nodes' });
  });

  it('reports what it cannot read', () => {
    const error = (text: string) => {
      const parsed = parseVariableQueryText(text);
      return parsed.ok ? undefined : parsed.error;
    };
    expect(error('label_values(disk.io')).toMatch(/Unknown variable query/);
    expect(error('charts()')).toMatch(/Unknown variable query "charts\(\)"/);
    expect(error('system.cpu')).toMatch(/Unknown variable query/);
    expect(error('dimensions(system.cpu, idle, more)')).toMatch(/Too many arguments/);
    expect(error('dimensions(system.cpu, colour=red)')).toMatch(/Unknown option "colour"/);
    expect(error('dimensions(system.cpu, filter="open)')).toMatch(/Unterminated " quote/);
  });

  it('writes what it reads back the same', () => {
    const queries: NetdataVariableQuery[] = [
      { refId: 'A', kind: 'nodes' },
      { refId: 'A', kind: 'nodes', filter: '!db*,*', spaceId: 's', roomId: 'r' },
      { refId: 'A', kind: 'contexts', nodes: ['$node', 'web*'], filter: '/^disk\\.(io|ops)$/' },
      { refId: 'A', kind: 'dimensions', context: 'system.cpu', filter: 'user' },
      { refId: 'A', kind: 'instances', nodes: ['mg-1'], filter: 'disk.sd*' },
      { refId: 'A', kind: 'labelKeys', context: '$ctx' },
      { refId: 'A', kind: 'labelValues', context: 'disk.io', labelKey: 'device', filter: 'a=b (c)' },
      { refId: 'A', kind: 'labelValues', labelKey: 'device' },
    ];
    for (const q of queries) {
      const text = variableQueryText(q);
      const parsed = parseVariableQueryText(text);
      expect(parsed).toEqual({ ok: true, value: { ...q, refId: 'NetdataVariableQuery', query: text } });
    }
    expect(variableQueryText(queries[6])).toBe('label_values(disk.io, device, filter="a=b (c)")');
    expect(variableQueryText(queries[7])).toBe('label_values(key=device)');
    expect(variableQueryText(queries[2])).toBe('contexts("/^disk\\\\.(io|ops)$/", nodes=$node|web*)');
  });
});

describe('saved variable queries', () => {
  it('start as a node list when empty', () => {
    for (const saved of [undefined, null, '', '  ', { refId: 'A' }]) {
      expect(toVariableQuery(saved)).toMatchObject({ ok: true, value: { kind: 'nodes', query: 'nodes()' } });
    }
  });

  it('keep only the fields their kind uses, with the text form recomputed', () => {
    expect(
      toVariableQuery({
        refId: 'V',
        kind: 'contexts',
        context: 'system.cpu',
        nodes: 'web1',
        labelKey: 'device',
        filter: ' disk.* ',
        query: 'stale text',
      })
    ).toEqual({
      ok: true,
      value: { refId: 'V', kind: 'contexts', nodes: ['web1'], filter: 'disk.*', query: 'contexts(disk.*, nodes=web1)' },
    });
    expect(cleanVariableQuery({ refId: '', kind: 'labelKeys', context: 'disk.io', labelKey: 'x', nodes: [] })).toEqual({
      refId: 'NetdataVariableQuery',
      kind: 'labelKeys',
      context: 'disk.io',
      query: 'label_keys(disk.io)',
    });
  });

  it('refuse shapes that are not a query', () => {
    expect(toVariableQuery(42)).toMatchObject({ ok: false });
    expect(toVariableQuery(['nodes()'])).toMatchObject({ ok: false });
  });
});

describe('filters', () => {
  it('follow Netdata simple pattern rules: first match wins, ! excludes, nothing matching is out', () => {
    expect(simplePatternMatches(['s*', '!system'], 'system')).toBe(true);
    expect(simplePatternMatches(['!system', 's*'], 'system')).toBe(false);
    expect(simplePatternMatches(['!user'], 'system')).toBe(false);
    expect(simplePatternMatches(['*a*b*'], 'xaybz')).toBe(true);
    expect(simplePatternMatches(['User'], 'user')).toBe(false);
    expect(simplePatternMatches(['a.c'], 'abc')).toBe(false);
  });

  it('take patterns separated by | or , and regexes with flags', () => {
    const keep = textFilter('sda| nvme*');
    expect(['sda', 'sdb', 'nvme0'].filter(keep)).toEqual(['sda', 'nvme0']);
    const regex = textFilter('/^SD/gi');
    // The g flag must not make a second test start where the first stopped.
    expect(['sda', 'sdb', 'nvme0'].filter(regex)).toEqual(['sda', 'sdb']);
    expect(['x'].filter(textFilter(undefined))).toEqual(['x']);
    expect(['x'].filter(textFilter('  '))).toEqual(['x']);
  });
});
