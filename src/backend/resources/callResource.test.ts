/** @jest-environment node */
import contextsFixture from '../../../tests/fixtures/netdata-2.9/v3_contexts_system_cpu_options.json';
import nodesFixture from '../../../tests/fixtures/netdata-2.9/v2_nodes.json';
import v3Info from '../../../tests/fixtures/netdata-2.9/v3_info.json';
import { InstanceCache } from '../datasource/instanceCache';
import { createLogger } from '../log/logger';
import type { CallContext } from '../protocol/callContext';
import type { DataSourceInstanceSettingsMsg } from '../protocol/messages';
import { stubFetch, type StubRoute } from '../testing/stubFetch';
import { callResource } from './callResource';
import { instanceSettings } from '../testing/instanceSettings';

const ctx: CallContext = {
  signal: new AbortController().signal,
  timeLeftMs: () => undefined,
  dispose: () => undefined,
};
const log = createLogger({ level: 'error', write: () => undefined });

function settings(json: object = {}, token?: string, url = 'http://agent:19999'): DataSourceInstanceSettingsMsg {
  return instanceSettings(json, token, url, 'u');
}

const agent: StubRoute = (r) => {
  switch (r.url.pathname) {
    case '/api/v3/info':
      return { body: v3Info };
    case '/api/v3/nodes':
      return { body: nodesFixture };
    case '/api/v3/contexts':
      return { body: contextsFixture };
    default:
      return undefined;
  }
};

async function call(route: StubRoute, s: DataSourceInstanceSettingsMsg, url: string, method = 'GET') {
  const stub = stubFetch(route);
  const res = await callResource(
    {
      pluginContext: { dataSourceInstanceSettings: s } as never,
      path: url.split('?')[0],
      method,
      url,
      headers: {},
      body: Buffer.alloc(0),
    },
    new InstanceCache(stub.fetch),
    ctx,
    log
  );
  expect(res.code).toBeGreaterThanOrEqual(200);
  expect(res.headers['Content-Type']).toEqual({ values: ['application/json'] });
  return { code: res.code, body: JSON.parse(res.body.toString()) as Record<string, unknown>, requests: stub.requests };
}

describe('callResource: agent', () => {
  it('lists nodes', async () => {
    const { code, body } = await call(agent, settings(), 'nodes');
    expect(code).toBe(200);
    expect(body.nodes).toEqual([expect.objectContaining({ hostname: nodesFixture.nodes[0].nm })]);
  });

  it('lists contexts, scoped to the given nodes', async () => {
    const { code, body, requests } = await call(agent, settings(), 'contexts?nodes=a&nodes=b');
    expect(code).toBe(200);
    expect((body.contexts as unknown[]).length).toBe(Object.keys(contextsFixture.contexts).length);
    expect(requests[1].url.searchParams.get('scope_nodes')).toBe('a|b');
  });

  it('answers one context in detail', async () => {
    const { code, body, requests } = await call(agent, settings(), 'context?context=system.cpu');
    expect(code).toBe(200);
    expect(body.context).toMatchObject({ id: 'system.cpu', title: 'Total CPU utilization', instances: ['system.cpu'] });
    expect(requests[1].url.searchParams.get('scope_contexts')).toBe('system.cpu');
    expect(requests[1].url.searchParams.get('options')).toContain('dimensions');
  });

  it('answers 404 for a context Netdata does not have', async () => {
    const { code, body } = await call(agent, settings(), 'context?context=no.such');
    expect(code).toBe(404);
    expect(body.error).toMatch(/no context "no.such"/);
  });

  it.each([
    'context?context=../etc',
    'context?context=a%2Fb',
    'context?context=a%0Ab',
    'context',
    'contexts?nodes=x|y',
  ])('validates parameters: %s → 400', async (url) => {
    const { code, body, requests } = await call(agent, settings(), url);
    expect(code).toBe(400);
    expect(typeof body.error).toBe('string');
    expect(requests).toHaveLength(0);
  });

  it('refuses spaces and rooms on an agent data source', async () => {
    const { code, body } = await call(agent, settings(), 'spaces');
    expect(code).toBe(400);
    expect(body.error).toMatch(/only on Netdata Cloud/);
  });

  it('answers only GET, and 404 for unknown paths', async () => {
    expect((await call(agent, settings(), 'nodes', 'POST')).code).toBe(405);
    const unknown = await call(agent, settings(), 'secrets');
    expect(unknown.code).toBe(404);
    expect(unknown.body.error).toMatch(/Unknown resource/);
  });

  it('passes Netdata failures on as JSON errors', async () => {
    const route: StubRoute = (r) =>
      r.url.pathname === '/api/v3/info' ? { body: v3Info } : { status: 412, text: 'no' };
    const { code, body } = await call(route, settings(), 'nodes');
    expect(code).toBe(412);
    expect(body.error).toMatch(/bearer/);
  });
});

describe('callResource: Cloud', () => {
  const TOKEN = 'cloud-token-abcdef';
  const cloud = (json: object = {}) =>
    settings({ transport: 'cloud', spaceId: 'sp1', roomId: 'rm1', ...json }, TOKEN, 'https://app.netdata.cloud');
  const route: StubRoute = (r) => {
    if (r.url.pathname === '/api/v2/spaces') {
      return { body: [{ id: 'sp1', name: 'Space' }] };
    }
    if (r.url.pathname.endsWith('/rooms')) {
      return { body: [{ id: 'rm1', name: 'Room' }] };
    }
    if (r.url.pathname.endsWith('/contexts')) {
      return { body: contextsFixture };
    }
    if (r.url.pathname.endsWith('/nodes')) {
      return { body: { nodes: [{ nd: 'n1', mg: 'm1', nm: 'web1' }] } };
    }
    return undefined;
  };

  it('lists spaces and rooms', async () => {
    expect((await call(route, cloud(), 'spaces')).body).toEqual({ spaces: [{ id: 'sp1', name: 'Space' }] });
    const rooms = await call(route, cloud(), 'rooms?spaceId=sp9');
    expect(rooms.body).toEqual({ rooms: [{ id: 'rm1', name: 'Room' }] });
    expect(rooms.requests[0].url.pathname).toBe('/api/v2/spaces/sp9/rooms');
  });

  it('POSTs nodes and contexts to the default room or the given one', async () => {
    const nodes = await call(route, cloud(), 'nodes');
    expect(nodes.requests[0]).toMatchObject({ method: 'POST' });
    expect(nodes.requests[0].url.pathname).toBe('/api/v3/spaces/sp1/rooms/rm1/nodes');
    const contexts = await call(route, cloud(), 'contexts?spaceId=sp2&roomId=rm2');
    expect(contexts.requests[0].url.pathname).toBe('/api/v3/spaces/sp2/rooms/rm2/contexts');
    const context = await call(route, cloud(), 'context?context=system.cpu');
    expect(context.body.context).toMatchObject({ id: 'system.cpu' });
    expect((context.requests[0].body as { scope: { contexts: string[] } }).scope.contexts).toEqual(['system.cpu']);
  });

  it('never puts the token in a response', async () => {
    const echo: StubRoute = () => ({ status: 400, body: { errorMessage: `bad ${TOKEN}` } });
    const { body } = await call(echo, cloud(), 'spaces');
    expect(JSON.stringify(body)).not.toContain(TOKEN);
  });
});
