/** @jest-environment node */
// Alert annotations through the built executable: queryType `alertTransitions` against a fake agent and a fake Cloud.
import { Type } from 'apache-arrow';
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, startPlugin, type PluginProcess, type QueryInput } from './grafanaHost';

jest.setTimeout(60000);

const NOW = Date.now();
const WINDOW = { fromMs: NOW - 6 * 3600_000, toMs: NOW - 60_000 };

function alerts(refId: string, json: Record<string, unknown>, queryType = 'alertTransitions'): QueryInput {
  return { refId, json: { ...json, queryType }, queryType, ...WINDOW };
}

function column(table: ReturnType<typeof decodeFrames>[number], name: string): unknown[] {
  const i = table.schema.fields.findIndex((f) => f.name === name);
  const vector = table.getChildAt(i)!;
  return Array.from({ length: table.numRows }, (_, r) => vector.get(r));
}

describe('alert annotations on an agent', () => {
  let fake: FakeNetdata;
  let plugin: PluginProcess;

  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent', bearerToken: '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b' });
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });

  const settings = () =>
    dataSourceSettings({ url: fake.url, uid: 'agent-anno', token: '1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b' });

  it('returns one annotation per transition the agent reports, with time, title, text and tags', async () => {
    fake.requests.length = 0;
    const res = await plugin.queryData(settings(), [alerts('A', { nodes: ['parent01'], context: 'system.ram' })]);
    const a = res.responses.A;
    expect(a.error).toBeFalsy();
    const recorded = fake.requests.find((r) => r.path === '/api/v3/alert_transitions');
    expect(recorded).toBeDefined();
    expect(recorded!.query.get('after')).toBe(String(Math.floor(WINDOW.fromMs / 1000)));
    expect(recorded!.query.get('last')).toBe('1000');
    expect(recorded!.query.get('f_status')).toBe('CRITICAL|WARNING');
    expect(recorded!.query.get('context')).toBe('system.ram');
    expect(recorded!.query.get('scope_nodes')).toBe('parent01');

    // The same request straight to the fake (with the token) is the truth the frame must show.
    const again = await fetch(`${fake.url}${recorded!.path}?${recorded!.query.toString()}`, {
      headers: { Authorization: 'Bearer 1b4e28ba-2fa1-4d3b-a3f5-ef19b5a7633b' },
    });
    const expected = (
      (await again.json()) as { transitions: Array<{ when: number; alert: string; new: { status: string } }> }
    ).transitions;
    expect(expected.length).toBeGreaterThan(0);

    const [table] = decodeFrames(a.frames);
    expect(table.schema.fields.map((f) => [f.name, f.typeId])).toEqual([
      ['time', Type.Timestamp],
      ['title', Type.Utf8],
      ['text', Type.Utf8],
      ['tags', Type.Utf8],
    ]);
    const meta = JSON.parse(table.schema.metadata.get('meta')!);
    expect(meta.type).toBeUndefined();
    expect(meta.executedQueryString).toContain('/api/v3/alert_transitions?');
    const times = column(table, 'time').map(Number);
    expect(times).toEqual(expected.map((t) => t.when * 1000).sort((x, y) => x - y));
    const titles = column(table, 'title') as string[];
    for (const title of titles) {
      expect(title).toMatch(/^ram_in_use (WARNING|CRITICAL)$/);
    }
    expect(column(table, 'text')[0]).toMatch(
      /^ram_in_use on parent01 system\.ram: CLEAR → (WARNING|CRITICAL) \(value /
    );
    expect(String(column(table, 'tags')[0]).split(',')).toEqual(expect.arrayContaining(['ram_in_use', 'parent01']));
  });

  it('reads the queryType from the query JSON alone and includes CLEAR transitions when asked', async () => {
    const res = await plugin.queryData(settings(), [
      { ...alerts('B', { alert: 'load_average_1', alertStatuses: ['CLEAR'] }), queryType: '' },
    ]);
    const [table] = decodeFrames(res.responses.B.frames);
    const titles = column(table, 'title') as string[];
    expect(titles.length).toBeGreaterThan(0);
    expect(new Set(titles)).toEqual(new Set(['load_average_1 CLEAR']));
  });

  it('refuses an invalid alert query with a readable per-query error', async () => {
    const res = await plugin.queryData(settings(), [alerts('C', { alertStatuses: ['BROKEN'] })]);
    expect(res.responses.C.status).toBe(400);
    expect(res.responses.C.error).toContain('alertStatuses[0]');
  });
});

describe('alert annotations on Netdata Cloud', () => {
  let plugin: PluginProcess;
  beforeAll(async () => {
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
  });

  it('posts the room-scoped alert_transitions body and maps the answer', async () => {
    const fake = await startFakeNetdata({ mode: 'cloud' });
    try {
      const settings = dataSourceSettings({
        url: fake.url,
        transport: 'cloud',
        token: 'cloud-token',
        spaceId: fake.spaceId,
        roomId: fake.roomId,
        uid: 'cloud-anno',
      });
      const res = await plugin.queryData(settings, [alerts('A', { alert: 'ram_in_use' })]);
      expect(res.responses.A.error).toBeFalsy();
      const post = fake.requests.find((r) => r.path.endsWith('/alert_transitions'));
      expect(post?.method).toBe('POST');
      expect(post?.path).toBe(`/api/v2/spaces/${fake.spaceId}/rooms/${fake.roomId}/alert_transitions`);
      expect(post?.body).toMatchObject({ status: ['CRITICAL', 'WARNING'], alert_names: ['ram_in_use'], last: 1000 });
      const [table] = decodeFrames(res.responses.A.frames);
      expect(table.numRows).toBeGreaterThan(0);
      expect(new Set(column(table, 'title').map((t) => String(t).split(' ')[0]))).toEqual(new Set(['ram_in_use']));
    } finally {
      await fake.close();
    }
  });

  it('explains a 403 of a scope:grafana-plugin token', async () => {
    const fake = await startFakeNetdata({ mode: 'cloud', cloudTokenScope: 'grafana-plugin' });
    try {
      const settings = dataSourceSettings({
        url: fake.url,
        transport: 'cloud',
        token: 'cloud-token',
        spaceId: fake.spaceId,
        roomId: fake.roomId,
        uid: 'cloud-anno-403',
      });
      const res = await plugin.queryData(settings, [alerts('A', {})]);
      expect(res.responses.A.status).toBe(403);
      expect(res.responses.A.error).toContain('scope:grafana-plugin');
      expect(res.responses.A.error).toContain('scope:all');
      expect(res.responses.A.error).not.toContain('cloud-token');
    } finally {
      await fake.close();
    }
  });
});
