// Netdata simple patterns (netdata-api.md §2.2) and label filters (§2.7), as sent by the request builders.
import type { LabelFilter } from './types';

// C0 controls and DEL: an encoded tab/newline makes the agent drop the rest of the URL silently (§2.1).
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/g;
export function stripControlChars(text: string): string {
  return text.replace(CONTROL_CHARS, '');
}

export function hasControlChars(text: string): boolean {
  return /[\u0000-\u001f\u007f]/.test(text);
}

/**
 * Cleans user-given pattern entries: control characters stripped, spaces around each entry trimmed (Netdata keeps
 * them literally), empty entries dropped. An entry is ONE Netdata pattern item, never split: a name such as `eth0|1`
 * stays one item (netdata-api-extra.md §8.3). In an entry `*` is a wildcard and a leading `!` excludes; every other
 * character is literal (a name starting with `!` is written `\!name`). `wireItem` escapes the rest for Netdata.
 */
export function patternItems(values: readonly string[]): string[] {
  const items: string[] = [];
  for (const value of values) {
    const item = stripControlChars(value).trim();
    if (item !== '') {
      items.push(item);
    }
  }
  return items;
}

/**
 * Splits one pattern TEXT as Netdata reads it (`system.cpu|disk.*`, `\,` a literal comma; §2.2, §8.3) into entries
 * of the syntax above: items split on unescaped `,`/`|`, escapes resolved, a leading `\!` kept as the literal-`!`
 * mark. For fields that hold a pattern as text (contexts, alert names, Netdata's own plugin's saved strings).
 */
export function splitPatternText(text: string): string[] {
  const items: string[] = [];
  let item = '';
  let escaped = false;
  let literalBang = false;
  const end = () => {
    const trimmed = item.trim();
    if (trimmed !== '') {
      items.push(literalBang && trimmed.startsWith('!') ? `\\${trimmed}` : trimmed);
    }
    item = '';
    literalBang = false;
  };
  for (const c of stripControlChars(text)) {
    if (escaped) {
      if (c === '!' && item.trim() === '') {
        literalBang = true;
      }
      item += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === ',' || c === '|') {
      end();
    } else {
      item += c;
    }
  }
  end();
  return items;
}

/** An entry as parts: exclusion, and the glob (`*` = any run of characters, everything else literal). */
export function entryParts(entry: string): { negative: boolean; glob: string } {
  if (entry.startsWith('!')) {
    return { negative: true, glob: entry.slice(1) };
  }
  return { negative: false, glob: entry.startsWith('\\!') ? entry.slice(1) : entry };
}

/** The entry for an exact name (a name that starts with `!` would otherwise read as an exclusion). */
export function nameEntry(name: string): string {
  return name.startsWith('!') ? `\\${name}` : name;
}

/**
 * One entry in Netdata's pattern syntax: `\`, `,` and `|` escaped with `\`, a literal leading `!` as `\!`
 * (netdata-api-extra.md §8.3, the same in 1.37.1 and 2.9.0). `*` stays a wildcard: Netdata cannot escape it.
 */
export function wireItem(entry: string): string {
  const { negative, glob } = entryParts(entry);
  return (negative ? '!' : '') + escapeName(glob);
}

/** A text Netdata reads back literally (but for `*`): `\`, `,`, `|` and a leading `!` escaped with `\` (§8.3). */
export function escapeName(text: string): string {
  const body = text.replace(/[\\,|]/g, '\\$&');
  return body.startsWith('!') ? `\\${body}` : body;
}

/** A regular expression matching what one entry's glob matches in Netdata (case-sensitive unless told). */
export function globRegExp(glob: string, caseSensitive = true): RegExp {
  const source = glob
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, caseSensitive ? 's' : 'si');
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
  return items.map(wireItem);
}

/** The pattern value of a selector parameter, or undefined to omit the parameter (no filter). */
export function simplePattern(values: readonly string[]): string | undefined {
  const items = selectorItems(values);
  return items.length === 0 ? undefined : items.join('|');
}

/** A pattern text (`system.cpu|disk.*`) as the parameter value, or undefined for none. */
export function textPattern(text: string | undefined): string | undefined {
  return text === undefined ? undefined : simplePattern(splitPatternText(text));
}

/**
 * How an agent reads `labels` (netdata-api-extra.md §8.4, §4.7): from v1.45 items are grouped per key (same key
 * OR-ed, keys AND-ed) and each item is parsed a second time as a pattern of its own (pattern-array.c
 * `pattern_array_add_simple_pattern`), so its `\`, `,` and `|` are escaped twice; before v1.45 the whole list is
 * one pattern OR-ed over every label of an instance, escaped once. Netdata Cloud passes items on to agents of
 * either kind (`cloud`): there a `\`, `,` or `|` cannot be sent so that every agent reads it literally.
 */
export type LabelMatching = 'per-key' | 'any-label' | 'cloud';

/** `key:value` items of the label filters (exact matches only, §2.7); throws on values Netdata cannot match. */
export function labelItems(labels: readonly LabelFilter[], matching: LabelMatching = 'per-key'): string[] {
  const items: string[] = [];
  const keys = new Set<string>();
  for (const label of labels) {
    const key = stripControlChars(label.key).trim();
    const value = stripControlChars(label.value).trim();
    const problem = labelFilterProblem(key, value);
    if (problem !== undefined) {
      throw new Error(`Label filter "${key}:${value}" ${problem}`);
    }
    keys.add(key);
    const item = `${key}:${value}`;
    if (matching === 'cloud') {
      const special = /[\\,|]/.exec(item);
      if (special) {
        throw new Error(
          `Label filter "${item}" contains '${special[0]}', which Netdata agents before and after v1.45 read ` +
            'differently in a label filter, so Netdata Cloud cannot match it exactly; query the agent directly'
        );
      }
      items.push(item);
      continue;
    }
    const once = escapeName(item);
    items.push(matching === 'per-key' ? escapeName(once) : once);
  }
  if (matching === 'any-label' && keys.size > 1) {
    throw new Error(
      `Label filters with different keys (${[...keys].join(', ')}) must all hold, but Netdata before v1.45 ` +
        'selects an instance when any one of them matches; filter on one label key, or upgrade Netdata to v1.45+'
    );
  }
  return items;
}

/** The `labels` parameter value (`key:value|key:value`), or undefined when there are no label filters. */
export function labelsPattern(labels: readonly LabelFilter[], matching: LabelMatching = 'per-key'): string | undefined {
  const items = labelItems(labels, matching);
  return items.length === 0 ? undefined : items.join('|');
}

/**
 * Why Netdata cannot apply this label filter as the user means it, or undefined when it is a plain exact match.
 * Netdata reduces each label item to its literal `key:value` text (§2.7): `*` never matches as a wildcard, a `!`
 * leading the item is dropped (selecting the opposite) and a `:` in the key moves the key/value boundary. `,`, `|`
 * and `\` are sent escaped, so they match literally (netdata-api-extra.md §8.3).
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
  const keyBad = /[*:]/.exec(key) ?? (key.startsWith('!') ? ['!'] : null);
  if (keyBad) {
    return (
      `has '${keyBad[0]}' in its key; Netdata label filters are exact key:value matches ` +
      '(no wildcards or negation, and the key ends at the first colon)'
    );
  }
  if (value.includes('*')) {
    return (
      "has '*' in its value; Netdata label filters are exact key:value matches and '*' cannot be escaped in a " +
      'Netdata pattern, so it neither works as a wildcard nor matches reliably. ' +
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
