// Logs functions (`systemd-journal`, `windows-events`; netdata-api-extra.md §5.4) for Explore: the saved logs query,
// its POST body, and the answer as a logs data-plane frame (meta type `log-lines`: timestamp, body, severity, id,
// labels) plus the histogram as volume frames (one time series per level).
import type { Frame, JsonField, NumberField, Result, StringField, TimeField } from './types';
import { isJsonObject as isRecord } from './jsonValues';

export const LOGS_FUNCTIONS = ['systemd-journal', 'windows-events'] as const;
export type LogsFunction = (typeof LOGS_FUNCTIONS)[number];
/** Rows per request: Netdata's default is 200; we never ask for more than this. */
export const MAX_LOG_ROWS = 1000;
export const DEFAULT_LOG_ROWS = 200;

export interface LogsQueryModel {
  function: LogsFunction;
  node?: string;
  /** Full-text search (`query`). */
  search?: string;
  /** Facet selections: values of one field OR-ed, fields AND-ed. */
  filters: Record<string, string[]>;
  /** Fields shown as labels of each line. */
  labelFields: string[];
  limit: number;
  /** µs timestamp: the next (older) page starts before it (Explore's "older logs"). */
  anchor?: number;
  /** Answer the histogram (lines per level over time) instead of the lines: Explore's logs volume, or a graph. */
  volume: boolean;
}

const FIELD = /^[A-Za-z0-9_]{1,64}$/;
const NODE = /^[^\s/\\?#&%=;,|@\u0000-\u001f\u007f]{1,200}$/;

export function parseLogsQuery(raw: unknown): Result<LogsQueryModel> {
  if (!isRecord(raw)) {
    return { ok: false, error: 'query must be a JSON object' };
  }
  const fn = raw.function ?? 'systemd-journal';
  if (!LOGS_FUNCTIONS.includes(fn as LogsFunction)) {
    return { ok: false, error: `query.function must be one of ${LOGS_FUNCTIONS.join(', ')}` };
  }
  const model: LogsQueryModel = {
    function: fn as LogsFunction,
    filters: {},
    labelFields: [],
    limit: DEFAULT_LOG_ROWS,
    volume: false,
  };
  if (typeof raw.node === 'string' && raw.node.trim() !== '') {
    if (!NODE.test(raw.node.trim()) || raw.node.includes('..')) {
      return { ok: false, error: 'query.node is not a node id' };
    }
    model.node = raw.node.trim();
  }
  if (typeof raw.search === 'string' && raw.search.trim() !== '') {
    model.search = raw.search.trim().slice(0, 500);
  }
  if (raw.filters !== undefined && raw.filters !== null) {
    if (!isRecord(raw.filters)) {
      return { ok: false, error: 'query.filters must map field names to lists of values' };
    }
    for (const [field, values] of Object.entries(raw.filters)) {
      if (!FIELD.test(field)) {
        return { ok: false, error: `query.filters: "${field.slice(0, 60)}" is not a journal field name` };
      }
      if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) {
        return { ok: false, error: `query.filters.${field} must be a list of values` };
      }
      if (values.length > 0) {
        model.filters[field] = values as string[];
      }
    }
  }
  if (raw.labelFields !== undefined && raw.labelFields !== null) {
    if (!Array.isArray(raw.labelFields) || !raw.labelFields.every((f) => typeof f === 'string' && FIELD.test(f))) {
      return { ok: false, error: 'query.labelFields must be a list of journal field names' };
    }
    model.labelFields = raw.labelFields as string[];
  }
  if (raw.limit !== undefined && raw.limit !== null && raw.limit !== '') {
    const n = Number(raw.limit);
    if (!Number.isInteger(n) || n < 1 || n > MAX_LOG_ROWS) {
      return { ok: false, error: `query.limit must be a whole number of rows between 1 and ${MAX_LOG_ROWS}` };
    }
    model.limit = n;
  }
  if (raw.anchor !== undefined && raw.anchor !== null) {
    const a = Number(raw.anchor);
    if (!Number.isFinite(a) || a <= 0) {
      return { ok: false, error: 'query.anchor must be a µs timestamp' };
    }
    model.anchor = a;
  }
  if (raw.logsVolume !== undefined && raw.logsVolume !== null) {
    if (typeof raw.logsVolume !== 'boolean') {
      return { ok: false, error: 'query.logsVolume must be true or false' };
    }
    model.volume = raw.logsVolume;
  }
  return { ok: true, value: model };
}

