/** @jest-environment node */
// The executable against a fake Netdata Cloud, driven the way Grafana drives it.
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, startPlugin, type PluginProcess, type QueryInput } from './grafanaHost';
import { decodedSeries, expectedSeries } from './json2Expect';

jest.setTimeout(60000);

const TOKEN = 'cloud-token-0f9e8d7c6b5a4f3e2d1c';
const NOW = Date.now();
const WINDOW = { fromMs: NOW - 15 * 60_000, toMs: NOW - 60_000, maxDataPoints: 100, intervalMs: 15_000 };

function q(refId: string, json: unknown): QueryInput {
  return { refId, json, ...WINDOW };
}

describe('Netdata Cloud data source', () => {
  let fake: FakeNetdata;
  let plugin: PluginProcess;

  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'cloud', cloudToken: TOKEN });
    plugin = await startPlugin();
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
  });

  const settings = (over: { token?: string; uid?: string; spaceId?: string; roomId?: string } = {}) =>
    dataSourceSettings({
      url: fake.url,
      transport: 'cloud',
      token: TOKEN,
      spaceId: fake.spaceId,
      roomId: fake.roomId,
      uid: 'cloud',
      ...over,
    });

  it('passes CheckHealth naming space, room and node count', async () => {
    const res = await plugin.checkHealth(settings());
    expect(res.status).toBe(1);
    expect(res.message).toBe(
      `Connected to Netdata Cloud at ${fake.url}: space "Fake Space", room "All nodes": ${fake.nodes.length} nodes`
    );
  });

  it('fails CheckHealth with a wrong token, naming the token', async () => {
    const res = await plugin.checkHealth(settings({ token: 'wrong-token-123456', uid: 'wrong' }));
    expect(res.status).toBe(2);
    expect(res.message).toMatch(/token/i);
    expect(res.message).toMatch(/401/);
    expect(res.message).not.toContain('wrong-token-123456');
  });

  it('returns exactly the values of the Cloud response for system.cpu grouped by node', async () => {
    fake.requests.length = 0;
    const res = await plugin.queryData(settings(), [q('A', { context: 'system.cpu', groupBy: ['node'] })]);
    const a = res.responses.A;
    expect(a.error).toBeFalsy();
    expect(a.status).toBe(200);
    const recorded = fake.requests.find((r) => r.path.endsWith('/data'))!;
    expect(recorded.method).toBe('POST');
    expect(recorded.path).toBe(`/api/v3/spaces/${fake.spaceId}/rooms/${fake.roomId}/data`);
    expect(recorded.headers.authorization).toBe(`Bearer ${TOKEN}`);
    const again = await fetch(`${fake.url}${recorded.path}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify(recorded.body),
    });
    const expected = expectedSeries(await again.json());
    expect(expected.length).toBe(fake.nodes.length);
    const tables = decodeFrames(a.frames);
    expect(tables).toHaveLength(expected.length);
    tables.forEach((table, i) => {
      const series = decodedSeries(table);
      expect(series.labels.machine_guid).toBe(expected[i].id);
      expect(series.times).toEqual(expected[i].times);
      expect(series.values).toEqual(expected[i].values);
      expect(series.values.some((v) => v !== null)).toBe(true);
      const meta = JSON.parse(table.schema.metadata.get('meta')!);
      expect(meta.executedQueryString).toBe(`POST ${recorded.path} ${JSON.stringify(recorded.body)}`);
      expect(meta.executedQueryString).not.toContain(TOKEN);
    });
  });

  it('fails only the query that met a 401; the other succeeds and Health still works', async () => {
    await plugin.queryData(settings(), [q('warm', { context: 'system.cpu' })]);
    fake.setFault({
      kind: 'status',
      status: 401,
      body: '{"errorMsgKey":"ErrUnauthenticated"}',
      contentType: 'application/json',
      times: 1,
    });
    const res = await plugin.queryData(settings(), [
      q('A', { context: 'system.cpu' }),
      q('B', { context: 'system.load' }),
    ]);
    const answers = [res.responses.A, res.responses.B];
    const failed = answers.filter((r) => r.status !== 200);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({ status: 401, errorSource: 'downstream', error: expect.stringMatching(/token/) });
    expect(answers.filter((r) => r.status === 200)).toHaveLength(1);
    expect((await plugin.health()).status).toBe(1);
  });

  it('answers every query with the token error when the token is wrong', async () => {
    const res = await plugin.queryData(settings({ token: 'wrong-token-123456', uid: 'wrong' }), [
      q('A', { context: 'system.cpu' }),
    ]);
    expect(res.responses.A).toMatchObject({ status: 401, errorSource: 'downstream' });
    expect(res.responses.A.error).toMatch(/API token/);
  });

  it('lets a query choose its own room, and refuses a query with no room at all', async () => {
    fake.requests.length = 0;
    const noDefaults = settings({ spaceId: '', roomId: '', uid: 'nodefaults' });
    const res = await plugin.queryData(noDefaults, [
      q('A', { context: 'system.cpu', spaceId: fake.spaceId, roomId: fake.roomId }),
      q('B', { context: 'system.cpu' }),
    ]);
    expect(res.responses.A.status).toBe(200);
    expect(res.responses.B).toMatchObject({
      status: 400,
      errorSource: 'plugin',
      error: expect.stringMatching(/space/),
    });
    expect(fake.requests.filter((r) => r.path.endsWith('/data'))).toHaveLength(1);
  });

  it('serves the editor resources', async () => {
    const spaces = await plugin.callResource(settings(), 'spaces');
    expect(spaces.code).toBe(200);
    expect(spaces.body).toEqual({ spaces: [{ id: fake.spaceId, name: 'Fake Space' }] });
    const rooms = await plugin.callResource(settings(), `rooms?spaceId=${fake.spaceId}`);
    expect((rooms.body as { rooms: Array<{ id: string }> }).rooms.map((r) => r.id)).toContain(fake.roomId);
    const nodes = await plugin.callResource(settings(), 'nodes');
    expect(nodes.code).toBe(200);
    expect((nodes.body as { nodes: unknown[] }).nodes).toHaveLength(fake.nodes.length);
    const contexts = await plugin.callResource(settings(), 'contexts');
    expect(contexts.code).toBe(200);
    expect((contexts.body as { contexts: Array<{ id: string }> }).contexts.map((c) => c.id)).toContain('system.cpu');
    const wrongRoom = await plugin.callResource(settings(), 'nodes?roomId=00000000-1111-4222-8333-444444444444');
    expect(wrongRoom.code).toBeGreaterThanOrEqual(400);
    expect(wrongRoom.headers['Content-Type']).toEqual(['application/json']);
    expect(typeof (wrongRoom.body as { error: string }).error).toBe('string');
  });

  it('never logs the token and keeps stdout silent', () => {
    expect(plugin.stderrLines.join('\n')).not.toContain(TOKEN);
    expect(plugin.extraStdout).toBe('');
  });

  it('shuts down within 2 s when Grafana asks', async () => {
    const { exit, ms } = await plugin.shutdown();
    expect(exit.code).toBe(0);
    expect(ms).toBeLessThan(2000);
    expect(plugin.socketExists()).toBe(false);
  });
});
