// DataSource.query through @grafana/runtime's own DataSourceWithBackend: the body it POSTs to /api/ds/query is
// captured from a BackendSrv set with setBackendSrv (as Grafana's app does), then read the way our backend reads it
// (parseQuery → the Agent URL / Cloud body), so the tests assert the Netdata request the dashboard's filters build.
import {
  AdHocVariableFilter,
  CoreApp,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceInstanceSettings,
  dateTime,
  FieldType,
  SupplementaryQueryType,
} from '@grafana/data';
import { BackendSrv, BackendSrvRequest, FetchResponse, setBackendSrv } from '@grafana/runtime';
import { lastValueFrom, of } from 'rxjs';

import { DataSource } from './datasource';
import { buildAgentDataRequest } from './netdata/agentRequest';
import { buildCloudDataRequest } from './netdata/cloudRequest';
import { EXPLORE_SERIES, exploreSeriesLink } from './netdata/netdataLinks';
import { parseQuery } from './netdata/query';
import type { QueryWindow } from './netdata/types';
import { fakeTemplateSrv } from './testing/fakeTemplateSrv';
import type { NetdataOptions, NetdataQuery } from './types';

jest.mock('@grafana/runtime', () => ({
  ...jest.requireActual('@grafana/runtime'),
  getTemplateSrv: () => {
    throw new Error('tests pass their own TemplateSrv');
  },
}));

const settings = {
  uid: 'nd-uid',
  type: 'seed-netdata-datasource',
  name: 'Netdata',
  access: 'proxy',
  readOnly: false,
  jsonData: {},
  meta: {} as DataSourceInstanceSettings['meta'],
} as DataSourceInstanceSettings<NetdataOptions>;

const FROM = Date.UTC(2026, 11, 5, 10, 0, 0);
const TO = FROM + 3600_000;
const WINDOW: QueryWindow = { fromMs: FROM, toMs: TO, maxDataPoints: 100, intervalMs: 36_000 };

interface Posted {
  url: string;
  queries: Array<NetdataQuery & Record<string, unknown>>;
}

/** A BackendSrv whose fetch records what DataSourceWithBackend posts and answers `frames` per refId. */
function backend(frames: Record<string, unknown[]> = {}) {
  const posted: Posted[] = [];
  const fetch = (options: BackendSrvRequest) => {
    const data = options.data as { queries: Posted['queries'] };
    posted.push({ url: options.url, queries: data.queries });
    const results = Object.fromEntries(data.queries.map((q) => [q.refId, { frames: frames[q.refId] ?? [] }]));
    return of({ data: { results }, status: 200, ok: true } as unknown as FetchResponse);
  };
  setBackendSrv({ fetch } as unknown as BackendSrv);
  return posted;
}

function request(targets: NetdataQuery[], filters?: AdHocVariableFilter[]): DataQueryRequest<NetdataQuery> {
  return {
    requestId: 'r1',
    interval: '36s',
    intervalMs: 36_000,
    maxDataPoints: 100,
    range: { from: dateTime(FROM), to: dateTime(TO), raw: { from: 'now-1h', to: 'now' } },
    scopedVars: {},
    targets,
    timezone: 'utc',
    app: CoreApp.Dashboard,
    startTime: FROM,
    filters,
  };
}

/** The Agent URL our backend builds from one posted query. */
function agentUrl(posted: NetdataQuery): URL {
  const model = parseQuery(posted);
  if (!model.ok) {
    throw new Error(model.error);
  }
  return new URL(buildAgentDataRequest(model.value, WINDOW, 3).path, 'http://agent:19999');
}

const ds = () => new DataSource(settings, fakeTemplateSrv({ dev: { current: ['sda', 'sdb'] } }));

describe('ad hoc filters on the requests DataSource.query sends', () => {
  const filters: AdHocVariableFilter[] = [
    { key: 'device', operator: '=', value: 'sda' },
    { key: 'device', operator: '=', value: 'nvme0n1' },
    { key: 'device_type', operator: '=', value: 'physical' },
    { key: 'node', operator: '!=', value: 'db1' },
    { key: 'dimension', operator: '=', value: 'reads' },
  ];

  it('apply to every metrics query: same key OR-ed, different keys AND-ed, != on a node excluded first', async () => {
    const posted = backend();
    await lastValueFrom(
      ds().query(
        request(
          [
            { refId: 'A', context: 'disk.io', groupBy: ['dimension'] },
            { refId: 'B', queryType: 'metrics', context: 'disk.ops', nodes: ['web*'] },
          ],
          filters
        )
      )
    );
    expect(posted).toHaveLength(1);
    expect(posted[0].url).toMatch(/^\/api\/ds\/query\?ds_type=seed-netdata-datasource/);
    const [a, b] = posted[0].queries.map(agentUrl);
    expect(a.searchParams.get('scope_contexts')).toBe('disk.io');
    expect(a.searchParams.get('labels')).toBe('device:sda|device:nvme0n1|device_type:physical');
    expect(a.searchParams.get('scope_nodes')).toBe('!db1|*');
    expect(a.searchParams.get('dimensions')).toBe('reads');
    expect(b.searchParams.get('scope_contexts')).toBe('disk.ops');
    expect(b.searchParams.get('labels')).toBe('device:sda|device:nvme0n1|device_type:physical');
    expect(b.searchParams.get('scope_nodes')).toBe('!db1|web*');
  });

  it('narrow a query that selects label values itself ($variables resolved first), as a Cloud body too', async () => {
    const posted = backend();
    await lastValueFrom(
      ds().query(
        request(
          [{ refId: 'A', context: 'disk.io', labels: [{ key: 'device', value: '$dev' }], spaceId: 's', roomId: 'r' }],
          [{ key: 'device', operator: '=', value: 'sdb' }]
        )
      )
    );
    const model = parseQuery(posted[0].queries[0]);
    expect(model.ok && model.value.labels).toEqual([{ key: 'device', value: 'sdb' }]);
    const body = model.ok && (buildCloudDataRequest(model.value, WINDOW, { spaceId: 's', roomId: 'r' }).body as any);
    expect(body.selectors.labels).toEqual(['device:sdb']);
  });

  it('refuse != on a label for that query alone, saying why; the other query still runs', async () => {
    const posted = backend({ B: [] });
    const response: DataQueryResponse = await lastValueFrom(
      ds().query(
        request(
          [
            { refId: 'A', context: 'disk.io' },
            { refId: 'C', queryType: 'nodes' },
          ],
          [{ key: 'device', operator: '!=', value: 'sda' }]
        )
      )
    );
    expect(response.errors).toEqual([
      expect.objectContaining({ refId: 'A', status: 400, message: expect.stringMatching(/cannot exclude by label/) }),
    ]);
    // The nodes query takes no ad hoc filters: it is sent unchanged; the refused metrics query is not sent at all.
    expect(posted[0].queries.map((q) => q.refId)).toEqual(['C']);
    expect(posted[0].queries[0]).not.toHaveProperty('labels');
  });

  it('refuse regex operators instead of running unfiltered', async () => {
    const posted = backend();
    const response = await lastValueFrom(
      ds().query(request([{ refId: 'A', context: 'disk.io' }], [{ key: 'device', operator: '=~', value: 'sd.*' }]))
    );
    expect(posted).toHaveLength(0);
    expect(response.errors?.[0]).toMatchObject({ refId: 'A', message: expect.stringMatching(/only = and != can/) });
  });
});

