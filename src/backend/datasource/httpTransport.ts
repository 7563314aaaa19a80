// How one Netdata HTTP request travels: node:http/https with one keep-alive agent per data source instance (what
// the backend uses), or any fetch-shaped function (tests' stubs). node:http costs a fraction of global fetch's CPU
// per request (no WHATWG streams, Headers or Request objects), which on a busy dashboard is most of the plugin's own
// work. Both read the body the same way: as it streams in, up to a size limit.
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import type { Readable } from 'node:stream';
import { decodeBody, type LimitedBody, readLimitedText, readPrefixText } from './responseBody';

export interface HttpExchange {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

/** A response whose status and headers arrived; its body is read once, by one of the three methods. */
export interface HttpAnswer {
  status: number;
  header(name: string): string | null;
  /** The whole body as text, or `ok: false` as soon as more than `limit` bytes arrived or were announced. */
  text(limit: number): Promise<LimitedBody>;
  /** The first `maxBytes` of the body (error bodies), then the rest is dropped. */
  prefix(maxBytes: number): Promise<string>;
  discard(): void;
}

export interface HttpTransport {
  send(req: HttpExchange): Promise<HttpAnswer>;
  /** Closes the kept-alive connections (the instance is being replaced or dropped). */
  close(): void;
}

export type FetchFn = typeof fetch;

/** Sent as fetch did, so Netdata (and a proxy in front of it) compresses as before. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

function decompressed(res: IncomingMessage): Readable {
  switch ((res.headers['content-encoding'] ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return res.pipe(createGunzip());
    case 'deflate':
      return res.pipe(createInflate());
    case 'br':
      return res.pipe(createBrotliDecompress());
    default:
      return res;
  }
}

/** Reads `stream` until its end, or until `stop(bytes)` says enough (then the response is dropped). */
function readStream(
  res: IncomingMessage,
  stop: (bytes: number) => boolean
): Promise<{ chunks: Buffer[]; bytes: number; stopped: boolean }> {
  const stream = decompressed(res);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let bytes = 0;
    let settled = false;
    const finish = (stopped: boolean) => {
      settled = true;
      resolve({ chunks, bytes, stopped });
    };
    stream.on('data', (chunk: Buffer) => {
      if (settled) {
        return;
      }
      chunks.push(chunk);
      bytes += chunk.length;
      if (stop(bytes)) {
        finish(true);
        res.destroy();
      }
    });
    stream.on('end', () => settled || finish(false));
    const fail = (err: unknown) => {
      if (!settled) {
        settled = true;
        reject(err);
      }
    };
    stream.on('error', fail);
    res.on('error', fail);
    res.on('close', () => {
      // A connection cut before the whole body arrived (after 'end', close changes nothing).
      if (!res.complete) {
        fail(
          Object.assign(new Error('the connection closed before the whole response arrived'), { code: 'ECONNRESET' })
        );
      }
    });
  });
}

function nodeAnswer(res: IncomingMessage): HttpAnswer {
  return {
    status: res.statusCode ?? 0,
    header: (name) => {
      const v = res.headers[name.toLowerCase()];
      return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
    },
    async text(limit) {
      const declared = Number(res.headers['content-length'] ?? NaN);
      if (Number.isFinite(declared) && declared > limit) {
        res.destroy();
        return { ok: false, bytes: declared };
      }
      const read = await readStream(res, (bytes) => bytes > limit);
      return read.stopped
        ? { ok: false, bytes: read.bytes }
        : { ok: true, text: decodeBody(read.chunks, read.bytes), bytes: read.bytes };
    },
    async prefix(maxBytes) {
      const read = await readStream(res, (bytes) => bytes >= maxBytes);
      return decodeBody(read.chunks, read.bytes).slice(0, maxBytes);
    },
    discard: () => res.destroy(),
  };
}

/** node:http/https with keep-alive: connections to Netdata are reused across queries of this instance. */
export function nodeHttpTransport(): HttpTransport {
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };
  const once = (req: HttpExchange, fresh: boolean) =>
    new Promise<HttpAnswer>((resolve, reject) => {
      const tls = req.url.protocol === 'https:';
      const headers: Record<string, string | number> = { ...req.headers, 'Accept-Encoding': ACCEPT_ENCODING };
      if (req.body !== undefined) {
        headers['Content-Length'] = Buffer.byteLength(req.body);
      }
      const options = {
        method: req.method,
        headers,
        signal: req.signal,
        // A retry after a stale kept-alive connection opens a new one.
        agent: fresh ? false : tls ? agents.https : agents.http,
      };
      const r = (tls ? httpsRequest : httpRequest)(req.url, options, (res) => resolve(nodeAnswer(res)));
      r.on('error', (err: NodeJS.ErrnoException) => {
        // Netdata closed an idle kept-alive connection just as we reused it: nothing was processed, send again.
        if (!fresh && r.reusedSocket && err.code === 'ECONNRESET' && !req.signal.aborted) {
          once(req, true).then(resolve, reject);
          return;
        }
        reject(err);
      });
      r.end(req.body);
    });
  return {
    send: (req) => once(req, false),
    close() {
      for (const agent of [agents.http, agents.https]) {
        // Not agent.destroy(): that would cut requests still in flight. Without keep-alive the agent closes each
        // of their connections when its answer is read; the idle ones go now.
        (agent as unknown as { keepAlive: boolean }).keepAlive = false;
        for (const sockets of Object.values(agent.freeSockets)) {
          sockets?.forEach((socket) => socket.destroy());
        }
      }
    },
  };
}

/** Any fetch-shaped function (tests answer from stubs this way). */
export function fetchTransport(fetchFn: FetchFn): HttpTransport {
  return {
    async send(req) {
      const res = await fetchFn(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        redirect: 'manual',
        signal: req.signal,
      });
      return {
        status: res.status,
        header: (name) => res.headers.get(name),
        text: (limit) => readLimitedText(res, limit),
        prefix: (maxBytes) => readPrefixText(res, maxBytes),
        discard: () => void res.body?.cancel().catch(() => undefined),
      };
    },
    close() {},
  };
}
