/** @jest-environment node */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createNetdataClient } from './httpClient';
import { NetdataRequestError } from './requestError';
import type { NetdataSettings } from './settings';

const TOKEN = '6c1f3b1e-95a7-4c1b-9d61-0a5d1b7f2e11';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

let server: Server;
let base: string;
let seen: Seen[] = [];
let handler: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      handler(req, res);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  seen = [];
  handler = (_req, res) => {
    res.setHeader('Content-Type', 'application/json');
    res.end('{"ok":true}');
  };
});

function settings(over: Partial<NetdataSettings> = {}): NetdataSettings {
  return { transport: 'agent', baseUrl: new URL(base), timeoutMs: 2000, token: TOKEN, ...over };
}

async function failure(p: Promise<unknown>): Promise<NetdataRequestError> {
  try {
    await p;
  } catch (err) {
    expect(err).toBeInstanceOf(NetdataRequestError);
    return err as NetdataRequestError;
  }
  throw new Error('expected a failure');
}

describe('NetdataClient', () => {
  it('sends the agent token in both bearer headers and parses JSON', async () => {
    const body = await createNetdataClient(settings()).getJson('/api/v3/info');
    expect(body).toEqual({ ok: true });
    expect(seen[0].url).toBe('/api/v3/info');
    expect(seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0].headers['x-netdata-auth']).toBe(`Bearer ${TOKEN}`);
  });

  it('sends Cloud POSTs with Authorization and a JSON body', async () => {
    await createNetdataClient(settings({ transport: 'cloud' })).postJson('/api/v3/spaces/s/rooms/r/nodes', { a: 1 });
    expect(seen[0].method).toBe('POST');
    expect(seen[0].headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(seen[0].headers['x-netdata-auth']).toBeUndefined();
    expect(seen[0].headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen[0].body)).toEqual({ a: 1 });
  });

  it('sends no auth header without a token', async () => {
    await createNetdataClient(settings({ token: undefined })).getJson('/api/v3/info');
    expect(seen[0].headers.authorization).toBeUndefined();
    expect(seen[0].headers['x-netdata-auth']).toBeUndefined();
  });

  it('does not follow redirects and names the target host', async () => {
    handler = (_req, res) => {
      res.statusCode = 302;
      res.setHeader('Location', 'http://evil.example:8080/steal');
      res.end();
    };
    const err = await failure(createNetdataClient(settings()).getJson('/api/v3/info'));
    expect(err.kind).toBe('redirect');
    expect(err.message).toContain('evil.example:8080');
    expect(seen).toHaveLength(1);
  });

  it('reports Netdata HTTP errors with the core message, keeping auth statuses', async () => {
    handler = (_req, res) => {
      res.statusCode = 412;
      res.setHeader('Content-Type', 'text/plain');
      res.end('You need to be authorized to access this resource');
    };
    const err = await failure(createNetdataClient(settings()).getJson('/api/v3/data?x=1'));
    expect(err).toMatchObject({ kind: 'http', status: 412, upstreamStatus: 412, source: 'downstream' });
    expect(err.message).toMatch(/bearer/i);
    expect(err.message).not.toContain(TOKEN);
  });

  it('maps Netdata timeouts to 504 and other 5xx to 502', async () => {
    handler = (_req, res) => {
      res.statusCode = 499;
      res.end();
    };
    expect((await failure(createNetdataClient(settings()).getJson('/api/v3/data'))).status).toBe(504);
    handler = (_req, res) => {
      res.statusCode = 500;
      res.end('Failed to prepare the query.');
    };
    expect((await failure(createNetdataClient(settings()).getJson('/api/v3/data'))).status).toBe(502);
  });

  it('never echoes the token from an error body', async () => {
    handler = (_req, res) => {
      res.statusCode = 400;
      res.end(`bad token ${TOKEN}`);
    };
    const err = await failure(createNetdataClient(settings()).getJson('/api/v3/data'));
    expect(err.message).not.toContain(TOKEN);
  });

  it('reports a 200 that is not JSON as a 502 downstream error', async () => {
    handler = (_req, res) => res.end('<html>login</html>');
    const err = await failure(createNetdataClient(settings()).getJson('/api/v3/data?a=1'));
    expect(err).toMatchObject({ kind: 'body', status: 502, source: 'downstream' });
    expect(err.message).toMatch(/not JSON/);
  });

  it('times out with a message naming the timeout', async () => {
    handler = () => undefined; // never answers
    const err = await failure(createNetdataClient(settings({ timeoutMs: 200 })).getJson('/api/v3/data'));
    expect(err).toMatchObject({ kind: 'timeout', status: 504 });
    expect(err.message).toMatch(/did not answer within 0\.2 s/);
  });

  it('stops when the caller aborts', async () => {
    handler = () => undefined;
    const ctl = new AbortController();
    setTimeout(() => ctl.abort('cancelled'), 50);
    const err = await failure(createNetdataClient(settings()).getJson('/api/v3/data', { signal: ctl.signal }));
    expect(err.kind).toBe('cancelled');
  });

  it('reports a deadline abort as a timeout', async () => {
    handler = () => undefined;
    const ctl = new AbortController();
    setTimeout(() => ctl.abort('deadline'), 50);
    const err = await failure(createNetdataClient(settings()).getJson('/api/v3/data', { signal: ctl.signal }));
    expect(err).toMatchObject({ kind: 'timeout', status: 504 });
  });

  it('names a refused connection', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const err = await failure(
      createNetdataClient(settings({ baseUrl: new URL(`http://127.0.0.1:${port}`) })).getJson('/api/v3/info')
    );
    expect(err).toMatchObject({ kind: 'refused', status: 502, source: 'downstream' });
    expect(err.message).toMatch(new RegExp(`Connection refused.*ECONNREFUSED.*port ${port}`));
  });

  it('names a DNS failure', async () => {
    const err = await failure(
      createNetdataClient(settings({ baseUrl: new URL('http://no-such-host.invalid:19999') })).getJson('/api/v3/info')
    );
    expect(err.kind).toBe('dns');
    expect(err.message).toMatch(/no-such-host\.invalid.*DNS/);
  });

  it('refuses paths that would leave the base URL before sending anything', async () => {
    const err = await failure(createNetdataClient(settings()).getJson('//evil.example/x'));
    expect(err.kind).toBe('refused-url');
    expect(seen).toHaveLength(0);
  });

  it('reports a body cut short', async () => {
    handler = (_req, res) => {
      res.setHeader('Content-Length', '1000');
      res.write('{"api":2,');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const err = await failure(createNetdataClient(settings()).getJson('/api/v3/data'));
    expect(err).toMatchObject({ kind: 'body', status: 502 });
  });
});