/** The POST body (real field names, §5.4) for the window in epoch ms. */
export function logsRequestBody(q: LogsQueryModel, fromMs: number, toMs: number): Record<string, unknown> {
  const body: Record<string, unknown> = {
    after: Math.floor(fromMs / 1000),
    before: Math.ceil(toMs / 1000),
    last: Math.min(q.limit, MAX_LOG_ROWS),
    direction: 'backward',
    histogram: 'PRIORITY',
    data_only: false,
    selections: q.filters,
  };
  if (q.anchor !== undefined) {
    body.anchor = q.anchor;
  }
  if (q.search !== undefined) {
    body.query = q.search;
  }
  return body;
}

export interface LogsFacet {
  id: string;
  name: string;
  options: Array<{ id: string; name: string; count: number }>;
}

export interface LogsAnswer {
  /** Column keys in index order (dummy columns kept as undefined names). */
  columns: Array<{ key: string; name: string; index: number; dummy: boolean }>;
  rows: unknown[][];
  facets: LogsFacet[];
  histogram?: { labels: string[]; data: unknown[][] };
  partial: boolean;
  message?: string;
}

export function parseLogsAnswer(body: unknown): Result<LogsAnswer> {
  if (!isRecord(body)) {
    return { ok: false, error: 'the logs answer is not a JSON object' };
  }
  if (!isRecord(body.columns) || !Array.isArray(body.data)) {
    return { ok: false, error: 'the logs answer has no "columns" object or no "data" rows' };
  }
  const columns = Object.entries(body.columns)
    .filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]) && typeof e[1].index === 'number')
    .map(([key, c]) => ({
      key,
      name: typeof c.name === 'string' ? c.name : key,
      index: c.index as number,
      dummy: c.dummy === true,
    }))
    .sort((a, b) => a.index - b.index);
  if (!columns.some((c) => c.key === 'timestamp')) {
    return { ok: false, error: 'the logs answer has no "timestamp" column' };
  }
  const facets: LogsFacet[] = Array.isArray(body.facets)
    ? body.facets.filter(isRecord).map((f) => ({
        id: String(f.id ?? ''),
        name: String(f.name ?? f.id ?? ''),
        options: Array.isArray(f.options)
          ? f.options.filter(isRecord).map((o) => ({
              id: String(o.id ?? ''),
              name: String(o.name ?? o.id ?? ''),
              count: typeof o.count === 'number' ? o.count : 0,
            }))
          : [],
      }))
    : [];
  const answer: LogsAnswer = {
    columns,
    rows: body.data.filter((r): r is unknown[] => Array.isArray(r)),
    facets,
    partial: body.partial === true,
  };
  const chart = isRecord(body.histogram) && isRecord(body.histogram.chart) ? body.histogram.chart : undefined;
  const result = chart && isRecord(chart.result) ? chart.result : undefined;
  if (result && Array.isArray(result.labels) && Array.isArray(result.data)) {
    answer.histogram = { labels: result.labels.map(String), data: result.data.filter(Array.isArray) };
  }
  if (isRecord(body.message) && typeof body.message.description === 'string' && body.message.description !== '') {
    answer.message = body.message.description;
  }
  return { ok: true, value: answer };
}

const PRIORITY_LEVELS = ['emerg', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];
const PRIORITY_NAMES: Record<string, string> = {
  emergency: 'emerg',
  alert: 'alert',
  critical: 'critical',
  error: 'error',
  warning: 'warning',
  notice: 'notice',
  info: 'info',
  debug: 'debug',
};
const SEVERITY_LEVELS: Record<string, string> = {
  critical: 'critical',
  warning: 'warning',
  notice: 'notice',
  normal: 'info',
  debug: 'debug',
};

/** Grafana's level of a journal PRIORITY (0–7 or Netdata's name), else of the row's severity. */
export function logLevel(priority: unknown, severity: unknown): string {
  if (typeof priority === 'string' || typeof priority === 'number') {
    const p = String(priority).trim().toLowerCase();
    if (/^[0-7]$/.test(p)) {
      return PRIORITY_LEVELS[Number(p)];
    }
    if (PRIORITY_NAMES[p] !== undefined) {
      return PRIORITY_NAMES[p];
    }
  }
  return (typeof severity === 'string' && SEVERITY_LEVELS[severity]) || 'unknown';
}

/** Facet names the query filters on that the answer does not know: an error naming the ones there are. */
export function unknownFilterFields(q: LogsQueryModel, answer: LogsAnswer): string | undefined {
  const known = new Set([...answer.facets.map((f) => f.name), ...answer.facets.map((f) => f.id)]);
  const unknown = Object.keys(q.filters).filter((f) => !known.has(f));
  if (unknown.length === 0 || answer.facets.length === 0) {
    return undefined;
  }
  return `Netdata's ${q.function} has no facet ${unknown.join(', ')} (facets: ${answer.facets.map((f) => f.name).join(', ')})`;
}

