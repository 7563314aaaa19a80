// A fake Netdata server for tests: an Agent/Parent or Netdata Cloud, following netdata-api.md. Records every request
// and can be told to misbehave (faults) or to answer slowly.

import * as http from 'http';
import type { AddressInfo } from 'net';

import type { AgentState } from './agent';
import { handleAgentRequest } from './agent';
import type { CloudState } from './cloud';
import { handleCloudRequest } from './cloud';
import { createDataset } from './dataset';
import type { Reply } from './reply';
import { JSON_TYPE, TEXT_TYPE, text } from './reply';
import { defaultVersion, parseVersion } from './version';

export interface FakeNetdataOptions {
  mode: 'agent' | 'cloud';
  /** Agent only: highest API the agent has: 1 (Netdata 1.37, v1 only), 2 (v1.41..v1.99), 3 (>= v2.0, default). */
  apiLevel?: 1 | 2 | 3;
  version?: string; // agent version string, default 'v2.9.0'
  bearerToken?: string; // agent: bearer protection on when set (412 without it)
  cloudToken?: string; // cloud: required Bearer token (401 without/with a wrong one), default 'cloud-token'
  /** Cloud: the token's scope; `grafana-plugin` tokens get 403 from the alert endpoints (§6.1). Default `all`. */
  cloudTokenScope?: 'all' | 'grafana-plugin';
  latencyMs?: number; // added to every response
  /** Agent: a third node `edge|02` with names holding pattern characters (dataset.ts `oddNode`). */
  oddNode?: boolean;
  /** Agent: a third node, `child02`, is archived on the Parent (in its database, no longer streaming). */
  archivedNode?: boolean;
  /** Every alert is raised and cleared once per this many seconds instead of once an hour (a busy Parent). */
  alertPeriodS?: number;
  /**
   * Seconds tier 0 keeps (default: all it collected): rotated tier-0 data is still summarised on tiers 1 and 2, as
   * on an agent whose tier 0 fills its disk first (netdata-api-extra.md §7.5, §8.8).
   */
  tier0RetentionS?: number;
  /**
   * Hostnames of the nodes running anomaly detection (`ml` capability enabled); none by default. Anomaly rates stay 0
   * everywhere (the fake has no anomalies to find); only the capability differs.
   */
  mlNodes?: string[];
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  body?: unknown;
}

export interface FakeNetdata {
  url: string; // http://127.0.0.1:<port>
  requests: RecordedRequest[]; // every request, in order
  nodes: Array<{ mg: string; nd?: string; nm: string }>; // the nodes it serves (at least 2 by default: a Parent with a child)
  spaceId: string;
  roomId: string; // cloud ids it accepts
  /** Make the next matching requests misbehave (for fault tests). */
  setFault(fault: FakeFault | undefined): void;
  close(): Promise<void>;
}

export type FakeFault =
  | {
      kind: 'status';
      status: number;
      body?: string;
      contentType?: string;
      headers?: Record<string, string>;
      times?: number;
    }
  | { kind: 'hang' } // accept and never answer
  | { kind: 'truncate' } // send half of the JSON body, then end the socket
  | { kind: 'body'; body: string; contentType?: string };

