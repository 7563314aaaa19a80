// Netdata Cloud routes (netdata-api.md §6): token check, spaces and rooms, and the room-scoped v3 POSTs
// (`nodes`, `contexts`, `data`) whose JSON bodies map onto the agent's query parameters.

import type { IncomingHttpHeaders } from 'http';

import { alertTransitionsDocument } from './alertTransitions';
import { alertsAnswer, type InsightAnswer, weightsAnswer } from './insights';
import { AgentQuery } from './queryString';
import type { CatalogContext } from './catalog';
import { contextsResponse, nodeDescription } from './catalog';
import type { Dataset, NodeDef } from './dataset';
import type { DataRequest, GroupingPass } from './dataRequest';
import { renderJson2 } from './json2';
import { compileSimplePattern, matchesAny } from './patterns';
import { runDataQuery } from './query';
import type { Reply } from './reply';
import { html, json } from './reply';
import type { AgentVersion } from './version';

export interface Room {
  id: string;
  slug: string;
  name: string;
  untouchable: boolean;
  /** Machine GUIDs of the (claimed) nodes in the room. */
  members: string[];
}

export interface CloudState {
  dataset: Dataset;
  version: AgentVersion;
  token: string;
  /** `grafana-plugin` lacks the alert permission: alert endpoints answer 403 (§6.1). */
  tokenScope?: 'all' | 'grafana-plugin';
  spaceId: string;
  spaceName: string;
  rooms: Room[];
}

export interface CloudHttpRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Cloud clamps explicit points above this when it merges answers of several agents (`ScopeDataRequestMaxPoints`). */
export const CLOUD_MAX_POINTS = 500;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

class BadRequest extends Error {}

function cloudError(status: number, key: string, message: string, code: string): Reply {
  return json(status, { errorMsgKey: key, errorMessage: message, errorCode: code }, true);
}

const badRequest = (): Reply => cloudError(400, 'ErrBadRequest', 'Bad Request', '1BIKRyPlV9-124244066');
const unauthorized = (): Reply => cloudError(401, 'ErrUnauthenticated', 'Unauthenticated', '1BIKRyPlV9-401000001');
const notFound = (what: string): Reply => cloudError(404, 'ErrNotFound', `${what} not found`, '1BIKRyPlV9-404000001');

function isBearer(headers: IncomingHttpHeaders, token: string): boolean {
  const value = headers.authorization;
  const m = typeof value === 'string' ? /^bearer\s+(\S+)$/i.exec(value.trim()) : null;
  return m !== null && m[1] === token;
}

// ---- body reading (unknown fields, such as a camelCase `groupBy`, are ignored like Cloud does)

function asObject(value: unknown, field: string): Record<string, unknown> | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new BadRequest(`${field} must be an object`);
  }
  return value as Record<string, unknown>;
}

function asStrings(value: unknown, field: string): string[] | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'string') {
    return [value];
  }
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string')) {
    throw new BadRequest(`${field} must be an array of strings`);
  }
  return value as string[];
}

function asNumber(value: unknown, field: string): number | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new BadRequest(`${field} must be a number`);
  }
  return value;
}

function asString(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  if (typeof value !== 'string') {
    throw new BadRequest(`${field} must be a string`);
  }
  return value;
}

function patterns(list: string[] | undefined): string | undefined {
  return list === undefined || list.length === 0 ? undefined : list.join('|');
}

function parseBody(text: string): Record<string, unknown> {
  if (text.trim() === '') {
    return {};
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new BadRequest('invalid JSON');
  }
  return asObject(parsed, 'body') ?? {};
}

/** `scope.nodes` must hold node UUIDs; omitted or empty means every node of the room. */
function scopeNodes(room: Room, dataset: Dataset, scope: Record<string, unknown> | undefined): NodeDef[] {
  const inRoom = dataset.nodes.filter((n) => n.nd !== undefined && room.members.includes(n.mg));
  const ids = asStrings(scope?.nodes, 'scope.nodes');
  if (ids === undefined || ids.length === 0) {
    return inRoom;
  }
  if (ids.some((id) => !UUID.test(id))) {
    throw new BadRequest('scope.nodes must be node ids');
  }
  return inRoom.filter((n) => n.nd !== undefined && ids.some((id) => id.toLowerCase() === n.nd?.toLowerCase()));
}

function selectorNodes(nodes: NodeDef[], selectors: Record<string, unknown> | undefined): NodeDef[] {
  const pattern = compileSimplePattern(patterns(asStrings(selectors?.nodes, 'selectors.nodes')));
  return nodes.filter((n) => matchesAny(pattern, [n.nm, n.mg, n.nd]));
}

function catalogContext(state: CloudState, nodes: NodeDef[], wallSec: number): CatalogContext {
  return {
    dataset: { ...state.dataset, nodes },
    version: state.version,
    wallSec,
    agentNode: nodes[0] ?? state.dataset.nodes[0],
    agents: 'per-node',
  };
}

