// Template variables of every kind on the real Netdata 1.37.1 Parent: the frontend's variable support, its look-ups
// answered by the built executable (CallResource), the executable talking to the real agent.
import type { DataQueryRequest, MetricFindValue } from '@grafana/data';
import { lastValueFrom } from 'rxjs';

import type { NetdataCatalog } from '../../src/catalog';
import { fetchContextDetails, fetchContexts, fetchNodes, type ResourceParams } from '../../src/resources';
import { fakeTemplateSrv } from '../../src/testing/fakeTemplateSrv';
import type { NetdataVariableQuery } from '../../src/types';
import { NetdataVariableSupport } from '../../src/variables/variableSupport';
import { dataSourceSettings, startPlugin, type PluginProcess } from '../protocol/grafanaHost';
import { describeReal, getJson } from './realNetdata';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => {
    throw new Error('tests pass their own TemplateSrv');
  },
}));

jest.setTimeout(60000);

// The variable code needs jsdom; grpc-js (the Grafana side of CallResource) needs node's setImmediate there.
const g = globalThis as { setImmediate?: unknown };
g.setImmediate ??= ((fn: (...a: unknown[]) => void, ...args: unknown[]) => setTimeout(fn, 0, ...args)) as unknown;

interface Charts {
  charts: Record<
    string,
    { context: string; dimensions: Record<string, { name: string }>; chart_labels: Record<string, string> }
  >;
}

describeReal('template variables on the real Netdata 1.37.1 Parent', (real) => {
  let plugin: PluginProcess;
  let support: NetdataVariableSupport;
  beforeAll(async () => {
    plugin = await startPlugin();
    const settings = dataSourceSettings({ url: real().url, uid: 'real-netdata-137-vars' });
    // Grafana's getResource: GET /api/datasources/uid/<uid>/resources/<route>?<params>, arrays as repeated keys.
    const get = async (route: string, params: ResourceParams): Promise<unknown> => {
      const search = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) {
        for (const item of Array.isArray(v) ? v : [v]) {
          search.append(k, item);
        }
      }
      const qs = search.toString();
      const a = await plugin.callResource(settings, qs ? `${route}?${qs}` : route);
      if (a.code !== 200) {
        throw new Error(`${route}: ${a.code} ${a.text}`);
      }
      return a.body;
    };
    const catalog = {
      transport: 'agent',
      nodes: () => fetchNodes(get),
      contexts: (nodes: string[] = []) => fetchContexts(get, nodes),
      context: (context: string, nodes: string[] = []) => fetchContextDetails(get, context, nodes),
    };
    support = new NetdataVariableSupport(
      catalog as unknown as NetdataCatalog,
      fakeTemplateSrv({ node: { current: [real().child] } })
    );
  });
  afterAll(async () => {
    await plugin?.kill();
    // Let grpc-js finish closing its transport while this environment is still up.
    await new Promise((r) => setTimeout(r, 200));
  });

  const run = async (query: Partial<NetdataVariableQuery> | string): Promise<string[]> => {
    const request = { targets: [query], scopedVars: {} } as unknown as DataQueryRequest<NetdataVariableQuery>;
    const found = (await lastValueFrom(support.query(request))).data as MetricFindValue[];
    return found.map((f) => String(f.value));
  };

  it('nodes(): both hosts, valued by machine GUID', async () => {
    const info = await getJson<{ mirrored_hosts_status: Array<{ guid: string; hostname: string }> }>(
      real().url,
      '/api/v1/info'
    );
    expect((await run('nodes()')).sort()).toEqual(info.mirrored_hosts_status.map((h) => h.guid).sort());
  });

  it('contexts, dimensions, instances, label keys and values of the chained $node (the child)', async () => {
    const charts = await getJson<Charts>(real().url, `/host/${real().child}/api/v1/charts`);
    const all = Object.values(charts.charts);
    const disks = Object.entries(charts.charts).filter(([, c]) => c.context === 'disk.io');
    expect((await run({ kind: 'contexts', nodes: ['$node'] })).sort()).toEqual(
      [...new Set(all.map((c) => c.context))].sort()
    );
    expect(await run({ kind: 'contexts', nodes: ['$node'], filter: 'system.c*' })).toEqual(
      [...new Set(all.map((c) => c.context).filter((c) => c.startsWith('system.c')))].sort()
    );
    expect(await run({ kind: 'dimensions', context: 'system.load', nodes: ['$node'] })).toEqual([
      'load1',
      'load5',
      'load15',
    ]);
    expect((await run({ kind: 'instances', context: 'disk.io', nodes: ['$node'] })).sort()).toEqual(
      disks.map(([id]) => id).sort()
    );
    expect(await run({ kind: 'labelKeys', context: 'disk.io', nodes: ['$node'] })).toEqual(
      expect.arrayContaining(['device', 'device_type', 'mount_point', '_collect_plugin'])
    );
    expect(await run({ kind: 'labelValues', context: 'disk.io', labelKey: 'device', nodes: ['$node'] })).toEqual(
      disks.map(([, c]) => c.chart_labels.device).sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    );
  });
});
