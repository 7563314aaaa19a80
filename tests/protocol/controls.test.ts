/** @jest-environment node */
// Every control of the query editor round-trips: saved JSON → QueryData of the built executable → the request the
// fake Netdata recorded (Agent URL / Cloud body) → the decoded Arrow frames, which carry exactly the fake's answer.
import {
  FAKE_PRODUCTION_ROOM_ID,
  FAKE_ROOM_ID,
  FAKE_SPACE_ID,
  startFakeNetdata,
  type FakeNetdata,
  type RecordedRequest,
} from '../fake-netdata/server';
import type { QueryWindow } from '../../src/netdata/types';
import {
  CHILD,
  editorQuery,
  expectRowsFor,
  HOSTNAMES,
  netdataRows,
  PARENT,
  SHARED_CASES,
  sentWindow,
} from './controlCases';
import { expectFaithful, labelSets, runCases, type ControlCase, type Outcome, type Transport } from './controlsHarness';
import { dataSourceSettings, startPlugin, type PluginProcess } from './grafanaHost';

jest.setTimeout(60000);

const TOKEN = 'cloud-token-controls-5a4b3c2d1e';
const NOW = Date.now();
// Ends in the past so that re-issuing a recorded request meets exactly the same data.
const WINDOW: QueryWindow = { fromMs: NOW - 10 * 60_000, toMs: NOW - 60_000, maxDataPoints: 1000, intervalMs: 10_000 };
const TWO_HOURS: Partial<QueryWindow> = { fromMs: NOW - 2 * 3600_000, maxDataPoints: 5000, intervalMs: 1000 };

const nodeSets = (o: Outcome) => labelSets(o, ['node']);

const AGENT_CASES: ControlCase[] = [
  {
    name: 'nodes: node id from the picker (parent01)',
    saved: editorQuery({ nodes: [PARENT.nd] }),
    agent: (p) => expect(p.get('scope_nodes')).toBe(PARENT.nd),
    frames: (o) => {
      expect(o.series.length).toBeGreaterThan(1);
      for (const s of o.series) {
        expect(s.labels).toMatchObject({ node: PARENT.nm, machine_guid: PARENT.mg, node_id: PARENT.nd });
      }
    },
  },
  {
    name: 'nodes: machine GUID from the picker (unclaimed child01)',
    saved: editorQuery({ nodes: [CHILD.mg] }),
    agent: (p) => expect(p.get('scope_nodes')).toBe(CHILD.mg),
    frames: (o) => {
      for (const s of o.series) {
        expect(s.labels).toMatchObject({ node: CHILD.nm, machine_guid: CHILD.mg });
        expect(s.labels.node_id).toBeUndefined();
      }
    },
  },
  {
    name: 'nodes: hostname',
    saved: editorQuery({ nodes: ['child01'], groupBy: ['node'] }),
    agent: (p) => expect(p.get('scope_nodes')).toBe('child01'),
    frames: (o) => expect(nodeSets(o)).toEqual([{ node: CHILD.nm }]),
  },
  {
    name: 'nodes: two picked',
    saved: editorQuery({ nodes: [PARENT.nd, CHILD.mg], groupBy: ['node'] }),
    agent: (p) => expect(p.get('scope_nodes')).toBe(`${PARENT.nd}|${CHILD.mg}`),
    frames: (o) => expect(nodeSets(o)).toEqual(HOSTNAMES.map((node) => ({ node }))),
  },
  {
    name: 'nodes: a negation',
    saved: editorQuery({ nodes: ['!child01'], groupBy: ['node'] }),
    agent: (p) => expect(p.get('scope_nodes')).toBe('!child01|*'),
    frames: (o) => expect(nodeSets(o)).toEqual([{ node: PARENT.nm }]),
  },
  {
    name: 'points: no cap on an agent',
    saved: editorQuery({ dimensions: ['user'] }),
    window: TWO_HOURS,
    agent: (p) => expect(p.get('points')).toBe('5000'),
    // Netdata groups whole seconds: 1 s per row gives more rows than asked (§3.7).
    frames: (o) => {
      expectRowsFor(o, sentWindow(o));
      expect(o.series[0].times.length).toBeGreaterThan(5000);
    },
  },
];

