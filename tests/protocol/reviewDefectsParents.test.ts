/** @jest-environment node */
// Issue 11 rules 1, 4, 9 and 10 through the built executable: a `/host/<node>` data source URL on a Parent whose
// v2/v3 API ignores the prefix, node totals of v1.47 and v2.x agents with an archived node, alert history beyond one
// request's cap, and queries Netdata Cloud rejects.
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { dataSourceSettings, decodeFrames, startPlugin, type PluginProcess, type QueryInput } from './grafanaHost';
import { decodedSeries } from './json2Expect';

jest.setTimeout(90000);

const NOW = Date.now();
const WINDOW = { fromMs: NOW - 6 * 3600_000, toMs: NOW - 60_000, maxDataPoints: 60, intervalMs: 360_000 };

function q(refId: string, json: Record<string, unknown>, queryType?: string): QueryInput {
  return { refId, json: queryType ? { ...json, queryType } : json, ...WINDOW, ...(queryType ? { queryType } : {}) };
}

type Table = ReturnType<typeof decodeFrames>[number];

function column(table: Table, name: string): unknown[] {
  const i = table.schema.fields.findIndex((f) => f.name === name);
  const vector = table.getChildAt(i)!;
  return Array.from({ length: table.numRows }, (_, r) => vector.get(r));
}

function meta(table: Table): { notices?: Array<{ severity: string; text: string }>; executedQueryString?: string } {
  return JSON.parse(table.schema.metadata.get('meta') ?? '{}');
}

let plugin: PluginProcess;
beforeAll(async () => {
  plugin = await startPlugin();
});
afterAll(async () => {
  await plugin?.kill();
});

describe('rule 1: a /host/<node> data source URL on a Parent (v2/v3 ignore the prefix)', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
  });
  afterAll(() => fake?.close());

  const child = () => fake.nodes.find((n) => n.nm === 'child01')!;
  const settings = (node = 'child01') => dataSourceSettings({ url: `${fake.url}/host/${node}`, uid: `host-${node}` });

  it('health names the node of the URL', async () => {
    const res = await plugin.checkHealth(settings());
    expect(res.status).toBe(1);
    expect(res.message).toBe(
      `Connected to Netdata v2.9.0 (API v3) at ${fake.url}/host/child01: node child01 of a Parent with 2 nodes`
    );
  });

  it('data covers only that node: scope_nodes is its machine GUID, the /host/ prefix is not sent to v3', async () => {
    fake.requests.length = 0;
    const res = await plugin.queryData(settings(), [
      q('A', { context: 'system.cpu', groupBy: ['node'], aggregation: 'sum' }),
    ]);
    expect(res.responses.A.error).toBeFalsy();
    const tables = decodeFrames(res.responses.A.frames);
    expect(tables.map((t) => decodedSeries(t).labels.machine_guid)).toEqual([child().mg]);
    const data = fake.requests.filter((r) => r.path.endsWith('/data'));
    expect(data.map((r) => [r.path, r.query.get('scope_nodes')])).toEqual([['/api/v3/data', child().mg]]);
  });

  it('the node list, the variables and the alert annotations hold only that node', async () => {
    const nodes = await plugin.callResource(settings(), 'nodes');
    expect((nodes.body as { nodes: Array<{ hostname: string }> }).nodes.map((n) => n.hostname)).toEqual(['child01']);

    const res = await plugin.queryData(settings(), [q('N', {}, 'nodes'), q('T', {}, 'alertTransitions')]);
    expect(res.responses.N.error).toBeFalsy();
    const [nodeTable] = decodeFrames(res.responses.N.frames);
    expect(nodeTable.numRows).toBe(1);
    expect(res.responses.T.error).toBeFalsy();
    const [annotations] = decodeFrames(res.responses.T.frames);
    expect(annotations.numRows).toBeGreaterThan(0);
    expect(new Set(column(annotations, 'text').map((t) => String(t).split(' on ')[1]?.split(' ')[0]))).toEqual(
      new Set(['child01'])
    );
  });

  it('refuses a node filter outside the URL’s node, and a node the Parent does not hold', async () => {
    const res = await plugin.queryData(settings(), [q('A', { context: 'system.cpu', nodes: ['parent01'] })]);
    expect(res.responses.A).toMatchObject({ status: 400, errorSource: 'plugin' });
    expect(res.responses.A.error).toMatch(/limited to the node child01 by its URL/);

    const health = await plugin.checkHealth(settings('web9'));
    expect(health.status).toBe(2);
    expect(health.message).toMatch(/does not hold the node "web9".*its nodes: child01, parent01/);
    const unknown = await plugin.queryData(settings('web9'), [q('A', { context: 'system.cpu' })]);
    expect(unknown.responses.A.status).toBe(404);
    expect(unknown.responses.A.error).toMatch(/does not hold the node "web9"/);
  });
});