function nodesReply(state: CloudState, room: Room, body: Record<string, unknown>): Reply {
  const scope = asObject(body.scope, 'scope');
  const nodes = scopeNodes(room, state.dataset, scope);
  return json(200, {
    nodes: nodes.map((n, ni) => ({ ...nodeDescription(n, ni), room_memberships: memberships(state, n) })),
  });
}

function memberships(state: CloudState, node: NodeDef): string[] {
  return state.rooms.filter((r) => r.members.includes(node.mg)).map((r) => r.id);
}

function contextsReply(state: CloudState, room: Room, body: Record<string, unknown>, wallSec: number): Reply {
  const scope = asObject(body.scope, 'scope');
  const selectors = asObject(body.selectors, 'selectors');
  const window = asObject(body.window, 'window');
  const nodes = selectorNodes(scopeNodes(room, state.dataset, scope), selectors);
  const scopeContexts = patterns(asStrings(scope?.contexts, 'scope.contexts'));
  const selectorContexts = patterns(asStrings(selectors?.contexts, 'selectors.contexts'));
  const contexts = [scopeContexts, selectorContexts].filter((p): p is string => p !== undefined && p !== '*');
  const ctx = catalogContext(state, nodes, wallSec);
  const doc = contextsResponse(
    {
      scopeContexts: contexts.length === 0 ? undefined : contexts[0],
      after: asNumber(window?.after, 'window.after'),
      before: asNumber(window?.before, 'window.before'),
      options: ['titles'],
    },
    ctx
  );
  if (contexts.length > 1) {
    const second = compileSimplePattern(contexts[1]);
    const filtered: Record<string, unknown> = {};
    for (const [id, entry] of Object.entries(doc.contexts as Record<string, unknown>)) {
      if (matchesAny(second, [id])) {
        filtered[id] = entry;
      }
    }
    doc.contexts = filtered as never;
  }
  return json(200, doc);
}

function parsePasses(aggregations: Record<string, unknown> | undefined): GroupingPass[] {
  const metrics = aggregations?.metrics;
  if (metrics === undefined || metrics === null) {
    return [{}];
  }
  if (!Array.isArray(metrics)) {
    throw new BadRequest('aggregations.metrics must be an array');
  }
  const passes = metrics.slice(0, 2).map((m, i): GroupingPass => {
    const o = asObject(m, `aggregations.metrics[${i}]`) ?? {};
    const groupBy = asStrings(o.group_by, 'group_by');
    const groupByLabel = asStrings(o.group_by_label, 'group_by_label');
    return {
      groupBy: groupBy && groupBy.length > 0 ? groupBy.join(',') : undefined,
      groupByLabel: groupByLabel && groupByLabel.length > 0 ? groupByLabel.join(',') : undefined,
      aggregation: asString(o.aggregation, 'aggregation'),
    };
  });
  return passes.length > 0 ? passes : [{}];
}

function dataReply(state: CloudState, room: Room, body: Record<string, unknown>, wallSec: number): Reply {
  const scope = asObject(body.scope, 'scope');
  const selectors = asObject(body.selectors, 'selectors');
  const window = asObject(body.window, 'window');
  const aggregations = asObject(body.aggregations, 'aggregations');
  const time = asObject(aggregations?.time, 'aggregations.time');
  const format = asString(body.format, 'format');
  if (format !== undefined && format !== 'json2') {
    throw new BadRequest('only json2 is supported');
  }
  const nodes = scopeNodes(room, state.dataset, scope);
  const scopeContexts = patterns(asStrings(scope?.contexts, 'scope.contexts'));
  let after = asNumber(window?.after, 'window.after');
  const before = asNumber(window?.before, 'window.before');
  const duration = asNumber(window?.duration, 'window.duration');
  if (after === undefined && duration !== undefined && duration > 0) {
    after = -duration;
  }
  let points = Math.max(0, Math.floor(asNumber(window?.points, 'window.points') ?? 0));
  // Cloud routes the query to every node of the scope holding the contexts; merged answers are capped at 500 points.
  const contextsPattern = compileSimplePattern(scopeContexts);
  const routes = nodes.filter((n) => n.instances.some((i) => matchesAny(contextsPattern, [i.context.id])));
  if (routes.length > 1 && points > CLOUD_MAX_POINTS) {
    points = CLOUD_MAX_POINTS;
  }
  const tier = asNumber(window?.tier, 'window.tier');
  const options = asStrings(body.options, 'options') ?? [];
  const req: DataRequest = {
    // The room (and scope.nodes) is the scope: selectors never narrow it, unlike an agent's `nodes` without `scope_nodes`.
    scopeNodes: '*',
    scopeContexts: scopeContexts ?? '*',
    scopeInstances: patterns(asStrings(scope?.instances, 'scope.instances')),
    scopeDimensions: patterns(asStrings(scope?.dimensions, 'scope.dimensions')),
    scopeLabels: patterns(asStrings(scope?.labels, 'scope.labels')),
    nodes: patterns(asStrings(selectors?.nodes, 'selectors.nodes')),
    contexts: patterns(asStrings(selectors?.contexts, 'selectors.contexts')),
    instances: patterns(asStrings(selectors?.instances, 'selectors.instances')),
    dimensions: patterns(asStrings(selectors?.dimensions, 'selectors.dimensions')),
    labels: patterns(asStrings(selectors?.labels, 'selectors.labels')),
    alerts: patterns(asStrings(selectors?.alerts, 'selectors.alerts')),
    after,
    before,
    points,
    timeGroup: asString(time?.time_group, 'time_group'),
    timeGroupOptions: asString(time?.time_group_options, 'time_group_options'),
    tier,
    passes: parsePasses(aggregations),
    options,
    timeout: asNumber(body.timeout, 'timeout'),
    format: 'json2',
    cardinalityLimit: cloudLimit(asNumber(body.limit, 'limit')),
  };
  const result = runDataQuery(req, { dataset: { ...state.dataset, nodes }, version: state.version, wallSec });
  const doc = renderJson2(result, {
    api: 2,
    agents: 'per-node',
    agentNode: state.dataset.nodes[0],
    nodeCount: state.dataset.nodes.length,
    wallSec,
  });
  return json(200, doc, result.options.has('minify'));
}

