/** @jest-environment node */
// The fake's functions against netdata-api-extra.md §5: list shapes, /host/ routing, the access rule, table and
// logs answers.
import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import { SIGN_IN_MESSAGE } from './functions';
import { call, parseJson } from './testHttp';

const TOKEN = '3c2e1a4b-5d6f-4a7b-8c9d-0e1f2a3b4c5d';

describe('fake functions (§5)', () => {
  let fake: FakeNetdata;
  let signed: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
    signed = await startFakeNetdata({ mode: 'agent', bearerToken: TOKEN });
  });
  afterAll(async () => {
    await fake.close();
    await signed.close();
  });

  it('lists functions per host on v1 and per node index on v3', async () => {
    const v1 = parseJson((await call(`${fake.url}/host/child01/api/v1/functions`)).text);
    expect(Object.keys(v1.functions as object).sort()).toEqual([
      'mount-points',
      'network-interfaces',
      'systemd-journal',
    ]);
    const v3 = parseJson((await call(`${fake.url}/api/v3/functions`)).text) as {
      nodes: Array<{ nm: string; ni: number }>;
      functions: Array<{ name: string; ni: number[]; access: string[] }>;
    };
    expect(v3.nodes.map((n) => n.nm)).toEqual(['parent01', 'child01']);
    const processes = v3.functions.find((f) => f.name === 'processes');
    expect(processes).toMatchObject({ ni: [0], access: ['signed-in', 'same-space', 'sensitive-data'] });
    expect(v3.functions.find((f) => f.name === 'mount-points')?.ni).toEqual([0, 1]);
  });

  it('answers table functions anonymously, with columns ordered by index', async () => {
    const res = await call(`${fake.url}/api/v3/function?function=mount-points&timeout=10`);
    expect(res.status).toBe(200);
    const doc = parseJson(res.text) as {
      type: string;
      data: unknown[][];
      columns: Record<string, { index: number }>;
      default_sort_column: string;
    };
    expect(doc.type).toBe('table');
    expect(Object.entries(doc.columns).map(([k, c]) => [k, c.index])[0]).toEqual(['Mountpoint', 0]);
    expect(doc.data.map((r) => r[0])).toEqual(['/', '/data']);
    expect(doc.default_sort_column).toBe('Used%');
  });

  it('refuses signed-in functions to anonymous callers with 412 JSON, and serves them with a token', async () => {
    const anon = await call(`${fake.url}/api/v3/function?function=processes%20info`);
    expect(anon.status).toBe(412);
    expect(parseJson(anon.text)).toEqual({ status: 412, errorMessage: SIGN_IN_MESSAGE });
    const ok = await call(`${signed.url}/api/v3/function?function=processes`, {
      headers: { Authorization: `Bearer ${TOKEN}` },
    });
    expect(ok.status).toBe(200);
    expect((parseJson(ok.text) as { type: string }).type).toBe('table');
  });

  it('answers 404 JSON for functions the host does not have', async () => {
    const res = await call(`${fake.url}/host/child01/api/v3/function?function=processes`);
    expect(res.status).toBe(404);
    expect(parseJson(res.text)).toEqual({
      status: 404,
      errorMessage: 'This feature is not available on this host at this time.',
    });
  });

  it('serves the journal per §5.4: keys in order, newest first, anchor paging, selections and query', async () => {
    const post = (body: unknown) =>
      call(`${signed.url}/api/v3/function?function=systemd-journal`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
      });
    const first = parseJson((await post({ last: 5 })).text) as Record<string, unknown> & {
      data: Array<[number, { severity: string }, ...unknown[]]>;
      items: { returned: number; matched: number };
      histogram: { chart: { result: { labels: string[]; data: unknown[][] } } };
    };
    expect(Object.keys(first).slice(0, 4)).toEqual(['_request', 'status', 'partial', 'type']);
    expect(first.data).toHaveLength(5);
    const ts = first.data.map((r) => r[0]);
    expect([...ts].sort((a, b) => b - a)).toEqual(ts);
    expect(first.items.returned).toBe(5);
    expect(first.histogram.chart.result.labels[0]).toBe('time');
    const older = parseJson((await post({ last: 5, anchor: ts[4], direction: 'backward' })).text) as {
      data: Array<[number]>;
    };
    expect(older.data[0][0]).toBeLessThan(ts[4]);
    const errors = parseJson((await post({ last: 50, selections: { PRIORITY: ['3'] } })).text) as {
      data: Array<[number, { severity: string }, string]>;
    };
    expect(errors.data.length).toBeGreaterThan(0);
    expect(errors.data.every((r) => r[1].severity === 'critical' && r[2] === 'error')).toBe(true);
    const searched = parseJson((await post({ last: 50, query: 'REFUSED' })).text) as { data: unknown[][] };
    expect(searched.data.length).toBe(errors.data.length);
  });

  it('is refused over plain HTTP on 1.37', async () => {
    const old = await startFakeNetdata({ mode: 'agent', apiLevel: 1 });
    try {
      const res = await call(`${old.url}/api/v1/functions`);
      expect(res.status).toBe(403);
      expect(res.text).toBe('You are not allowed to access this resource.');
    } finally {
      await old.close();
    }
  });
});