const ELSEWHERE_SPACE = '11111111-2222-4333-8444-555555555555';
const ELSEWHERE_ROOM = '66666666-7777-4888-9999-000000000000';

const CLOUD_CASES: ControlCase[] = [
  {
    name: 'nodes: node id from the picker → scope.nodes',
    saved: editorQuery({ nodes: [CHILD.nd] }),
    cloud: (b) => {
      expect(b.scope.nodes).toEqual([CHILD.nd]);
      expect(b.selectors.nodes).toEqual(['*']);
    },
    frames: (o) => {
      expect(o.series.length).toBeGreaterThan(1);
      for (const s of o.series) {
        expect(s.labels).toMatchObject({ node: CHILD.nm, machine_guid: CHILD.mg, node_id: CHILD.nd });
      }
    },
  },
  {
    name: 'nodes: two node ids → scope.nodes',
    saved: editorQuery({ nodes: [PARENT.nd, CHILD.nd], groupBy: ['node'] }),
    cloud: (b) => expect(b.scope.nodes).toEqual([PARENT.nd, CHILD.nd]),
    frames: (o) => {
      expect(labelSets(o, ['node', 'node_id'])).toEqual([
        { node: PARENT.nm, node_id: PARENT.nd },
        { node: CHILD.nm, node_id: CHILD.nd },
      ]);
    },
  },
  {
    name: 'nodes: hostname → selectors.nodes',
    saved: editorQuery({ nodes: ['child01'], groupBy: ['node'] }),
    cloud: (b) => {
      expect(b.scope.nodes).toBeUndefined();
      expect(b.selectors.nodes).toEqual(['child01']);
    },
    frames: (o) => expect(nodeSets(o)).toEqual([{ node: CHILD.nm }]),
  },
  {
    name: 'nodes: a negation → selectors.nodes',
    saved: editorQuery({ nodes: ['!child01'], groupBy: ['node'] }),
    cloud: (b) => {
      expect(b.scope.nodes).toBeUndefined();
      expect(b.selectors.nodes).toEqual(['!child01', '*']);
    },
    frames: (o) => expect(nodeSets(o)).toEqual([{ node: PARENT.nm }]),
  },
  {
    name: 'nodes: a node id and a hostname → selectors.nodes',
    saved: editorQuery({ nodes: [PARENT.nd, 'child01'], groupBy: ['node'] }),
    cloud: (b) => {
      expect(b.scope.nodes).toBeUndefined();
      expect(b.selectors.nodes).toEqual([PARENT.nd, 'child01']);
    },
    frames: (o) => expect(nodeSets(o)).toEqual(HOSTNAMES.map((node) => ({ node }))),
  },
  {
    name: 'roomId override',
    saved: editorQuery({ roomId: FAKE_PRODUCTION_ROOM_ID, groupBy: ['node'] }),
    cloud: (_, o) => expect(o.recorded.path).toMatch(new RegExp(`/rooms/${FAKE_PRODUCTION_ROOM_ID}/data$`)),
    // The production room holds parent01 only.
    frames: (o) => expect(nodeSets(o)).toEqual([{ node: PARENT.nm }]),
  },
  {
    name: 'spaceId and roomId override the data source defaults',
    settings: 'elsewhere',
    saved: editorQuery({ spaceId: FAKE_SPACE_ID, roomId: FAKE_ROOM_ID, groupBy: ['node'] }),
    cloud: (_, o) => expect(o.recorded.path).toBe(`/api/v3/spaces/${FAKE_SPACE_ID}/rooms/${FAKE_ROOM_ID}/data`),
    frames: (o) => expect(nodeSets(o)).toEqual(HOSTNAMES.map((node) => ({ node }))),
  },
  {
    name: "points: Cloud's 500 cap keeps the time range",
    saved: editorQuery({ dimensions: ['user'] }),
    window: TWO_HOURS,
    cloud: (b, o) => {
      expect(b.window.points).toBe(500);
      expect(b.window.after).toBe(Math.floor(o.window.fromMs / 1000));
      expect(b.window.before).toBe(Math.ceil(o.window.toMs / 1000));
    },
    frames: (o) => {
      expectRowsFor(o, sentWindow(o));
      const times = o.series[0].times;
      const { step } = netdataRows(o.body.window.after, o.body.window.before, 500);
      // About 500 rows spread over the whole range: the first and the last within one row of its ends.
      expect(Math.abs(times.length - 500)).toBeLessThan(20);
      expect(times[0] - o.window.fromMs).toBeLessThanOrEqual(step * 1000);
      expect(o.window.toMs - times[times.length - 1]).toBeLessThanOrEqual(step * 1000);
    },
  },
];

