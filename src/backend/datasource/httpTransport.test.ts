/** @jest-environment node */
// The node:http transport: kept-alive connections, compressed answers, the size limit, and close() while busy.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { nodeHttpTransport } from './httpTransport';

let server: Server;
let base: string;
const connections = new Set<Socket>();
let handler: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  server.on('connection', (socket) => connections.add(socket));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
beforeEach(() => {
  connections.clear();
  handler = (_req, res) => res.end('{"ok":true}');
});

const get = (path: string) => ({
  method: 'GET' as const,
  url: new URL(path, base),
  headers: { Accept: 'application/json' },
  signal: new AbortController().signal,
});

describe('nodeHttpTransport', () => {
  it('sends consecutive requests over one kept-alive connection', async () => {
    const transport = nodeHttpTransport();
    for (let i = 0; i < 5; i++) {
      const res = await transport.send(get(`/api/v3/data?i=${i}`));
      expect(res.status).toBe(200);
      expect(await res.text(1024)).toEqual({ ok: true, text: '{"ok":true}', bytes: 11 });
    }
    expect(connections.size).toBe(1);
    transport.close();
  });

  it('decodes a gzip answer and applies the size limit to the decoded bytes', async () => {
    const body = JSON.stringify({ values: Array.from({ length: 2000 }, (_, i) => i) });
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Encoding': 'gzip' });
      res.end(gzipSync(body));
    };
    const transport = nodeHttpTransport();
    expect(await (await transport.send(get('/a'))).text(1024 * 1024)).toEqual({
      ok: true,
      text: body,
      bytes: body.length,
    });
    const limited = await (await transport.send(get('/b'))).text(1000);
    expect(limited.ok).toBe(false);
    transport.close();
  });

  it('refuses an answer whose Content-Length is over the limit without reading it', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': 5000 });
      res.end('x'.repeat(5000));
    };
    const transport = nodeHttpTransport();
    expect(await (await transport.send(get('/big'))).text(100)).toEqual({ ok: false, bytes: 5000 });
    transport.close();
  });

  it('lets a request in flight finish when closed, then closes its connection', async () => {
    let release: () => void = () => undefined;
    handler = (_req, res) => {
      release = () => res.end('{"late":true}');
    };
    const transport = nodeHttpTransport();
    const pending = transport.send(get('/slow'));
    await new Promise((r) => setTimeout(r, 50));
    transport.close();
    release();
    const res = await pending;
    expect(await res.text(1024)).toMatchObject({ ok: true, text: '{"late":true}' });
    const socket = [...connections][0];
    await new Promise((r) => (socket.destroyed ? r(undefined) : socket.once('close', r)));
    expect(socket.destroyed).toBe(true);
  });

  it('sends again on a fresh connection when Netdata closed the kept-alive one as it was reused', async () => {
    const transport = nodeHttpTransport();
    await (await transport.send(get('/first'))).text(1024);
    let n = 0;
    handler = (req, res) => {
      n++;
      if (n === 1) {
        // Cut the connection without answering: what a server's idle timeout looks like to a reused socket.
        req.socket.destroy();
        return;
      }
      res.end('{"second":true}');
    };
    const res = await transport.send(get('/again'));
    expect(await res.text(1024)).toMatchObject({ ok: true, text: '{"second":true}' });
    expect(n).toBe(2);
    transport.close();
  });

  it('reports a connection cut in the middle of the body as an error', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'Content-Length': 1000 });
      res.write('x'.repeat(10));
      setTimeout(() => res.socket?.destroy(), 20);
    };
    const transport = nodeHttpTransport();
    const res = await transport.send(get('/cut'));
    await expect(res.text(10_000)).rejects.toThrow();
    transport.close();
  });
});
