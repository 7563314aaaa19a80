// The variable query model: its kinds, the text form (`label_values(disk.io, device)`) and option filters.
import type { Result } from '../netdata/types';
import type { NetdataVariableKind, NetdataVariableQuery } from '../types';

/** A context pattern or an "All" of a context variable reads each context's details: this many at most. */
export const MAX_VARIABLE_CONTEXTS = 20;

export interface VariableKindInfo {
  kind: NetdataVariableKind;
  label: string;
  description: string;
  /** Its name in the text form, e.g. `label_values`. */
  fn: string;
  usesContext: boolean;
  usesNodes: boolean;
  usesLabelKey: boolean;
}

export const VARIABLE_KINDS: readonly VariableKindInfo[] = [
  {
    kind: 'nodes',
    label: 'Nodes',
    description: 'Hostnames; each value is the node id the query Nodes field takes',
    fn: 'nodes',
    usesContext: false,
    usesNodes: false,
    usesLabelKey: false,
  },
  {
    kind: 'contexts',
    label: 'Contexts',
    description: 'Context (chart type) ids, e.g. system.cpu',
    fn: 'contexts',
    usesContext: false,
    usesNodes: true,
    usesLabelKey: false,
  },
  {
    kind: 'dimensions',
    label: 'Dimensions',
    description: 'Dimensions of a context',
    fn: 'dimensions',
    usesContext: true,
    usesNodes: true,
    usesLabelKey: false,
  },
  {
    kind: 'instances',
    label: 'Instances',
    description: 'Instances of a context, e.g. disk.sda',
    fn: 'instances',
    usesContext: true,
    usesNodes: true,
    usesLabelKey: false,
  },
  {
    kind: 'labelKeys',
    label: 'Label keys',
    description: 'Label keys of a context',
    fn: 'label_keys',
    usesContext: true,
    usesNodes: true,
    usesLabelKey: false,
  },
  {
    kind: 'labelValues',
    label: 'Label values',
    description: 'Values of one label of a context',
    fn: 'label_values',
    usesContext: true,
    usesNodes: true,
    usesLabelKey: true,
  },
];

export function variableKindInfo(kind: NetdataVariableKind): VariableKindInfo {
  return VARIABLE_KINDS.find((k) => k.kind === kind) ?? VARIABLE_KINDS[0];
}

export const VARIABLE_REF_ID = 'NetdataVariableQuery';

export const DEFAULT_VARIABLE_QUERY: NetdataVariableQuery = { refId: VARIABLE_REF_ID, kind: 'nodes', query: 'nodes()' };

// ---- filter: a Netdata simple pattern or a /regex/ on the option's text

export function isRegexFilter(filter: string): boolean {
  return /^\s*\/.*\/[a-z]*\s*$/s.test(filter);
}

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** A pattern item of a context or filter: `*` wildcards or a leading `!`. */
export function isPatternItem(item: string): boolean {
  return item.includes('*') || item.startsWith('!');
}

/**
 * Netdata's simple pattern semantics (netdata-api.md §2.2): items left to right, the first that matches decides,
 * a `!` item excludes, `*` matches anything, case-sensitive; nothing matching means not selected.
 */
