// The systemd-journal logs function (netdata-api-extra.md §5.4): GET words or a POST JSON body, the last 3600 s by
// default, `last` 200 rows newest first, anchor paging, full-text `query`, facet selections (AND across fields, OR
// within one), facets with counts, a json2-like histogram (ms timestamps) and rows of
// [µs timestamp, {severity}, field values…]. The journal is generated: one entry every 7 s on parent01 and every
// 11 s on a child, from server start − 1 day, a deterministic function of the time.
import { createHash } from 'node:crypto';
import type { NodeDef } from './dataset';
import type { FunctionCall } from './functions';
import type { Reply } from './reply';
import { json } from './reply';

const FIELDS = ['PRIORITY', 'SYSLOG_IDENTIFIER', '_SYSTEMD_UNIT', '_HOSTNAME', '_PID', '_TRANSPORT', 'MESSAGE'];
/** Fields with facets (MESSAGE and _PID are not facets: too many values). */
const FACETS = ['PRIORITY', 'SYSLOG_IDENTIFIER', '_SYSTEMD_UNIT', '_HOSTNAME', '_TRANSPORT'];
const PRIORITY_NAMES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'info', 'debug'];
const PRIORITIES = [6, 6, 6, 4, 6, 5, 3, 6, 7, 6, 2];
const UNITS = ['nginx.service', 'postgresql.service', 'sshd.service', 'netdata.service'];
const DEFAULT_WINDOW_S = 3600;
const DEFAULT_LAST = 200;
const RELATIVE_LIMIT_S = 94608000;

export interface JournalEntry {
  /** µs since the epoch. */
  timestamp: number;
  fields: Record<string, string>;
}

function stepOf(node: NodeDef): number {
  return node.isParent ? 7 : 11;
}

export function journalEntry(node: NodeDef, t: number): JournalEntry {
  const k = Math.floor(t / stepOf(node));
  const priority = PRIORITIES[k % PRIORITIES.length];
  const unit = UNITS[k % UNITS.length];
  const ident = unit.replace(/\.service$/, '');
  const pid = String(1000 + (k % 4) * 17);
  const messages: Record<number, string> = {
    2: `${ident}: out of memory, killing worker ${k % 9}`,
    3: `${ident}: connection to upstream 10.0.${k % 7}.${k % 250} refused`,
    4: `${ident}: slow request took ${(k % 50) * 20} ms`,
    5: `${ident}: configuration reloaded`,
    6: `${ident}: request ${k} served in ${k % 40} ms`,
    7: `${ident}: debug trace id=${k.toString(16)}`,
  };
  return {
    timestamp: t * 1_000_000 + (k % 1000),
    fields: {
      PRIORITY: String(priority),
      SYSLOG_IDENTIFIER: ident,
      _SYSTEMD_UNIT: unit,
      _HOSTNAME: node.nm,
      _PID: pid,
      _TRANSPORT: k % 3 === 0 ? 'syslog' : 'journal',
      MESSAGE: messages[priority],
    },
  };
}

/** Entries with whole-second times in [afterS, beforeS], oldest first. */
export function journalEntries(node: NodeDef, afterS: number, beforeS: number, startS: number): JournalEntry[] {
  const step = stepOf(node);
  const out: JournalEntry[] = [];
  const from = Math.max(afterS, startS);
  for (let t = Math.ceil(from / step) * step; t <= beforeS; t += step) {
    out.push(journalEntry(node, t));
  }
  return out;
}

function severity(priority: string): string {
  const p = Number(priority);
  if (p <= 3) {
    return 'critical';
  }
  return p === 4 ? 'warning' : p === 5 ? 'notice' : p === 7 ? 'debug' : 'normal';
}

/** The 11-character ids GET requests use for fields (§5.4). */
export function hashedId(field: string): string {
  return createHash('sha256').update(field).digest('base64url').slice(0, 11);
}

