// Agent/Parent routing (netdata-api.md §2.1, §2.4, §2.5, §2.9): `/api/{version}/{command}`, bearer protection,
// the agent's error answers, and the handlers of each command.

import type { IncomingHttpHeaders } from 'http';

import { alarmLogEntries, alertTransitionsDocument, caseInsensitivePattern } from './alertTransitions';
import { alertsAnswer, type InsightAnswer, searchAnswer, weightsAnswer } from './insights';
import type { CatalogContext, CatalogRequest } from './catalog';
import {
  contextsResponse,
  infoResponse,
  meResponse,
  nodesResponse,
  v1ContextsResponse,
  v1InfoResponse,
  versionsResponse,
} from './catalog';
import type { Dataset, NodeDef } from './dataset';
import { dataRequestFromAgentQuery } from './dataRequest';
import { renderJson2 } from './json2';
import type { EngineContext } from './query';
import { runDataQuery } from './query';
import type { AgentQuery } from './queryString';
import { parseAgentInt, parseAgentQuery, splitWords } from './queryString';
import type { Reply } from './reply';
import { JSON_TYPE, html, json, text } from './reply';
import type { AgentVersion } from './version';
import { atLeast } from './version';
import { compileSimplePattern, matchesAny } from './patterns';
import { v1ChartsResponse } from './v1charts';
import { functionReply, v1FunctionsReply, v2FunctionsReply } from './functions';
import { v1DataReply } from './v1data';
import { isRelative } from './window';

export interface AgentState {
  dataset: Dataset;
  version: AgentVersion;
  apiLevel: 1 | 2 | 3;
  bearerToken?: string;
}

export interface AgentHttpRequest {
  method: string;
  /** Path and query string as received. */
  url: string;
  headers: IncomingHttpHeaders;
  /** Request body (POST /api/v3/function hands it to the function, §5.1 of netdata-api-extra.md). */
  body?: string;
}

type Handler = (call: AgentCall) => Reply;

interface AgentCall {
  state: AgentState;
  version: string;
  query: AgentQuery;
  host: NodeDef;
  authenticated: boolean;
  wallSec: number;
  body?: string;
}

/** Commands that exist on real agents but that this fake does not implement (answered 501, never 404). */
const KNOWN_ELSEWHERE: Record<string, string[]> = {
  v1: [
    'chart',
    'context',
    'alarms',
    'alarm_variables',
    'weights',
    'badge.svg',
    'allmetrics',
    'registry',
    'metric_correlations',
  ],
  v2: ['alert_config', 'node_instances', 'claim'],
  v3: ['alert_config', 'node_instances', 'config', 'claim', 'stream_info', 'settings'],
};

/** Cloud-only endpoints answer 451 when called directly (§2.4). */
const CLOUD_ONLY = ['bearer_protection', 'bearer_get_token'];

/** Public even with bearer protection on (§2.4). */
function isPublic(version: string, command: string): boolean {
  return version === 'v3' && ['info', 'me', 'claim', 'stream_info'].includes(command);
}

const UNAUTHORIZED = 'You need to be authorized to access this resource';

function headerValues(value: string | string[] | undefined): string[] {
  if (value === undefined) {
    return [];
  }
  return Array.isArray(value) ? value : [value];
}

/** `Authorization: Bearer <t>` or `X-Netdata-Auth: Bearer <t>`; the word Bearer is case-insensitive. */
export function hasValidBearer(headers: IncomingHttpHeaders, token: string): boolean {
  const values = [...headerValues(headers.authorization), ...headerValues(headers['x-netdata-auth'])];
  return values.some((v) => {
    const m = /^bearer\s+(\S+)\s*$/i.exec(v.trim());
    return m !== null && m[1] === token;
  });
}

function catalogContext(call: AgentCall): CatalogContext {
  return {
    dataset: call.state.dataset,
    version: call.state.version,
    wallSec: call.wallSec,
    agentNode: call.state.dataset.nodes[0],
    agents: 'parent',
  };
}

function optionalInt(value: string | undefined): number | undefined {
  return value === undefined ? undefined : parseAgentInt(value);
}

function catalogRequest(q: AgentQuery): CatalogRequest {
  return {
    // The contexts family filters by scope_* only: `contexts=X` still lists every context (§4.1).
    scopeNodes: q.last('scope_nodes'),
    scopeContexts: q.last('scope_contexts'),
    after: optionalInt(q.last('after')),
    before: optionalInt(q.last('before')),
    options: q.all('options').flatMap((o) => splitWords(o)),
    cardinalityLimit: optionalInt(q.lastOf(['cardinality_limit', 'cardinality'])),
  };
}

function catalogTimeout(q: AgentQuery): Reply | undefined {
  const timeout = parseAgentInt(q.last('timeout'));
  // The contexts family answers a timeout as plain text although the content type says JSON (§2.5).
  return timeout < 0 ? { status: 504, contentType: JSON_TYPE, body: 'query timeout' } : undefined;
}

