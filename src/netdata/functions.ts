// Netdata functions (netdata-api-extra.md §5): the list a node offers, the request that runs one, and a table
// answer as a Grafana table frame. Pure: the backend runs the requests, the editor shows the list.
import type { Field, FieldConfig, Frame, NumberField, Result, StringField } from './types';
import { toGrafanaUnit } from './units';
import { finiteNumber as num, isJsonObject as isRecord } from './jsonValues';

/** The saved function query. */
export interface FunctionQueryModel {
  /** Function name as the node registers it (`mount-points`, `processes`, …). */
  function: string;
  /** Further words of the command line (`info`, `sort:cpu`, …), space separated. */
  args?: string;
  /** Node (machine GUID, node id or hostname) on a Parent; empty = the agent answering. */
  node?: string;
}

/** One function a node offers. */
export interface NetdataFunction {
  name: string;
  help: string;
  tags: string;
  /** Access words (`signed-in`, `same-space`, `sensitive-data`, `anonymous-data`, …, §5.1). */
  access: string[];
  priority: number;
  /** True when an anonymous caller is refused (412): the function needs a signed-in user. */
  needsSignIn: boolean;
}

const NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,99}$/;
/** One argument word: no spaces (they separate words), no control characters. */
const ARG = /^[^\s\u0000-\u001f\u007f]{1,200}$/;
const NODE = /^[^\s/\\?#&%=;,|@\u0000-\u001f\u007f]{1,200}$/;
const MAX_ARGS = 20;

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function parseFunctionQuery(raw: unknown): Result<FunctionQueryModel> {
  if (!isRecord(raw)) {
    return { ok: false, error: 'query must be a JSON object' };
  }
  const name = str(raw.function)?.trim() ?? '';
  if (name === '') {
    return { ok: false, error: 'query.function is required: choose one of the functions the node offers' };
  }
  if (!NAME.test(name)) {
    return { ok: false, error: `query.function "${name.slice(0, 60)}" is not a Netdata function name` };
  }
  const model: FunctionQueryModel = { function: name };
  const args = str(raw.args)?.trim() ?? '';
  if (raw.args !== undefined && raw.args !== null && typeof raw.args !== 'string') {
    return { ok: false, error: 'query.args must be text (space-separated words)' };
  }
  if (args !== '') {
    const words = args.split(/\s+/);
    if (words.length > MAX_ARGS || !words.every((w) => ARG.test(w))) {
      return { ok: false, error: `query.args must be at most ${MAX_ARGS} words without control characters` };
    }
    model.args = words.join(' ');
  }
  const node = str(raw.node)?.trim() ?? '';
  if (raw.node !== undefined && raw.node !== null && typeof raw.node !== 'string') {
    return { ok: false, error: 'query.node must be a node id' };
  }
  if (node !== '') {
    if (!NODE.test(node) || node.includes('..')) {
      return { ok: false, error: `query.node "${node.slice(0, 60)}" is not a node id` };
    }
    model.node = node;
  }
  return { ok: true, value: model };
}

function accessWords(v: unknown): string[] {
  if (Array.isArray(v)) {
    return v.filter((w): w is string => typeof w === 'string');
  }
  return typeof v === 'string' && v !== '' ? v.split(/[\s,|]+/).filter((w) => w !== '') : [];
}

function toFunction(name: string, o: Record<string, unknown>): NetdataFunction {
  const access = accessWords(o.access);
  return {
    name,
    help: str(o.help) ?? '',
    tags: str(o.tags) ?? '',
    access,
    priority: typeof o.priority === 'number' ? o.priority : 0,
    needsSignIn: access.some((w) => w !== 'anonymous-data' && w !== 'none'),
  };
}

function nodeMatches(n: Record<string, unknown>, node: string): boolean {
  return [n.mg, n.nd, n.nm, n.machine_guid, n.node_id, n.hostname].some((v) => v === node);
}

/**
 * The functions of `/api/v1/functions` (`{functions: {name: {...}}}`, one host) or `/api/v2|v3/functions`
 * (`{nodes[], functions[{name, ni[]}]}`): with `node`, only those whose `ni` includes that node's index.
 */
export function parseFunctionsList(body: unknown, node?: string): Result<NetdataFunction[]> {
  if (!isRecord(body)) {
    return { ok: false, error: 'the functions answer is not a JSON object' };
  }
  const fns = body.functions;
  let list: NetdataFunction[];
  if (isRecord(fns)) {
    list = Object.entries(fns)
      .filter((e): e is [string, Record<string, unknown>] => isRecord(e[1]))
      .map(([name, o]) => toFunction(name, o));
  } else if (Array.isArray(fns)) {
    let index: number | undefined;
    if (node !== undefined && Array.isArray(body.nodes)) {
      const nodes = body.nodes.filter(isRecord);
      const at = nodes.findIndex((n) => nodeMatches(n, node));
      if (at < 0) {
        return { ok: true, value: [] };
      }
      const ni = nodes[at].ni;
      index = typeof ni === 'number' ? ni : at;
    }
    list = fns
      .filter(isRecord)
      .filter((o) => typeof o.name === 'string')
      .filter((o) => index === undefined || !Array.isArray(o.ni) || o.ni.includes(index))
      .map((o) => toFunction(o.name as string, o));
  } else {
    return { ok: false, error: 'the functions answer has no "functions" list' };
  }
  list.sort((a, b) => a.priority - b.priority || a.name.localeCompare(b.name));
  return { ok: true, value: list };
}

/** The `function=` command line: name and arguments, space separated (§5.1). */
export function functionCommand(q: FunctionQueryModel): string {
  return q.args ? `${q.function} ${q.args}` : q.function;
}

/**
 * `GET [/host/<node>]/api/v3/function?function=…&timeout=<s>` (`/api/v1/function` below v2.0; §5.1, §6: the
 * `/host/` prefix is honoured by function endpoints only).
 */
export function functionPath(q: FunctionQueryModel, api: 2 | 3, timeoutSec: number): string {
  const host = q.node ? `/host/${encodeURIComponent(q.node)}` : '';
  const version = api === 3 ? 'v3' : 'v1';
  const timeout = Math.max(1, Math.floor(timeoutSec));
  return `${host}/api/${version}/function?function=${encodeURIComponent(functionCommand(q))}&timeout=${timeout}`;
}

/** `[/host/<node>]`-free list path: v2/v3 ignore /host/, so the node is filtered from `ni` (§6). */
export function functionsListPath(api: 2 | 3): string {
  return `/api/v${api}/functions`;
}

// ---- Errors (§5.2)

/** Netdata's `{"status": n, "errorMessage": "…"}` of a function error, if the body is one. */
export function functionErrorMessage(body: string | undefined): string | undefined {
  if (body === undefined) {
    return undefined;
  }
  try {
    const o: unknown = JSON.parse(body);
    if (isRecord(o) && typeof o.errorMessage === 'string' && o.errorMessage.trim() !== '') {
      return o.errorMessage.trim().slice(0, 400);
    }
  } catch {
    // not JSON
  }
  return undefined;
}

export const SIGN_IN_HINT =
  'It needs a signed-in Netdata user: set a bearer token of a claimed agent (minted through Netdata Cloud for a user ' +
  'of the space the agent is claimed to) in the data source settings, or open it in Netdata Cloud';

/** The per-query message of a refused or failed function call. */
export function functionFailure(name: string, status: number, netdataMessage: string | undefined): string {
  const said = netdataMessage ? ` (Netdata said: ${netdataMessage})` : '';
  switch (status) {
    case 412:
      return `Netdata refused the function ${name} to this data source's anonymous access (HTTP 412). ${SIGN_IN_HINT}${said}`;
    case 403:
      return `Netdata refused the function ${name}: the token lacks a permission it needs (HTTP 403)${said}`;
    case 404:
      return `The node does not offer the function ${name} (HTTP 404)${said}`;
    case 503:
      return `The Netdata plugin that serves ${name} is not running (HTTP 503)${said}`;
    case 504:
      return `Netdata's plugin did not answer ${name} in time (HTTP 504)${said}`;
    default:
      return `Netdata failed the function ${name} (HTTP ${status})${said}`;
  }
}

// ---- Table answers (§5.3)

export interface FunctionColumn {
  key: string;
  index: number;
  name: string;
  type: string;
  visible: boolean;
  units?: string;
  transform?: string;
  decimals?: number;
  max?: number;
  visualization?: string;
  sort?: 'ascending' | 'descending';
  filter?: string;
  dummy: boolean;
}

export interface FunctionTable {
  help: string;
  updateEvery?: number;
  columns: FunctionColumn[];
  rows: unknown[][];
  defaultSortColumn?: string;
}

function parseColumn(key: string, raw: unknown): Result<FunctionColumn> {
  if (!isRecord(raw)) {
    return { ok: false, error: `column "${key}" is not an object` };
  }
  const index = num(raw.index);
  if (index === undefined || index < 0 || !Number.isInteger(index)) {
    return { ok: false, error: `column "${key}" has no valid index` };
  }
  const vo = isRecord(raw.value_options) ? raw.value_options : {};
  const sort = raw.sort === 'ascending' || raw.sort === 'descending' ? raw.sort : undefined;
  const col: FunctionColumn = {
    key,
    index,
    name: str(raw.name) ?? key,
    type: str(raw.type) ?? 'string',
    visible: raw.visible !== false,
    dummy: raw.dummy === true,
  };
  const units = str(raw.units) ?? str(vo.units);
  if (units) {
    col.units = units;
  }
  const transform = str(vo.transform);
  if (transform) {
    col.transform = transform;
  }
  const decimals = num(vo.decimal_points);
  if (decimals !== undefined && decimals >= 0) {
    col.decimals = Math.min(20, Math.floor(decimals));
  }
  const max = num(raw.max);
  if (max !== undefined) {
    col.max = max;
  }
  const visualization = str(raw.visualization);
  if (visualization) {
    col.visualization = visualization;
  }
  if (sort) {
    col.sort = sort;
  }
  const filter = str(raw.filter);
  if (filter) {
    col.filter = filter;
  }
  return { ok: true, value: col };
}

/** A `type: "table"` function answer; anything else is a clear error naming what is wrong. */
export function parseFunctionTable(body: unknown): Result<FunctionTable> {
  if (!isRecord(body)) {
    return { ok: false, error: 'the function answer is not a JSON object' };
  }
  if (body.type !== 'table') {
    return {
      ok: false,
      error: `the function answered type ${JSON.stringify(body.type ?? null)}, not a table`,
    };
  }
  if (!isRecord(body.columns)) {
    return { ok: false, error: 'the function answer has no "columns" object' };
  }
  if (!Array.isArray(body.data)) {
    return { ok: false, error: 'the function answer has no "data" rows' };
  }
  const columns: FunctionColumn[] = [];
  for (const [key, raw] of Object.entries(body.columns)) {
    const col = parseColumn(key, raw);
    if (!col.ok) {
      return col;
    }
    columns.push(col.value);
  }
  columns.sort((a, b) => a.index - b.index);
  const rows: unknown[][] = [];
  for (const [i, row] of body.data.entries()) {
    if (!Array.isArray(row)) {
      return { ok: false, error: `row ${i} of the function answer is not an array` };
    }
    rows.push(row);
  }
  const table: FunctionTable = { help: str(body.help) ?? '', columns, rows };
  const ue = num(body.update_every);
  if (ue !== undefined) {
    table.updateEvery = ue;
  }
  const sortColumn = str(body.default_sort_column);
  if (sortColumn) {
    table.defaultSortColumn = sortColumn;
  }
  return { ok: true, value: table };
}

const NUMBER_TYPES = new Set(['integer', 'bar-with-integer', 'duration', 'number']);

function isTimeColumn(c: FunctionColumn): boolean {
  return c.type === 'timestamp' || c.transform === 'datetime' || c.transform === 'datetime_usec';
}

function isNumberColumn(c: FunctionColumn): boolean {
  return NUMBER_TYPES.has(c.type) || c.transform === 'number' || c.transform === 'duration';
}

function numberCell(v: unknown): number | null {
  if (typeof v === 'number') {
    return v;
  }
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) {
    return Number(v);
  }
  return null;
}

