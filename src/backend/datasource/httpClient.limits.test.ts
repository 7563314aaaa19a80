/** @jest-environment node */
// The client's limits: which failures are retried and how often, and the response-size limit while streaming.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNetdataClient } from './httpClient';
import { NetdataRequestError } from './requestError';
import type { NetdataSettings } from './settings';

let server: Server;
let base: string;
let seen: number[] = [];
let handler: (req: IncomingMessage, res: ServerResponse, n: number) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(Date.now());
    req.resume();
    handler(req, res, seen.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen = [];
});

function settings(over: Partial<NetdataSettings> = {}): NetdataSettings {
  return { transport: 'agent', baseUrl: new URL(base), timeoutMs: 5000, ...over };
}

const status =
  (code: number, headers: Record<string, string> = {}) =>
  (_req: IncomingMessage, res: ServerResponse) => {
    res.writeHead(code, { 'Content-Type': 'text/plain', ...headers });
    res.end('busy');
  };

async function failure(p: Promise<unknown>): Promise<NetdataRequestError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(NetdataRequestError);
    return err as NetdataRequestError;
  }
  throw new Error('expected a failure');
}

describe('retries', () => {
  it('retries a 503 and returns the answer that follows', async () => {
    handler = (req, res, n) => (n === 1 ? status(503)(req, res) : res.end('{"ok":1}'));
    expect(await createNetdataClient(settings()).getJson('/api/v3/data')).toEqual({ ok: 1 });
    expect(seen).toHaveLength(2);
  });

  it('retries POST reads as well', async () => {
    handler = (req, res, n) => (n === 1 ? status(429, { 'Retry-After': '0' })(req, res) : res.end('{"ok":2}'));
    const client = createNetdataClient(settings({ transport: 'cloud', token: 'tok-abcdef' }));
    expect(await client.postJson('/api/v3/spaces/s/rooms/r/data', { a: 1 })).toEqual({ ok: 2 });
    expect(seen).toHaveLength(2);
  });

  it('gives up after three attempts, saying so', async () => {
    handler = status(429, { 'Retry-After': '0' });
    const err = await failure(createNetdataClient(settings()).getJson('/api/v3/data'));
    expect(err).toMatchObject({ status: 429, upstreamStatus: 429 });
    expect(err.message).toMatch(/too many requests.*\(gave up after 3 attempts\)/);
    expect(seen).toHaveLength(3);
  });

  it.each([400, 401, 403, 404, 412, 451, 500, 502, 504])('never retries %i', async (code) => {
    handler = status(code);
    await failure(createNetdataClient(settings()).getJson('/api/v3/data'));
    expect(seen).toHaveLength(1);
  });

  it('keeps backoff waits inside the timeout', async () => {
    handler = status(503);
    const started = Date.now();
    const err = await failure(createNetdataClient(settings({ timeoutMs: 900 })).getJson('/api/v3/data'));
    expect(Date.now() - started).toBeLessThan(900);
    expect(err.message).toMatch(/no time left for another attempt/);
    expect(seen).toHaveLength(2);
  });
});

describe('response-size limit', () => {
  it('refuses a streamed body above the limit and closes the connection', async () => {
    let closed: Promise<void> = Promise.resolve();
    handler = (_req, res) => {
      closed = new Promise((r) => res.on('close', () => r()));
      res.writeHead(200, { 'Content-Type': 'application/json' });
      const chunk = 'x'.repeat(64 * 1024);
      let sent = 0;
      const pump = () => {
        while (sent < 200 && !res.destroyed) {
          sent++;
          if (!res.write(chunk)) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    };
    const err = await failure(createNetdataClient(settings({ maxResponseBytes: 1024 * 1024 })).getJson('/api/v3/data'));
    expect(err).toMatchObject({ kind: 'too-large', status: 413, source: 'plugin' });
    expect(err.message).toMatch(/more than 1 MiB .*narrow the query/);
    await closed;
  });

  it('reads only the start of a huge error body', async () => {
    handler = (_req, res) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`Failed to prepare the query. ${'more text '.repeat(500_000)}`);
    };
    const err = await failure(createNetdataClient(settings()).getJson('/api/v3/data'));
    expect(err.message).toMatch(/HTTP 500.*Failed to prepare the query/);
    expect(err.message.length).toBeLessThan(2000);
  });
});