describe('rule 4: node totals as the agent really has them', () => {
  it('v1.47 (no node counts in its info) counts its node list, stale nodes apart', async () => {
    const fake = await startFakeNetdata({ mode: 'agent', apiLevel: 2, archivedNode: true });
    try {
      const res = await plugin.checkHealth(dataSourceSettings({ url: fake.url, uid: 'v147' }));
      expect(res.status).toBe(1);
      expect(res.message).toBe(`Connected to Netdata v1.47.5 (API v2) at ${fake.url}: 2 nodes (1 stale)`);
    } finally {
      await fake.close();
    }
  });

  it('v2.9 leaves archived nodes out of nodes.total', async () => {
    const fake = await startFakeNetdata({ mode: 'agent', archivedNode: true });
    try {
      const res = await plugin.checkHealth(dataSourceSettings({ url: fake.url, uid: 'v29-archived' }));
      expect(res.message).toBe(`Connected to Netdata v2.9.0 (API v3) at ${fake.url}: 2 nodes (1 archived)`);
    } finally {
      await fake.close();
    }
  });
});

describe('rule 9: alert transitions beyond one request’s cap', () => {
  const statuses = { alertStatuses: ['CRITICAL', 'WARNING', 'CLEAR'] };

  async function truth(fake: FakeNetdata, path: string, query: URLSearchParams): Promise<number> {
    const all = new URLSearchParams(query);
    all.set('last', '1000000');
    const body = (await (await fetch(`${fake.url}${path}?${all.toString()}`)).json()) as { transitions: unknown[] };
    return body.transitions.length;
  }

  it('reads a busy window page by page until it is complete', async () => {
    const fake = await startFakeNetdata({ mode: 'agent', alertPeriodS: 120 });
    try {
      const res = await plugin.queryData(dataSourceSettings({ url: fake.url, uid: 'busy' }), [
        q('A', statuses, 'alertTransitions'),
      ]);
      expect(res.responses.A.error).toBeFalsy();
      const [table] = decodeFrames(res.responses.A.frames);
      const pages = fake.requests.filter((r) => r.path === '/api/v3/alert_transitions');
      expect(pages.length).toBeGreaterThan(1);
      const expected = await truth(fake, pages[0].path, pages[0].query);
      expect(expected).toBeGreaterThan(1000);
      expect(table.numRows).toBe(expected);
      expect(meta(table).notices ?? []).toEqual([]);
    } finally {
      await fake.close();
    }
  });

  it('stops at its bound and says the oldest transitions are missing', async () => {
    const fake = await startFakeNetdata({ mode: 'agent', alertPeriodS: 15 });
    try {
      const res = await plugin.queryData(dataSourceSettings({ url: fake.url, uid: 'flapping' }), [
        q('A', statuses, 'alertTransitions'),
      ]);
      expect(res.responses.A.error).toBeFalsy();
      const [table] = decodeFrames(res.responses.A.frames);
      const pages = fake.requests.filter((r) => r.path === '/api/v3/alert_transitions');
      expect(pages).toHaveLength(10);
      expect(await truth(fake, pages[0].path, pages[0].query)).toBeGreaterThan(table.numRows);
      expect(table.numRows).toBeGreaterThan(9000);
      expect(meta(table).notices).toEqual([
        { severity: 'warning', text: expect.stringMatching(/more alert transitions .* the oldest are missing/) },
      ]);
    } finally {
      await fake.close();
    }
  });
});

describe('rule 10: a query Netdata Cloud refuses', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'cloud', cloudToken: 'cloud-token-123456' });
  });
  afterAll(() => fake?.close());

  it('is that query’s error (400, downstream) naming what it asked for, not an empty frame', async () => {
    const settings = dataSourceSettings({
      url: fake.url,
      transport: 'cloud',
      token: 'cloud-token-123456',
      spaceId: fake.spaceId,
      roomId: fake.roomId,
      uid: 'cloud-refused',
    });
    // Cloud's answer to a body it will not run (netdata-api.md §6.5): it names nothing.
    fake.setFault({
      kind: 'status',
      status: 400,
      contentType: 'application/json',
      body: JSON.stringify({
        errorMsgKey: 'ErrBadRequest',
        errorMessage: 'Bad Request',
        errorCode: '1BIKRyPlV9-124244066',
      }),
      times: 1,
    });
    const res = await plugin.queryData(settings, [
      q('A', { context: 'system.cpu', aggregation: 'extremes', groupBy: ['node'], timeGroup: 'max' }),
    ]);
    fake.setFault(undefined);
    expect(res.responses.A).toMatchObject({ status: 400, errorSource: 'downstream' });
    expect(res.responses.A.frames ?? []).toHaveLength(0);
    expect(res.responses.A.error).toMatch(
      /^Query A: Netdata Cloud refused this query \(HTTP 400: Bad Request, ErrBadRequest\)/
    );
    expect(res.responses.A.error).toContain('aggregation extremes, group by node, time group max');
    // The same query without the fault runs: the error was Cloud's refusal of that request only.
    const ok = await plugin.queryData(settings, [q('A', { context: 'system.cpu', groupBy: ['node'] })]);
    expect(ok.responses.A.status).toBe(200);
  });
});