function stringCell(v: unknown): string | null {
  if (v === null || v === undefined) {
    return null;
  }
  if (typeof v === 'string') {
    return v;
  }
  if (typeof v === 'number' || typeof v === 'boolean') {
    return String(v);
  }
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
    return v.join(', ');
  }
  return JSON.stringify(v);
}

function columnConfig(c: FunctionColumn): FieldConfig {
  const custom: Record<string, unknown> = {};
  if (!c.visible) {
    custom.hidden = true;
  }
  if (c.filter !== undefined && c.filter !== 'none') {
    custom.filterable = true;
  }
  const config: FieldConfig = { displayNameFromDS: c.name };
  if (isTimeColumn(c)) {
    config.unit = 'dateTimeAsIso';
  } else if (c.type === 'duration' || c.transform === 'duration') {
    config.unit = 's';
  } else {
    const unit = toGrafanaUnit(c.units);
    if (unit !== undefined) {
      config.unit = unit;
    }
  }
  if (c.decimals !== undefined && !isTimeColumn(c) && isNumberColumn(c)) {
    config.decimals = c.decimals;
  }
  if (c.visualization === 'bar' || c.type === 'bar-with-integer') {
    config.min = 0;
    if (c.max !== undefined && c.max > 0) {
      config.max = c.max;
    }
    custom.cellOptions = { type: 'gauge', mode: 'basic' };
  }
  if (Object.keys(custom).length > 0) {
    config.custom = custom;
  }
  return config;
}