interface Catalog {
  nodeIds: string[];
  hostnames: string[];
  contexts: string[];
  details: Record<string, { dimensions: string[]; instances: string[]; labels: Record<string, string[]> }>;
}

async function editorCatalog(plugin: PluginProcess, settings: Parameters<PluginProcess['callResource']>[0]) {
  const nodes = (await plugin.callResource(settings, 'nodes')).body as {
    nodes: Array<{ id: string; hostname: string }>;
  };
  const contexts = (await plugin.callResource(settings, 'contexts')).body as { contexts: Array<{ id: string }> };
  const catalog: Catalog = {
    nodeIds: nodes.nodes.map((n) => n.id),
    hostnames: nodes.nodes.map((n) => n.hostname),
    contexts: contexts.contexts.map((c) => c.id),
    details: {},
  };
  for (const id of ['system.cpu', 'disk.io']) {
    const answer = await plugin.callResource(settings, `context?context=${id}`);
    catalog.details[id] = (answer.body as { context: Catalog['details'][string] }).context;
  }
  return catalog;
}

/** Nodes and contexts the cases pick from the editor's lists (not typed patterns) are ones the editor offers. */
function expectNodesAndContextsOffered(catalog: Catalog, pickedNodeIds: string[]): void {
  expect(catalog.nodeIds).toEqual(expect.arrayContaining(pickedNodeIds));
  expect(catalog.hostnames).toEqual(expect.arrayContaining(HOSTNAMES));
  expect(catalog.contexts).toEqual(expect.arrayContaining(['system.cpu', 'system.load', 'disk.io']));
}

/** Dimensions, instances and label values the cases pick are ones the editor offers for their context. */
function expectDetailsOffered(catalog: Catalog): void {
  expect(catalog.details['system.cpu'].dimensions).toEqual(expect.arrayContaining(['user', 'system', 'guest']));
  const disk = catalog.details['disk.io'];
  expect(disk.instances).toEqual(expect.arrayContaining(['disk.sda', 'disk.vda']));
  expect(disk.labels.mount_point).toEqual(expect.arrayContaining(['/', '/data']));
  expect(disk.labels.device).toEqual(expect.arrayContaining(['vda', 'sda']));
  expect(disk.labels.device_type).toEqual(expect.arrayContaining(['physical', 'virtual']));
}

function caseTests(transport: Transport, cases: ControlCase[], outcomes: () => Map<string, Outcome>): void {
  const get = (name: string): Outcome => {
    const o = outcomes().get(name);
    if (o === undefined) {
      throw new Error(`no outcome for ${name}`);
    }
    return o;
  };
  describe.each(cases.map((c) => [c.name, c] as const))('%s', (name, c) => {
    it('reaches Netdata in the request', () => {
      const o = get(name);
      expect(o.response.error ?? '').toBe('');
      if (transport === 'agent') {
        expect(c.agent).toBeDefined();
        c.agent?.(o.params, o);
      } else {
        expect(c.cloud).toBeDefined();
        c.cloud?.(o.body, o);
      }
    });
    it('shows in the frames, with the values Netdata answered', () => {
      const o = get(name);
      expectFaithful(o);
      c.frames(o, get);
    });
  });
}

