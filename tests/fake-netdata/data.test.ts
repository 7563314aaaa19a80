/** @jest-environment node */
import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import type { Json2Doc } from './testHttp';
import { annotations, column, getJson2, times } from './testHttp';

describe('data options, annotations, time groups and special shapes (§3.2, §3.3, §3.5, §3.6)', () => {
  let fake: FakeNetdata;
  let t0: number;
  let window: string;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
    t0 = Math.floor((Date.now() / 1000 - 3600) / 60) * 60;
    window = `after=${t0}&before=${t0 + 59}&points=6&options=unaligned`;
  });
  afterAll(() => fake.close());

  const data = (query: string): Promise<Json2Doc> => getJson2(`${fake.url}/api/v3/data?format=json2&${query}`);

  it('returns rows newest first, oldest first with flip/reversed/reverse', async () => {
    const plain = await data(`scope_contexts=system.load&${window}`);
    const ts = times(plain) as number[];
    expect(ts).toEqual([...ts].sort((a, b) => b - a));
    for (const flip of ['flip', 'reversed', 'reverse']) {
      const flipped = await data(`scope_contexts=system.load&${window}&options=${flip}`);
      expect(flipped.result.data).toEqual([...plain.result.data].reverse());
    }
  });

  it('ms multiplies only the row timestamps; rfc3339 turns the other times into strings', async () => {
    const plain = await data(`scope_contexts=system.load&${window}`);
    const ms = await data(`scope_contexts=system.load&${window}&options=ms`);
    expect(times(ms)).toEqual((times(plain) as number[]).map((t) => t * 1000));
    expect(ms.view.after).toBe(plain.view.after);
    expect(ms.db.first_entry).toBe(plain.db.first_entry);
    const rfc = await data(`scope_contexts=system.load&${window}&options=rfc3339`);
    expect(times(rfc)[0]).toBe(new Date((times(plain)[0] as number) * 1000).toISOString().replace('.000Z', 'Z'));
    expect(typeof rfc.view.after).toBe('string');
    expect(typeof rfc.db.last_entry).toBe('string');
    expect(typeof rfc.db.per_tier[0].first_entry).toBe('string');
    expect(typeof rfc.agents?.[0].now).toBe('string');
    const both = await data(`scope_contexts=system.load&${window}&options=rfc3339,ms`);
    expect(times(both)).toEqual(times(ms));
    expect(typeof both.view.before).toBe('string');
  });

  it('marks points before the first sample [null, 0, 1], keeps the bit with null2zero, flags PARTIAL groups', async () => {
    const child = await data('scope_nodes=child01&scope_contexts=system.cpu&after=-10&points=1');
    const first = child.db.first_entry as number;
    const w = `after=${first - 30}&before=${first + 29}&points=6&options=unaligned,flip`;
    const doc = await data(`scope_nodes=child01&scope_contexts=system.cpu&group_by=node&${w}`);
    const id = fake.nodes[1].mg;
    expect(doc.result.data.map((r) => r[1])).toEqual([
      [null, 0, 1],
      [null, 0, 1],
      [null, 0, 1],
      ...column(doc, id)
        .slice(3)
        .map((v) => [v, 0, 0]),
    ]);
    expect(
      column(doc, id)
        .slice(3)
        .every((v) => typeof v === 'number')
    ).toBe(true);
    const zero = await data(`scope_nodes=child01&scope_contexts=system.cpu&group_by=node&options=null2zero&${w}`);
    expect(zero.result.data.slice(0, 3).map((r) => r[1])).toEqual([
      [0, 0, 1],
      [0, 0, 1],
      [0, 0, 1],
    ]);
    expect(zero.view.min).toBe(doc.view.min);
    const both = await data(`scope_contexts=system.cpu&group_by=selected&${w}`);
    expect(annotations(both, 'selected')).toEqual([4, 4, 4, 0, 0, 0]);
    expect(column(both, 'selected').every((v) => typeof v === 'number')).toBe(true);
  });

  it('answers an unknown context with 200 and the §8.3 shape', async () => {
    const doc = await data('scope_contexts=no.such.context&points=10');
    expect(doc.summary).toEqual({ nodes: [], contexts: [], instances: [], dimensions: [], labels: [], alerts: [] });
    expect(doc.totals).toEqual({});
    expect(doc.result).toEqual({ labels: ['time'], point: { value: 0, arp: 1, pa: 2 }, data: [] });
    expect(doc.db).toMatchObject({ tiers: 3, update_every: 0, first_entry: 0, last_entry: 0, dimensions: { ids: [] } });
    expect(doc.db.per_tier).toHaveLength(3);
    expect(doc.db.units).toBeUndefined();
    expect(Object.keys(doc.view)).toEqual(['update_every', 'after', 'before', 'dimensions', 'min', 'max']);
    expect(doc.view.min).toBeNull();
    expect(doc.view.max).toBeNull();
    expect(doc.view.update_every).toBe(60);
    expect(doc.agents?.[0].nd).toBe(fake.nodes[0].nd);
  });

  it('answers a selector matching nothing with metadata but no dimensions', async () => {
    const doc = await data(`scope_contexts=system.cpu&dimensions=nosuch&${window}`);
    expect(doc.view.title).toBe('Total CPU utilization');
    expect(doc.view.units).toBe('percentage');
    expect(doc.view.chart_type).toBe('stacked');
    expect(doc.db.units).toBe('percentage');
    expect(doc.view.dimensions).toEqual({ grouped_by: ['dimension'], ids: [], names: [] });
    expect(doc.db.dimensions).toEqual({ ids: [] });
    expect(doc.result.data).toEqual([]);
    expect([doc.view.min, doc.view.max]).toEqual([null, null]);
    expect(doc.summary.dimensions.find((d) => d.id === 'user')?.ds).toEqual({ ex: 2 });
  });

  it('computes the time groups over the samples of each point', async () => {
    const q = `scope_contexts=system.cpu&scope_nodes=parent01&dimensions=nice|user&after=${t0}&before=${t0 + 59}&options=unaligned`;
    const raw = await data(`${q}&points=0&tier=0`);
    expect(raw.result.data).toHaveLength(60);
    const rawOf = (dim: string): number[][] => {
      const values = [...column(raw, dim)].reverse() as number[];
      return Array.from({ length: 6 }, (_, i) => values.slice(i * 10, i * 10 + 10));
    };
    const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
    const sorted = (v: number[]): number[] => [...v].sort((a, b) => a - b);
    const cases: Array<[string, (v: number[]) => number]> = [
      ['time_group=average', mean],
      ['time_group=bogus', mean],
      ['time_group=latest', mean],
      ['time_group=min', (v) => Math.min(...v)],
      ['time_group=max', (v) => Math.max(...v)],
      ['time_group=sum', (v) => v.reduce((a, b) => a + b, 0)],
      ['time_group=median', (v) => (sorted(v)[4] + sorted(v)[5]) / 2],
      ['time_group=percentile', (v) => mean(sorted(v).slice(0, 9))],
      ['time_group=percentile50', (v) => mean(sorted(v).slice(0, 5))],
      ['time_group=percentile&time_group_options=50', (v) => mean(sorted(v).slice(0, 5))],
      ['time_group=trimmed-mean20', (v) => mean(sorted(v).slice(2, 8))],
      ['time_group=stddev', (v) => Math.sqrt(v.reduce((a, x) => a + (x - mean(v)) ** 2, 0) / (v.length - 1))],
      ['time_group=countif', (v) => (v.filter((x) => x === 0).length * 100) / v.length],
      ['time_group=countif&time_group_options=%3E0', (v) => (v.filter((x) => x > 0).length * 100) / v.length],
      ['time_group=countif&time_group_options=%3E%3D20', (v) => (v.filter((x) => x >= 20).length * 100) / v.length],
      ['time_group=countif&time_group_options=%3C%3E0', (v) => (v.filter((x) => x !== 0).length * 100) / v.length],
      // A bare number loses its first character: `10` is `=0`.
      ['time_group=countif&time_group_options=10', (v) => (v.filter((x) => x === 0).length * 100) / v.length],
    ];
    for (const dim of ['nice', 'user']) {
      const groups = rawOf(dim);
      for (const [tg, fn] of cases) {
        const doc = await data(`${q}&points=6&tier=0&${tg}&options=flip`);
        const got = column(doc, dim);
        groups.forEach((g, i) => expect([dim, tg, i, got[i]]).toEqual([dim, tg, i, expect.closeTo(fn(g), 4)]));
      }
    }
  });

  it('reports the tier used in db.per_tier and keeps average/min/max/sum exact on tier 1', async () => {
    const w = `scope_contexts=system.cpu&scope_nodes=parent01&after=${t0 - 599}&before=${t0}&points=10&options=unaligned`;
    const auto = await data(w);
    expect(auto.view.update_every).toBe(60);
    expect(auto.db.per_tier.map((t) => t.queries)).toEqual([0, 6, 0]);
    const tier0 = await data(`${w}&tier=0`);
    expect(tier0.db.per_tier.map((t) => t.queries)).toEqual([6, 0, 0]);
    expect(tier0.db.per_tier[0].points).toBe(6 * 600);
    for (const tg of ['average', 'min', 'max', 'sum']) {
      const a = await data(`${w}&tier=0&time_group=${tg}`);
      const b = await data(`${w}&tier=1&time_group=${tg}`);
      for (const id of a.result.labels.slice(1)) {
        column(b, id).forEach((v, i) => expect(v).toBeCloseTo(column(a, id)[i] as number, 3));
      }
    }
    expect(auto.db.per_tier.map((t) => t.update_every)).toEqual([1, 60, 3600]);
  });

  it('long-json-keys renames the summary, statistics and point keys', async () => {
    const doc = (await data(`scope_contexts=system.load&${window}&options=long-json-keys`)) as unknown as {
      summary: { nodes: Array<Record<string, unknown>> };
      result: Record<string, unknown>;
      db: { dimensions: Record<string, unknown> };
      agents: Array<Record<string, unknown>>;
    };
    expect(Object.keys(doc.summary.nodes[1])).toEqual([
      'machine_guid',
      'hostname',
      'nodes_array_index',
      'status',
      'instances',
      'dimensions',
      'alerts',
      'statistics',
    ]);
    expect(Object.keys(doc.summary.nodes[0])).toContain('node_id');
    expect(doc.result.point_schema).toEqual({ value: 0, anomaly_rate_percent: 1, point_annotations_bitmap: 2 });
    expect(Object.keys(doc.db.dimensions)).toEqual(['ids', 'units', 'statistics']);
    expect(Object.keys(doc.agents[0])).toEqual(['mg', 'nd', 'nm', 'now', 'ai', 'timings']);
  });

  it('minimal-stats keeps api, summary, result, db, view only', async () => {
    const doc = await data(`scope_contexts=system.load&${window}&options=minimal-stats`);
    expect(Object.keys(doc)).toEqual(['api', 'summary', 'result', 'db', 'view']);
    expect(Object.keys(doc.summary.nodes[1])).toEqual(['mg', 'nm', 'ni', 'sts']);
  });

  it('debug adds id and request and lists the forced absolute', async () => {
    const doc = (await data(
      `scope_contexts=disk.io&group_by=node&${window}&options=debug,minify`
    )) as unknown as Record<string, unknown> & { view: { options: string[]; time_group: string } };
    expect(Object.keys(doc).slice(0, 4)).toEqual(['api', 'id', 'request', 'versions']);
    expect(doc.view.options).toContain('absolute');
    expect(doc.view.time_group).toBe('average');
  });

  it('counts selected / excluded / queried in the summary and filters by alerts', async () => {
    const doc = await data(`scope_contexts=disk.io&labels=device:sda&${window}`);
    expect(doc.summary.instances.map((i) => [i.id, i.ni, i.ds])).toEqual([
      ['disk.vda', 0, { ex: 2 }],
      ['disk.sda', 0, { sl: 2, qr: 2 }],
      ['disk.vda', 1, { ex: 2 }],
    ]);
    expect(doc.totals?.instances).toEqual({ sl: 1, ex: 2, qr: 1 });
    const ram = await data(`scope_contexts=system.ram&group_by=node&alerts=ram_in_use:WARNING&${window}`);
    expect(ram.view.dimensions.names).toEqual(['parent01']);
    expect(ram.summary.alerts).toEqual([{ nm: 'ram_in_use', wr: 1, cl: 1 }]);
  });

  it('folds outputs beyond cardinality_limit into `remaining K dimensions`', async () => {
    const all = await data(`scope_contexts=system.cpu&scope_nodes=parent01&${window}`);
    const limited = await data(`scope_contexts=system.cpu&scope_nodes=parent01&cardinality_limit=2&${window}`);
    expect(limited.view.dimensions.ids).toEqual(['user', 'remaining 5 dimensions']);
    const rest = all.result.labels.slice(1).filter((id) => id !== 'user');
    column(limited, 'remaining 5 dimensions').forEach((v, i) =>
      expect(v).toBeCloseTo(
        rest.reduce((a, id) => a + (column(all, id)[i] as number), 0),
        4
      )
    );
  });

  it('format=json keeps the envelope with plain-number rows and adds anomaly_rates', async () => {
    const doc = (await data(`scope_contexts=system.load&${window}&format=json`)) as unknown as Record<
      string,
      unknown
    > & {
      result: { data: unknown[][] };
    };
    expect(Object.keys(doc).indexOf('anomaly_rates')).toBe(Object.keys(doc).indexOf('result') + 1);
    expect(doc.result.data[0].every((v) => typeof v === 'number')).toBe(true);
  });

  it('is deterministic for absolute windows', async () => {
    const a = await data(`scope_contexts=disk.io|net.net&group_by=instance&${window}`);
    const b = await data(`scope_contexts=disk.io|net.net&group_by=instance&${window}`);
    expect(a.result).toEqual(b.result);
    expect(a.view).toEqual(b.view);
  });
});