interface JournalRequest {
  after: number;
  before: number;
  last: number;
  anchor?: number;
  direction: 'backward' | 'forward';
  query?: string;
  facets?: string[];
  histogram?: string;
  data_only: boolean;
  tail: boolean;
  if_modified_since?: number;
  selections: Record<string, string[]>;
  usesIds: boolean;
}

function num(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) {
    return v;
  }
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) {
    return Number(v);
  }
  return undefined;
}

function parsePost(body: string): JournalRequest {
  let o: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      o = parsed as Record<string, unknown>;
    }
  } catch {
    // an unreadable payload is an empty one
  }
  const selections: Record<string, string[]> = {};
  if (typeof o.selections === 'object' && o.selections !== null) {
    for (const [k, v] of Object.entries(o.selections as Record<string, unknown>)) {
      if (Array.isArray(v)) {
        selections[k] = v.map(String);
      }
    }
  }
  return {
    after: num(o.after) ?? 0,
    before: num(o.before) ?? 0,
    last: num(o.last) ?? DEFAULT_LAST,
    anchor: num(o.anchor),
    direction: o.direction === 'forward' ? 'forward' : 'backward',
    query: typeof o.query === 'string' && o.query !== '' ? o.query : undefined,
    facets: Array.isArray(o.facets) ? o.facets.map(String) : undefined,
    histogram: typeof o.histogram === 'string' && o.histogram !== '' ? o.histogram : undefined,
    data_only: o.data_only === true,
    tail: o.tail === true,
    if_modified_since: num(o.if_modified_since),
    selections,
    usesIds: false,
  };
}

function parseGet(words: string[]): JournalRequest {
  const req: JournalRequest = {
    after: 0,
    before: 0,
    last: DEFAULT_LAST,
    direction: 'backward',
    data_only: false,
    tail: false,
    selections: {},
    usesIds: true,
  };
  for (const w of words) {
    const colon = w.indexOf(':');
    if (colon < 0) {
      continue;
    }
    const key = w.slice(0, colon);
    const value = w.slice(colon + 1);
    switch (key) {
      case 'after':
      case 'before':
      case 'last':
        req[key] = num(value) ?? req[key];
        break;
      case 'anchor':
      case 'if_modified_since':
        req[key] = num(value);
        break;
      case 'direction':
        req.direction = value === 'forward' ? 'forward' : 'backward';
        break;
      case 'query':
        req.query = value;
        break;
      case 'facets':
        req.facets = value.split(',');
        break;
      case 'histogram':
        req.histogram = value;
        break;
      case 'data_only':
        req.data_only = value === 'true';
        break;
      case 'tail':
        req.tail = value === 'true';
        break;
      default:
        req.selections[key] = value.split(',');
    }
  }
  return req;
}

/** `after`/`before`: 0/0 → the last hour; relative values count back from now; equal ends → 1 h before `before`. */
function window(req: JournalRequest, nowS: number): { after: number; before: number } {
  let before = req.before;
  let after = req.after;
  if (before === 0 && after === 0) {
    return { after: nowS - DEFAULT_WINDOW_S, before: nowS };
  }
  if (Math.abs(before) <= RELATIVE_LIMIT_S) {
    before = nowS + before;
  }
  if (Math.abs(after) <= RELATIVE_LIMIT_S) {
    after = after <= 0 ? before + after : nowS + after;
  }
  if (after >= before) {
    after = before - DEFAULT_WINDOW_S;
  }
  return { after, before };
}

function optionName(field: string, value: string): string {
  return field === 'PRIORITY' ? (PRIORITY_NAMES[Number(value)] ?? value) : value;
}

