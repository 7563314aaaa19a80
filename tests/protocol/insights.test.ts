/** @jest-environment node */
// Issue 12 through the built executable: correlations, current alerts and nodes tables, "Open in Netdata" links and
// the search resource, against the fake agent (and the fake Cloud where it has the endpoint).
import { Type } from 'apache-arrow';
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, startPlugin, type PluginProcess, type QueryInput } from './grafanaHost';

jest.setTimeout(60000);

const NOW = Date.now();
const WINDOW = { fromMs: NOW - 10 * 60_000, toMs: NOW - 60_000 };

type Table = ReturnType<typeof decodeFrames>[number];

function query(refId: string, queryType: string, json: Record<string, unknown>): QueryInput {
  return { refId, json: { ...json, queryType }, queryType, ...WINDOW };
}

function column(table: Table, name: string): unknown[] {
  const i = table.schema.fields.findIndex((f) => f.name === name);
  const vector = table.getChildAt(i)!;
  return Array.from({ length: table.numRows }, (_, r) => vector.get(r));
}

function fieldConfig(table: Table, name: string): Record<string, any> {
  const field = table.schema.fields.find((f) => f.name === name)!;
  return JSON.parse(field.metadata.get('config') ?? '{}');
}

describe('issue 12 on an agent', () => {
  let fake: FakeNetdata;
  let plugin: PluginProcess;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });
  const settings = () => dataSourceSettings({ url: fake.url, uid: 'nd-insights' });

  it('ranks what changed: one sorted table, a row per changed series, Explore and Netdata links', async () => {
    fake.requests.length = 0;
    const res = await plugin.queryData(settings(), [
      query('A', 'correlations', { contexts: 'system.*', nodes: ['parent01'], limit: 500 }),
    ]);
    const a = res.responses.A;
    expect(a.error).toBeFalsy();
    const sent = fake.requests.find((r) => r.path === '/api/v3/weights')!;
    expect(sent.query.get('method')).toBe('ks2');
    expect(sent.query.get('options')).toBe('raw,nonzero');
    expect(Number(sent.query.get('baseline_before'))).toBe(Math.floor(WINDOW.fromMs / 1000));

    // What the agent scored (the same request, straight to the fake) is the truth the table must show.
    const direct = (await (await fetch(`${fake.url}${sent.path}?${sent.query.toString()}`)).json()) as {
      result: unknown[][];
      dictionaries: {
        dimensions: Array<{ id: string; nm?: string; di: number }>;
        contexts: Array<{ id: string; ci: number }>;
      };
    };
    const changed = direct.result.filter((r) => r[0] === 0);
    expect(changed.length).toBeGreaterThan(5);

    const frames = decodeFrames(a.frames);
    expect(frames).toHaveLength(1);
    const [table] = frames;
    expect(table.schema.fields.map((f) => [f.name, f.typeId])).toEqual([
      ['node', Type.Utf8],
      ['context', Type.Utf8],
      ['instance', Type.Utf8],
      ['dimension', Type.Utf8],
      ['score', Type.Float],
      ['units', Type.Utf8],
    ]);
    expect(table.numRows).toBe(changed.length);
    const scores = column(table, 'score') as number[];
    expect([...scores].sort((x, y) => y - x)).toEqual(scores);
    const rows = new Set(
      Array.from({ length: table.numRows }, (_, i) => `${column(table, 'context')[i]}/${column(table, 'dimension')[i]}`)
    );
    for (const r of changed) {
      const ctx = direct.dictionaries.contexts.find((c) => c.ci === r[2])!.id;
      const dim = direct.dictionaries.dimensions.find((d) => d.di === r[4])!;
      expect(rows).toContain(`${ctx}/${dim.nm ?? dim.id}`);
    }
    expect(new Set(column(table, 'node'))).toEqual(new Set(['parent01']));

    const links = fieldConfig(table, 'dimension').links as Array<Record<string, any>>;
    expect(links.map((l) => l.title)).toEqual(['Explore this series', 'Open in Netdata']);
    expect(links[0].internal).toMatchObject({
      datasourceUid: 'nd-insights',
      query: { queryType: 'metrics', context: '${__data.fields.context}', nodes: ['${__data.fields.node}'] },
    });
    const from = Date.parse(links[0].internal.timeRange.from);
    const to = Date.parse(links[0].internal.timeRange.to);
    // Highlight + the baseline Netdata used (4 highlights before it).
    expect(Math.round((to - from) / ((WINDOW.toMs - WINDOW.fromMs) * 5))).toBe(1);
    expect(links[1].url.startsWith(`${fake.url}/host/\${__data.fields.node}/#after=`)).toBe(true);
    const meta = JSON.parse(table.schema.metadata.get('meta')!);
    expect(meta.preferredVisualisationType).toBe('table');
    expect(meta.notices.some((n: { text: string }) => n.text.startsWith('Baseline used by Netdata: '))).toBe(true);
  });

  it('fails alone with a clear error for a window too small, and for anomaly-rate without ML', async () => {
    const res = await plugin.queryData(settings(), [
      { ...query('A', 'correlations', {}), fromMs: NOW - 5000, toMs: NOW },
      query('B', 'correlations', { method: 'anomaly-rate' }),
      query('C', 'correlations', { method: 'value', contexts: 'system.load' }),
    ]);
    expect(res.responses.A.error).toMatch(/need a time range of at least 15 s/);
    expect(res.responses.B.error).toMatch(/anomaly-rate needs Netdata's machine learning, which is off/);
    expect(res.responses.C.error).toBeFalsy();
  });

  it('lists current alerts with status colours', async () => {
    const res = await plugin.queryData(settings(), [
      query('A', 'alerts', {}),
      query('B', 'alerts', { statuses: ['CLEAR'], alert: 'load_*' }),
    ]);
    const [a] = decodeFrames(res.responses.A.frames);
    expect(a.schema.fields.map((f) => f.name)).toEqual([
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
    expect(column(a, 'alert')).toEqual(['ram_in_use']);
    expect(column(a, 'status')).toEqual(['WARNING']);
    expect(column(a, 'node')).toEqual(['parent01']);
    const status = fieldConfig(a, 'status');
    expect(status.mappings[0].options.WARNING.color).toBe('orange');
    expect(status.custom.cellOptions.type).toBe('color-background');
    const [b] = decodeFrames(res.responses.B.frames);
    expect(b.numRows).toBe(6);
    expect(new Set(column(b, 'status'))).toEqual(new Set(['CLEAR']));
  });

  it('lists the nodes with versions, alert counts and labels', async () => {
    const res = await plugin.queryData(settings(), [
      query('A', 'nodes', {}),
      query('B', 'nodes', { nodes: ['child*'] }),
    ]);
    const [a] = decodeFrames(res.responses.A.frames);
    expect(column(a, 'node')).toEqual(['child01', 'parent01']);
    expect(column(a, 'reachable')).toEqual([1, 1]);
    expect(column(a, 'warning')).toEqual([0, 1]);
    expect(a.schema.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['machine_guid', 'version', 'os']));
    const [b] = decodeFrames(res.responses.B.frames);
    expect(column(b, 'node')).toEqual(['child01']);
    expect(fieldConfig(b, 'node').links[0].url).toBe(`${fake.url}/host/\${__data.fields.node}/`);
  });

  it('puts an Open in Netdata link on every metrics series', async () => {
    const res = await plugin.queryData(settings(), [
      query('A', 'metrics', { context: 'system.cpu', nodes: ['parent01'] }),
    ]);
    const frames = decodeFrames(res.responses.A.frames);
    expect(frames.length).toBeGreaterThan(1);
    for (const f of frames) {
      const links = fieldConfig(f, f.schema.fields[1].name).links;
      expect(links).toEqual([
        {
          title: 'Open in Netdata',
          url: `${fake.url}/host/parent01/#after=\${__from};before=\${__to};chart=system.cpu`,
          targetBlank: true,
        },
      ]);
    }
  });

  it('searches: search?q=cpu returns system.cpu with what matched; the text is sent as data', async () => {
    fake.requests.length = 0;
    const res = await plugin.callResource(settings(), 'search?q=cpu');
    expect(res.code).toBe(200);
    const body = res.body as { contexts: Array<{ id: string; matched: string[] }>; exact: boolean };
    expect(body.exact).toBe(true);
    const cpu = body.contexts.find((c) => c.id === 'system.cpu');
    expect(cpu?.matched).toEqual(expect.arrayContaining(['context id', 'title', 'instance system.cpu']));
    expect(fake.requests.find((r) => r.path === '/api/v3/q')?.query.get('q')).toBe('*cpu*');

    const tricky = await plugin.callResource(settings(), `search?q=${encodeURIComponent('../../api/v1/info & x')}`);
    expect(tricky.code).toBe(200);
    expect(
      fake.requests.every((r) => r.path === '/api/v3/q' || r.path.endsWith('/info') || r.path.endsWith('/contexts'))
    ).toBe(true);
    const bad = await plugin.callResource(settings(), 'search?q=cpu&qq=1');
    expect(bad.code).toBe(400);
  });
});

