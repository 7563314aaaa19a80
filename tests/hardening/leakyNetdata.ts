// A Netdata (Agent or Cloud) that echoes the token it receives in everything it answers, correct answers and
// failures alike, so that a test can check the plugin never lets the token out. Serves under a base path (as behind a
// reverse proxy) and records every request.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const BASE_PATH = '/netdata';

export type LeakMode =
  | 'ok'
  | 'status500'
  | 'status403'
  | 'cloudJson400'
  | 'notJson'
  | 'badJson2'
  | 'failedNodes'
  | 'redirectOtherHost'
  | 'redirectSameHost';

export const ERROR_MODES: readonly LeakMode[] = [
  'status500',
  'status403',
  'cloudJson400',
  'notJson',
  'badJson2',
  'failedNodes',
  'redirectOtherHost',
  'redirectSameHost',
];

export interface LeakyRequest {
  method: string;
  url: string;
  authorization?: string;
}

export interface LeakyNetdata {
  /** Base URL including BASE_PATH. */
  url: string;
  requests: LeakyRequest[];
  setMode(mode: LeakMode): void;
  /** Where redirects to another host point. */
  redirectTarget: string;
  close(): Promise<void>;
}

const FIXTURES = join(__dirname, '../fixtures/netdata-2.9');
const fixture = (name: string) => readFileSync(join(FIXTURES, name), 'utf8');

/** Puts the token into the names, titles, units and versions of a fixture. */
function laced(text: string, token: string): string {
  return text
    .replace(/nd290-local/g, `nd290-${token}`)
    .replace(/"title": "/g, `"title": "${token} `)
    .replace(/"units": "/g, `"units": "${token} `)
    .replace(/"family": "/g, `"family": "${token} `);
}

function tokenOf(req: IncomingMessage): string {
  const auth = req.headers.authorization ?? '';
  return auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : 'no-token-received';
}

function send(res: ServerResponse, status: number, body: string, type = 'application/json', extra = {}): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), ...extra });
  res.end(body);
}

export async function startLeakyNetdata(redirectTarget: string): Promise<LeakyNetdata> {
  const requests: LeakyRequest[] = [];
  let mode: LeakMode = 'ok';
  const info = fixture('v3_info.json');
  const nodes = fixture('v2_nodes.json');
  const contexts = fixture('v3_contexts_system_cpu_options.json');
  const data = fixture('v3_data_group_by_node_sum.json');

  function okAnswer(path: string, token: string, res: ServerResponse): void {
    const json = (text: string) => send(res, 200, laced(text, token));
    if (/^\/api\/v[123]\/info$/.test(path)) {
      json(info);
    } else if (/^\/api\/v[23]\/nodes$/.test(path) || /\/rooms\/[^/]+\/nodes$/.test(path)) {
      json(nodes);
    } else if (/^\/api\/v[23]\/contexts$/.test(path) || /\/rooms\/[^/]+\/contexts$/.test(path)) {
      json(contexts);
    } else if (/^\/api\/v[23]\/data$/.test(path) || /\/rooms\/[^/]+\/data$/.test(path)) {
      json(data);
    } else if (path === '/api/v2/accounts/me') {
      json(JSON.stringify({ id: '3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a5b', name: `user ${token}`, email: token }));
    } else if (path === '/api/v2/spaces') {
      json(JSON.stringify([{ id: 'sp1', name: `space ${token}`, slug: token }]));
    } else if (/^\/api\/v2\/spaces\/[^/]+\/rooms$/.test(path)) {
      json(JSON.stringify([{ id: 'rm1', name: `room ${token}`, slug: token }]));
    } else {
      send(res, 404, `Unsupported API command: ${token}`, 'text/plain');
    }
  }

  function failingAnswer(path: string, token: string, res: ServerResponse): void {
    switch (mode) {
      case 'status500':
        send(res, 500, `query failed for bearer ${token}`, 'text/plain');
        return;
      case 'status403':
        send(res, 403, `token ${token} lacks permissions`, 'text/plain');
        return;
      case 'cloudJson400':
        send(res, 400, JSON.stringify({ errorMessage: `bad token ${token}`, errorMsgKey: token, message: token }));
        return;
      case 'notJson':
        send(res, 200, `${token} <html>not json</html>`, 'text/html');
        return;
      case 'badJson2':
        send(res, 200, JSON.stringify({ result: token, view: { title: token } }));
        return;
      case 'failedNodes': {
        if (/\/data$/.test(path)) {
          const doc = JSON.parse(laced(data, token)) as {
            summary: { nodes: Array<Record<string, unknown>> };
            result: Record<string, unknown>;
            view: Record<string, unknown>;
          };
          doc.summary.nodes[0].st = { ai: 0, code: 500, msg: `node failed: ${token}` };
          doc.result.labels = ['time'];
          doc.result.data = [];
          doc.view.dimensions = { ids: [], names: [], units: [] };
          send(res, 200, JSON.stringify(doc));
        } else {
          send(res, 502, `upstream ${token} failed`, 'text/plain');
        }
        return;
      }
      case 'redirectOtherHost':
        send(res, 302, '', 'text/plain', { Location: `${redirectTarget}/steal/${token}?token=${token}` });
        return;
      case 'redirectSameHost':
        send(res, 307, '', 'text/plain', { Location: `${BASE_PATH}/${token}${path}?token=${token}` });
        return;
      default:
        okAnswer(path, token, res);
    }
  }

  const server = createServer((req, res) => {
    req.resume();
    const url = req.url ?? '/';
    requests.push({ method: req.method ?? '', url, authorization: req.headers.authorization });
    const token = tokenOf(req);
    if (!url.startsWith(`${BASE_PATH}/`)) {
      send(res, 404, `outside the base path, token ${token}`, 'text/plain');
      return;
    }
    const path = url.slice(BASE_PATH.length).split('?')[0];
    if (mode === 'ok') {
      okAnswer(path, token, res);
    } else {
      failingAnswer(path, token, res);
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${BASE_PATH}`,
    requests,
    redirectTarget,
    setMode: (m) => (mode = m),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
