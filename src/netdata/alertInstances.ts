// Current alerts through `/api/v3|v2/alerts` of an Agent/Parent and the Cloud room POST (netdata-api-extra.md §3,
// netdata-api.md §6.4): the alert instances running now → one table frame coloured by status.
import { DEFAULT_TIMEOUT_MS, timeoutParam, type DataRequestOptions } from './agentRequest';
import { validatePathId } from './cloudRequest';
import type { AlertInstanceStatus, CurrentAlertsQueryModel } from './currentAlerts';
import { compilePattern } from './patternMatch';
import { simplePattern, splitPatternText, textPattern } from './patterns';
import type { AgentRequest, DataLink, Frame, Result, ValueMapping } from './types';
import {
  type JsonObject as Obj,
  isJsonObject as isObj,
  nonEmptyString as str,
  finiteNumber as num,
} from './jsonValues';

/** Without options the answer carries no alert data at all (§3.1, rule 14). */
export const ALERTS_OPTIONS = ['instances', 'values'];

export interface AlertInstanceRow {
  node: string;
  machineGuid?: string;
  alert: string;
  context: string;
  instance: string;
  status: string;
  value: number | null;
  units: string;
  /** Last status change, epoch seconds (not the first time it fired, §3.3). */
  since: number | null;
  summary: string;
}

function statusWords(statuses: readonly AlertInstanceStatus[]): string {
  return statuses.map((s) => s.toLowerCase()).join(',');
}

/** `GET /api/v3/alerts?options=instances,values&status=…` (v2 before Netdata v2.0). */
export function buildAgentAlertsRequest(
  q: CurrentAlertsQueryModel,
  apiVersion: 2 | 3,
  opts?: DataRequestOptions
): AgentRequest {
  const params: Array<[string, string | number | undefined]> = [
    ['options', ALERTS_OPTIONS.join(',')],
    ['status', statusWords(q.statuses)],
    ['alert', q.alert],
    ['timeout', timeoutParam(opts)],
    ['scope_contexts', textPattern(q.contexts)],
    ['scope_nodes', simplePattern(q.nodes)],
  ];
  const query = params
    .filter((p): p is [string, string | number] => p[1] !== undefined && p[1] !== '')
    .map(([name, value]) => `${name}=${encodeURIComponent(String(value))}`)
    .join('&');
  return { method: 'GET', path: `/api/v${apiVersion}/alerts?${query}` };
}

export interface CloudAlertsBody {
  options: string[];
  status: string[];
  timeout: number;
}

/**
 * `POST /api/v2/spaces/{space}/rooms/{room}/alerts` (§6.4). Cloud documents only `options` and `status` here, so
 * the node, context and alert-name patterns are applied to the answer (`filterAlertRows`).
 */
export function buildCloudAlertsRequest(
  q: CurrentAlertsQueryModel,
  target: { spaceId: string; roomId: string },
  opts?: DataRequestOptions
): { method: 'POST'; path: string; body: CloudAlertsBody } {
  const spaceId = validatePathId(q.spaceId ?? target.spaceId ?? '', 'space');
  const roomId = validatePathId(q.roomId ?? target.roomId ?? '', 'room');
  return {
    method: 'POST',
    path: `/api/v2/spaces/${encodeURIComponent(spaceId)}/rooms/${encodeURIComponent(roomId)}/alerts`,
    body: {
      options: [...ALERTS_OPTIONS],
      status: q.statuses.map((s) => s.toLowerCase()),
      timeout: timeoutParam(opts) ?? DEFAULT_TIMEOUT_MS,
    },
  };
}

/** Reads short keys and the ≥ v2.6 long ones (`long-json-keys`, §3.2). */
function pick(o: Obj, short: string, long: string): unknown {
  return o[short] !== undefined ? o[short] : o[long];
}

