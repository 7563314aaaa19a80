/** @jest-environment node */
import * as http from 'http';

import type { FakeNetdata } from './server';
import { startFakeNetdata } from './server';
import { call } from './testHttp';

function rawGet(url: string): Promise<{ status: number; declared: number; received: number; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, (res) => {
      let received = 0;
      res.on('data', (c: Buffer) => (received += c.length));
      const done = (complete: boolean): void =>
        resolve({ status: res.statusCode ?? 0, declared: Number(res.headers['content-length']), received, complete });
      res.on('end', () => done(true));
      res.on('aborted', () => done(false));
      res.on('error', () => done(false));
    });
    req.on('error', reject);
  });
}

describe('fake server machinery: recording, faults, latency', () => {
  let fake: FakeNetdata;
  beforeAll(async () => {
    fake = await startFakeNetdata({ mode: 'agent' });
  });
  afterAll(() => fake.close());
  afterEach(() => fake.setFault(undefined));

  it('records every request with its path, query, headers and body', async () => {
    fake.requests.length = 0;
    await call(`${fake.url}/api/v3/info?x=1&y=a%20b`, { headers: { 'X-Test': 'yes' } });
    await call(`${fake.url}/api/v3/data?scope_contexts=system.load`, { method: 'POST', body: '{"a":1}' });
    await call(`${fake.url}/api/v3/data?scope_contexts=system.load`, { method: 'POST', body: 'not json' });
    expect(fake.requests.map((r) => [r.method, r.path])).toEqual([
      ['GET', '/api/v3/info'],
      ['POST', '/api/v3/data'],
      ['POST', '/api/v3/data'],
    ]);
    expect(fake.requests[0].query.get('y')).toBe('a b');
    expect(fake.requests[0].headers['x-test']).toBe('yes');
    expect(fake.requests[0].body).toBeUndefined();
    expect(fake.requests[1].body).toEqual({ a: 1 });
    expect(fake.requests[2].body).toBe('not json');
  });

  it('answers a status fault the given number of times', async () => {
    fake.setFault({ kind: 'status', status: 503, body: 'busy', headers: { 'Retry-After': '1' }, times: 2 });
    const first = await call(`${fake.url}/api/v3/info`);
    expect([first.status, first.text, first.headers.get('retry-after')]).toEqual([503, 'busy', '1']);
    expect((await call(`${fake.url}/api/v3/info`)).status).toBe(503);
    expect((await call(`${fake.url}/api/v3/info`)).status).toBe(200);
  });

  it('keeps a status fault without `times` until it is cleared, and replaces bodies', async () => {
    fake.setFault({ kind: 'status', status: 500, contentType: 'application/json', body: '{"x":1}' });
    for (let i = 0; i < 3; i++) {
      const r = await call(`${fake.url}/api/v3/info`);
      expect([r.status, r.contentType, r.text]).toEqual([500, 'application/json', '{"x":1}']);
    }
    fake.setFault({ kind: 'body', body: '{"api": 2, "agents": "nonsense"}' });
    const body = await call(`${fake.url}/api/v3/info`);
    expect([body.status, body.text]).toEqual([200, '{"api": 2, "agents": "nonsense"}']);
    expect(body.contentType).toMatch(/^application\/json/);
  });

  it('truncates the body to half of its declared length', async () => {
    fake.setFault({ kind: 'truncate' });
    const r = await rawGet(`${fake.url}/api/v3/info`);
    expect(r.status).toBe(200);
    expect(r.complete).toBe(false);
    expect(r.received).toBe(Math.floor(r.declared / 2));
  });

  it('hangs without answering, and still closes', async () => {
    fake.setFault({ kind: 'hang' });
    await expect(fetch(`${fake.url}/api/v3/info`, { signal: AbortSignal.timeout(200) })).rejects.toThrow();
  });

  it('adds latency to every answer', async () => {
    const slow = await startFakeNetdata({ mode: 'agent', latencyMs: 150 });
    try {
      const start = Date.now();
      expect((await call(`${slow.url}/api/v3/info`)).status).toBe(200);
      expect(Date.now() - start).toBeGreaterThanOrEqual(140);
    } finally {
      await slow.close();
    }
  });

  it('closes with a hanging request open', async () => {
    const other = await startFakeNetdata({ mode: 'cloud' });
    other.setFault({ kind: 'hang' });
    const pending = fetch(`${other.url}/api/v2/spaces`).catch(() => 'closed');
    await new Promise((r) => setTimeout(r, 50));
    await other.close();
    expect(await pending).toBe('closed');
  });
});
