/** @jest-environment node */
import { loadFixture } from '../fixtures';
import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import { call, parseJson } from './testHttp';

type Doc = Record<string, any>;

async function get(fake: FakeNetdata, path: string): Promise<{ status: number; doc: Doc }> {
  const r = await call(`${fake.url}${path}`);
  return { status: r.status, doc: parseJson(r.text) as Doc };
}

function keysOf(doc: Doc): string[] {
  return Object.keys(doc);
}

describe('fake weights, q and alerts (netdata-api-extra.md §1–§3)', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
  });
  afterAll(() => fake.close());

  it('answers weights with the 2.9 top-level keys and dictionaries indexed by their own keys', async () => {
    const real = loadFixture('v2_weights.json') as Doc;
    const { status, doc } = await get(fake, '/api/v2/weights?contexts=system.*&after=-120&before=0&method=value');
    expect(status).toBe(200);
    expect(keysOf(doc).filter((k) => k !== 'versions')).toEqual(keysOf(real).filter((k) => k !== 'versions'));
    expect(doc.request.method).toBe('value');
    expect(doc.view.window.duration).toBe(doc.view.window.before - doc.view.window.after);
    const dims = doc.result.filter((r: unknown[]) => r[0] === 0);
    expect(dims.length).toBe(doc.correlated_dimensions);
    for (const row of dims) {
      expect(doc.dictionaries.contexts.some((c: Doc) => c.ci === row[2])).toBe(true);
      expect(doc.dictionaries.dimensions.some((d: Doc) => d.di === row[4])).toBe(true);
      expect(row[5]).toBeGreaterThan(0); // nonzero by default
    }
    // Aggregate rows follow their members: dimension rows, the instance row, the context row, the node row.
    expect(doc.result[doc.result.length - 1][0]).toBe(3);
  });

  it('re-ranks ks2 scores (most changed = 0) unless raw, and re-anchors the baseline to 2^k highlights', async () => {
    const base = '/api/v3/weights?method=ks2&scope_contexts=system.cpu&after=-60&before=0&baseline_after=-180';
    const ranked = (await get(fake, base)).doc;
    const raw = (await get(fake, `${base}&options=raw`)).doc;
    const scoresRanked = ranked.result.filter((r: unknown[]) => r[0] === 0).map((r: number[]) => r[5]);
    const scoresRaw = raw.result.filter((r: unknown[]) => r[0] === 0).map((r: number[]) => r[5]);
    expect(Math.min(...scoresRanked)).toBe(0);
    expect(scoresRanked.every((s: number) => s >= 0 && s < 1)).toBe(true);
    expect(scoresRaw.length).toBeGreaterThan(0);
    // The most changed raw (highest 1 − p) is the one ranked 0.
    const rawIds = raw.result.filter((r: unknown[]) => r[0] === 0);
    const top = rawIds.reduce((a: number[], b: number[]) => (b[5] > a[5] ? b : a));
    expect(raw.request.options).toContain('raw');
    // 180 s requested before a 59 s highlight: m = 3 → rounded up to 4.
    expect(ranked.view.baseline.duration).toBe(4 * ranked.view.window.duration);
    expect(ranked.view.baseline.before).toBe(ranked.view.window.after);
    expect(top[6]).toHaveLength(6);
  });

  it('answers the weights errors of §1.7', async () => {
    const empty = await get(fake, '/api/v3/weights?method=ks2&after=100&before=50');
    expect(empty).toEqual({ status: 400, doc: { error: 'Invalid selected time-range.' } });
    const few = await get(fake, '/api/v3/weights?method=ks2&after=-60&points=10');
    expect(few).toEqual({ status: 400, doc: { error: 'Too few points available, at least 15 are needed.' } });
  });

  it('searches like 2.9: q=cpu finds system.cpu by id, title, family and instance (substring, ≥ v2.6)', async () => {
    const real = loadFixture('v2_q_cpu.json') as Doc;
    const { doc } = await get(fake, '/api/v2/q?q=cpu');
    expect(keysOf(doc).filter((k) => k !== 'versions')).toEqual(keysOf(real).filter((k) => k !== 'versions'));
    expect(doc.contexts['system.cpu']).toEqual(real.contexts['system.cpu']);
    const sda = (await get(fake, '/api/v3/q?q=sda')).doc;
    expect(sda.contexts['disk.io'].matched).toEqual(['instances', 'labels']);
    expect(sda.contexts['disk.io'].labels).toEqual({ device: ['sda'] });
  });

  it('answers alerts with no alert data without options, and instances with options=instances,values', async () => {
    const bare = (await get(fake, '/api/v2/alerts')).doc;
    expect(keysOf(bare)).toEqual(keysOf(loadFixture('v2_alerts.json') as Doc));
    const raised = (await get(fake, '/api/v3/alerts?options=instances,values&status=raised')).doc;
    expect(raised.alert_instances).toHaveLength(1);
    expect(raised.alert_instances[0]).toMatchObject({
      nm: 'ram_in_use',
      st: 'WARNING',
      ctx: 'system.ram',
      ch_n: 'system.ram',
    });
    const node = raised.nodes.find((n: Doc) => n.ni === raised.alert_instances[0].ni);
    expect(node.nm).toBe('parent01');
    const clear = (await get(fake, '/api/v3/alerts?options=instances&status=clear&alert=load_*')).doc;
    expect(clear.alert_instances.every((a: Doc) => a.nm.startsWith('load_') && a.st === 'CLEAR')).toBe(true);
    expect(clear.alert_instances).toHaveLength(6);
  });
});