describe('netdata-api-extra.md §8.1: cardinality_limit trims summary.nodes on v2.6–v2.10 only', () => {
  const nodesOf = async (version: string, query: string): Promise<Array<Record<string, unknown>>> => {
    const fake = await startFakeNetdata({ mode: 'agent', version, oddNode: true });
    try {
      const doc = await getJson2(`${fake.url}/api/v3/data?after=-60&points=6&format=json2&${query}`);
      return doc.summary.nodes as Array<Record<string, unknown>>;
    } finally {
      await fake.close();
    }
  };

  it('v2.9: the top limit−1 nodes, then `__remaining_nodes__` without mg/nd/ni', async () => {
    const nodes = await nodesOf('v2.9.0', 'scope_contexts=system.cpu&group_by=node&cardinality_limit=2');
    expect(nodes).toHaveLength(2);
    expect(typeof nodes[0].mg).toBe('string');
    expect(nodes[1]).toMatchObject({ id: '__remaining_nodes__', nm: 'remaining 2 nodes' });
    expect(nodes[1]).not.toHaveProperty('mg');
    expect(nodes[1]).not.toHaveProperty('ni');
  });

  it('v2.9 below the limit, v2.11 and v2.5 keep every node', async () => {
    expect(await nodesOf('v2.9.0', 'scope_contexts=system.cpu&cardinality_limit=3')).toHaveLength(3);
    expect(await nodesOf('v2.11.0', 'scope_contexts=system.cpu&cardinality_limit=2')).toHaveLength(3);
    expect(await nodesOf('v2.5.0', 'scope_contexts=system.cpu&cardinality_limit=2')).toHaveLength(3);
  });
});