/** Body `limit` is the agent's `limit`: the top N plus one `remaining` dimension. */
function cloudLimit(limit: number | undefined): number | undefined {
  return limit !== undefined && limit > 0 ? Math.floor(limit) + 1 : undefined;
}

/** §6.4: absolute `after` > 0 (else 400), `status[]`, `alert_names[]`, `node_ids[]`, `context[]`, `last`. */
function alertTransitionsReply(state: CloudState, room: Room, body: Record<string, unknown>, wallSec: number): Reply {
  if (state.tokenScope === 'grafana-plugin') {
    return cloudError(403, 'ErrForbidden', 'Forbidden', '1BIKRyPlV9-403000001');
  }
  const after = asNumber(body.after, 'after');
  if (after === undefined || after <= 0) {
    return cloudError(400, 'ErrBadRequest', 'after parameter must be greater than 0', '1BIKRyPlV9-124244067');
  }
  const status = asStrings(body.status, 'status');
  const doc = alertTransitionsDocument(
    { ...state.dataset, nodes: state.dataset.nodes.filter((n) => n.nd !== undefined && room.members.includes(n.mg)) },
    {
      after,
      before: asNumber(body.before, 'before') ?? wallSec,
      nodeIds: asStrings(body.node_ids, 'node_ids'),
      contexts: asStrings(body.context, 'context'),
      alerts: asStrings(body.alert_names, 'alert_names'),
      status: status && status.length > 0 ? compileSimplePattern(status.join('|').toUpperCase()) : undefined,
      last: asNumber(body.last, 'last') ?? asNumber(body.limit, 'limit') ?? 100,
    },
    wallSec,
    'cloud'
  );
  return json(200, doc);
}

const SPACE_ROOMS = /^\/api\/v2\/spaces\/([^/]+)\/rooms$/;
function insightReply(answer: InsightAnswer): Reply {
  if ('text' in answer) {
    return cloudError(answer.status, 'ErrBadRequest', answer.text, '1BIKRyPlV9-124244068');
  }
  return answer.status === 200
    ? json(200, answer.body)
    : cloudError(answer.status, 'ErrBadRequest', String(answer.body.error), '1BIKRyPlV9-124244069');
}

/** The agent's pairs for a Cloud body: Cloud passes scope and selectors on to the agents (§6.3, §6.4). */
function agentPairs(entries: Array<[string, string | undefined]>): AgentQuery {
  return new AgentQuery(entries.filter((e): e is [string, string] => e[1] !== undefined && e[1] !== ''));
}