function minify(q: AgentQuery): boolean {
  return q
    .all('options')
    .flatMap((o) => splitWords(o))
    .includes('minify');
}

const dataHandler: Handler = (call) => {
  const timeout = parseAgentInt(call.query.last('timeout'));
  if (timeout < 0) {
    return { status: 499, statusMessage: 'Client Closed Request', contentType: 'text/plain', body: '' };
  }
  const engine: EngineContext = { dataset: call.state.dataset, version: call.state.version, wallSec: call.wallSec };
  const req = dataRequestFromAgentQuery(call.query, call.state.version);
  const result = runDataQuery(req, engine);
  const api = call.version === 'v3' && atLeast(call.state.version, 2, 6) ? 3 : 2;
  const doc = renderJson2(result, {
    api,
    agents: 'parent',
    agentNode: call.state.dataset.nodes[0],
    nodeCount: call.state.dataset.nodes.length,
    wallSec: call.wallSec,
  });
  if (req.format !== undefined && req.format !== 'json2') {
    plainRows(doc);
  }
  const reply = json(200, doc, result.options.has('minify'));
  const relative =
    req.before === undefined ||
    req.before === 0 ||
    isRelative(req.before) ||
    req.after === undefined ||
    isRelative(req.after);
  reply.headers = relative
    ? { 'Cache-Control': 'public', Expires: new Date((call.wallSec + 86400) * 1000).toUTCString() }
    : { 'Cache-Control': 'no-cache, no-store, must-revalidate' };
  return reply;
};

/** `format=json` (and unknown formats) keep the envelope with plain-number rows and add `anomaly_rates` (§3.1). */
function plainRows(doc: Record<string, unknown>): void {
  const result = doc.result as { labels: string[]; data: unknown[][] };
  const rows = result.data.map((row) => [row[0], ...row.slice(1).map((p) => (p as unknown[])[0])]);
  const rates = result.data.map((row) => [row[0], ...row.slice(1).map((p) => (p as unknown[])[1])]);
  const entries = Object.entries(doc);
  for (const key of Object.keys(doc)) {
    delete doc[key];
  }
  for (const [key, value] of entries) {
    doc[key] = key === 'result' ? { labels: result.labels, data: rows } : value;
    if (key === 'result') {
      doc.anomaly_rates = { labels: result.labels, data: rates };
    }
  }
}

/** §4.6: exact context/alert, node patterns, `f_status` facet, `last` (default 1), newest first. */
const alertTransitionsHandler: Handler = (call) => {
  const q = call.query;
  const scope = compileSimplePattern(q.last('scope_nodes'));
  const nodes = compileSimplePattern(q.last('nodes'));
  const context = q.lastOf(['context', 'contexts']);
  const alert = q.last('alert');
  const doc = alertTransitionsDocument(
    {
      ...call.state.dataset,
      nodes: call.state.dataset.nodes.filter(
        (n) => matchesAny(scope, [n.nm, n.mg, n.nd]) && matchesAny(nodes, [n.nm, n.mg, n.nd])
      ),
    },
    {
      after: optionalInt(q.last('after')),
      before: optionalInt(q.last('before')),
      contexts: context === undefined ? undefined : [context],
      alerts: alert === undefined ? undefined : [alert],
      status: caseInsensitivePattern(q.last('f_status')),
      last: q.last('last') === undefined ? 1 : parseAgentInt(q.last('last')),
      anchorGi: optionalInt(q.last('anchor_gi')),
    },
    call.wallSec,
    'agent'
  );
  return json(200, doc, minify(call.query));
};

function insightReply(answer: InsightAnswer, call: AgentCall): Reply {
  return 'text' in answer ? text(answer.status, answer.text) : json(answer.status, answer.body, minify(call.query));
}

/** `alerts` (and `alert_transitions`) appeared in v1.41 (§7); older v2 agents do not know the command. */
function since141(handler: Handler, command: string): Handler {
  return (call) =>
    atLeast(call.state.version, 1, 41) ? handler(call) : text(404, `Unsupported API command: ${command}`);
}

