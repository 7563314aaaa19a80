// Netdata simple patterns (netdata-api.md §2.2) and label filters (§2.7), as sent by the request builders.
import type { LabelFilter } from './types';

// C0 controls and DEL: an encoded tab/newline makes the agent drop the rest of the URL silently (§2.1).
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;
/** Netdata splits pattern lists on these (tab/CR/LF/FF/VT are stripped before splitting). */
const PATTERN_SEPARATORS = /[,|]/;

export function stripControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}

export function hasControlChars(text: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(text);
}

/**
 * Splits user-given pattern entries into Netdata pattern items: control characters stripped, each entry split on
 * `,`/`|` (Netdata would split there anyway), spaces around items trimmed (Netdata keeps them literally), empty
 * items dropped. `!` negation and `*` wildcards are kept.
 */
export function patternItems(values: readonly string[]): string[] {
  const items: string[] = [];
  for (const value of values) {
    for (const part of stripControlChars(value).split(PATTERN_SEPARATORS)) {
      const item = part.trim();
      if (item !== '') {
        items.push(item);
      }
    }
  }
  return items;
}

/**
 * Items ready for Netdata: a list made only of negative items selects nothing in Netdata (§2.2), which is never what
 * `!idle` means, so `*` is appended to it. Returns [] when there is no filter (empty list, or a `*` item that matches
 * everything before any exclusion).
 */
export function selectorItems(values: readonly string[]): string[] {
  const items = patternItems(values);
  if (items.length === 0 || items[0] === '*') {
    return [];
  }
  assertNoAmpersand(items);
  if (items.every((item) => item.startsWith('!'))) {
    items.push('*');
  }
  return items;
}

/** The pattern value of a selector parameter, or undefined to omit the parameter (no filter). */
export function simplePattern(values: readonly string[]): string | undefined {
  const items = selectorItems(values);
  return items.length === 0 ? undefined : items.join('|');
}

/** `key:value` items of the label filters (exact matches only, §2.7); throws on values Netdata cannot match. */
export function labelItems(labels: readonly LabelFilter[]): string[] {
  const items: string[] = [];
  for (const label of labels) {
    const key = stripControlChars(label.key).trim();
    const value = stripControlChars(label.value).trim();
    const problem = labelFilterProblem(key, value);
    if (problem !== undefined) {
      throw new Error(`Label filter "${key}:${value}" ${problem}`);
    }
    items.push(`${key}:${value}`);
  }
  return items;
}

/** The `labels` parameter value (`key:value|key:value`), or undefined when there are no label filters. */
export function labelsPattern(labels: readonly LabelFilter[]): string | undefined {
  const items = labelItems(labels);
  return items.length === 0 ? undefined : items.join('|');
}

/**
 * Why Netdata cannot apply this label filter as the user means it, or undefined when it is a plain exact match.
 * Netdata reduces each label item to its literal `key:value` text: `*` never matches, a leading `!` is dropped
 * (selecting the opposite), `,`/`|` split the item and a `:` in the key moves the key/value boundary.
 */
export function labelFilterProblem(key: string, value: string): string | undefined {
  if (key === '') {
    return 'has an empty key';
  }
  if (value === '') {
    return 'has an empty value';
  }
  if (key.includes('&') || value.includes('&')) {
    return "contains '&', which cannot be sent to Netdata (it always splits URL parameters on '&')";
  }
  const keyBad = /[*!|,:]/.exec(key);
  if (keyBad) {
    return (
      `has '${keyBad[0]}' in its key; Netdata label filters are exact key:value matches ` +
      '(no wildcards or negation, and the key ends at the first colon)'
    );
  }
  const valueBad = /[*!|,]/.exec(value);
  if (valueBad) {
    return (
      `has '${valueBad[0]}' in its value; Netdata label filters are exact key:value matches: ` +
      "'*' never matches, a leading '!' is ignored (selecting the opposite), and ',' or '|' split the filter. " +
      'Add one filter per exact value instead (filters with the same key are OR-ed, different keys AND-ed)'
    );
  }
  return undefined;
}

/** Netdata cannot receive `&` in a value: the agent decodes the query string before splitting it (§2.1). */
export function assertNoAmpersand(items: readonly string[]): void {
  const bad = items.find((item) => item.includes('&'));
  if (bad !== undefined) {
    throw new Error(
      `Pattern "${bad}" contains '&', which cannot be sent to Netdata (it always splits URL parameters on '&')`
    );
  }
}
