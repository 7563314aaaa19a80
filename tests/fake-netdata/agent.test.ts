/** @jest-environment node */
import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import { call, parseJson } from './testHttp';

const TOKEN = '3c2e1a4b-5d6f-4a7b-8c9d-0e1f2a3b4c5d';
const UNAUTHORIZED = 'You need to be authorized to access this resource';

describe('agent routing and errors (§2.1, §2.5, §8.8)', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
  });
  afterAll(() => fake.close());

  it('answers unknown versions 404 text/html and unknown commands 404 text/plain', async () => {
    const v4 = await call(`${fake.url}/api/v4/data?contexts=system.cpu`);
    expect(v4.status).toBe(404);
    expect(v4.contentType).toMatch(/^text\/html/);
    expect(v4.text).toBe('Unsupported API version: v4');
    const upper = await call(`${fake.url}/api/V3/data`);
    expect(upper.text).toBe('Unsupported API version: V3');
    const cmd = await call(`${fake.url}/api/v2/nosuchthing`);
    expect(cmd.status).toBe(404);
    expect(cmd.contentType).toMatch(/^text\/plain/);
    expect(cmd.text).toBe('Unsupported API command: nosuchthing');
    expect((await call(`${fake.url}/api/v3/DATA`)).text).toBe('Unsupported API command: DATA');
  });

  it('answers missing version / command and sub-paths 400 text/plain', async () => {
    const noVersion = await call(`${fake.url}/api/`);
    expect([noVersion.status, noVersion.text]).toEqual([400, 'Which API version?']);
    const noCommand = await call(`${fake.url}/api/v3/`);
    expect([noCommand.status, noCommand.text]).toEqual([400, 'Which API command?']);
    const sub = await call(`${fake.url}/api/v3/data/extra`);
    expect([sub.status, sub.text]).toEqual([400, "API command 'data' does not support subpaths."]);
    expect(sub.contentType).toMatch(/^text\/plain/);
  });

  it('answers a negative data timeout 499 with an empty body, and 504 on contexts', async () => {
    const data = await call(`${fake.url}/api/v3/data?scope_contexts=system.cpu&timeout=-1`);
    expect(data.status).toBe(499);
    expect(data.text).toBe('');
    expect(data.contentType).toMatch(/^text\/plain/);
    const ctx = await call(`${fake.url}/api/v3/contexts?timeout=-1`);
    expect([ctx.status, ctx.text]).toEqual([504, 'query timeout']);
  });

  it('validates the /host/ prefix; v2/v3 data ignore it', async () => {
    const unknown = await call(`${fake.url}/host/nosuch/api/v3/data`);
    expect(unknown.status).toBe(404);
    expect(unknown.contentType).toMatch(/^text\/html/);
    expect(unknown.text).toBe('This netdata does not maintain a database for host: nosuch');
    const child = await call(`${fake.url}/host/child01/api/v3/data?scope_contexts=system.load&group_by=node&after=-30`);
    expect(parseJson(child.text).result).toMatchObject({ labels: ['time', fake.nodes[0].mg, fake.nodes[1].mg] });
    const v1 = parseJson((await call(`${fake.url}/host/child01/api/v1/info`)).text);
    expect(v1.uid).toBe(fake.nodes[1].mg);
  });

  it('answers the v2/v3 node list, contexts and alert history for every node under /host/<child> (§6)', async () => {
    const names = (body: unknown) => (parseJson(String(body)).nodes as Array<{ nm: string }>).map((n) => n.nm);
    expect(names((await call(`${fake.url}/host/child01/api/v3/nodes`)).text)).toEqual(['parent01', 'child01']);
    expect(names((await call(`${fake.url}/host/child01/api/v2/contexts`)).text)).toEqual(['parent01', 'child01']);
    const history = parseJson(
      (await call(`${fake.url}/host/child01/api/v3/alert_transitions?after=-86400&before=0&last=100000`)).text
    ).transitions as Array<{ hostname: string }>;
    expect(new Set(history.map((t) => t.hostname))).toEqual(new Set(['parent01', 'child01']));
    const scoped = parseJson((await call(`${fake.url}/api/v3/nodes?scope_nodes=${fake.nodes[1].mg}`)).text)
      .nodes as Array<{ nm: string }>;
    expect(scoped.map((n) => n.nm)).toEqual(['child01']);
  });

  it('caps alert history at `last` newest transitions, counts the older ones in items.after, pages by anchor_gi', async () => {
    type Doc = { transitions: Array<{ gi: number; when: number }>; items: { matched: number; after: number } };
    const week = '/api/v3/alert_transitions?after=-604800&before=0';
    const one = parseJson((await call(`${fake.url}${week}`)).text) as unknown as Doc;
    expect(one.transitions).toHaveLength(1); // `last` defaults to 1
    const all = parseJson((await call(`${fake.url}${week}&last=100000`)).text) as unknown as Doc;
    expect(all.transitions.length).toBeGreaterThan(500);
    expect(all.items.after).toBe(0);
    const capped = parseJson((await call(`${fake.url}${week}&last=500`)).text) as unknown as Doc;
    expect(capped.transitions).toHaveLength(500);
    expect(capped.transitions).toEqual(all.transitions.slice(0, 500)); // the newest, newest first
    expect(capped.items.after).toBe(all.transitions.length - 500);
    const anchorGi = all.transitions[10].gi;
    const newer = parseJson((await call(`${fake.url}${week}&last=500&anchor_gi=${anchorGi}`)).text) as unknown as Doc;
    expect(newer.transitions.every((t) => t.gi > anchorGi)).toBe(true);
    expect(newer.transitions.length).toBe(all.transitions.filter((t) => t.gi > anchorGi).length);
  });

  it('caches relative data windows publicly and absolute ones not at all', async () => {
    const rel = await call(`${fake.url}/api/v3/data?scope_contexts=system.load&after=-60`);
    expect(rel.headers.get('cache-control')).toBe('public');
    const t = Math.floor(Date.now() / 1000) - 100;
    const abs = await call(`${fake.url}/api/v3/data?scope_contexts=system.load&after=${t - 60}&before=${t}`);
    expect(abs.headers.get('cache-control')).toBe('no-cache, no-store, must-revalidate');
  });

  it('serves the v1 API: info, data (404 when nothing matched, 400 without chart/context)', async () => {
    const info = parseJson((await call(`${fake.url}/api/v1/info`)).text);
    expect(info.version).toBe('v2.9.0');
    expect(info.mirrored_hosts).toEqual(['parent01', 'child01']);
    const none = await call(`${fake.url}/api/v1/data?chart=no.such.chart`);
    expect([none.status, none.text]).toEqual([404, 'No metrics where matched to query.']);
    const missing = await call(`${fake.url}/api/v1/data?points=3`);
    expect([missing.status, missing.text]).toEqual([400, 'No chart or context is given.']);
    const data = parseJson(
      (await call(`${fake.url}/api/v1/data?chart=system.load&after=-60&points=3&options=jsonwrap`)).text
    );
    expect(data.api).toBe(1);
    expect(data.dimension_names).toEqual(['load1', 'load5', 'load15']);
    const result = data.result as { labels: string[]; data: number[][] };
    expect(result.labels).toEqual(['time', 'load1', 'load5', 'load15']);
    expect(result.data).toHaveLength(3);
    expect(result.data[0][0]).toBeGreaterThan(result.data[2][0]);
    expect(typeof result.data[0][1]).toBe('number');
    // v1 never aggregates across charts: one column per chart × dimension (netdata-api-extra.md §4.5).
    const plain = parseJson((await call(`${fake.url}/api/v1/data?context=disk.io&dims=reads&after=-10`)).text);
    expect(Object.keys(plain)).toEqual(['labels', 'data']);
    expect(plain.labels).toEqual(['time', 'reads', 'reads']);
    const wrapped = parseJson(
      (await call(`${fake.url}/api/v1/data?context=disk.io&after=-10&options=jsonwrap,seconds&chart_label_key=device`))
        .text
    );
    expect(wrapped.chart_ids).toEqual(['disk.vda', 'disk.vda', 'disk.sda', 'disk.sda']);
    expect(wrapped.chart_labels).toEqual({ device: ['vda', 'vda', 'sda', 'sda'] });
    expect(wrapped.dimension_names).toEqual(['reads', 'writes', 'reads', 'writes']);
    expect(typeof wrapped.options).toBe('string');
    expect(String(wrapped.id)).toMatch(/^context:\/\/host:parent01\/contexts:disk\.io\//);
  });

  it('serves the v1 charts and alarm log of each host (netdata-api-extra.md §4.3, §4.6)', async () => {
    const charts = parseJson((await call(`${fake.url}/api/v1/charts`)).text) as {
      hostname: string;
      charts: Record<
        string,
        {
          context: string;
          title: string;
          dimensions: Record<string, { name: string }>;
          chart_labels: Record<string, string>;
        }
      >;
    };
    expect(charts.hostname).toBe('parent01');
    expect(charts.charts['system.cpu'].title).toBe('Total CPU utilization (system.cpu)');
    expect(Object.keys(charts.charts['system.cpu'].dimensions)).not.toContain('idle');
    expect(charts.charts['disk.sda'].chart_labels).toMatchObject({ device: 'sda', mount_point: '/data' });
    const child = parseJson((await call(`${fake.url}/host/child01/api/v1/charts`)).text) as { hostname: string };
    expect(child.hostname).toBe('child01');
    const log = JSON.parse((await call(`${fake.url}/api/v1/alarm_log`)).text) as Array<{
      unique_id: number;
      hostname: string;
      status: string;
      when: number;
    }>;
    expect(log.length).toBeGreaterThan(0);
    expect(log.every((e) => e.hostname === 'parent01')).toBe(true);
    expect(log.map((e) => e.unique_id)).toEqual([...log.map((e) => e.unique_id)].sort((a, b) => b - a));
    const newer = JSON.parse((await call(`${fake.url}/api/v1/alarm_log?after=${log[1].unique_id}`)).text) as unknown[];
    expect(newer).toHaveLength(1);
  });
});

