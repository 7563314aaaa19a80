/** @jest-environment node */
// Bad input to function and logs queries (issue 13): each fails its own query with Netdata's own message, or a clear
// one when Netdata's answer is not the documented shape (netdata-api-extra.md §5.2–5.4); the other queries still run.
// Netdata answers here are stubbed with the documented error body `{"status", "errorMessage"}`.
import { tableFromIPC } from 'apache-arrow';
import v3Info from '../../../tests/fixtures/netdata-2.9/v3_info.json';
import { InstanceCache } from '../datasource/instanceCache';
import { createLogger } from '../log/logger';
import type { CallContext } from '../protocol/callContext';
import type { DataQueryMsg } from '../protocol/messages';
import { instanceSettings } from '../testing/instanceSettings';
import { stubFetch, type StubAnswer, type StubRequest } from '../testing/stubFetch';
import { queryData } from './queryData';

const log = createLogger({ level: 'error', write: () => undefined });
const ctx: CallContext = {
  signal: new AbortController().signal,
  timeLeftMs: () => undefined,
  dispose: () => undefined,
};
const NOW = Date.UTC(2026, 10, 28, 12, 0, 0);
const TOKEN = 'a4b3c2d1-0000-4000-8000-123456789abc';

function query(refId: string, queryType: string, json: Record<string, unknown>): DataQueryMsg {
  return {
    refId,
    maxDataPoints: 100,
    intervalMS: 1000,
    timeRange: { fromEpochMS: NOW - 600_000, toEpochMS: NOW },
    json: Buffer.from(JSON.stringify({ ...json, queryType })),
    queryType,
  };
}

const MOUNTS = {
  status: 200,
  type: 'table',
  has_history: false,
  help: 'Mount points',
  data: [['/', 'ext4']],
  columns: {
    Mountpoint: { index: 0, name: 'Mountpoint', type: 'string', visible: true },
    Filesystem: { index: 1, name: 'Filesystem', type: 'string', visible: true },
  },
  default_sort_column: 'Mountpoint',
};

const JOURNAL = {
  status: 200,
  type: 'table',
  columns: {
    timestamp: { index: 0, name: 'Timestamp', type: 'timestamp' },
    rowOptions: { index: 1, name: 'rowOptions', dummy: true },
    PRIORITY: { index: 2, name: 'PRIORITY' },
    MESSAGE: { index: 3, name: 'MESSAGE' },
  },
  data: [[1_700_000_002_000_001, { severity: 'critical' }, 'error', 'refused']],
  facets: [
    { id: 'PRIORITY', name: 'PRIORITY', options: [{ id: '3', name: 'error', count: 1 }] },
    { id: '_SYSTEMD_UNIT', name: '_SYSTEMD_UNIT', options: [] },
  ],
};

/** A 2.9 agent whose /api/v3/function answers per function name. */
async function run(functions: Record<string, StubAnswer>, queries: DataQueryMsg[]) {
  const stub = stubFetch((req: StubRequest) => {
    if (req.url.pathname === '/api/v3/info') {
      return { body: v3Info };
    }
    if (req.url.pathname.endsWith('/api/v3/function')) {
      return functions[(req.url.searchParams.get('function') ?? '').split(' ')[0]];
    }
    return undefined;
  });
  const res = await queryData(
    {
      pluginContext: { dataSourceInstanceSettings: instanceSettings({}, TOKEN, 'http://agent:19999', 'fq') } as never,
      headers: {},
      queries,
      format: 0,
    },
    new InstanceCache(stub.fetch),
    ctx,
    log
  );
  return { res: res.responses, requests: stub.requests };
}

