// Alert history as Grafana annotations: the alert query model, the Agent GET and Cloud POST of alert transitions
// (netdata-api.md §4.6, §6.4), their parsing and the annotation frame (fields Grafana's standard annotation
// processing reads: time, title, text, tags — tags as one comma-separated string).
import { validatePathId, isUuid } from './cloudRequest';
import { hasControlChars, patternItems, simplePattern, splitPatternText } from './patterns';
import type {
  AgentRequest,
  AlertQueryModel,
  AlertTransition,
  AlertTransitionStatus,
  CloudAlertTransitionsRequest,
  Frame,
  FrameNotice,
  QueryWindow,
  Result,
} from './types';
import { dataWindow } from './window';

export const ALERT_TRANSITION_STATUSES: readonly AlertTransitionStatus[] = ['CRITICAL', 'WARNING', 'CLEAR'];
export const DEFAULT_ALERT_STATUSES: readonly AlertTransitionStatus[] = ['CRITICAL', 'WARNING'];
/** Netdata returns only 1 transition unless told otherwise (§4.6). */
export const MAX_TRANSITIONS = 1000;

const MAX_TEXT = 4096;
const MAX_NODES = 1000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

class AlertQueryError extends Error {}

/** An exact name (context or alert): Netdata compares with SQL equality, so no pattern handling. */
function exactName(raw: Record<string, unknown>, name: 'context' | 'alert'): string | undefined {
  const value = raw[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new AlertQueryError(`query.${name} must be a string`);
  }
  const trimmed = value.trim();
  if (trimmed.length > MAX_TEXT) {
    throw new AlertQueryError(`query.${name} is too long (${trimmed.length} characters; at most ${MAX_TEXT})`);
  }
  if (hasControlChars(trimmed)) {
    throw new AlertQueryError(`query.${name} must not contain control characters (tab, newline, ...)`);
  }
  if (trimmed.includes('&')) {
    throw new AlertQueryError(`query.${name} contains '&', which cannot be sent to Netdata`);
  }
  return trimmed === '' ? undefined : trimmed;
}

function nodeList(raw: Record<string, unknown>): string[] {
  const value = raw.nodes;
  if (value === undefined || value === null) {
    return [];
  }
  // A string is a pattern text (`web*|db*`, saved by older versions); an array holds one name or pattern each.
  const list = typeof value === 'string' ? splitPatternText(value) : value;
  if (!Array.isArray(list) || list.some((v) => typeof v !== 'string')) {
    throw new AlertQueryError('query.nodes must be an array of strings');
  }
  if (list.length > MAX_NODES) {
    throw new AlertQueryError(`query.nodes has too many items (${list.length}; at most ${MAX_NODES})`);
  }
  const items = patternItems(list as string[]);
  if (items.some((item) => item.includes('&'))) {
    throw new AlertQueryError("query.nodes contains '&', which cannot be sent to Netdata");
  }
  return items;
}

function statuses(raw: Record<string, unknown>): AlertTransitionStatus[] {
  const value = raw.alertStatuses;
  if (value === undefined || value === null || (Array.isArray(value) && value.length === 0)) {
    return [...DEFAULT_ALERT_STATUSES];
  }
  if (!Array.isArray(value)) {
    throw new AlertQueryError('query.alertStatuses must be an array (CRITICAL, WARNING, CLEAR)');
  }
  const out: AlertTransitionStatus[] = [];
  value.forEach((v, i) => {
    const word = typeof v === 'string' ? v.trim().toUpperCase() : undefined;
    const status = ALERT_TRANSITION_STATUSES.find((s) => s === word);
    if (status === undefined) {
      throw new AlertQueryError(`query.alertStatuses[${i}] must be one of ${ALERT_TRANSITION_STATUSES.join(', ')}`);
    }
    if (!out.includes(status)) {
      out.push(status);
    }
  });
  return out;
}

function pathId(raw: Record<string, unknown>, name: 'spaceId' | 'roomId'): string | undefined {
  const value = raw[name];
  if (value === undefined || value === null || value === '') {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new AlertQueryError(`query.${name} must be a string`);
  }
  return value.trim() === '' ? undefined : value.trim();
}

