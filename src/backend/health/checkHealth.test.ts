/** @jest-environment node */
import v3Info from '../../../tests/fixtures/netdata-2.9/v3_info.json';
import v1Info from '../../../tests/fixtures/netdata-2.9/v1_info.json';
import { InstanceCache } from '../datasource/instanceCache';
import type { CallContext } from '../protocol/callContext';
import { HealthStatus, type DataSourceInstanceSettingsMsg } from '../protocol/messages';
import { stubFetch, type StubRoute } from '../testing/stubFetch';
import { checkHealth } from './checkHealth';
import { instanceSettings } from '../testing/instanceSettings';

const ctx: CallContext = {
  signal: new AbortController().signal,
  timeLeftMs: () => undefined,
  dispose: () => undefined,
};
const TOKEN = 'f00dfeed-1234-4abc-8def-0123456789ab';
const ZERO = '00000000-0000-0000-0000-000000000000';

function settings(json: object = {}, token?: string, url = 'http://agent.local:19999'): DataSourceInstanceSettingsMsg {
  return instanceSettings(json, token, url, 'u');
}

async function health(route: StubRoute, s: DataSourceInstanceSettingsMsg) {
  const stub = stubFetch(route);
  const res = await checkHealth(
    { pluginContext: { dataSourceInstanceSettings: s } as never, headers: {} },
    new InstanceCache(stub.fetch),
    ctx
  );
  return { res, requests: stub.requests };
}

function jsonDetails(res: { jsonDetails?: Uint8Array }): Record<string, unknown> {
  return JSON.parse(Buffer.from(res.jsonDetails ?? []).toString('utf8'));
}

const protectedInfo = { ...v3Info, agents: [{ ...v3Info.agents[0], api: { version: 7, bearer_protection: true } }] };

describe('checkHealth: agent', () => {
  it('names version, API, URL and node count', async () => {
    const route: StubRoute = (r) => (r.url.pathname === '/api/v3/info' ? { body: v3Info } : { body: { contexts: {} } });
    const { res } = await health(route, settings());
    expect(res.status).toBe(HealthStatus.OK);
    expect(res.message).toBe('Connected to Netdata v2.9.0 (API v3) at http://agent.local:19999: 1 node');
  });

  it('proves the token with a data-API request when bearer protection is on', async () => {
    const route: StubRoute = (r) => {
      if (r.url.pathname === '/api/v3/info') {
        return { body: protectedInfo };
      }
      return r.headers.Authorization === `Bearer ${TOKEN}`
        ? { body: { contexts: {} } }
        : { status: 412, text: 'You need to be authorized to access this resource' };
    };
    const missing = await health(route, settings());
    expect(missing.res.status).toBe(HealthStatus.ERROR);
    expect(missing.res.message).toMatch(
      /the agent has bearer protection on and no token is set: paste a valid agent bearer token/
    );
    const wrong = await health(route, settings({}, 'wrong-token-123'));
    expect(wrong.res.message).toMatch(/did not accept the token sent/);
    expect(wrong.res.message).not.toContain('wrong-token-123');
    expect(jsonDetails(missing.res)).toEqual({
      step: 'data',
      kind: 'http',
      upstreamStatus: 412,
      verboseMessage: expect.stringContaining('412'),
    });
    const good = await health(route, settings({}, TOKEN));
    expect(good.res.status).toBe(HealthStatus.OK);
    expect(good.res.message).toMatch(/bearer protection on, token accepted/);
    expect(good.requests[1].url.pathname).toBe('/api/v3/contexts');
  });

  it('connects to a v1-only agent in v1 mode and says what v1 cannot do', async () => {
    const route: StubRoute = (r) =>
      r.url.pathname === '/api/v1/info'
        ? { body: { ...v1Info, version: 'v1.37.1' } }
        : r.url.pathname === '/api/v1/charts'
          ? { body: { charts: {} } }
          : undefined;
    const { res } = await health(route, settings());
    expect(res.status).toBe(HealthStatus.OK);
    expect(res.message).toMatch(
      /^Connected to Netdata 1\.37\.1: v1 API at http:\/\/agent.local:19999: 1 node, 0 charts/
    );
    expect(res.message).toMatch(/Not available on v1: anomaly rates/);
  });

  it('says too old for an agent whose version cannot be read', async () => {
    const route: StubRoute = (r) =>
      r.url.pathname === '/api/v1/info' ? { body: { ...v1Info, version: 'dev' } } : undefined;
    const { res } = await health(route, settings());
    expect(res.status).toBe(HealthStatus.ERROR);
    expect(res.message).toBe('Netdata agent dev is too old: needs v1.39+ (/api/v2)');
    expect(jsonDetails(res)).toMatchObject({ step: 'info', kind: 'too-old', verboseMessage: res.message });
  });

  it('says wrong URL when nothing answers like Netdata', async () => {
    const { res } = await health(() => ({ status: 404, text: '<html>nope</html>' }), settings());
    expect(res.status).toBe(HealthStatus.ERROR);
    expect(res.message).toMatch(/No Netdata API at http:\/\/agent.local:19999.*404.*check the URL/);
  });

  it('reports invalid settings as the failing step', async () => {
    const { res } = await health(() => undefined, settings({}, undefined, 'agent.local:19999'));
    expect(res.status).toBe(HealthStatus.ERROR);
    expect(res.message).toMatch(/http:\/\//);
    expect(jsonDetails(res)).toEqual({ step: 'settings', verboseMessage: res.message });
  });

  it('puts a request that got no answer under the connect step, with its kind', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), {
      cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }),
    });
    const { res } = await health(() => {
      throw refused;
    }, settings());
    expect(res.status).toBe(HealthStatus.ERROR);
    expect(jsonDetails(res)).toMatchObject({ step: 'connect', kind: 'refused' });
    expect(jsonDetails(res).verboseMessage).toBe(res.message);
  });
});