export function simplePatternMatches(items: readonly string[], text: string): boolean {
  for (const item of items) {
    const negative = item.startsWith('!');
    const glob = negative ? item.slice(1) : item;
    if (globToRegExp(glob).test(text)) {
      return !negative;
    }
  }
  return false;
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.split('*').map(escapeRegex).join('.*')}$`, 's');
}

/**
 * The test an option's text must pass: everything for no filter, a JavaScript regex for `/…/flags`, else a
 * Netdata pattern (`web*`, `!idle,*`, `sda|sdb`). Throws a readable Error for an invalid regex.
 */
export function textFilter(filter: string | undefined): (text: string) => boolean {
  const f = filter?.trim() ?? '';
  if (f === '') {
    return () => true;
  }
  const regex = /^\/(.*)\/([a-z]*)$/s.exec(f);
  if (regex) {
    let re: RegExp;
    try {
      // g and y would make test() remember its last position between options.
      re = new RegExp(regex[1], regex[2].replace(/[gy]/g, ''));
    } catch (err) {
      throw new Error(`The filter ${f} is not a valid regular expression: ${(err as Error).message}`);
    }
    return (text) => re.test(text);
  }
  const items = f
    .split(/[|,]/)
    .map((i) => i.trim())
    .filter((i) => i !== '');
  return (text) => simplePatternMatches(items, text);
}

// ---- saved forms: object or text

const KIND_BY_NAME: Record<string, NetdataVariableKind> = {
  nodes: 'nodes',
  contexts: 'contexts',
  dimensions: 'dimensions',
  instances: 'instances',
  labelkeys: 'labelKeys',
  labelnames: 'labelKeys',
  labelvalues: 'labelValues',
};

const KINDS = new Set<string>(VARIABLE_KINDS.map((k) => k.kind));

type ArgName = 'context' | 'labelKey' | 'filter' | 'nodes' | 'spaceId' | 'roomId';

const ARG_BY_NAME: Record<string, ArgName> = {
  context: 'context',
  key: 'labelKey',
  label: 'labelKey',
  labelkey: 'labelKey',
  filter: 'filter',
  nodes: 'nodes',
  node: 'nodes',
  space: 'spaceId',
  spaceid: 'spaceId',
  room: 'roomId',
  roomid: 'roomId',
};

/** Positional arguments of each kind in the text form, in order (the filter is also accepted last). */
function positionalArgs(kind: NetdataVariableKind): ArgName[] {
  const written = writtenPositionalArgs(kind);
  return written.includes('filter') ? written : [...written, 'filter'];
}

/** Positional arguments as the text form is written: the filter is named after a context (clearer). */
function writtenPositionalArgs(kind: NetdataVariableKind): ArgName[] {
  switch (kind) {
    case 'nodes':
    case 'contexts':
      return ['filter'];
    case 'labelValues':
      return ['context', 'labelKey'];
    default:
      return ['context'];
  }
}

const USAGE =
  'use nodes(), contexts(), dimensions(<context>), instances(<context>), label_keys(<context>) or ' +
  'label_values(<context>, <label key>); options: nodes=a|b, filter=<pattern or /regex/>, space=<id>, room=<id>';

/**
 * Reads a saved variable query: the object form, the text form (`label_values(disk.io, device)`, from jsonnet or
 * provisioning, also as an object's `query` when it has no `kind`), or nothing (a new variable: nodes). The result
 * holds only the fields its kind uses, plus `query`, the text form.
 */
export function toVariableQuery(saved: unknown): Result<NetdataVariableQuery> {
  if (saved === undefined || saved === null || (typeof saved === 'string' && saved.trim() === '')) {
    return { ok: true, value: { ...DEFAULT_VARIABLE_QUERY } };
  }
  if (typeof saved === 'string') {
    return parseVariableQueryText(saved);
  }
  if (typeof saved !== 'object' || Array.isArray(saved)) {
    return { ok: false, error: 'The variable query is neither a text nor an object' };
  }
  const raw = saved as Record<string, unknown>;
  const refId = typeof raw.refId === 'string' && raw.refId ? raw.refId : VARIABLE_REF_ID;
  if (raw.kind === undefined || raw.kind === '') {
    const parsed = typeof raw.query === 'string' ? parseVariableQueryText(raw.query) : toVariableQuery(undefined);
    return parsed.ok ? { ok: true, value: { ...parsed.value, refId } } : parsed;
  }
  if (typeof raw.kind !== 'string' || !KINDS.has(raw.kind)) {
    return { ok: false, error: `Unknown variable kind "${String(raw.kind)}"; ${USAGE}` };
  }
  const str = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
  const list = (v: unknown) =>
    (Array.isArray(v) ? v : typeof v === 'string' ? [v] : [])
      .filter((x): x is string => typeof x === 'string')
      .map((x) => x.trim())
      .filter((x) => x !== '');
  return {
    ok: true,
    value: cleanVariableQuery({
      refId,
      kind: raw.kind as NetdataVariableKind,
      context: str(raw.context),
      nodes: list(raw.nodes),
      labelKey: str(raw.labelKey),
      filter: str(raw.filter),
      spaceId: str(raw.spaceId),
      roomId: str(raw.roomId),
    }),
  };
}

/** Only the fields the kind uses (a kind switch leaves no hidden settings behind), with `query` recomputed. */
export function cleanVariableQuery(q: NetdataVariableQuery): NetdataVariableQuery {
  const info = variableKindInfo(q.kind);
  const out: NetdataVariableQuery = { refId: q.refId || VARIABLE_REF_ID, kind: info.kind };
  const set = <K extends keyof NetdataVariableQuery>(key: K, value: NetdataVariableQuery[K] | undefined) => {
    if (value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0)) {
      out[key] = value;
    }
  };
  if (info.usesContext) {
    set('context', q.context);
  }
  if (info.usesNodes) {
    set('nodes', q.nodes);
  }
  if (info.usesLabelKey) {
    set('labelKey', q.labelKey);
  }
  set('filter', q.filter);
  set('spaceId', q.spaceId);
  set('roomId', q.roomId);
  out.query = variableQueryText(out);
  return out;
}

/** The text form of a variable query: `label_values(disk.io, device, nodes=$node)`. */
export function variableQueryText(q: NetdataVariableQuery): string {
  const info = variableKindInfo(q.kind);
  const value = (name: ArgName): string | undefined => {
    const v = name === 'nodes' ? q.nodes?.join('|') : q[name];
    return v === undefined || v === '' ? undefined : v;
  };
  const args: string[] = [];
  const used = new Set<ArgName>();
  // Positional while each is present; after a gap the rest are named.
  for (const name of writtenPositionalArgs(info.kind)) {
    const v = value(name);
    if (v === undefined) {
      break;
    }
    args.push(quoteArg(v));
    used.add(name);
  }
  const named: Array<[ArgName, string]> = [
    ['context', 'context'],
    ['labelKey', 'key'],
    ['nodes', 'nodes'],
    ['filter', 'filter'],
    ['spaceId', 'space'],
    ['roomId', 'room'],
  ];
  for (const [name, word] of named) {
    const usedByKind =
      (name !== 'context' || info.usesContext) &&
      (name !== 'labelKey' || info.usesLabelKey) &&
      (name !== 'nodes' || info.usesNodes);
    const v = value(name);
    if (usedByKind && v !== undefined && !used.has(name)) {
      args.push(`${word}=${quoteArg(v)}`);
    }
  }
  return `${info.fn}(${args.join(', ')})`;
}

function quoteArg(value: string): string {
  return /[,()"'=\\]|^\s|\s$/.test(value) ? `"${value.replace(/[\\"]/g, '\\$&')}"` : value;
}