describe('bearer protection (§2.4)', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent', bearerToken: TOKEN });
  });
  afterAll(() => fake.close());

  const protectedPaths = [
    '/api/v3/data?scope_contexts=system.cpu',
    '/api/v2/data?scope_contexts=system.cpu',
    '/api/v3/contexts',
    '/api/v3/nodes',
    '/api/v2/info',
    '/api/v1/info',
    '/api/v1/data?chart=system.cpu',
    '/api/v3/versions',
  ];

  it('answers 412 text/plain without a valid token, with a non-token or a wrong one', async () => {
    for (const path of protectedPaths) {
      const variants: Array<Record<string, string>> = [
        {},
        { Authorization: 'Bearer 00000000-0000-0000-0000-000000000000' },
        { Authorization: 'Bearer nonsense' },
        { Authorization: TOKEN },
      ];
      for (const headers of variants) {
        const r = await call(`${fake.url}${path}`, { headers });
        expect([path, r.status, r.text]).toEqual([path, 412, UNAUTHORIZED]);
        expect(r.contentType).toMatch(/^text\/plain/);
        expect(r.headers.get('www-authenticate')).toBeNull();
      }
    }
    expect((await call(`${fake.url}/api/v3/data?scope_contexts=system.cpu&token=${TOKEN}`)).status).toBe(412);
  });

  it('accepts Authorization or X-Netdata-Auth, Bearer in any case', async () => {
    const variants: Array<Record<string, string>> = [
      { Authorization: `Bearer ${TOKEN}` },
      { Authorization: `bearer ${TOKEN}` },
      { 'X-Netdata-Auth': `Bearer ${TOKEN}` },
      { 'X-Netdata-Auth': `BEARER ${TOKEN}`, Authorization: 'Bearer wrong' },
    ];
    for (const headers of variants) {
      const r = await call(`${fake.url}/api/v3/data?scope_contexts=system.cpu&after=-10`, { headers });
      expect(r.status).toBe(200);
    }
  });

  it('keeps /api/v3/info and /api/v3/me public and reports the protection', async () => {
    const info = await call(`${fake.url}/api/v3/info`);
    expect(info.status).toBe(200);
    const agents = parseJson(info.text).agents as Array<{ api: { bearer_protection: boolean } }>;
    expect(agents[0].api.bearer_protection).toBe(true);
    expect(parseJson((await call(`${fake.url}/api/v3/me`)).text).auth).toBe('none');
    const me = await call(`${fake.url}/api/v3/me`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(parseJson(me.text).auth).toBe('bearer');
  });

  it('checks the version and the command before the token', async () => {
    expect((await call(`${fake.url}/api/v9/data`)).status).toBe(404);
    expect((await call(`${fake.url}/api/v3/nosuch`)).status).toBe(404);
  });
});

