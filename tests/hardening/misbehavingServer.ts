// A purpose-built misbehaving Netdata for fault tests: `/api/v3/info` answers like a 2.9 agent, everything else goes
// to the handler the test sets. Records every request and when each connection closed.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import v3Info from '../fixtures/netdata-2.9/v3_info.json';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  at: number;
  /** Resolves when the client side of this request's connection closed (or the response ended). */
  closed: Promise<number>;
}

export interface MisbehavingNetdata {
  url: string;
  port: number;
  requests: SeenRequest[];
  dataRequests(): SeenRequest[];
  setHandler(h: Handler): void;
  close(): Promise<void>;
}

export const okJson =
  (body: string, status = 200, headers: Record<string, string> = {}): Handler =>
  (_req, res) => {
    res.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(body),
      ...headers,
    });
    res.end(body);
  };

export async function startMisbehavingNetdata(initial?: Handler): Promise<MisbehavingNetdata> {
  const requests: SeenRequest[] = [];
  let handler: Handler = initial ?? okJson('{}');
  const info = JSON.stringify(v3Info);
  const server = createServer((req, res) => {
    const at = Date.now();
    const closed = new Promise<number>((resolve) => res.on('close', () => resolve(Date.now())));
    requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, at, closed });
    req.resume();
    if ((req.url ?? '').startsWith('/api/v3/info')) {
      okJson(info)(req, res);
      return;
    }
    handler(req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    dataRequests: () => requests.filter((r) => !r.url.startsWith('/api/v3/info')),
    setHandler: (h) => (handler = h),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