describe('tier 0 keeping less than tiers 1 and 2 (netdata-api-extra.md §7.5, §8.8)', () => {
  let fake: FakeNetdata;
  const KEEP = 3 * 3600;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent', tier0RetentionS: KEEP });
  });
  afterAll(() => fake.close());

  const data = (query: string): Promise<Json2Doc> => getJson2(`${fake.url}/api/v3/data?format=json2&${query}`);

  it('info db_size says tier 0 starts KEEP seconds ago while tier 1 reaches back to the collection start', async () => {
    const info = (await (await fetch(`${fake.url}/api/v3/info`)).json()) as {
      agents: Array<{ now: number; db_size: Array<{ tier: number; granularity: string; from: number }> }>;
    };
    const [t0, t1] = info.agents[0].db_size;
    expect(t0.granularity).toBe('1s');
    expect(Math.abs(info.agents[0].now - KEEP - t0.from)).toBeLessThanOrEqual(2);
    expect(t1.from).toBeLessThan(t0.from - 86400);
  });

  it('a window older than tier 0: nulls with tier=0, tier-1 averages when Netdata picks', async () => {
    const end = Math.floor(Date.now() / 1000) - KEEP - 600;
    const w = `scope_contexts=system.load&scope_nodes=parent01&after=${end - 599}&before=${end}&points=5&options=unaligned`;
    const forced = await data(`${w}&tier=0`);
    expect(forced.db.per_tier[0].points).toBe(0);
    for (const id of forced.result.labels.slice(1)) {
      expect(column(forced, id).every((v) => v === null)).toBe(true);
    }
    const picked = await data(w);
    expect(picked.db.per_tier.map((t) => t.points > 0)).toEqual([false, true, false]);
    for (const id of picked.result.labels.slice(1)) {
      expect(column(picked, id).every((v) => typeof v === 'number')).toBe(true);
    }
  });
});