describe('API levels (§2.6, §7)', () => {
  it('an API level 1 agent (Netdata 1.37) has only v1', async () => {
    const fake = await startFakeNetdata({ mode: 'agent', apiLevel: 1 });
    try {
      for (const v of ['v2', 'v3']) {
        const r = await call(`${fake.url}/api/${v}/info`);
        expect([r.status, r.text]).toEqual([404, `Unsupported API version: ${v}`]);
        expect(r.contentType).toMatch(/^text\/html/);
      }
      const info = parseJson((await call(`${fake.url}/api/v1/info`)).text);
      expect(info.version).toBe('v1.37.1');
    } finally {
      await fake.close();
    }
  });

  it('an API level 2 agent has v2 but not v3, and answers `api: 2`', async () => {
    const fake = await startFakeNetdata({ mode: 'agent', apiLevel: 2 });
    try {
      expect((await call(`${fake.url}/api/v3/info`)).text).toBe('Unsupported API version: v3');
      const info = parseJson((await call(`${fake.url}/api/v2/info`)).text);
      const agents = info.agents as Array<{ application: { package: { version: string } } }>;
      expect(agents[0].application.package.version).toBe('v1.47.5');
      const data = parseJson((await call(`${fake.url}/api/v2/data?scope_contexts=system.load&after=-30`)).text);
      expect(data.api).toBe(2);
    } finally {
      await fake.close();
    }
  });

  it('v1.47 info has no node counts, capabilities or api object; ≥ v2.0 counts archived nodes in total', async () => {
    const old = await startFakeNetdata({ mode: 'agent', apiLevel: 2, archivedNode: true });
    const current = await startFakeNetdata({ mode: 'agent', archivedNode: true });
    try {
      const agent = (
        parseJson((await call(`${old.url}/api/v2/info`)).text).agents as Array<Record<string, unknown>>
      )[0];
      for (const key of ['nodes', 'metrics', 'instances', 'contexts', 'capabilities', 'api']) {
        expect(agent).not.toHaveProperty(key);
      }
      expect(agent).toHaveProperty('db_size');
      const list = parseJson((await call(`${old.url}/api/v2/nodes`)).text).nodes as Array<{
        nm: string;
        state: string;
      }>;
      expect(list.map((n) => [n.nm, n.state])).toEqual([
        ['parent01', 'reachable'],
        ['child01', 'reachable'],
        ['child02', 'stale'],
      ]);
      const now = (parseJson((await call(`${current.url}/api/v3/info`)).text).agents as Array<{ nodes: unknown }>)[0];
      expect(now.nodes).toEqual({ total: 3, receiving: 1, sending: 0, archived: 1 });
    } finally {
      await old.close();
      await current.close();
    }
  });

  it('/api/v3/data answers api 3 from v2.6 on and api 2 before', async () => {
    const old = await startFakeNetdata({ mode: 'agent', version: 'v2.5.0' });
    const current = await startFakeNetdata({ mode: 'agent' });
    try {
      const path = '/api/v3/data?scope_contexts=system.load&after=-30';
      expect(parseJson((await call(`${old.url}${path}`)).text).api).toBe(2);
      expect(parseJson((await call(`${current.url}${path}`)).text).api).toBe(3);
      expect(parseJson((await call(`${current.url}${path.replace('v3', 'v2')}`)).text).api).toBe(2);
    } finally {
      await old.close();
      await current.close();
    }
  });
});