describe('search before v2.6 (whole-string q)', () => {
  let fake: FakeNetdata;
  let plugin: PluginProcess;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent', version: 'v1.47.5' });
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });

  it('merges q with the context list filtered by substring and says the result is not exact', async () => {
    const res = await plugin.callResource(dataSourceSettings({ url: fake.url }), 'search?q=CPU');
    const body = res.body as { contexts: Array<{ id: string; title?: string; matched: string[] }>; exact: boolean };
    expect(body.exact).toBe(false);
    expect(body.contexts.map((c) => c.id)).toContain('system.cpu');
  });
});

describe('issue 12 on Netdata Cloud', () => {
  it('lists the room nodes and filters them by pattern', async () => {
    const fake = await startFakeNetdata({ mode: 'cloud' });
    const plugin = await startPlugin();
    try {
      const settings = dataSourceSettings({
        url: fake.url,
        transport: 'cloud',
        token: 'cloud-token',
        spaceId: fake.spaceId,
        roomId: fake.roomId,
      });
      const res = await plugin.queryData(settings, [query('A', 'nodes', { nodes: ['parent*'] })]);
      expect(res.responses.A.error).toBeFalsy();
      const [table] = decodeFrames(res.responses.A.frames);
      expect(column(table, 'node')).toEqual(['parent01']);
      expect(String(column(table, 'node_id')[0])).toMatch(/^[0-9a-f-]{36}$/);
      expect(fieldConfig(table, 'node').links[0].url).toBe(
        `${fake.url}/spaces/${fake.spaceId}/rooms/${fake.roomId}/overview`
      );
      const more = await plugin.queryData(settings, [
        query('B', 'correlations', { contexts: 'system.cpu', method: 'volume' }),
        query('C', 'alerts', { statuses: ['WARNING'] }),
      ]);
      expect(more.responses.B.error).toBeFalsy();
      const [scores] = decodeFrames(more.responses.B.frames);
      expect(scores.numRows).toBeGreaterThan(0);
      expect(new Set(column(scores, 'context'))).toEqual(new Set(['system.cpu']));
      expect(fake.requests.find((r) => r.path.endsWith('/weights'))?.body).toMatchObject({ method: 'volume' });
      const [firing] = decodeFrames(more.responses.C.frames);
      expect(column(firing, 'alert')).toEqual(['ram_in_use']);
      const search = await plugin.callResource(settings, 'search?q=disk');
      expect((search.body as { contexts: Array<{ id: string }> }).contexts.map((c) => c.id)).toEqual(['disk.io']);
    } finally {
      await plugin.kill();
      await fake.close();
    }
  });
});

describe('Cloud alerts with a scope:grafana-plugin token', () => {
  it('fails the alerts query alone, saying which token scope is needed', async () => {
    const fake = await startFakeNetdata({ mode: 'cloud', cloudTokenScope: 'grafana-plugin' });
    const plugin = await startPlugin();
    try {
      const settings = dataSourceSettings({
        url: fake.url,
        transport: 'cloud',
        token: 'cloud-token',
        spaceId: fake.spaceId,
        roomId: fake.roomId,
      });
      const res = await plugin.queryData(settings, [query('A', 'alerts', {}), query('B', 'nodes', {})]);
      expect(res.responses.A.error).toMatch(/scope:all for alerts/);
      expect(res.responses.A.error).not.toContain('cloud-token');
      expect(res.responses.B.error).toBeFalsy();
    } finally {
      await plugin.kill();
      await fake.close();
    }
  });
});