/** Validates the saved JSON of an alert annotation query (untrusted) and fills defaults. */
export function parseAlertQuery(raw: unknown): Result<AlertQueryModel> {
  if (!isRecord(raw)) {
    return { ok: false, error: 'query must be a JSON object' };
  }
  try {
    const model: AlertQueryModel = { nodes: nodeList(raw), alertStatuses: statuses(raw) };
    const context = exactName(raw, 'context');
    if (context !== undefined) {
      model.context = context;
    }
    const alert = exactName(raw, 'alert');
    if (alert !== undefined) {
      model.alert = alert;
    }
    const spaceId = pathId(raw, 'spaceId');
    if (spaceId !== undefined) {
      model.spaceId = spaceId;
    }
    const roomId = pathId(raw, 'roomId');
    if (roomId !== undefined) {
      model.roomId = roomId;
    }
    return { ok: true, value: model };
  } catch (e) {
    if (e instanceof AlertQueryError) {
      return { ok: false, error: e.message };
    }
    throw e;
  }
}

/** Absolute seconds covering the whole Grafana range (relative values would be read as offsets from now). */
/** The query's window; `page.before` moves its end back to the oldest transition of the page before (transitionPages.ts). */
function transitionsWindow(w: QueryWindow, page?: { before: number }): { after: number; before: number } {
  const { after, before } = dataWindow(w);
  return { after, before: page !== undefined ? Math.min(before, page.before) : before };
}

/**
 * `GET /api/v3/alert_transitions` (v2 on agents before v2.0). `after`/`before` are required in practice and `last`
 * defaults to 1 (§4.6); `context`/`alert` are exact; `f_status` is a case-insensitive pattern on the new status.
 */
export function buildAgentAlertTransitionsRequest(
  q: AlertQueryModel,
  w: QueryWindow,
  apiVersion: 2 | 3 = 3,
  page?: { before: number }
): AgentRequest {
  const { after, before } = transitionsWindow(w, page);
  const params: Array<[string, string | number | undefined]> = [
    ['after', after],
    ['before', before],
    ['last', MAX_TRANSITIONS],
    ['f_status', q.alertStatuses.length > 0 ? q.alertStatuses.join('|') : undefined],
    ['context', q.context],
    ['alert', q.alert],
    ['scope_nodes', simplePattern(q.nodes)],
  ];
  const query = params
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
  return { method: 'GET', path: `/api/v${apiVersion}/alert_transitions?${query}` };
}

/**
 * `POST /api/v2/spaces/{space}/rooms/{room}/alert_transitions` (§6.4). Cloud filters nodes by node id (UUID) only,
 * so node names or patterns cannot be expressed: that is a readable error rather than a silently wider answer.
 */