export function journalReply(call: FunctionCall): Reply {
  const words = call.command.trim().split(/\s+/).slice(1);
  const req = call.body !== undefined && call.body.trim() !== '' ? parsePost(call.body) : parseGet(words);
  const nowS = call.wallSec - 1;
  const { after, before } = window(req, nowS);
  const startS = call.startS ?? nowS - 86400;
  const idOf = (field: string) => (req.usesIds ? hashedId(field) : field);
  const fieldOf = (id: string) => FIELDS.find((f) => idOf(f) === id);
  const all = journalEntries(call.host, after, before, startS);
  const lastModified = all.length > 0 ? all[all.length - 1].timestamp : 0;
  if (req.tail && req.if_modified_since !== undefined && req.if_modified_since >= lastModified) {
    return json(304, { status: 304, errorMessage: 'No new data since the previous call.' });
  }
  const needle = req.query?.toLowerCase();
  const selected = Object.entries(req.selections)
    .filter(([k]) => k !== '__logs_sources')
    .map(([id, values]) => [fieldOf(id), values] as const);
  const matchesSelections = (e: JournalEntry, skip?: string) =>
    selected.every(([field, values]) => field === skip || (field !== undefined && values.includes(e.fields[field])));
  const matchesQuery = (e: JournalEntry) =>
    needle === undefined || Object.values(e.fields).some((v) => v.toLowerCase().includes(needle));
  const matched = all.filter((e) => matchesQuery(e) && matchesSelections(e));

  // Paging: newest first; an anchor inside the window continues before (backward) or after (forward) it.
  const anchorInside =
    req.anchor !== undefined && req.anchor >= after * 1_000_000 && req.anchor <= (before + 1) * 1_000_000;
  let page = [...matched].reverse();
  if (anchorInside) {
    const anchor = req.anchor as number;
    page =
      req.direction === 'backward'
        ? page.filter((e) => e.timestamp < anchor)
        : page.filter((e) => e.timestamp > anchor);
  }
  const rows =
    req.direction === 'forward' && anchorInside
      ? page.slice(Math.max(0, page.length - req.last))
      : page.slice(0, req.last);

  const facetFields = (req.facets ?? FACETS.map(idOf))
    .map(fieldOf)
    .filter((f): f is string => f !== undefined && FACETS.includes(f));
  const facets = facetFields.map((field, order) => {
    // Counts of a facet ignore its own selection (so its other values stay pickable), as Netdata's facets do.
    const counts = new Map<string, number>();
    for (const e of all) {
      if (matchesQuery(e) && matchesSelections(e, field)) {
        counts.set(e.fields[field], (counts.get(e.fields[field]) ?? 0) + 1);
      }
    }
    const options = [...counts.entries()]
      .sort((a, b) => a[0].localeCompare(b[0]))
      .map(([value, count], i) => ({ id: value, name: optionName(field, value), count, order: i + 1 }));
    return { id: idOf(field), name: field, order: order + 1, options };
  });

  const columns: Record<string, unknown> = {
    timestamp: {
      index: 0,
      unique_key: true,
      name: 'Timestamp',
      visible: true,
      type: 'timestamp',
      visualization: 'value',
      value_options: { transform: 'datetime_usec', decimal_points: 0, default_value: null },
      sort: 'descending',
      sortable: true,
      sticky: false,
      summary: 'count',
      filter: 'range',
      full_width: false,
      wrap: false,
      default_expanded_filter: false,
    },
    rowOptions: {
      index: 1,
      unique_key: false,
      name: 'rowOptions',
      visible: false,
      type: 'none',
      visualization: 'rowOptions',
      value_options: { transform: 'none', decimal_points: 0, default_value: null },
      sort: 'ascending',
      sortable: false,
      sticky: false,
      summary: 'count',
      filter: 'none',
      full_width: false,
      wrap: false,
      default_expanded_filter: false,
      dummy: true,
    },
  };
  FIELDS.forEach((field, i) => {
    columns[idOf(field)] = {
      index: i + 2,
      unique_key: false,
      name: field,
      visible: ['PRIORITY', 'SYSLOG_IDENTIFIER', 'MESSAGE'].includes(field),
      type: 'string',
      visualization: 'value',
      value_options: { transform: field === 'MESSAGE' ? 'xml' : 'none', decimal_points: 0, default_value: null },
      sort: 'ascending',
      sortable: false,
      sticky: false,
      summary: 'count',
      filter: FACETS.includes(field) ? 'facet' : 'none',
      full_width: field === 'MESSAGE',
      wrap: field === 'MESSAGE',
      default_expanded_filter: field === 'PRIORITY',
    };
  });
  const data = rows.map((e) => [
    e.timestamp,
    { severity: severity(e.fields.PRIORITY) },
    ...FIELDS.map((f) => (e.fields[f] === undefined ? null : optionName(f, e.fields[f]))),
  ]);

  const histogramField = fieldOf(req.histogram ?? idOf('PRIORITY')) ?? 'PRIORITY';
  const bucketS = Math.max(1, Math.ceil((before - after) / 60));
  const values = [
    ...new Set(all.filter((e) => matchesQuery(e) && matchesSelections(e)).map((e) => e.fields[histogramField])),
  ].sort();
  const buckets: Array<[number, ...Array<[number, number, number]>]> = [];
  for (let b = after; b < before; b += bucketS) {
    const inBucket = matched.filter((e) => e.timestamp >= b * 1_000_000 && e.timestamp < (b + bucketS) * 1_000_000);
    buckets.push([
      (b + bucketS) * 1000,
      ...values.map((v): [number, number, number] => [
        inBucket.filter((e) => e.fields[histogramField] === v).length,
        0,
        0,
      ]),
    ]);
  }
  const doc: Record<string, unknown> = {
    _request: { ...req, after, before },
    status: 200,
    partial: false,
    type: 'table',
    message: {},
    update_every: 1,
    help: 'View, search and analyze systemd journal entries.',
    last_modified: lastModified,
    show_ids: false,
    has_history: true,
    pagination: { enabled: true, key: 'anchor', column: 'timestamp', units: 'timestamp_usec' },
    accepted_params: [
      'info',
      '__logs_sources',
      'after',
      'before',
      'anchor',
      'direction',
      'last',
      'query',
      'facets',
      'histogram',
      'if_modified_since',
      'data_only',
      'delta',
      'tail',
      'sampling',
      'slice',
    ],
  };
  if (!req.data_only) {
    doc.facets = facets;
  }
  doc.columns = columns;
  doc.data = data;
  doc.default_sort_column = 'timestamp';
  if (!req.data_only) {
    doc.default_charts = [];
    doc.available_histograms = FACETS.map((f, i) => ({ id: idOf(f), name: f, order: i + 1 }));
    doc.histogram = {
      id: idOf(histogramField),
      name: histogramField,
      chart: {
        summary: { nodes: [{ mg: call.host.mg, nm: call.host.nm, ni: 0 }] },
        totals: {},
        result: {
          labels: ['time', ...values.map((v) => optionName(histogramField, v))],
          point: { value: 0, arp: 1, pa: 2 },
          data: buckets,
        },
        db: { update_every: bucketS },
        view: {
          title: `Events Distribution by ${histogramField}`,
          update_every: bucketS,
          after,
          before,
          units: 'events',
        },
        agents: [],
      },
    };
  }
  doc.items = {
    evaluated: all.length,
    matched: matched.length,
    unsampled: 0,
    estimated: 0,
    returned: rows.length,
    max_to_return: req.last,
    before: anchorInside && req.direction === 'forward' ? Math.max(0, page.length - rows.length) : 0,
    after: anchorInside && req.direction === 'forward' ? 0 : Math.max(0, page.length - rows.length),
  };
  doc._stats = {};
  doc.expires = call.wallSec + 1;
  doc._fstat_caching = {};
  doc._sampling = { sampled: 0, unsampled: 0, estimated: 0 };
  return json(200, doc);
}