/**
 * The logs frame (data plane `log-lines`): `timestamp` (ms), `body` (MESSAGE), `severity` (from PRIORITY), `id`
 * (µs timestamp, unique per row), `labels` (the chosen fields, plus the level and node).
 */
export function logsFrame(answer: LogsAnswer, q: LogsQueryModel, refId: string, executed: string): Frame {
  const at = new Map(answer.columns.map((c) => [c.name, c.index]));
  const byKey = new Map(answer.columns.map((c) => [c.key, c.index]));
  const col = (name: string) => at.get(name) ?? byKey.get(name);
  const tsAt = byKey.get('timestamp') ?? 0;
  const optionsAt = answer.columns.find((c) => c.dummy)?.index;
  const messageAt = col('MESSAGE');
  const priorityAt = col('PRIORITY');
  const times: number[] = [];
  const bodies: Array<string | null> = [];
  const levels: Array<string | null> = [];
  const ids: Array<string | null> = [];
  const labels: Array<Record<string, string> | null> = [];
  const seen = new Map<string, number>();
  for (const row of answer.rows) {
    const us = Number(row[tsAt]);
    if (!Number.isFinite(us)) {
      continue;
    }
    times.push(us / 1000);
    const message = messageAt === undefined ? undefined : row[messageAt];
    bodies.push(
      typeof message === 'string' ? message : message === null || message === undefined ? '' : JSON.stringify(message)
    );
    const options = optionsAt === undefined ? undefined : row[optionsAt];
    levels.push(
      logLevel(priorityAt === undefined ? undefined : row[priorityAt], isRecord(options) ? options.severity : undefined)
    );
    const base = String(us);
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    ids.push(n === 0 ? base : `${base}-${n}`);
    const rowLabels: Record<string, string> = {};
    for (const field of q.labelFields) {
      const i = col(field);
      const v = i === undefined ? undefined : row[i];
      if (v !== null && v !== undefined && v !== '') {
        rowLabels[field] = String(v);
      }
    }
    labels.push(rowLabels);
  }
  // The logs data plane wants timestamp and body non-nullable; every column here has a value in every row.
  const timestamp: TimeField = { name: 'timestamp', type: 'time', values: times };
  const body: StringField = { name: 'body', type: 'string', values: bodies, nullable: false };
  const severity: StringField = { name: 'severity', type: 'string', values: levels, nullable: false };
  const id: StringField = { name: 'id', type: 'string', values: ids, nullable: false };
  const labelField: JsonField = { name: 'labels', type: 'other', values: labels, nullable: false };
  const notices = [];
  if (answer.partial) {
    notices.push({ severity: 'warning' as const, text: 'Netdata timed out while searching: the answer is partial' });
  }
  if (answer.message) {
    notices.push({ severity: 'info' as const, text: answer.message });
  }
  return {
    name: q.function,
    refId,
    meta: {
      type: 'log-lines',
      typeVersion: [0, 0],
      preferredVisualisationType: 'logs',
      executedQueryString: executed,
      custom: { facets: answer.facets },
      ...(notices.length > 0 ? { notices } : {}),
    },
    fields: [timestamp, body, severity, id, labelField],
  };
}

/**
 * The histogram (ms timestamps, [count, …] points) as one time series per level: Explore's logs volume. Each frame
 * is named by its Grafana level and its count field carries a `level` label, where Explore reads the level from.
 */
export function logsVolumeFrames(answer: LogsAnswer, refId: string): Frame[] {
  const h = answer.histogram;
  if (h === undefined) {
    return [];
  }
  const times = h.data.map((r) => Number(r[0]));
  return h.labels.slice(1).map((label, i) => {
    const values = h.data.map((r) => {
      const point = r[i + 1];
      const v = Array.isArray(point) ? point[0] : point;
      return typeof v === 'number' ? v : null;
    });
    const level = logLevel(label, undefined);
    const field: NumberField = {
      name: 'count',
      type: 'number',
      values,
      labels: { level: level === 'unknown' ? label : level },
      config: { displayNameFromDS: level === 'unknown' ? label : level },
    };
    return {
      refId,
      name: level === 'unknown' ? label : level,
      meta: { type: 'timeseries-multi', typeVersion: [0, 1], preferredVisualisationType: 'graph' },
      fields: [{ name: 'time', type: 'time', values: times }, field],
    };
  });
}