describe('Explore data links of the answer', () => {
  it('open Explore over the range the backend gave (highlight + baseline), not the panel range', async () => {
    const link = exploreSeriesLink({ uid: 'nd-uid', name: 'Netdata' }, { fromMs: FROM - 4 * 3600_000, toMs: TO });
    const frame = {
      schema: {
        refId: 'A',
        fields: [
          { name: 'context', type: FieldType.string },
          // The config as Grafana's server passes the backend's JSON field config on: `timeRange`, no `range`.
          { name: 'score', type: FieldType.number, config: { links: [JSON.parse(JSON.stringify(link))] } },
        ],
      },
      data: { values: [['system.cpu'], [0.9]] },
    };
    backend({ A: [frame] });
    const response = await lastValueFrom(ds().query(request([{ refId: 'A', queryType: 'correlations' }])));
    const links = response.data[0].fields[1].config.links;
    expect(links).toHaveLength(1);
    expect(links[0].title).toBe(EXPLORE_SERIES);
    const range = links[0].internal.range;
    expect([range.from.valueOf(), range.to.valueOf()]).toEqual([FROM - 4 * 3600_000, TO]);
    expect(range.raw.from.valueOf()).toBe(FROM - 4 * 3600_000);
    expect(links[0].internal.query).toMatchObject({ queryType: 'metrics', context: '${__data.fields.context}' });
  });

  it('leave frames without internal links as they are', async () => {
    const frame = {
      schema: {
        refId: 'A',
        fields: [{ name: 'v', type: FieldType.number, config: { links: [{ title: 'x', url: 'u' }] } }],
      },
      data: { values: [[1]] },
    };
    backend({ A: [frame] });
    const response = await lastValueFrom(ds().query(request([{ refId: 'A', context: 'system.cpu' }])));
    expect(response.data[0].fields[0].config.links).toEqual([{ title: 'x', url: 'u' }]);
  });
});

describe("Explore's logs volume (supplementary query)", () => {
  const logs: NetdataQuery = {
    refId: 'L',
    queryType: 'logs',
    function: 'systemd-journal',
    search: 'refused',
    anchor: 5,
  };

  it('is offered, and built for logs queries only', () => {
    const d = ds();
    expect(d.getSupportedSupplementaryQueryTypes()).toEqual([SupplementaryQueryType.LogsVolume]);
    expect(d.getSupplementaryQuery({ type: SupplementaryQueryType.LogsVolume }, logs)).toEqual({
      refId: 'log-volume-L',
      queryType: 'logs',
      function: 'systemd-journal',
      search: 'refused',
      anchor: undefined,
      logsVolume: true,
    });
    expect(d.getSupplementaryQuery({ type: SupplementaryQueryType.LogsSample }, logs)).toBeUndefined();
    expect(d.getSupplementaryQuery({ type: SupplementaryQueryType.LogsVolume }, { refId: 'A' })).toBeUndefined();
    expect(
      d.getSupplementaryQuery({ type: SupplementaryQueryType.LogsVolume }, { ...logs, hide: true })
    ).toBeUndefined();
  });

  it('requests the volumes of the logs queries of a request, through the same query path', async () => {
    const d = ds();
    const base = request([{ refId: 'A', context: 'system.cpu' }, logs]);
    const volume = d.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, base);
    expect(volume?.targets.map((t) => t.refId)).toEqual(['log-volume-L']);
    expect(volume?.range).toBe(base.range);
    expect(d.getSupplementaryRequest(SupplementaryQueryType.LogsSample, base)).toBeUndefined();
    expect(
      d.getSupplementaryRequest(SupplementaryQueryType.LogsVolume, request([{ refId: 'A', context: 'system.cpu' }]))
    ).toBeUndefined();
    const posted = backend();
    await lastValueFrom(d.query(volume!));
    expect(posted[0].queries[0]).toMatchObject({ refId: 'log-volume-L', logsVolume: true, search: 'refused' });
  });
});
