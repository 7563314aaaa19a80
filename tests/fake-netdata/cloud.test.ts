/** @jest-environment node */
import type { FakeNetdata } from './server';
import { FAKE_PRODUCTION_ROOM_ID, startFakeNetdata } from './server';
import type { Json2Doc } from './testHttp';
import { call, parseJson } from './testHttp';

const TOKEN = 'cloud-token';
const BAD_REQUEST = { errorMsgKey: 'ErrBadRequest', errorMessage: 'Bad Request', errorCode: '1BIKRyPlV9-124244066' };

describe('Netdata Cloud (§6)', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'cloud' });
  });
  afterAll(() => fake.close());

  const auth = { Authorization: `Bearer ${TOKEN}` };
  const post = (what: string, body: unknown, room = fake.roomId): ReturnType<typeof call> =>
    call(`${fake.url}/api/v3/spaces/${fake.spaceId}/rooms/${room}/${what}`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const dataDoc = async (body: unknown): Promise<Json2Doc> => {
    const r = await post('data', body);
    expect(r.status).toBe(200);
    return JSON.parse(r.text) as Json2Doc;
  };

  it('serves two claimed nodes', () => {
    expect(fake.nodes).toHaveLength(2);
    expect(fake.nodes.every((n) => typeof n.nd === 'string')).toBe(true);
  });

  it('answers 401 JSON without a token or with a wrong one', async () => {
    const variants: Array<Record<string, string>> = [{}, { Authorization: 'Bearer wrong' }, { Authorization: TOKEN }];
    for (const headers of variants) {
      const r = await call(`${fake.url}/api/v2/accounts/me`, { headers });
      expect(r.status).toBe(401);
      expect(r.contentType).toMatch(/^application\/json/);
      expect(parseJson(r.text).errorMsgKey).toEqual(expect.any(String));
    }
    expect((await call(`${fake.url}/api/v2/spaces`)).status).toBe(401);
  });

  it('lists the account, spaces and rooms', async () => {
    const me = parseJson((await call(`${fake.url}/api/v2/accounts/me`, { headers: auth })).text);
    expect(me.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(me.id).not.toBe('00000000-0000-0000-0000-000000000000');
    const spaces = JSON.parse((await call(`${fake.url}/api/v2/spaces`, { headers: auth })).text) as Array<{
      id: string;
    }>;
    expect(spaces.map((s) => s.id)).toEqual([fake.spaceId]);
    const rooms = JSON.parse(
      (await call(`${fake.url}/api/v2/spaces/${fake.spaceId}/rooms`, { headers: auth })).text
    ) as Array<{ id: string; name: string; untouchable: boolean; node_count: number }>;
    expect(rooms.map((r) => [r.id, r.untouchable, r.node_count])).toEqual([
      [fake.roomId, true, 2],
      [FAKE_PRODUCTION_ROOM_ID, false, 1],
    ]);
  });

  it('answers unknown spaces and rooms 404 JSON and unknown paths 404 HTML', async () => {
    const space = await call(`${fake.url}/api/v2/spaces/nope/rooms`, { headers: auth });
    expect(space.status).toBe(404);
    expect(parseJson(space.text).errorMsgKey).toBe('ErrNotFound');
    const room = await post('data', {}, 'nope');
    expect(room.status).toBe(404);
    expect(room.contentType).toMatch(/^application\/json/);
    const path = await call(`${fake.url}/api/v1/data?chart=system.cpu`, { headers: auth });
    expect(path.status).toBe(404);
    expect(path.contentType).toMatch(/^text\/html/);
  });

  it('rejects scope.nodes that are not node UUIDs with the §6.5 400 body', async () => {
    for (const nodes of [['parent01'], [fake.nodes[0].mg.slice(0, 8)], ['*']]) {
      const r = await post('data', { scope: { contexts: ['system.cpu'], nodes } });
      expect(r.status).toBe(400);
      expect(parseJson(r.text)).toEqual(BAD_REQUEST);
    }
    const broken = await post('data', '{"scope":');
    expect([broken.status, parseJson(broken.text)]).toEqual([400, BAD_REQUEST]);
    const wrongType = await post('data', { scope: { contexts: 'system.cpu', nodes: 'x' } });
    expect(wrongType.status).toBe(400);
  });

  it('scopes to the room nodes, node UUIDs or all when omitted, selectors by hostname', async () => {
    const [parent, child] = fake.nodes;
    const base = {
      scope: { contexts: ['system.load'] },
      window: { after: -60, before: 0, points: 3 },
      aggregations: { metrics: [{ group_by: ['node'], group_by_label: [], aggregation: 'avg' }] },
    };
    expect((await dataDoc(base)).view.dimensions.names).toEqual(['parent01', 'child01']);
    const one = await dataDoc({ ...base, scope: { ...base.scope, nodes: [child.nd] } });
    expect(one.view.dimensions.ids).toEqual([child.mg]);
    expect(one.summary.nodes.map((n) => n.nd)).toEqual([child.nd]);
    const empty = await dataDoc({ ...base, scope: { ...base.scope, nodes: [] } });
    expect(empty.view.dimensions.ids).toEqual([parent.mg, child.mg]);
    const selected = await dataDoc({ ...base, selectors: { nodes: ['child*'] } });
    expect(selected.view.dimensions.names).toEqual(['child01']);
    expect(selected.summary.nodes).toHaveLength(2);
    const production = await post('data', base, FAKE_PRODUCTION_ROOM_ID);
    expect((JSON.parse(production.text) as Json2Doc).view.dimensions.names).toEqual(['parent01']);
  });

  it('answers json2 with summary.nodes[].st and one agent per node', async () => {
    const doc = await dataDoc({ scope: { contexts: ['system.cpu'] }, window: { after: -60, points: 2 } });
    expect(Object.keys(doc)).toEqual([
      'api',
      'versions',
      'summary',
      'totals',
      'functions',
      'result',
      'db',
      'view',
      'agents',
      'timings',
    ]);
    expect(doc.summary.nodes.map((n) => n.st)).toEqual([
      { ai: 0, code: 200, msg: '' },
      { ai: 1, code: 200, msg: '' },
    ]);
    expect(doc.agents?.map((a) => a.nm)).toEqual(['parent01', 'child01']);
  });

  it('clamps points above 500 when more than one node is involved', async () => {
    const t = Math.floor(Date.now() / 1000) - 7200;
    const window = { after: t - 2999, before: t, points: 1000 };
    const options = ['unaligned'];
    const both = await dataDoc({ scope: { contexts: ['system.cpu'] }, window, options });
    expect(both.result.data).toHaveLength(500);
    expect(both.view.update_every).toBe(6);
    const single = await dataDoc({ scope: { contexts: ['system.cpu'], nodes: [fake.nodes[0].nd] }, window, options });
    expect(single.result.data).toHaveLength(1000);
    expect(single.view.update_every).toBe(3);
  });

  it('reads snake_case group_by and ignores a camelCase groupBy like any unknown field', async () => {
    const window = { after: -60, points: 2 };
    const snake = await dataDoc({
      scope: { contexts: ['disk.io'] },
      window,
      aggregations: { metrics: [{ group_by: ['node'], aggregation: 'sum' }] },
    });
    expect(snake.view.dimensions.grouped_by).toEqual(['node']);
    const camel = await dataDoc({
      scope: { contexts: ['disk.io'] },
      window,
      aggregations: { metrics: [{ groupBy: ['node'], aggregation: 'sum' }] },
    });
    expect(camel.view.dimensions.grouped_by).toEqual(['dimension']);
    expect(camel.view.dimensions.ids).toEqual(['reads', 'writes']);
  });

  it('lists room nodes and contexts', async () => {
    const nodes = parseJson((await post('nodes', {})).text).nodes as Array<{ nd: string; nm: string }>;
    expect(nodes.map((n) => [n.nd, n.nm])).toEqual(fake.nodes.map((n) => [n.nd, n.nm]));
    const ctx = parseJson(
      (await post('contexts', { scope: { contexts: ['system.*'], nodes: [] }, selectors: { contexts: [], nodes: [] } }))
        .text
    );
    expect(Object.keys(ctx.contexts as object)).toEqual(['system.cpu', 'system.load', 'system.ram']);
    const bad = await post('nodes', { scope: { nodes: ['parent01'] } });
    expect(bad.status).toBe(400);
  });
});