/** Parses the text form; errors name the problem and show the forms that work. */
export function parseVariableQueryText(text: string): Result<NetdataVariableQuery> {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { ok: true, value: { ...DEFAULT_VARIABLE_QUERY } };
  }
  const call = /^([A-Za-z_]+)\s*\(([\s\S]*)\)$/.exec(trimmed);
  const kind = call ? KIND_BY_NAME[call[1].replace(/_/g, '').toLowerCase()] : undefined;
  if (!call || !kind) {
    return { ok: false, error: `Unknown variable query "${trimmed.slice(0, 100)}": ${USAGE}` };
  }
  const tokens = splitArgs(call[2]);
  if (!tokens.ok) {
    return { ok: false, error: `${tokens.error} in "${trimmed.slice(0, 100)}"` };
  }
  const fields: Partial<Record<ArgName, string>> = {};
  const positional = positionalArgs(kind);
  let position = 0;
  for (const token of tokens.value) {
    const named = /^([A-Za-z_]+)\s*=([\s\S]*)$/.exec(token);
    if (named) {
      const name = ARG_BY_NAME[named[1].replace(/_/g, '').toLowerCase()];
      if (!name) {
        return { ok: false, error: `Unknown option "${named[1]}" in "${trimmed.slice(0, 100)}": ${USAGE}` };
      }
      fields[name] = unquote(named[2]);
      continue;
    }
    if (position >= positional.length) {
      return { ok: false, error: `Too many arguments in "${trimmed.slice(0, 100)}": ${USAGE}` };
    }
    fields[positional[position++]] = unquote(token);
  }
  const nodes = (fields.nodes ?? '')
    .split(/[|,]/)
    .map((n) => n.trim())
    .filter((n) => n !== '');
  return {
    ok: true,
    value: cleanVariableQuery({
      refId: VARIABLE_REF_ID,
      kind,
      context: fields.context?.trim(),
      nodes,
      labelKey: fields.labelKey?.trim(),
      filter: fields.filter?.trim(),
      spaceId: fields.spaceId?.trim(),
      roomId: fields.roomId?.trim(),
    }),
  };
}

/** Splits on commas outside quotes and brackets (a regex such as `/^(a|b)$/` keeps its parentheses). */
function splitArgs(inner: string): Result<string[]> {
  const tokens: string[] = [];
  let current = '';
  let quote: string | undefined;
  let depth = 0;
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i];
    if (quote) {
      current += ch;
      if (ch === '\\' && i + 1 < inner.length) {
        current += inner[++i];
      } else if (ch === quote) {
        quote = undefined;
      }
      continue;
    }
    if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '(' || ch === '[' || ch === '{') {
      depth++;
    } else if ((ch === ')' || ch === ']' || ch === '}') && depth > 0) {
      depth--;
    } else if (ch === ',' && depth === 0) {
      tokens.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (quote) {
    return { ok: false, error: `Unterminated ${quote} quote` };
  }
  if (current.trim() !== '' || tokens.length > 0) {
    tokens.push(current.trim());
  }
  return { ok: true, value: tokens };
}

function unquote(token: string): string {
  const t = token.trim();
  const q = t[0];
  if ((q === '"' || q === "'") && t.length >= 2 && t.endsWith(q)) {
    return t.slice(1, -1).replace(/\\(.)/gs, '$1');
  }
  return t;
}
