// Field readers shared by the saved models of the insight query types (correlations, alerts, nodes): untrusted JSON
// in, clean values or a ModelError naming the field out.
import {
  hasControlChars,
  labelFilterProblem,
  patternItems,
  splitPatternText,
  stripControlChars,
  wireItem,
} from './patterns';
import type { LabelFilter } from './types';

export const MAX_MODEL_TEXT = 4096;
export const MAX_MODEL_ITEMS = 1000;

/** A saved query that cannot be used; the message names the field. */
export class ModelError extends Error {}

export type Raw = Record<string, unknown>;

export function isRaw(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkText(text: string, field: string): void {
  if (text.length > MAX_MODEL_TEXT) {
    throw new ModelError(`${field} is too long (${text.length} characters; at most ${MAX_MODEL_TEXT})`);
  }
  if (hasControlChars(text)) {
    throw new ModelError(`${field} must not contain control characters (tab, newline, ...)`);
  }
  if (text.includes('&')) {
    throw new ModelError(`${field} contains '&', which cannot be sent to Netdata (it splits URL parameters on '&')`);
  }
}

/** A list of Netdata pattern entries (`nodes`): a pattern text (split on unescaped `,`/`|`) or an array of entries. */
export function patternList(raw: Raw, name: string): string[] {
  const value = raw[name];
  if (value === undefined || value === null) {
    return [];
  }
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) {
    throw new ModelError(`query.${name} must be an array of strings`);
  }
  if (list.length > MAX_MODEL_ITEMS) {
    throw new ModelError(`query.${name} has too many items (${list.length}; at most ${MAX_MODEL_ITEMS})`);
  }
  list.forEach((item, i) => {
    if (typeof item !== 'string') {
      throw new ModelError(`query.${name}[${i}] must be a string`);
    }
    checkText(item, `query.${name}[${i}]`);
  });
  return typeof value === 'string' ? splitPatternText(value) : patternItems(list as string[]);
}

/** One Netdata pattern as text (`contexts`, `alert`): items joined with `|`; `fallback` when empty. */
export function patternText(raw: Raw, name: string, fallback: string | undefined): string | undefined {
  const value = raw[name];
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  if (typeof value !== 'string' && !Array.isArray(value)) {
    throw new ModelError(`query.${name} must be a string (a Netdata pattern such as system.*)`);
  }
  const items = patternList(raw, name);
  return items.length === 0 ? fallback : items.map(wireItem).join('|');
}

/** `[{key, value}]` exact label filters (same rules as the metrics query). */
export function labelList(raw: Raw, name: string): LabelFilter[] {
  const value = raw[name];
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new ModelError(`query.${name} must be an array of {key, value}`);
  }
  if (value.length > MAX_MODEL_ITEMS) {
    throw new ModelError(`query.${name} has too many items (${value.length}; at most ${MAX_MODEL_ITEMS})`);
  }
  const labels: LabelFilter[] = [];
  value.forEach((item, i) => {
    const field = `query.${name}[${i}]`;
    if (!isRaw(item) || typeof (item.key ?? '') !== 'string' || typeof (item.value ?? '') !== 'string') {
      throw new ModelError(`${field} must be an object {key, value} of strings`);
    }
    const key = stripControlChars(String(item.key ?? '')).trim();
    const val = stripControlChars(String(item.value ?? '')).trim();
    if (key === '' && val === '') {
      return; // an empty editor row
    }
    if (key.length > MAX_MODEL_TEXT || val.length > MAX_MODEL_TEXT) {
      throw new ModelError(`${field} is too long (at most ${MAX_MODEL_TEXT} characters per key and value)`);
    }
    const problem = labelFilterProblem(key, val);
    if (problem !== undefined) {
      throw new ModelError(`${field} ("${key}:${val}") ${problem}`);
    }
    labels.push({ key, value: val });
  });
  return labels;
}

/** A whole number in [min, max], or `fallback` when absent; numeric strings (from provisioning) are accepted. */
export function integerField(raw: Raw, name: string, fallback: number, min: number, max: number): number {
  const value = raw[name];
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new ModelError(`query.${name} must be a whole number from ${min} to ${max}`);
  }
  return n;
}

/** One word of `allowed` (case-insensitive), or `fallback` when absent. */
export function wordField<T extends string>(raw: Raw, name: string, allowed: readonly T[], fallback: T): T {
  const value = raw[name];
  if (value === undefined || value === null || value === '') {
    return fallback;
  }
  const word = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  const found = allowed.find((a) => a.toLowerCase() === word);
  if (found === undefined) {
    throw new ModelError(`query.${name} must be one of ${allowed.join(', ')}`);
  }
  return found;
}

/** Cloud space/room override of the query; undefined when absent. */
export function pathIdField(raw: Raw, name: 'spaceId' | 'roomId'): string | undefined {
  const value = raw[name];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new ModelError(`query.${name} must be a string`);
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** Runs a model reader, turning ModelErrors into a failed Result. */
export function readModel<T>(
  raw: unknown,
  read: (raw: Raw) => T
): { ok: true; value: T } | { ok: false; error: string } {
  if (!isRaw(raw)) {
    return { ok: false, error: 'query must be a JSON object' };
  }
  try {
    return { ok: true, value: read(raw) };
  } catch (e) {
    if (e instanceof ModelError) {
      return { ok: false, error: e.message };
    }
    throw e;
  }
}

/** `a, b and 3 more` for display texts. */
export function shortList(items: readonly string[], max = 3): string {
  if (items.length <= max) {
    return items.join(', ');
  }
  return `${items.slice(0, max).join(', ')} +${items.length - max}`;
}
