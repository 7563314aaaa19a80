/** @jest-environment node */
import { tableFromIPC } from 'apache-arrow';
import dataFixture from '../../../tests/fixtures/netdata-2.9/v3_data_group_by_node_sum.json';
import unknownContext from '../../../tests/fixtures/netdata-2.9/err_v2_data_unknown_context.json';
import v1Info from '../../../tests/fixtures/netdata-2.9/v1_info.json';
import v3Info from '../../../tests/fixtures/netdata-2.9/v3_info.json';
import { InstanceCache } from '../datasource/instanceCache';
import { createLogger } from '../log/logger';
import type { CallContext } from '../protocol/callContext';
import type { DataQueryMsg, DataSourceInstanceSettingsMsg, QueryDataRequestMsg } from '../protocol/messages';
import { stubFetch, type StubRoute } from '../testing/stubFetch';
import { queryData } from './queryData';
import { instanceSettings } from '../testing/instanceSettings';

const TOKEN = 'a4b3c2d1-0000-4000-8000-123456789abc';
const log = createLogger({ level: 'error', write: () => undefined });
const ctx: CallContext = {
  signal: new AbortController().signal,
  timeLeftMs: () => undefined,
  dispose: () => undefined,
};
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

function settings(json: object = {}, token?: string, url = 'http://agent:19999'): DataSourceInstanceSettingsMsg {
  return instanceSettings(json, token, url, `uid-${Math.random()}`);
}

function query(refId: string, json: unknown): DataQueryMsg {
  return {
    refId,
    maxDataPoints: 100,
    intervalMS: 1000,
    timeRange: { fromEpochMS: NOW - 600_000, toEpochMS: NOW },
    json: Buffer.from(typeof json === 'string' ? json : JSON.stringify(json)),
    queryType: '',
  };
}

async function run(route: StubRoute, s: DataSourceInstanceSettingsMsg, queries: DataQueryMsg[]) {
  const stub = stubFetch(route);
  const req: QueryDataRequestMsg = {
    pluginContext: { dataSourceInstanceSettings: s } as never,
    headers: {},
    queries,
    format: 0,
  };
  const res = await queryData(req, new InstanceCache(stub.fetch), ctx, log);
  return { res: res.responses, requests: stub.requests };
}

const agentV3: StubRoute = (req) => {
  if (req.url.pathname === '/api/v3/info') {
    return { body: v3Info };
  }
  if (req.url.pathname === '/api/v3/data') {
    return { body: req.url.searchParams.get('scope_contexts') === 'system.cpu' ? dataFixture : unknownContext };
  }
  return undefined;
};

