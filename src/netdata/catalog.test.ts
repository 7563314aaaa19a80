/** @jest-environment node */
import { loadFixture } from '../../tests/fixtures';
import { apiForVersion, parseAgentInfo, parseContexts, parseNodes, parseRooms, parseSpaces } from './catalog';

const MG = '7622017c-d2f5-4112-8149-5e13e2ef7ff1';

describe('parseAgentInfo', () => {
  it.each(['v3_info.json', 'v2_info.json'])('reads %s (agents[0])', (name) => {
    expect(parseAgentInfo(loadFixture(name))).toEqual({
      ok: true,
      value: {
        version: 'v2.9.0',
        api: 3,
        nodeCount: 1,
        archivedNodes: 0,
        bearerProtection: false,
        hostname: 'nd290-local',
        mlEnabled: false,
        tiers: [
          { tier: 0, granularity: '1s', fromSec: 1795878515 },
          { tier: 1, granularity: '1m', fromSec: 1795878515 },
          { tier: 2, granularity: '1h', fromSec: 1795878515 },
        ],
      },
    });
  });

  it('reads v1 info', () => {
    expect(parseAgentInfo(loadFixture('v1_info.json'))).toEqual({
      ok: true,
      value: { version: 'v2.9.0', api: 3, nodeCount: 1, bearerProtection: false, hostname: 'nd290-local', tiers: [] },
    });
  });

  it('reads bearer protection and the node count of a parent', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v3_info.json')));
    body.agents[0].api.bearer_protection = true;
    body.agents[0].nodes.total = 12;
    body.agents[0].nodes.archived = 3;
    expect(parseAgentInfo(body)).toMatchObject({
      ok: true,
      value: { bearerProtection: true, nodeCount: 9, archivedNodes: 3 },
    });
  });

  it('leaves the node count unknown for v1.41–v1.47 info, which has no nodes object', () => {
    const body = JSON.parse(JSON.stringify(loadFixture('v2_info.json')));
    const agent = body.agents[0];
    for (const key of ['nodes', 'metrics', 'instances', 'contexts', 'capabilities', 'api']) {
      delete agent[key];
    }
    agent.application.package.version = 'v1.47.5';
    const info = parseAgentInfo(body);
    expect(info.ok && info.value.nodeCount).toBeUndefined();
    expect(info.ok && info.value.version).toBe('v1.47.5');
  });

  it('knows old agents by their version', () => {
    const v137 = {
      version: 'v1.37.1',
      mirrored_hosts: ['old', 'child'],
      mirrored_hosts_status: [{ hostname: 'old', hops: 0 }],
    };
    expect(parseAgentInfo(v137)).toEqual({
      ok: true,
      value: { version: 'v1.37.1', api: 1, nodeCount: 2, bearerProtection: false, hostname: 'old', tiers: [] },
    });
    expect(parseAgentInfo({ version: '1.40.0' })).toMatchObject({ ok: true, value: { api: 2, hostname: '' } });
  });

  it.each([
    ['v2.9.0', 3],
    ['v1.99.0', 3],
    ['2.11.0-12-nightly', 3],
    ['v1.47.5', 2],
    ['v1.39.0', 2],
    ['v1.38.1', 1],
    ['1.37.1', 1],
    ['garbage', undefined],
  ])('api of %p is %p', (version, api) => {
    expect(apiForVersion(version)).toBe(api);
  });

  it.each([
    [null, 'Netdata info response is not a JSON object'],
    [{ agents: [] }, 'Netdata info response lists no agent'],
    [{ hello: 1 }, 'The response does not look like Netdata info (no agents[] and no version)'],
  ])('rejects %p', (body, error) => {
    expect(parseAgentInfo(body)).toEqual({ ok: false, error });
  });
});