/** Anomaly detection runs on every node, so that the anomaly-rate control has series to show (rule 8). */
const ML_NODES = ['parent01', 'child01'];

describe('every control through an Agent', () => {
  const cases = [...SHARED_CASES, ...AGENT_CASES];
  let fake: FakeNetdata;
  let plugin: PluginProcess;
  let outcomes = new Map<string, Outcome>();
  let sent: RecordedRequest[] = [];
  const settings = () => dataSourceSettings({ url: fake.url, uid: 'controls-agent' });

  beforeAll(async () => {
    [fake, plugin] = await Promise.all([startFakeNetdata({ mode: 'agent', mlNodes: ML_NODES }), startPlugin()]);
    ({ outcomes, sent } = await runCases(cases, {
      plugin,
      fake,
      transport: 'agent',
      settings: { default: settings() },
      window: WINDOW,
    }));
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });

  it('offers in the editor every node, context, instance, dimension and label value the cases pick', async () => {
    expect(fake.nodes.map((n) => n.nm)).toEqual(HOSTNAMES);
    const catalog = await editorCatalog(plugin, settings());
    expectNodesAndContextsOffered(catalog, [PARENT.nd, CHILD.mg]);
    expectDetailsOffered(catalog);
  });

  it('sent one data request per query', () => {
    expect(sent.map((r) => r.path)).toEqual(cases.map(() => '/api/v3/data'));
  });

  caseTests('agent', cases, () => outcomes);
});

describe('every control through Netdata Cloud', () => {
  const cases = [...SHARED_CASES, ...CLOUD_CASES];
  let fake: FakeNetdata;
  let plugin: PluginProcess;
  let outcomes = new Map<string, Outcome>();
  let sent: RecordedRequest[] = [];
  const settings = (over: { spaceId?: string; roomId?: string; uid?: string } = {}) =>
    dataSourceSettings({
      url: fake.url,
      transport: 'cloud',
      token: TOKEN,
      spaceId: fake.spaceId,
      roomId: fake.roomId,
      uid: 'controls-cloud',
      ...over,
    });

  beforeAll(async () => {
    [fake, plugin] = await Promise.all([startFakeNetdata({ mode: 'cloud', cloudToken: TOKEN, mlNodes: ML_NODES }), startPlugin()]);
    ({ outcomes, sent } = await runCases(cases, {
      plugin,
      fake,
      transport: 'cloud',
      settings: {
        default: settings(),
        elsewhere: settings({ spaceId: ELSEWHERE_SPACE, roomId: ELSEWHERE_ROOM, uid: 'controls-elsewhere' }),
      },
      window: WINDOW,
      headers: { Authorization: `Bearer ${TOKEN}` },
    }));
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });

  it('offers in the editor every node and context the cases pick', async () => {
    // The fake Cloud answers contexts with titles only (it ignores the detail options), so details are checked on
    // the agent only.
    expectNodesAndContextsOffered(await editorCatalog(plugin, settings()), [PARENT.nd, CHILD.nd]);
    const rooms = await plugin.callResource(settings(), `rooms?spaceId=${fake.spaceId}`);
    expect((rooms.body as { rooms: Array<{ id: string }> }).rooms.map((r) => r.id)).toContain(FAKE_PRODUCTION_ROOM_ID);
  });

  it('sent one data request per query', () => {
    expect(sent).toHaveLength(cases.length);
    expect(sent.every((r) => r.method === 'POST')).toBe(true);
  });

  it('never sent the token anywhere but the Authorization header', () => {
    expect(plugin.stderrLines.join('\n')).not.toContain(TOKEN);
    for (const o of outcomes.values()) {
      expect(o.executedQueryString).not.toContain(TOKEN);
    }
  });

  caseTests('cloud', cases, () => outcomes);
});