describe('queryData', () => {
  it('answers a query with Arrow frames and status 200', async () => {
    const { res, requests } = await run(agentV3, settings(), [
      query('A', { context: 'system.cpu', groupBy: ['node'] }),
    ]);
    expect(res.A.status).toBe(200);
    expect(res.A.error).toBeFalsy();
    expect(res.A.frames.length).toBe(dataFixture.view.dimensions.ids.length);
    const table = tableFromIPC(res.A.frames[0]);
    const meta = JSON.parse(table.schema.metadata.get('meta')!);
    const dataRequest = requests.find((r) => r.url.pathname === '/api/v3/data')!;
    expect(meta.executedQueryString).toBe(`${dataRequest.url.pathname}${dataRequest.url.search}`);
    expect(table.schema.metadata.get('refId')).toBe('A');
  });

  it('dispatches on the query type: an unknown type fails alone and names the known ones', async () => {
    const typed = (refId: string, queryType: string, inJson: boolean) => ({
      ...query(refId, { context: 'system.cpu', ...(inJson ? { queryType } : {}) }),
      queryType: inJson ? '' : queryType,
    });
    const { res, requests } = await run(agentV3, settings(), [
      typed('A', 'metrics', false),
      typed('B', 'bogus', false),
      typed('C', 'bogus', true),
      query('D', { context: 'system.cpu' }),
    ]);
    expect(res.A.status).toBe(200);
    expect(res.D.status).toBe(200);
    for (const refId of ['B', 'C']) {
      expect(res[refId].status).toBe(400);
      expect(res[refId].errorSource).toBe('plugin');
      expect(res[refId].error).toBe(
        `Query ${refId}: unknown query type "bogus" (this plugin knows metrics, alertTransitions, correlations, alerts, nodes)`
      );
    }
    // The refused queries never reached Netdata.
    expect(requests.filter((r) => r.url.pathname === '/api/v3/data')).toHaveLength(2);
  });

  it('detects the agent API once per instance', async () => {
    const stub = stubFetch(agentV3);
    const cache = new InstanceCache(stub.fetch);
    const s = settings();
    const req: QueryDataRequestMsg = {
      pluginContext: { dataSourceInstanceSettings: s } as never,
      headers: {},
      queries: [query('A', { context: 'system.cpu' }), query('B', { context: 'system.cpu' })],
      format: 0,
    };
    await queryData(req, cache, ctx, log);
    await queryData(req, cache, ctx, log);
    expect(stub.requests.filter((r) => r.url.pathname.endsWith('/info'))).toHaveLength(1);
    expect(stub.requests.filter((r) => r.url.pathname === '/api/v3/data')).toHaveLength(4);
  });

  it('answers every query on its own: bad JSON and a bad model fail, the good one succeeds', async () => {
    const { res } = await run(agentV3, settings(), [
      query('A', '{not json'),
      query('B', { context: 'system.cpu' }),
      query('C', { context: 'system.cpu', aggregation: 'median-of-nothing' }),
      query('D', []),
    ]);
    expect(res.A).toMatchObject({ status: 400, errorSource: 'plugin', error: expect.stringMatching(/not valid JSON/) });
    expect(res.B.status).toBe(200);
    expect(res.C).toMatchObject({ status: 400, errorSource: 'plugin' });
    expect(res.D).toMatchObject({ status: 400, errorSource: 'plugin', error: expect.stringMatching(/JSON object/) });
  });

  it('answers an unknown context with a notice frame and status 200', async () => {
    const { res } = await run(agentV3, settings(), [query('A', { context: 'does.not.exist' })]);
    expect(res.A.status).toBe(200);
    expect(res.A.frames).toHaveLength(1);
    const table = tableFromIPC(res.A.frames[0]);
    expect(table.schema.fields).toHaveLength(0);
    expect(JSON.parse(table.schema.metadata.get('meta')!).notices[0].severity).toBe('info');
  });

  it('uses /api/v2/data on agents without /api/v3', async () => {
    const route: StubRoute = (req) => {
      if (req.url.pathname === '/api/v3/info') {
        return { status: 404, text: 'Unsupported API version: v3' };
      }
      if (req.url.pathname === '/api/v2/info') {
        return {
          body: { ...v3Info, agents: [{ ...v3Info.agents[0], application: { package: { version: 'v1.44.0' } } }] },
        };
      }
      if (req.url.pathname === '/api/v2/data') {
        return { body: dataFixture };
      }
      return undefined;
    };
    const { res, requests } = await run(route, settings(), [query('A', { context: 'system.cpu' })]);
    expect(res.A.status).toBe(200);
    expect(requests.map((r) => r.url.pathname)).toEqual(['/api/v3/info', '/api/v2/info', '/api/v2/data']);
  });

  it('queries agents older than v1.39 (1.37.1 of Debian bookworm, v1 API only) in v1 mode', async () => {
    const old = { ...v1Info, version: 'v1.37.1' };
    const route: StubRoute = (req) =>
      req.url.pathname === '/api/v1/info'
        ? { body: old }
        : req.url.pathname === '/api/v1/charts'
          ? { body: { charts: {} } }
          : { status: 404, text: 'Unsupported API version: v2' };
    const { res, requests } = await run(route, settings(), [query('A', { context: 'system.cpu' })]);
    // The agent has no chart of that context: the query says so, naming the node.
    expect(res.A.status).toBe(400);
    expect(res.A.error).toBe(
      'Context "system.cpu" does not exist on node nd290-local (no chart of /api/v1/charts has it)'
    );
    expect(requests.map((r) => r.url.pathname)).toEqual([
      '/api/v3/info',
      '/api/v2/info',
      '/api/v1/info',
      '/api/v1/charts',
    ]);
  });

  it('reports Netdata auth failures with their status and never the token', async () => {
    const route: StubRoute = (req) =>
      req.url.pathname === '/api/v3/info'
        ? { body: v3Info }
        : { status: 412, text: 'You need to be authorized to access this resource' };
    const { res, requests } = await run(route, settings({}, TOKEN), [query('A', { context: 'system.cpu' })]);
    expect(res.A).toMatchObject({ status: 412, errorSource: 'downstream' });
    expect(res.A.error).toMatch(/bearer/i);
    expect(JSON.stringify(res)).not.toContain(TOKEN);
    expect(requests[1].headers.Authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('reports a data body that is not json2 as a 502', async () => {
    const route: StubRoute = (req) => (req.url.pathname === '/api/v3/info' ? { body: v3Info } : { body: { hello: 1 } });
    const { res } = await run(route, settings(), [query('A', { context: 'system.cpu' })]);
    expect(res.A).toMatchObject({ status: 502, errorSource: 'downstream' });
  });

  it('reports all-nodes-failed responses as errors', async () => {
    const failed = {
      ...unknownContext,
      summary: {
        ...unknownContext.summary,
        nodes: [{ mg: 'm1', nm: 'child', ni: 0, st: { ai: 0, code: 504, msg: 'timeout' } }],
      },
    };
    const route: StubRoute = (req) => (req.url.pathname === '/api/v3/info' ? { body: v3Info } : { body: failed });
    const { res } = await run(route, settings(), [query('A', { context: 'system.cpu' })]);
    expect(res.A).toMatchObject({
      status: 502,
      errorSource: 'downstream',
      error: expect.stringMatching(/All Netdata nodes/),
    });
  });

  it('gives every query the settings error when the data source is misconfigured', async () => {
    const { res } = await run(agentV3, settings({ transport: 'snmp' }), [
      query('A', { context: 'x' }),
      query('B', { context: 'y' }),
    ]);
    expect(res.A).toMatchObject({ status: 400, errorSource: 'plugin', error: expect.stringMatching(/transport/) });
    expect(res.B.status).toBe(400);
  });

  describe('Cloud', () => {
    const cloud = (json: object) => settings({ transport: 'cloud', ...json }, TOKEN, 'https://app.netdata.cloud');

    it('POSTs the data body to the room, the query overriding space and room', async () => {
      const route: StubRoute = (req) => (req.method === 'POST' ? { body: dataFixture } : undefined);
      const { res, requests } = await run(route, cloud({ spaceId: 'space-1', roomId: 'room-1' }), [
        query('A', { context: 'system.cpu' }),
        query('B', { context: 'system.cpu', spaceId: 'space-2', roomId: 'room-2' }),
      ]);
      expect(res.A.status).toBe(200);
      expect(res.B.status).toBe(200);
      const paths = requests.map((r) => r.url.pathname).sort();
      expect(paths).toEqual(['/api/v3/spaces/space-1/rooms/room-1/data', '/api/v3/spaces/space-2/rooms/room-2/data']);
      expect(requests[0].headers.Authorization).toBe(`Bearer ${TOKEN}`);
      const meta = JSON.parse(tableFromIPC(res.A.frames[0]).schema.metadata.get('meta')!);
      expect(meta.executedQueryString).toMatch(/^POST \/api\/v3\/spaces\/space-1\/rooms\/room-1\/data \{/);
      expect(meta.executedQueryString).not.toContain(TOKEN);
    });

    it('fails a query without space or room as a plugin error', async () => {
      const { res, requests } = await run(() => ({ body: dataFixture }), cloud({}), [
        query('A', { context: 'system.cpu' }),
      ]);
      expect(res.A).toMatchObject({ status: 400, errorSource: 'plugin', error: expect.stringMatching(/space/) });
      expect(requests).toHaveLength(0);
    });

    it('reports a rejected token', async () => {
      const route: StubRoute = () => ({
        status: 401,
        body: { errorMsgKey: 'ErrUnauthenticated', errorMessage: 'Unauthorized' },
      });
      const { res } = await run(route, cloud({ spaceId: 's', roomId: 'r' }), [query('A', { context: 'system.cpu' })]);
      expect(res.A).toMatchObject({ status: 401, errorSource: 'downstream', error: expect.stringMatching(/token/) });
    });
  });
});