describe('checkHealth: Cloud', () => {
  const cloudRoute =
    (meId = 'a1b2c3d4-0000-4000-8000-000000000001'): StubRoute =>
    (r) => {
      switch (r.url.pathname) {
        case '/api/v2/accounts/me':
          return { body: { id: meId, name: 'me' } };
        case '/api/v2/spaces':
          return {
            body: [
              { id: 'sp1', name: 'Main space' },
              { id: 'sp2', name: 'Other' },
            ],
          };
        case '/api/v2/spaces/sp1/rooms':
          return { body: [{ id: 'rm1', name: 'All nodes' }] };
        case '/api/v3/spaces/sp1/rooms/rm1/nodes':
          return {
            body: {
              nodes: [
                { nd: 'n1', mg: 'm1', nm: 'a' },
                { nd: 'n2', mg: 'm2', nm: 'b' },
              ],
            },
          };
        default:
          return undefined;
      }
    };
  const cloud = (json: object, token = TOKEN) =>
    settings({ transport: 'cloud', ...json }, token, 'https://app.netdata.cloud');

  it('names space, room and node count', async () => {
    const { res, requests } = await health(cloudRoute(), cloud({ spaceId: 'sp1', roomId: 'rm1' }));
    expect(res.message).toBe(
      'Connected to Netdata Cloud at https://app.netdata.cloud: space "Main space", room "All nodes": 2 nodes'
    );
    expect(res.status).toBe(HealthStatus.OK);
    expect(requests.every((r) => r.headers.Authorization === `Bearer ${TOKEN}`)).toBe(true);
  });

  it('treats the all-zero account id as an invalid token', async () => {
    const { res } = await health(cloudRoute(ZERO), cloud({ spaceId: 'sp1', roomId: 'rm1' }));
    expect(res.status).toBe(HealthStatus.ERROR);
    expect(res.message).toMatch(/did not accept the API token/);
  });

  it('reports a 401 as a token problem', async () => {
    const { res } = await health(() => ({ status: 401, body: { errorMsgKey: 'ErrUnauthenticated' } }), cloud({}));
    expect(res.status).toBe(HealthStatus.ERROR);
    expect(res.message).toMatch(/token check failed.*401/);
    expect(jsonDetails(res)).toMatchObject({ step: 'token', kind: 'http', upstreamStatus: 401 });
  });

  it('names a missing space or room', async () => {
    const space = await health(cloudRoute(), cloud({ spaceId: 'nope', roomId: 'rm1' }));
    expect(space.res.status).toBe(HealthStatus.ERROR);
    expect(space.res.message).toMatch(/space "nope" is not among the 2 spaces.*"Main space"/);
    const room = await health(cloudRoute(), cloud({ spaceId: 'sp1', roomId: 'nope' }));
    expect(room.res.message).toMatch(/room "nope" is not one of the 1 room of space "Main space"/);
    expect(jsonDetails(space.res)).toEqual({ step: 'spaces', verboseMessage: space.res.message });
    expect(jsonDetails(room.res)).toEqual({ step: 'rooms', verboseMessage: room.res.message });
  });

  it('is OK without defaults but says every query must choose', async () => {
    const { res } = await health(cloudRoute(), cloud({}));
    expect(res.status).toBe(HealthStatus.OK);
    expect(res.message).toMatch(/2 spaces visible; no default space and room/);
  });
});