describe('function and logs queries: bad input', () => {
  it("fail a function whose arguments Netdata rejects with Netdata's own message; the next query runs", async () => {
    const { res, requests } = await run(
      {
        processes: { status: 400, body: { status: 400, errorMessage: 'Unknown parameter: sort-by-cpu' } },
        'mount-points': { body: MOUNTS },
      },
      [
        query('P', 'function', { function: 'processes', args: 'sort-by-cpu' }),
        query('M', 'function', { function: 'mount-points' }),
      ]
    );
    expect(res.P.status).toBe(400);
    expect(res.P.error).toBe(
      'Netdata failed the function processes (HTTP 400) (Netdata said: Unknown parameter: sort-by-cpu)'
    );
    expect(res.P.errorSource).toBe('downstream');
    expect(
      requests
        .find((r) => r.url.searchParams.get('function')?.startsWith('processes'))
        ?.url.searchParams.get('function')
    ).toBe('processes sort-by-cpu');
    expect(res.M.error).toBeFalsy();
    expect(tableFromIPC(res.M.frames[0]).numRows).toBe(1);
  });

  it('names a function the node does not offer, with what Netdata said (windows-events on a Linux agent)', async () => {
    const notHere = {
      status: 404,
      body: { status: 404, errorMessage: 'This feature is not available on this host at this time.' },
    };
    const { res } = await run({ 'windows-events': notHere, nosuch: notHere }, [
      query('W', 'logs', { function: 'windows-events' }),
      query('F', 'function', { function: 'nosuch' }),
    ]);
    expect(res.W.status).toBe(404);
    expect(res.W.error).toBe(
      'The node does not offer the function windows-events (HTTP 404) (Netdata said: This feature is not available on this host at this time.)'
    );
    expect(res.F.error).toMatch(/^The node does not offer the function nosuch \(HTTP 404\)/);
  });

  it('refuse a logs filter on a facet the journal does not have, naming the ones it has', async () => {
    const { res } = await run({ 'systemd-journal': { body: JOURNAL } }, [
      query('U', 'logs', { filters: { NO_SUCH_FIELD: ['x'] } }),
      query('K', 'logs', { filters: { PRIORITY: ['3'] } }),
    ]);
    expect(res.U.status).toBe(400);
    expect(res.U.error).toBe(
      "Query U: Netdata's systemd-journal has no facet NO_SUCH_FIELD (facets: PRIORITY, _SYSTEMD_UNIT)"
    );
    expect(res.K.error).toBeFalsy();
  });

  it('give a clear error for answers that are not the documented shape', async () => {
    const { res } = await run(
      {
        'systemd-journal': { body: { status: 200, type: 'table', data: [] } },
        'mount-points': { body: { status: 200, type: 'table', columns: 'none' } },
        'block-devices': { text: '<html>proxy error</html>' },
      },
      [
        query('L', 'logs', {}),
        query('M', 'function', { function: 'mount-points' }),
        query('B', 'function', { function: 'block-devices' }),
      ]
    );
    expect(res.L.status).toBe(502);
    expect(res.L.error).toBe(
      'Netdata\'s answer to systemd-journal is not a logs answer: the logs answer has no "columns" object or no "data" rows'
    );
    expect(res.M.status).toBe(502);
    expect(res.M.error).toMatch(/mount-points/);
    expect(res.M.error).toMatch(/columns/);
    expect(res.B.error).toBeTruthy();
    expect(res.B.status).toBeGreaterThanOrEqual(500);
  });

  it('refuse a bad saved logs query before asking Netdata', async () => {
    const { res, requests } = await run({}, [
      query('A', 'logs', { function: 'journalctl' }),
      query('B', 'logs', { limit: 100000 }),
      query('C', 'logs', { logsVolume: 'yes' }),
    ]);
    expect(res.A.error).toBe('Query A: query.function must be one of systemd-journal, windows-events');
    expect(res.B.error).toBe('Query B: query.limit must be a whole number of rows between 1 and 1000');
    expect(res.C.error).toBe('Query C: query.logsVolume must be true or false');
    expect(requests.filter((r) => r.url.pathname.endsWith('/function'))).toHaveLength(0);
  });
});