const COMMANDS: Record<string, Record<string, Handler>> = {
  v1: {
    info: (call) => json(200, v1InfoResponse(catalogContext(call), call.host), minify(call.query)),
    data: (call) =>
      v1DataReply(call.query, call.host, {
        dataset: call.state.dataset,
        version: call.state.version,
        wallSec: call.wallSec,
      }),
    contexts: (call) => json(200, v1ContextsResponse(catalogContext(call), call.host), minify(call.query)),
    charts: (call) =>
      json(200, v1ChartsResponse(call.host, call.state.dataset.nodes, call.wallSec), minify(call.query)),
    alarm_log: (call) =>
      json(
        200,
        alarmLogEntries(
          call.host,
          call.wallSec,
          Math.max(0, parseAgentInt(call.query.last('after'))),
          call.query.last('chart')
        ),
        minify(call.query)
      ),
    functions: (call) => (call.state.apiLevel === 1 ? aclkOnly() : v1FunctionsReply(call.host)),
    function: (call) => (call.state.apiLevel === 1 ? aclkOnly() : functionHandler(call)),
  },
  v2: {
    info: (call) => json(200, infoResponse(catalogContext(call), call.state.bearerToken !== undefined)),
    data: dataHandler,
    contexts: (call) =>
      catalogTimeout(call.query) ??
      json(200, contextsResponse(catalogRequest(call.query), catalogContext(call)), minify(call.query)),
    nodes: (call) =>
      catalogTimeout(call.query) ??
      json(200, nodesResponse(catalogRequest(call.query), catalogContext(call)), minify(call.query)),
    versions: (call) => json(200, versionsResponse(catalogContext(call)), minify(call.query)),
    alert_transitions: alertTransitionsHandler,
    weights: (call) => insightReply(weightsAnswer(call.query, call.state.dataset, call.wallSec), call),
    q: (call) =>
      insightReply(searchAnswer(call.query, call.state.dataset, atLeast(call.state.version, 2, 6), call.wallSec), call),
    alerts: since141(
      (call) => insightReply(alertsAnswer(call.query, call.state.dataset, call.wallSec), call),
      'alerts'
    ),
    functions: (call) => v2FunctionsReply(call.state.dataset),
  },
};
COMMANDS.v3 = {
  ...COMMANDS.v2,
  me: (call) => json(200, meResponse(call.authenticated)),
  function: (call) => functionHandler(call),
};

/** 1.37 serves functions over ACLK only; direct HTTP is refused (netdata-api-extra.md §5.2). */
function aclkOnly(): Reply {
  return text(403, 'You are not allowed to access this resource.');
}

/** A signed-in caller is one with a valid bearer token (minted through Cloud, §5.2); everyone else is anonymous. */
function functionHandler(call: AgentCall): Reply {
  return functionReply({
    dataset: call.state.dataset,
    host: call.host,
    signedIn: call.authenticated,
    command: call.query.last('function') ?? '',
    body: call.body,
    wallSec: call.wallSec,
    startS: call.host.retentionStart,
  });
}

function supportedVersions(apiLevel: 1 | 2 | 3): string[] {
  return ['v1', 'v2', 'v3'].slice(0, apiLevel);
}

function findHost(state: AgentState, id: string): NodeDef | undefined {
  const nodes = state.dataset.nodes;
  if (state.apiLevel === 1) {
    // 1.37.1: hostname, then machine GUID; no node ids (netdata-api-extra.md §4.1).
    return nodes.find((n) => n.nm === id) ?? nodes.find((n) => n.mg === id);
  }
  return nodes.find((n) => n.nm === id || n.mg === id || n.nd === id);
}

export function handleAgentRequest(req: AgentHttpRequest, state: AgentState, wallSec: number): Reply {
  const q = req.url.indexOf('?');
  let path = q < 0 ? req.url : req.url.slice(0, q);
  const rawQuery = q < 0 ? '' : req.url.slice(q + 1);
  let host = state.dataset.nodes[0];
  const hostMatch = /^\/host\/([^/]+)(\/.*)?$/.exec(path);
  if (hostMatch) {
    const id = decodeURIComponent(hostMatch[1]);
    const found = findHost(state, id);
    if (!found) {
      return html(404, `This netdata does not maintain a database for host: ${id}`);
    }
    host = found;
    path = hostMatch[2] ?? '/';
  }
  if (path !== '/api' && !path.startsWith('/api/')) {
    return html(404, `File does not exist, or is not accessible: ${path}`);
  }
  const segments = path.slice('/api/'.length).split('/');
  const version = path === '/api' ? '' : segments[0];
  if (version === '') {
    return text(400, 'Which API version?');
  }
  if (!supportedVersions(state.apiLevel).includes(version)) {
    return html(404, `Unsupported API version: ${version}`);
  }
  const command = segments[1] ?? '';
  if (command === '') {
    return text(400, 'Which API command?');
  }
  const handler = COMMANDS[version][command];
  const known = handler !== undefined || KNOWN_ELSEWHERE[version].includes(command) || CLOUD_ONLY.includes(command);
  if (!known || (CLOUD_ONLY.includes(command) && version === 'v1')) {
    // 1.37.1 names the version (netdata-api-extra.md §4).
    return text(
      404,
      state.apiLevel === 1 ? `Unsupported v1 API command: ${command}` : `Unsupported API command: ${command}`
    );
  }
  if (segments.slice(2).some((s) => s !== '')) {
    return text(400, `API command '${command}' does not support subpaths.`);
  }
  if (CLOUD_ONLY.includes(command)) {
    return text(451, UNAUTHORIZED);
  }
  const authenticated = state.bearerToken !== undefined && hasValidBearer(req.headers, state.bearerToken);
  if (state.bearerToken !== undefined && !authenticated && !isPublic(version, command)) {
    return text(412, UNAUTHORIZED);
  }
  if (!handler) {
    return text(501, `The fake Netdata server does not implement /api/${version}/${command}`);
  }
  return handler({ state, version, query: parseAgentQuery(rawQuery), host, authenticated, wallSec, body: req.body });
}
