/** @jest-environment node */
import { tableFromIPC } from 'apache-arrow';
import v3Info from '../../../tests/fixtures/netdata-2.9/v3_info.json';
import weights from '../../../tests/fixtures/netdata-2.9/v2_weights.json';
import type { AgentApi } from '../datasource/agentApi';
import { InstanceCache } from '../datasource/instanceCache';
import { createLogger } from '../log/logger';
import type { CallContext } from '../protocol/callContext';
import type { DataQueryMsg, DataSourceInstanceSettingsMsg } from '../protocol/messages';
import { instanceSettings } from '../testing/instanceSettings';
import { stubFetch, type StubRoute } from '../testing/stubFetch';
import { requireAgentVersion } from './agentGate';
import { queryData } from './queryData';

const log = createLogger({ level: 'error', write: () => undefined });
const ctx: CallContext = {
  signal: new AbortController().signal,
  timeLeftMs: () => undefined,
  dispose: () => undefined,
};
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);

function query(refId: string, json: Record<string, unknown>): DataQueryMsg {
  return {
    refId,
    maxDataPoints: 100,
    intervalMS: 1000,
    timeRange: { fromEpochMS: NOW - 600_000, toEpochMS: NOW },
    json: Buffer.from(JSON.stringify(json)),
    queryType: '',
  };
}

async function run(route: StubRoute, s: DataSourceInstanceSettingsMsg, queries: DataQueryMsg[]) {
  const stub = stubFetch(route);
  const res = await queryData(
    { pluginContext: { dataSourceInstanceSettings: s } as never, headers: {}, queries, format: 0 },
    new InstanceCache(stub.fetch),
    ctx,
    log
  );
  return { res: res.responses, requests: stub.requests };
}

function agent(version: string, api: 1 | 2 | 3 = 2): AgentApi {
  return { api, infoApi: 2, info: { version, api, nodeCount: 1, bearerProtection: false, hostname: 'h' } } as AgentApi;
}

describe('requireAgentVersion', () => {
  it('names the version an endpoint needs', () => {
    expect(requireAgentVersion(agent('v2.9.0', 3), [1, 41], 'X')).toBe(3);
    expect(requireAgentVersion(agent('', 2), [1, 41], 'X')).toBe(2);
    expect(() => requireAgentVersion(agent('v1.40.1'), [1, 41], 'Current alerts (/api/v2/alerts)')).toThrow(
      'Current alerts (/api/v2/alerts) needs Netdata v1.41+ (/api/v2); this agent is v1.40.1'
    );
    expect(() => requireAgentVersion(agent('v1.37.1', 1), [1, 39], 'Correlations (/api/v2/weights)')).toThrow(
      'Correlations (/api/v2/weights) needs Netdata v1.39+ (/api/v2); this agent is v1.37.1 and serves the v1 API only'
    );
  });
});

describe('insight queries on an agent (stubbed) and on Cloud', () => {
  const agentRoute: StubRoute = (req) => {
    if (req.url.pathname === '/api/v3/info') {
      return { body: v3Info };
    }
    if (req.url.pathname === '/api/v3/weights') {
      return { body: weights };
    }
    return undefined;
  };

  it('answers correlations from the 2.9 capture, sorted, with links to Explore and Netdata', async () => {
    const { res } = await run(agentRoute, instanceSettings({}, undefined, 'http://agent:19999', 'uid-x'), [
      query('A', { queryType: 'correlations', method: 'value', contexts: 'system.*', limit: 3 }),
    ]);
    expect(res.A.error).toBeFalsy();
    const table = tableFromIPC(res.A.frames[0]);
    expect(table.numRows).toBe(3);
    const scores = table.getChild('score')!.toArray() as Float64Array;
    expect(scores[0]).toBeGreaterThanOrEqual(scores[1]);
    const config = JSON.parse(table.schema.fields[0].metadata.get('config')!);
    expect(config.links[0].internal.datasourceUid).toBe('uid-x');
    expect(config.links[1].url).toBe(
      'http://agent:19999/host/${__data.fields.node}/#after=1795879045000;before=1795879164000;chart=${__data.fields.instance}'
    );
  });

  it('refuses anomaly-rate when the agent says ML is off (every score would be 0)', async () => {
    const { res, requests } = await run(agentRoute, instanceSettings({}, undefined, 'http://agent:19999', 'uid-y'), [
      query('A', { queryType: 'correlations', method: 'anomaly-rate' }),
    ]);
    expect(res.A.status).toBe(400);
    expect(res.A.error).toMatch(
      /^Query A: method anomaly-rate needs Netdata's machine learning, which is off on this agent \(nd290-local\)/
    );
    expect(requests.some((r) => r.url.pathname.endsWith('/weights'))).toBe(false);
  });

  it('refuses label filters with different keys on agents that OR them (before v1.45)', async () => {
    const old = { ...v3Info, agents: [{ ...v3Info.agents[0], application: { package: { version: 'v1.44.0' } } }] };
    const route: StubRoute = (req) =>
      req.url.pathname === '/api/v3/info'
        ? { status: 404, text: 'no' }
        : req.url.pathname === '/api/v2/info'
          ? { body: old }
          : { body: weights };
    const labels = [
      { key: 'device', value: 'sda' },
      { key: 'mount_point', value: '/' },
    ];
    const { res } = await run(route, instanceSettings({}, undefined, 'http://agent:19999', 'uid-z'), [
      query('A', { queryType: 'correlations', labels }),
      query('B', { queryType: 'correlations', labels: [labels[0]] }),
    ]);
    expect(res.A.error).toBe(
      'Query A: label filters with different keys (device, mount_point) need Netdata v1.45+, which ANDs them; this agent is v1.44.0 and would OR them. Filter on one label key'
    );
    expect(res.B.error).toBeFalsy();
  });

  const cloud = () =>
    instanceSettings(
      { transport: 'cloud', spaceId: 's1', roomId: 'r1' },
      'tok-1234567890',
      'https://app.netdata.cloud',
      'uid-c'
    );

  it('POSTs weights to the room and alerts to the room, explaining a scope:grafana-plugin 403', async () => {
    const route: StubRoute = (req) => {
      if (req.url.pathname.endsWith('/weights')) {
        return { body: weights };
      }
      if (req.url.pathname.endsWith('/alerts')) {
        return { status: 403, body: { errorMsgKey: 'ErrForbidden', errorMessage: 'Forbidden' } };
      }
      return undefined;
    };
    const { res, requests } = await run(route, cloud(), [
      query('A', { queryType: 'correlations', contexts: 'system.cpu' }),
      query('B', { queryType: 'alerts' }),
    ]);
    expect(res.A.error).toBeFalsy();
    const post = requests.find((r) => r.url.pathname === '/api/v3/spaces/s1/rooms/r1/weights')!;
    expect(post.body).toMatchObject({
      method: 'ks2',
      options: ['raw', 'nonzero'],
      scope: { contexts: ['system.cpu'] },
    });
    const link = JSON.parse(tableFromIPC(res.A.frames[0]).schema.fields[0].metadata.get('config')!).links[1];
    expect(link.url).toBe('https://app.netdata.cloud/spaces/s1/rooms/r1/overview');
    expect(res.B).toMatchObject({ status: 403, errorSource: 'downstream' });
    expect(res.B.error).toMatch(/scope:all for alerts/);
  });
});