export const FAKE_SPACE_ID = '6b1e9a52-3c4d-4e5f-8a7b-9c0d1e2f3a40';
export const FAKE_ROOM_ID = '9d8c7b6a-5e4f-4a3b-8c2d-1e0f9a8b7c60';
export const FAKE_PRODUCTION_ROOM_ID = '2a3b4c5d-6e7f-4a8b-9c0d-1e2f3a4b5c70';

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseRecordedBody(body: string): unknown {
  if (body === '') {
    return undefined;
  }
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function writeReply(res: http.ServerResponse, reply: Reply): void {
  const headers: Record<string, string | number> = { 'Content-Type': reply.contentType, ...(reply.headers ?? {}) };
  headers['Content-Length'] = Buffer.byteLength(reply.body);
  if (reply.statusMessage) {
    res.writeHead(reply.status, reply.statusMessage, headers);
  } else {
    res.writeHead(reply.status, headers);
  }
  res.end(reply.body);
}

export async function startFakeNetdata(opts: FakeNetdataOptions): Promise<FakeNetdata> {
  const startSec = Math.floor(Date.now() / 1000);
  const apiLevel = opts.apiLevel ?? 3;
  const versionText = opts.mode === 'agent' ? (opts.version ?? defaultVersion(apiLevel)) : 'v2.9.0';
  const version = parseVersion(versionText);
  const dataset = createDataset({
    startSec,
    claimed: opts.mode === 'cloud' ? 'all' : 'parent-only',
    version: versionText,
    oddNode: opts.mode === 'agent' && opts.oddNode === true,
    archivedNode: opts.archivedNode === true,
    ...(opts.alertPeriodS !== undefined ? { alertPeriodS: opts.alertPeriodS } : {}),
    ...(opts.tier0RetentionS !== undefined ? { tier0RetentionS: opts.tier0RetentionS } : {}),
    ...(opts.mlNodes !== undefined ? { mlNodes: opts.mlNodes } : {}),
  });
  const agentState: AgentState = { dataset, version, apiLevel, bearerToken: opts.bearerToken };
  const cloudState: CloudState = {
    dataset,
    version,
    token: opts.cloudToken ?? 'cloud-token',
    tokenScope: opts.cloudTokenScope ?? 'all',
    spaceId: FAKE_SPACE_ID,
    spaceName: 'Fake Space',
    rooms: [
      {
        id: FAKE_ROOM_ID,
        slug: 'all-nodes',
        name: 'All nodes',
        untouchable: true,
        members: dataset.nodes.map((n) => n.mg),
      },
      {
        id: FAKE_PRODUCTION_ROOM_ID,
        slug: 'production',
        name: 'Production',
        untouchable: false,
        members: [dataset.nodes[0].mg],
      },
    ],
  };
  const requests: RecordedRequest[] = [];
  let fault: FakeFault | undefined;

  const answer = (req: http.IncomingMessage, body: string): Reply => {
    const wallSec = Math.floor(Date.now() / 1000);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    try {
      return opts.mode === 'agent'
        ? handleAgentRequest({ method, url, headers: req.headers, body }, agentState, wallSec)
        : handleCloudRequest({ method, url, headers: req.headers, body }, cloudState, wallSec);
    } catch (e) {
      return text(500, `fake netdata internal error: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      requests.push({
        method: req.method ?? 'GET',
        path: q < 0 ? url : url.slice(0, q),
        query: new URLSearchParams(q < 0 ? '' : url.slice(q + 1)),
        headers: { ...req.headers },
        body: parseRecordedBody(body),
      });
      if (opts.latencyMs) {
        await sleep(opts.latencyMs);
      }
      const current = fault;
      if (current?.kind === 'hang') {
        return;
      }
      if (current?.kind === 'status') {
        if (current.times !== undefined) {
          current.times -= 1;
          if (current.times <= 0) {
            fault = undefined;
          }
        }
        writeReply(res, {
          status: current.status,
          contentType: current.contentType ?? TEXT_TYPE,
          body: current.body ?? '',
          headers: current.headers,
        });
        return;
      }
      if (current?.kind === 'body') {
        writeReply(res, { status: 200, contentType: current.contentType ?? JSON_TYPE, body: current.body });
        return;
      }
      const reply = answer(req, body);
      if (current?.kind === 'truncate') {
        const full = Buffer.from(reply.body);
        res.writeHead(reply.status, { 'Content-Type': reply.contentType, 'Content-Length': full.length });
        res.write(full.subarray(0, Math.floor(full.length / 2)), () => res.socket?.destroy());
        return;
      }
      writeReply(res, reply);
    })().catch((e: unknown) => {
      if (!res.headersSent) {
        writeReply(res, text(500, `fake netdata internal error: ${String(e)}`));
      }
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    nodes: dataset.nodes.map((n) => (n.nd ? { mg: n.mg, nd: n.nd, nm: n.nm } : { mg: n.mg, nm: n.nm })),
    spaceId: FAKE_SPACE_ID,
    roomId: FAKE_ROOM_ID,
    setFault(next: FakeFault | undefined): void {
      fault = next ? { ...next } : undefined;
    },
    close(): Promise<void> {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