export function buildCloudAlertTransitionsRequest(
  q: AlertQueryModel,
  w: QueryWindow,
  target: { spaceId: string; roomId: string },
  page?: { before: number }
): CloudAlertTransitionsRequest {
  const spaceId = validatePathId(q.spaceId ?? target.spaceId ?? '', 'space');
  const roomId = validatePathId(q.roomId ?? target.roomId ?? '', 'room');
  const { after, before } = transitionsWindow(w, page);
  const nodes = q.nodes.filter((n) => n !== '*');
  const notIds = nodes.filter((n) => !isUuid(n));
  if (notIds.length > 0) {
    throw new Error(
      `Netdata Cloud filters alert transitions by node id only; "${notIds[0].slice(0, 100)}" is not a node id: ` +
        'choose nodes from the list or leave the node filter empty'
    );
  }
  const body: CloudAlertTransitionsRequest['body'] = {
    after,
    before,
    status: [...q.alertStatuses],
    last: MAX_TRANSITIONS,
  };
  if (nodes.length > 0) {
    body.node_ids = nodes;
  }
  if (q.alert !== undefined) {
    body.alert_names = [q.alert];
  }
  if (q.context !== undefined) {
    body.context = [q.context];
  }
  return {
    method: 'POST',
    path: `/api/v2/spaces/${encodeURIComponent(spaceId)}/rooms/${encodeURIComponent(roomId)}/alert_transitions`,
    body,
  };
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function transition(raw: unknown): AlertTransition | undefined {
  if (!isRecord(raw)) {
    return undefined;
  }
  const alert = str(raw.alert);
  const when = num(raw.when);
  if (alert === undefined || when === null) {
    return undefined;
  }
  const next = isRecord(raw.new) ? raw.new : {};
  const old = isRecord(raw.old) ? raw.old : {};
  const t: AlertTransition = {
    alert,
    when,
    newStatus: str(next.status) ?? 'UNKNOWN',
    newValue: num(next.value),
    oldStatus: str(old.status) ?? 'UNKNOWN',
    oldValue: num(old.value),
  };
  const optional: Array<[keyof AlertTransition, string]> = [
    ['transitionId', 'transition_id'],
    ['machineGuid', 'machine_guid'],
    ['nodeId', 'node_id'],
    ['hostname', 'hostname'],
    ['instance', 'instance'],
    ['instanceName', 'instance_n'],
    ['context', 'context'],
    ['component', 'component'],
    ['classification', 'classification'],
    ['type', 'type'],
    ['info', 'info'],
    ['summary', 'summary'],
    ['units', 'units'],
  ];
  for (const [key, from] of optional) {
    const value = str(raw[from]);
    if (value !== undefined) {
      (t as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return t;
}

/** The transitions of an Agent or Cloud answer; entries without an alert name or a time are skipped. */
export function parseAlertTransitions(body: unknown): Result<AlertTransition[]> {
  if (!isRecord(body)) {
    return { ok: false, error: 'the alert transitions answer is not a JSON object' };
  }
  const list = body.transitions;
  if (list === undefined || list === null) {
    return { ok: true, value: [] };
  }
  if (!Array.isArray(list)) {
    return { ok: false, error: 'transitions is not an array' };
  }
  const out: AlertTransition[] = [];
  for (const raw of list) {
    const t = transition(raw);
    if (t !== undefined) {
      out.push(t);
    }
  }
  return { ok: true, value: out };
}

function formatValue(value: number): string {
  return String(Math.round(value * 100) / 100);
}

/** `<alert> on <host> <instance>: <old> → <new> (value <v> <units>) — <summary>`. */
export function transitionText(t: AlertTransition): string {
  const where = [t.hostname ?? t.machineGuid, t.instanceName ?? t.instance].filter((s) => s !== undefined).join(' ');
  let text = `${t.alert}${where ? ` on ${where}` : ''}: ${t.oldStatus} → ${t.newStatus}`;
  if (t.newValue !== null) {
    text += ` (value ${formatValue(t.newValue)}${t.units ? ` ${t.units}` : ''})`;
  }
  const about = t.summary ?? t.info;
  return about ? `${text} — ${about}` : text;
}

/** Grafana splits a string tags field on commas: commas inside a tag would break it apart. */
function tagsOf(t: AlertTransition): string {
  return [t.newStatus, t.alert, t.hostname, t.context, t.component]
    .filter((s): s is string => s !== undefined && s !== '')
    .map((s) => s.replace(/,/g, ' ').trim())
    .filter((s, i, all) => s !== '' && all.indexOf(s) === i)
    .join(',');
}

/** One annotation per transition, oldest first; no `timeseries-multi` type (it is not a time series). */
export function alertTransitionsFrame(
  transitions: AlertTransition[],
  refId: string,
  executedQueryString: string,
  notices: FrameNotice[] = []
): Frame {
  const sorted = [...transitions].sort((a, b) => a.when - b.when);
  return {
    name: 'Netdata alert transitions',
    refId,
    meta: notices.length > 0 ? { executedQueryString, notices } : { executedQueryString },
    fields: [
      { name: 'time', type: 'time', values: sorted.map((t) => t.when * 1000) },
      { name: 'title', type: 'string', values: sorted.map((t) => `${t.alert} ${t.newStatus}`) },
      { name: 'text', type: 'string', values: sorted.map(transitionText) },
      { name: 'tags', type: 'string', values: sorted.map(tagsOf) },
    ],
  };
}