function compareCells(a: unknown, b: unknown): number {
  if (a === b) {
    return 0;
  }
  if (a === null || a === undefined) {
    return 1;
  }
  if (b === null || b === undefined) {
    return -1;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    return a - b;
  }
  return String(a).localeCompare(String(b));
}

/**
 * The table as a Grafana table frame: one field per column in Netdata's order (by `index`, `dummy` columns left
 * out), named by the column key and shown with Netdata's column name; numbers, durations (s) and timestamps (epoch
 * ms, unit dateTimeAsIso) as numbers, the rest as text; hidden columns hidden in the table panel (custom.hidden),
 * filterable ones filterable; rows in the default sort column's order.
 */
export function functionTableFrame(table: FunctionTable, refId: string, name: string, executed: string): Frame {
  const columns = table.columns.filter((c) => !c.dummy);
  const rows = [...table.rows];
  const sortColumn = table.columns.find((c) => c.key === table.defaultSortColumn);
  if (sortColumn !== undefined) {
    const at = sortColumn.index;
    const dir = sortColumn.sort === 'descending' ? -1 : 1;
    rows.sort((a, b) => dir * compareCells(a[at], b[at]));
  }
  const fields: Field[] = columns.map((c) => {
    const config = columnConfig(c);
    if (isTimeColumn(c)) {
      const scale = c.transform === 'datetime_usec' ? 1 / 1000 : c.transform === 'datetime' ? 1 : 1000;
      const values = rows.map((r) => {
        const v = numberCell(r[c.index]);
        return v === null ? null : v * scale;
      });
      const field: NumberField = { name: c.key, type: 'number', values, config };
      return field;
    }
    if (isNumberColumn(c)) {
      const field: NumberField = {
        name: c.key,
        type: 'number',
        values: rows.map((r) => numberCell(r[c.index])),
        config,
      };
      return field;
    }
    const field: StringField = { name: c.key, type: 'string', values: rows.map((r) => stringCell(r[c.index])), config };
    return field;
  });
  const meta: Frame['meta'] = {
    type: 'table',
    typeVersion: [0, 1],
    preferredVisualisationType: 'table',
    executedQueryString: executed,
  };
  if (table.help) {
    meta.custom = { help: table.help };
  }
  return { name, refId, meta, fields };
}