/** The alert instances of an answer; `nodes[]` resolved by their own `ni` (§3.3 step 2). */
export function parseAlertInstances(body: unknown): Result<AlertInstanceRow[]> {
  if (!isObj(body)) {
    return { ok: false, error: 'the alerts answer is not a JSON object' };
  }
  const list = pick(body, 'alert_instances', 'alert_instances');
  if (list !== undefined && !Array.isArray(list)) {
    return { ok: false, error: 'alert_instances is not an array' };
  }
  const nodes = new Map<number, Obj>();
  if (Array.isArray(body.nodes)) {
    for (const n of body.nodes) {
      const ni = isObj(n) ? num(pick(n, 'ni', 'nodes_array_index')) : undefined;
      if (ni !== undefined) {
        nodes.set(ni, n as Obj);
      }
    }
  }
  const rows: AlertInstanceRow[] = [];
  for (const raw of Array.isArray(list) ? list : []) {
    if (!isObj(raw)) {
      continue;
    }
    const alert = str(pick(raw, 'nm', 'alert'));
    if (alert === undefined) {
      continue;
    }
    const ni = num(pick(raw, 'ni', 'nodes_array_index'));
    const node = ni !== undefined ? nodes.get(ni) : undefined;
    const row: AlertInstanceRow = {
      node: str(node && pick(node, 'nm', 'hostname')) ?? str(node && pick(node, 'mg', 'machine_guid')) ?? '',
      alert,
      context: str(pick(raw, 'ctx', 'context')) ?? '',
      instance: str(pick(raw, 'ch_n', 'instance')) ?? str(pick(raw, 'ch', 'instance_id')) ?? '',
      status: str(pick(raw, 'st', 'status')) ?? 'UNKNOWN',
      value: num(pick(raw, 'v', 'last_updated_value')) ?? null,
      units: str(raw.units) ?? '',
      since: num(pick(raw, 'tr_t', 'last_transition_timestamp')) ?? null,
      summary: str(pick(raw, 'sum', 'summary')) ?? str(raw.info) ?? '',
    };
    const mg = str(node && pick(node, 'mg', 'machine_guid'));
    if (mg !== undefined) {
      row.machineGuid = mg;
    }
    rows.push(row);
  }
  return { ok: true, value: rows };
}

/** The query's filters on our side: always the statuses (REMOVED never shows), and for Cloud the patterns too. */
export function filterAlertRows(
  rows: readonly AlertInstanceRow[],
  q: CurrentAlertsQueryModel,
  patternsToo: boolean
): AlertInstanceRow[] {
  const statuses = new Set<string>(q.statuses);
  const nodes = compilePattern(q.nodes, false);
  const contexts = compilePattern(splitPatternText(q.contexts));
  const alert = compilePattern(q.alert !== undefined ? splitPatternText(q.alert) : []);
  return rows.filter(
    (r) =>
      statuses.has(r.status) &&
      (!patternsToo || (nodes.matches(r.node, r.machineGuid) && contexts.matches(r.context) && alert.matches(r.alert)))
  );
}

const STATUS_ORDER = ['CRITICAL', 'WARNING', 'UNDEFINED', 'UNINITIALIZED', 'CLEAR'];

/** Status colours for a plain table (Grafana's named colours). */
export const STATUS_MAPPINGS: ValueMapping[] = [
  {
    type: 'value',
    options: {
      CRITICAL: { color: 'red', index: 0 },
      WARNING: { color: 'orange', index: 1 },
      CLEAR: { color: 'green', index: 2 },
      UNDEFINED: { color: 'text', index: 3 },
      UNINITIALIZED: { color: 'text', index: 4 },
    },
  },
];

/** Table cells take the mapped colour as their background. */
export const COLORED_CELL = { cellOptions: { type: 'color-background', mode: 'basic' } };

export interface AlertsFrameContext {
  refId: string;
  executedQueryString: string;
  rowLinks?: DataLink[];
}

/** One table frame, most severe first, then the most recent change first. */
export function currentAlertsFrame(rows: readonly AlertInstanceRow[], ctx: AlertsFrameContext): Frame {
  const sorted = [...rows].sort(
    (a, b) =>
      STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) ||
      (b.since ?? 0) - (a.since ?? 0) ||
      a.node.localeCompare(b.node) ||
      a.alert.localeCompare(b.alert) ||
      a.instance.localeCompare(b.instance)
  );
  const links = ctx.rowLinks ?? [];
  const linked = links.length > 0 ? { links } : {};
  return {
    name: 'Netdata alerts',
    refId: ctx.refId,
    meta: {
      preferredVisualisationType: 'table',
      executedQueryString: ctx.executedQueryString,
      ...(sorted.length === 0 ? { notices: [{ severity: 'info', text: 'No alert matches the query' }] } : {}),
    },
    fields: [
      { name: 'node', type: 'string', values: sorted.map((r) => r.node), config: { ...linked } },
      { name: 'alert', type: 'string', values: sorted.map((r) => r.alert), config: { ...linked } },
      { name: 'context', type: 'string', values: sorted.map((r) => r.context) },
      { name: 'instance', type: 'string', values: sorted.map((r) => r.instance), config: { ...linked } },
      {
        name: 'status',
        type: 'string',
        values: sorted.map((r) => r.status),
        config: { mappings: STATUS_MAPPINGS, custom: COLORED_CELL },
      },
      { name: 'value', type: 'number', values: sorted.map((r) => r.value) },
      { name: 'units', type: 'string', values: sorted.map((r) => r.units) },
      // A time field takes no nulls: an instance that never changed status has since = 0 (shown as 1970).
      { name: 'since', type: 'time', values: sorted.map((r) => (r.since ?? 0) * 1000) },
      { name: 'summary', type: 'string', values: sorted.map((r) => r.summary) },
    ],
  };
}