describe('parseContexts', () => {
  it('reads agent /api/v2/contexts, sorted by id', () => {
    const list = parseContexts(loadFixture('v2_contexts.json'));
    expect(list).toHaveLength(186);
    const ids = list.map((c) => c.id);
    expect(ids).toEqual([...ids].sort());
    expect(list.find((c) => c.id === 'system.cpu')).toEqual({
      id: 'system.cpu',
      units: 'percentage',
      family: 'cpu',
      priority: 100,
    });
  });

  it('reads titles of /api/v3/contexts with options', () => {
    const list = parseContexts(loadFixture('v3_contexts_system_cpu_options.json'));
    expect(list.find((c) => c.id === 'system.idlejitter')).toEqual({
      id: 'system.idlejitter',
      title: 'CPU Idle Jitter',
      units: 'microseconds lost/s',
      family: 'idlejitter',
      priority: 800,
    });
  });

  it('reads an id array, skips __truncated__ and accepts the Cloud shape', () => {
    expect(parseContexts({ contexts: ['b', 'a', 3] })).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(
      parseContexts({
        contexts: {
          'system.ram': { units: 'MiB', family: 'ram', priority: 200 },
          __truncated__: { total_contexts: 3 },
          'apps.cpu': {},
        },
      })
    ).toEqual([{ id: 'apps.cpu' }, { id: 'system.ram', units: 'MiB', family: 'ram', priority: 200 }]);
    expect(parseContexts({ contexts: {} })).toEqual([]);
    expect(parseContexts('nope')).toEqual([]);
  });
});

describe('parseNodes', () => {
  it('reads agent /api/v2/nodes (no nd on an unclaimed agent)', () => {
    expect(parseNodes(loadFixture('v2_nodes.json'))).toEqual([
      { id: MG, machineGuid: MG, hostname: 'nd290-local', state: 'reachable', version: 'v2.9.0' },
    ]);
  });

  it('reads the Cloud nodes POST, preferring the node id', () => {
    const body = {
      nodes: [
        { nd: 'b7c8d9e0-f1a2-4b3c-9d4e-5f6a7b8c9d0e', mg: 'm-db', nm: 'db01', state: 'stale', v: 'v2.10.3' },
        { nd: 'a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d', mg: 'm-web', nm: 'web01', state: 'reachable' },
        { nm: 'no ids' },
        'junk',
      ],
    };
    expect(parseNodes(body)).toEqual([
      {
        id: 'b7c8d9e0-f1a2-4b3c-9d4e-5f6a7b8c9d0e',
        machineGuid: 'm-db',
        nodeId: 'b7c8d9e0-f1a2-4b3c-9d4e-5f6a7b8c9d0e',
        hostname: 'db01',
        state: 'stale',
        version: 'v2.10.3',
      },
      {
        id: 'a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d',
        machineGuid: 'm-web',
        nodeId: 'a3b1e2c4-5d6f-4a7b-8c9d-0e1f2a3b4c5d',
        hostname: 'web01',
        state: 'reachable',
      },
    ]);
  });

  it('reads long keys and tolerates garbage', () => {
    expect(parseNodes({ nodes: [{ machine_guid: 'm1', hostname: 'h1', node_id: null }] })).toEqual([
      { id: 'm1', machineGuid: 'm1', hostname: 'h1' },
    ]);
    expect(parseNodes(null)).toEqual([]);
  });
});

describe('parseSpaces / parseRooms', () => {
  it('read the Cloud arrays in Cloud order', () => {
    const spaces = [
      { id: 's2', slug: 'beta', name: 'Beta', permissions: [] },
      { id: 's1', slug: 'alpha', name: '' },
      { slug: 'no-id' },
    ];
    expect(parseSpaces(spaces)).toEqual([
      { id: 's2', name: 'Beta' },
      { id: 's1', name: 'alpha' },
    ]);
    const rooms = [
      { id: 'r1', name: 'All nodes', untouchable: true, node_count: 4 },
      { id: 'r2', name: 'Web' },
    ];
    expect(parseRooms(rooms)).toEqual([
      { id: 'r1', name: 'All nodes' },
      { id: 'r2', name: 'Web' },
    ]);
    expect(parseRooms({ rooms })).toHaveLength(2);
    expect(parseSpaces({ error: 'x' })).toEqual([]);
  });
});
