/** @jest-environment node */
import { loadFixture } from '../fixtures';
import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import { call } from './testHttp';

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// Objects whose keys depend on the values (zero counters are omitted), compared by presence only.
const VALUE_DEPENDENT = [
  /^summary\.\w+\[\]\.(is|ds|al|instances|dimensions|alerts)$/,
  /^summary\.labels\[\]\.(vl|label_values)\[\]\.(ds|dimensions)$/,
  /^summary\.alerts\[\]$/,
  /^totals\.\w+$/,
];

/**
 * Key paths (in emission order) of a document: objects recursively, arrays through their first element only (their
 * lengths and primitive contents are data).
 */
function keyPaths(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) {
    return v.length > 0 && isObj(v[0]) ? keyPaths(v[0], `${path}[]`) : [];
  }
  if (!isObj(v) || VALUE_DEPENDENT.some((re) => re.test(path))) {
    return [];
  }
  return Object.entries(v).flatMap(([k, child]) => {
    const p = path ? `${path}.${k}` : k;
    return [p, ...keyPaths(child, p)];
  });
}

function keys(v: unknown): string[] {
  return isObj(v) ? Object.keys(v) : [];
}

describe('responses have the shapes of a real Netdata 2.9 agent', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
  });
  afterAll(() => fake.close());

  const get = async (path: string): Promise<Obj> => JSON.parse((await call(`${fake.url}${path}`)).text) as Obj;

  it('group_by=node: top-level, view, db, result and summary keys equal v2_data_group_by_node_avg.json', async () => {
    const real = loadFixture('v2_data_group_by_node_avg.json') as Obj;
    const ours = await get(
      '/api/v2/data?contexts=system.cpu&after=-600&points=60&format=json2&options=jsonwrap,minify&group_by=node&aggregation=avg'
    );
    expect(keys(ours)).toEqual(keys(real));
    expect(keys(ours.view)).toEqual(keys(real.view));
    expect(keys((ours.view as Obj).dimensions)).toEqual(keys((real.view as Obj).dimensions));
    expect(keys(ours.db)).toEqual(keys(real.db));
    expect(keys(ours.result)).toEqual(keys(real.result));
    expect((ours.result as Obj).point).toEqual((real.result as Obj).point);
    expect(keys(ours.summary)).toEqual(keys(real.summary));
    expect(keys(ours.totals)).toEqual(keys(real.totals));
    // The unclaimed child has no `nd`, like the captured (unclaimed) agent.
    const realNode = (real.summary as { nodes: Obj[] }).nodes[0];
    const ourNodes = (ours.summary as { nodes: Obj[] }).nodes;
    expect(keys(ourNodes[1])).toEqual(keys(realNode));
    expect(keys(ourNodes[0])).toEqual(['mg', 'nd', ...keys(realNode).slice(1)]);
    expect((ours.view as Obj).update_every).toBe((real.view as Obj).update_every);
    expect(((ours.result as Obj).data as unknown[]).length).toBe(((real.result as Obj).data as unknown[]).length);
  });

  const sameStructure: Array<[string, string, string]> = [
    [
      'v2_data_group_by_node_avg.json',
      '/api/v2/data',
      'contexts=system.cpu&after=-600&points=60&format=json2&options=jsonwrap,minify&group_by=node&aggregation=avg',
    ],
    [
      'v2_data_system_cpu_json2.json',
      '/api/v2/data',
      'contexts=system.cpu&after=-600&points=60&format=json2&options=jsonwrap',
    ],
    [
      'v2_data_group_by_instance_sum.json',
      '/api/v2/data',
      'contexts=disk.io&after=-600&points=20&format=json2&options=jsonwrap,minify&group_by=instance&aggregation=sum',
    ],
    [
      'v2_data_group_by_label_device.json',
      '/api/v2/data',
      'contexts=disk.io&after=-600&points=20&format=json2&options=jsonwrap,minify&group_by=label&group_by_label=device&aggregation=sum',
    ],
    [
      'v2_data_group_by_selected_sum.json',
      '/api/v2/data',
      'contexts=system.cpu&after=-600&points=20&format=json2&options=jsonwrap,minify&group_by=selected&aggregation=sum',
    ],
    [
      'v2_data_group_by_node_dimension.json',
      '/api/v2/data',
      'contexts=system.cpu&after=-600&points=20&format=json2&options=jsonwrap,minify&group_by=node,dimension&aggregation=avg',
    ],
    [
      'v2_data_multi_context.json',
      '/api/v2/data',
      'contexts=system.cpu,system.load&after=-300&points=10&format=json2&options=jsonwrap,minify',
    ],
    [
      'v2_data_labels_filter.json',
      '/api/v2/data',
      'contexts=disk.io&labels=device:vda&after=-300&points=5&format=json2&options=jsonwrap,minify',
    ],
    [
      'v2_data_percentage.json',
      '/api/v2/data',
      'contexts=system.cpu&after=-120&points=5&format=json2&options=jsonwrap,minify,percentage',
    ],
    [
      'v2_data_reversed.json',
      '/api/v2/data',
      'contexts=system.load&after=-60&points=6&format=json2&options=jsonwrap,minify,reversed',
    ],
    [
      'v2_data_long_keys.json',
      '/api/v2/data',
      'contexts=system.load&after=-60&points=3&format=json2&options=jsonwrap,minify,long-json-keys',
    ],
    [
      'v2_data_minimal_stats.json',
      '/api/v2/data',
      'contexts=system.load&after=-60&points=3&format=json2&options=jsonwrap,minify,minimal-stats',
    ],
    [
      'v2_data_null2zero_ms.json',
      '/api/v2/data',
      'contexts=system.load&after=-60&points=3&format=json2&options=jsonwrap,minify,null2zero,ms',
    ],
    [
      'v2_data_rfc3339.json',
      '/api/v2/data',
      'contexts=system.load&after=-60&points=3&format=json2&options=jsonwrap,minify,rfc3339',
    ],
    [
      'v2_data_tier1.json',
      '/api/v2/data',
      'contexts=system.load&after=-600&points=10&format=json2&options=jsonwrap,minify&tier=1',
    ],
    [
      'v3_data_group_by_node_sum.json',
      '/api/v3/data',
      'contexts=system.cpu&after=-600&points=20&format=json2&options=jsonwrap,minify&group_by=node&aggregation=sum',
    ],
    [
      'err_v2_data_unknown_context.json',
      '/api/v2/data',
      'contexts=does.not.exist&after=-600&points=60&format=json2&options=jsonwrap,minify',
    ],
  ];

  it.each(sameStructure)('%s: same key paths, in the same order', async (fixture, path, query) => {
    const real = loadFixture(fixture) as Obj;
    // One unclaimed node, like the captured agent.
    const ours = await get(`${path}?${query}&scope_nodes=child01`);
    expect(keyPaths(ours)).toEqual(keyPaths(real));
    expect(ours.api).toBe(real.api);
    const realView = real.view as Obj;
    const ourView = ours.view as Obj;
    expect([typeof ourView.after, typeof ourView.units, Array.isArray(ourView.units)]).toEqual([
      typeof realView.after,
      typeof realView.units,
      Array.isArray(realView.units),
    ]);
    const realRows = (real.result as Obj).data as unknown[][];
    const ourRows = (ours.result as Obj).data as unknown[][];
    if (realRows.length > 0) {
      expect(typeof ourRows[0][0]).toBe(typeof realRows[0][0]);
      expect(ourRows.every((row) => row.slice(1).every((p) => Array.isArray(p) && p.length === 3))).toBe(true);
    }
  });

  it('v3 contexts with options: keys of the response, the node and the context entry equal the capture', async () => {
    const real = loadFixture('v3_contexts_system_cpu_options.json') as Obj;
    const ours = await get(
      '/api/v3/contexts?contexts=system.cpu&options=instances,dimensions,labels,titles,retention,liveness,family,units,priorities'
    );
    expect(keys(ours)).toEqual(keys(real));
    expect(keys((ours.nodes as Obj[])[1])).toEqual(keys((real.nodes as Obj[])[0]));
    const realEntry = (real.contexts as Obj)['system.cpu'];
    const ourEntry = (ours.contexts as Obj)['system.cpu'] as Obj;
    expect(keys(ourEntry)).toEqual(keys(realEntry));
    expect(ourEntry.instances).toEqual(['system.cpu']);
    // `contexts=` does not filter the list.
    expect(Object.keys(ours.contexts as Obj).length).toBeGreaterThan(1);
    expect(keys((ours.agents as Obj[])[0])).toEqual(keys((real.agents as Obj[])[0]));
    expect(keys(ours.versions)).toEqual(keys(real.versions));
  });

  it('v2 contexts default entries and v2 nodes equal the capture', async () => {
    const realCtx = loadFixture('v2_contexts.json') as Obj;
    const ourCtx = await get('/api/v2/contexts');
    expect(keys(ourCtx)).toEqual(keys(realCtx));
    expect(keys((ourCtx.contexts as Obj)['disk.io'])).toEqual(keys((realCtx.contexts as Obj)['disk.io']));
    const realNodes = loadFixture('v2_nodes.json') as Obj;
    const ourNodes = await get('/api/v2/nodes');
    expect(keys(ourNodes)).toEqual(keys(realNodes));
    const realNode = (realNodes.nodes as Obj[])[0];
    const ourNode = (ourNodes.nodes as Obj[])[1];
    expect(keyPaths(ourNode).filter((p) => !p.startsWith('labels.'))).toEqual(
      keyPaths(realNode).filter((p) => !p.startsWith('labels.'))
    );
  });

  it('info: v3/v2 agent keys and the v1 keys we serve follow the capture', async () => {
    const real = loadFixture('v3_info.json') as Obj;
    const ours = await get('/api/v3/info');
    expect(keys(ours)).toEqual(keys(real));
    const realAgent = (real.agents as Obj[])[0];
    const ourAgent = (ours.agents as Obj[])[0];
    expect(keys(ourAgent)).toEqual(keys(realAgent));
    expect(keys(ourAgent.api)).toEqual(keys(realAgent.api));
    expect(keys((ourAgent.application as Obj).package)).toEqual(keys((realAgent.application as Obj).package));
    const realV1 = keys(loadFixture('v1_info.json'));
    const ourV1 = keys(await get('/api/v1/info'));
    expect(ourV1.filter((k) => !realV1.includes(k))).toEqual([]);
    expect(realV1.filter((k) => ourV1.includes(k))).toEqual(ourV1);
  });
});