/** `POST …/weights` (§6.4): the agent's weights over the room's nodes in scope. */
function weightsReply(state: CloudState, room: Room, body: Record<string, unknown>, wallSec: number): Reply {
  const scope = asObject(body.scope, 'scope');
  const selectors = asObject(body.selectors, 'selectors');
  const window = asObject(body.window, 'window') ?? {};
  const baseline = asObject(window.baseline, 'window.baseline');
  const nodes = selectorNodes(scopeNodes(room, state.dataset, scope), selectors);
  const labels = (asStrings(selectors?.labels, 'selectors.labels') ?? []).filter((l) => l !== '*');
  const q = agentPairs([
    ['method', typeof body.method === 'string' ? body.method : undefined],
    ['after', asNumber(window.after, 'window.after')?.toString()],
    ['before', asNumber(window.before, 'window.before')?.toString()],
    ['points', asNumber(window.points, 'window.points')?.toString()],
    ['baseline_after', asNumber(baseline?.after, 'window.baseline.after')?.toString()],
    ['baseline_before', asNumber(baseline?.before, 'window.baseline.before')?.toString()],
    ['options', (asStrings(body.options, 'options') ?? []).join(',')],
    ['scope_contexts', patterns(asStrings(scope?.contexts, 'scope.contexts'))],
    ['labels', labels.join('|')],
  ]);
  return insightReply(weightsAnswer(q, { ...state.dataset, nodes }, wallSec));
}

/** `POST /api/v2/…/alerts` (§6.4): needs alert permission, which scope:grafana-plugin tokens lack. */
function alertsReply(state: CloudState, room: Room, body: Record<string, unknown>, wallSec: number): Reply {
  if (state.tokenScope === 'grafana-plugin') {
    return cloudError(403, 'ErrForbidden', 'Forbidden', '1BIKRyPlV9-403000002');
  }
  const nodes = scopeNodes(room, state.dataset, undefined);
  const q = agentPairs([
    ['options', (asStrings(body.options, 'options') ?? []).join(',')],
    ['status', (asStrings(body.status, 'status') ?? []).join(',')],
  ]);
  return insightReply(alertsAnswer(q, { ...state.dataset, nodes }, wallSec));
}

const ROOM_ALERT_TRANSITIONS = /^\/api\/v2\/spaces\/([^/]+)\/rooms\/([^/]+)\/(alert_transitions|alerts)$/;
const ROOM_CALL = /^\/api\/v3\/spaces\/([^/]+)\/rooms\/([^/]+)\/(nodes|contexts|data|weights)$/;

export function handleCloudRequest(req: CloudHttpRequest, state: CloudState, wallSec: number): Reply {
  const path = req.url.split('?')[0];
  const known =
    (req.method === 'GET' &&
      (path === '/api/v2/accounts/me' ||
        path === '/api/v2/spaces' ||
        path === '/api/v3/spaces' ||
        SPACE_ROOMS.test(path))) ||
    (req.method === 'POST' && (ROOM_CALL.test(path) || ROOM_ALERT_TRANSITIONS.test(path)));
  if (!known) {
    return html(404, '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Not Found</body></html>');
  }
  if (!isBearer(req.headers, state.token)) {
    return unauthorized();
  }
  if (path === '/api/v2/accounts/me') {
    return json(200, {
      id: '3f0b9c1e-7a2d-4c5e-9b8f-1a2b3c4d5e6f',
      name: 'Fake Netdata User',
      email: 'user@example.com',
      avatarURL: '',
      createdAt: '2024-01-01T00:00:00Z',
    });
  }
  if (path === '/api/v2/spaces' || path === '/api/v3/spaces') {
    return json(200, [
      {
        id: state.spaceId,
        slug: 'fake-space',
        name: state.spaceName,
        description: '',
        permissions: ['space:ReadChart', 'space:ReadNode'],
      },
    ]);
  }
  const roomsMatch = SPACE_ROOMS.exec(path);
  if (roomsMatch) {
    if (roomsMatch[1] !== state.spaceId) {
      return notFound('space');
    }
    return json(
      200,
      state.rooms.map((r) => ({
        id: r.id,
        slug: r.slug,
        name: r.name,
        description: '',
        private: false,
        untouchable: r.untouchable,
        node_count: r.members.length,
        member_count: 1,
        isMember: true,
        silencing_state: 'NONE',
        permissions: ['room:ReadChart', 'room:ReadNode'],
        createdAt: '2024-01-01T00:00:00Z',
      }))
    );
  }
  const call = ROOM_CALL.exec(path) ?? ROOM_ALERT_TRANSITIONS.exec(path);
  if (!call) {
    return html(404, 'Not Found');
  }
  if (call[1] !== state.spaceId) {
    return notFound('space');
  }
  const room = state.rooms.find((r) => r.id === call[2]);
  if (!room) {
    return notFound('room');
  }
  try {
    const body = parseBody(req.body);
    switch (call[3]) {
      case 'nodes':
        return nodesReply(state, room, body);
      case 'contexts':
        return contextsReply(state, room, body, wallSec);
      case 'alert_transitions':
        return alertTransitionsReply(state, room, body, wallSec);
      case 'weights':
        return weightsReply(state, room, body, wallSec);
      case 'alerts':
        return alertsReply(state, room, body, wallSec);
      default:
        return dataReply(state, room, body, wallSec);
    }
  } catch (e) {
    if (e instanceof BadRequest) {
      return badRequest();
    }
    throw e;
  }
}
