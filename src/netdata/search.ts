// Search over everything a context has (netdata-api-extra.md §2): `/api/v3|v2/q` on an Agent/Parent, merged with a
// substring filter of the plain context list where `q` cannot find everything itself (before v2.6 it matches whole
// strings only, and agents without `q` have only the list).
import type { ContextSummary } from './catalog';
import { stripControlChars } from './patterns';
import type { AgentRequest } from './types';
import { isJsonObject as isObj, nonEmptyString as str } from './jsonValues';

export interface SearchHit {
  id: string;
  title?: string;
  family?: string;
  units?: string;
  /** What matched, e.g. `context id`, `instance disk.sda`, `dimension reads`, `label device=sda`, `title`. */
  matched: string[];
}

export interface SearchResult {
  contexts: SearchHit[];
  /**
   * True when Netdata's own full-text search (≥ v2.6: substring over ids, titles, families, units, instances,
   * dimensions and labels) answered alone; false when (part of) the list comes from filtering context ids and
   * titles ourselves (older agents, or no `/api/v2/q`).
   */
  exact: boolean;
}

export const MAX_SEARCH_TEXT = 200;
export const MAX_SEARCH_RESULTS = 200;

/** Search words: whitespace, `,` and `|` separate them; Netdata's pattern characters are taken literally. */
export function searchWords(text: string): string[] {
  return stripControlChars(text)
    .slice(0, MAX_SEARCH_TEXT)
    .split(/[\s,|]+/)
    .map((w) => w.replace(/[*!\\&]/g, ''))
    .filter((w) => w !== '');
}

/** `*word*` items OR-ed: a substring match on every agent version (§2.1, rule 17). */
export function buildAgentSearchRequest(
  words: readonly string[],
  apiVersion: 2 | 3,
  opts: { timeoutMs?: number } = {}
): AgentRequest {
  const params = [`q=${encodeURIComponent(words.map((w) => `*${w}*`).join('|'))}`];
  if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
    params.push(`timeout=${Math.ceil(opts.timeoutMs)}`);
  }
  return { method: 'GET', path: `/api/v${apiVersion}/q?${params.join('&')}` };
}

/** `"... 12 instances more"` fills the last slot of a truncated list: not a real name (§2.2). */
function realNames(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string' && !s.startsWith('... ')) : [];
}

const MATCH_WORDS: Record<string, string> = {
  id: 'context id',
  title: 'title',
  units: 'units',
  families: 'family',
  CONTEXT: 'context id',
  TITLE: 'title',
  UNITS: 'units',
  FAMILY: 'family',
  INSTANCE: 'instance',
  DIMENSION: 'dimension',
  LABEL: 'label',
  HOST: 'node',
  ALERT: 'alert',
  ALERT_INFO: 'alert info',
};

/** Contexts of a `q` answer, ≥ v2.6 (`matched[]` and the matched names) or ≤ v2.5 (one `match` word). */
export function parseSearchAnswer(body: unknown): SearchHit[] {
  if (!isObj(body) || !isObj(body.contexts)) {
    return [];
  }
  const hits: SearchHit[] = [];
  for (const [id, raw] of Object.entries(body.contexts)) {
    if (id === '__truncated__' || !isObj(raw)) {
      continue;
    }
    const hit: SearchHit = { id, matched: [] };
    const title = str(raw.title);
    const family = str(raw.family);
    const units = str(raw.units);
    if (title !== undefined) {
      hit.title = title;
    }
    if (family !== undefined) {
      hit.family = family;
    }
    if (units !== undefined) {
      hit.units = units;
    }
    const kinds = Array.isArray(raw.matched) ? raw.matched : typeof raw.match === 'string' ? [raw.match] : [];
    for (const kind of kinds) {
      if (kind === 'instances') {
        hit.matched.push(...realNames(raw.instances).map((n) => `instance ${n}`));
      } else if (kind === 'dimensions') {
        hit.matched.push(...realNames(raw.dimensions).map((n) => `dimension ${n}`));
      } else if (kind === 'labels') {
        const labels = isObj(raw.labels) ? raw.labels : {};
        for (const [k, values] of Object.entries(labels)) {
          hit.matched.push(...realNames(values).map((v) => `label ${k}=${v}`));
        }
      } else if (typeof kind === 'string') {
        hit.matched.push(MATCH_WORDS[kind] ?? kind);
      }
    }
    if (hit.matched.length === 0) {
      hit.matched.push('context');
    }
    hits.push(hit);
  }
  return hits;
}

/** Contexts of the plain list whose id, title or family contains a word (case-insensitive). */
export function filterContextList(contexts: readonly ContextSummary[], words: readonly string[]): SearchHit[] {
  const lower = words.map((w) => w.toLowerCase());
  const hits: SearchHit[] = [];
  for (const c of contexts) {
    const matched: string[] = [];
    if (lower.some((w) => c.id.toLowerCase().includes(w))) {
      matched.push('context id');
    }
    if (c.title !== undefined && lower.some((w) => c.title!.toLowerCase().includes(w))) {
      matched.push('title');
    }
    if (c.family !== undefined && lower.some((w) => c.family!.toLowerCase().includes(w))) {
      matched.push('family');
    }
    if (matched.length > 0) {
      const hit: SearchHit = { id: c.id, matched };
      if (c.title !== undefined) {
        hit.title = c.title;
      }
      if (c.family !== undefined) {
        hit.family = c.family;
      }
      if (c.units !== undefined) {
        hit.units = c.units;
      }
      hits.push(hit);
    }
  }
  return hits;
}

/** Both lists in one, by context id (what matched merged), context ids first-match order; capped. */
export function mergeSearchHits(...lists: SearchHit[][]): SearchHit[] {
  const byId = new Map<string, SearchHit>();
  for (const list of lists) {
    for (const hit of list) {
      const seen = byId.get(hit.id);
      if (seen === undefined) {
        byId.set(hit.id, { ...hit, matched: [...hit.matched] });
        continue;
      }
      seen.title ??= hit.title;
      seen.family ??= hit.family;
      seen.units ??= hit.units;
      for (const m of hit.matched) {
        if (!seen.matched.includes(m)) {
          seen.matched.push(m);
        }
      }
    }
  }
  // Context ids matching first, then the rest, each alphabetically: the picker shows the likeliest first.
  const rank = (h: SearchHit) => (h.matched.includes('context id') ? 0 : 1);
  return [...byId.values()]
    .sort((a, b) => rank(a) - rank(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    .slice(0, MAX_SEARCH_RESULTS);
}
