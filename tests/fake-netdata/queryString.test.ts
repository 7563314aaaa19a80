/** @jest-environment node */
import { decodeAgentQueryString, parseAgentQuery } from './queryString';
import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import { getJson2 } from './testHttp';

describe('§2.1 query-string parsing (pure)', () => {
  it('decodes the whole string first, then splits on & and the first =', () => {
    expect(decodeAgentQueryString('a=b+c%2Bd')).toBe('a=b c+d');
    const q = parseAgentQuery('dimensions=user%26points=3&x=a=b');
    expect(q.last('dimensions')).toBe('user');
    expect(q.last('points')).toBe('3');
    expect(q.last('x')).toBe('a=b');
  });

  it('stops at a non-printable escape and drops the rest', () => {
    expect(decodeAgentQueryString('a=1&b=2%09&c=3')).toBe('a=1&b=2');
    for (const esc of ['%0A', '%0D', '%00', '%7F']) {
      expect(parseAgentQuery(`a=1${esc}&c=3`).last('c')).toBeUndefined();
    }
  });

  it('ignores empty values and repeated &&, keeps the last value, names are case-sensitive', () => {
    const q = parseAgentQuery('points=5&&points=&Points=9&options=flip&options=ms');
    expect(q.last('points')).toBe('5');
    expect(q.last('Points')).toBe('9');
    expect(q.all('options')).toEqual(['flip', 'ms']);
  });

  it('decodes UTF-8 escapes', () => {
    expect(decodeAgentQueryString('l=caf%C3%A9')).toBe('l=café');
  });
});

describe('§2.1 query-string parsing through the server', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
  });
  afterAll(() => fake.close());

  const base = (): string => `${fake.url}/api/v3/data?scope_contexts=system.cpu&scope_nodes=parent01&format=json2`;

  it('%26 becomes a separator, %2B a literal plus', async () => {
    const doc = await getJson2(`${base()}&dimensions=user%26points=3&after=-60`);
    expect(doc.result.labels).toEqual(['time', 'user']);
    expect(doc.result.data).toHaveLength(3);
  });

  it('an encoded newline silently drops the rest of the URL', async () => {
    const doc = await getJson2(`${base()}&points=3%0A&after=-60`);
    // `after` was dropped: the default 600 s window in 3 points.
    expect(doc.view.update_every).toBe(200);
    expect(doc.result.data).toHaveLength(3);
  });

  it('ignores empty and unknown parameters and wrongly cased names', async () => {
    const doc = await getJson2(`${base()}&after=-60&points=&Points=2&bogus=1&points=4`);
    expect(doc.result.data).toHaveLength(4);
  });

  it('accumulates repeated options', async () => {
    const doc = await getJson2(`${base()}&after=-60&points=3&options=flip&options=ms`);
    const t = doc.result.data.map((r) => r[0] as number);
    expect(t[0]).toBeLessThan(t[2]);
    expect(t[0] % 1000).toBe(0);
    expect(t[0]).toBeGreaterThan(1e12);
  });
});
