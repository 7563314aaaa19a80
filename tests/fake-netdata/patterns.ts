// Netdata simple patterns (netdata-api.md §2.2) and the label-selector semantics of current agents (§2.7).

/** A compiled simple pattern; `undefined` from the compilers means "no filter". */
export interface SimplePattern {
  readonly text: string;
  matches(candidate: string): boolean;
  /** Which kind of item matched first: a positive one, a negative (`!`) one, or none. */
  evaluate(candidate: string): 'positive' | 'negative' | 'none';
}

const SEPARATORS = new Set([',', '|', '\t', '\r', '\n', '\f', '\v']);

/** One item of a pattern list as Netdata parses it: its `!` flag and its text with the escapes resolved. */
export interface ParsedItem {
  negative: boolean;
  text: string;
}

interface PatternItem {
  negative: boolean;
  regex: RegExp;
}

function globToRegex(glob: string): RegExp {
  const escaped = glob
    .split('*')
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${escaped}$`, 's');
}

/**
 * Splits a pattern list as `simple_pattern_create` does (netdata-api-extra.md §8.3; v1.37.1 and v2.9.0
 * libnetdata/simple_pattern): separators `,` `|` tab CR LF FF VT are skipped, a `!` right after them makes the item
 * negative, `\` makes the next character literal (a separator, `\`, or a leading `!` written `\!`) and is dropped.
 * A `*` stays a wildcard even escaped. Spaces are ordinary characters. Empty items are skipped.
 */
export function splitPatternList(text: string): ParsedItem[] {
  const items: ParsedItem[] = [];
  let i = 0;
  while (i < text.length) {
    while (i < text.length && SEPARATORS.has(text[i])) {
      i++;
    }
    const negative = text[i] === '!';
    if (negative) {
      i++;
    }
    let item = '';
    let escaped = false;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === '\\' && !escaped) {
        escaped = true;
      } else if (SEPARATORS.has(c) && !escaped) {
        i++;
        break;
      } else {
        item += c;
        escaped = false;
      }
    }
    if (item !== '') {
      items.push({ negative, text: item });
    }
  }
  return items;
}

/**
 * Compiles a selector pattern. Empty or exactly `*` means no filter. Items are tried left to right and the first one
 * that matches decides (a `!` item excludes); when none matches the candidate is not selected.
 */
export function compileSimplePattern(text: string | undefined): SimplePattern | undefined {
  if (text === undefined || text === '' || text === '*') {
    return undefined;
  }
  const items: PatternItem[] = splitPatternList(text).map((item) => ({
    negative: item.negative,
    regex: globToRegex(item.text),
  }));
  const evaluate = (candidate: string): 'positive' | 'negative' | 'none' => {
    if (candidate === '') {
      return 'none';
    }
    for (const item of items) {
      if (item.regex.test(candidate)) {
        return item.negative ? 'negative' : 'positive';
      }
    }
    return 'none';
  };
  return { text, evaluate, matches: (candidate) => evaluate(candidate) === 'positive' };
}

/**
 * Matching of an item known by several names (node: hostname, machine GUID, node id; dimension: id, name): a negative
 * match on any name excludes it (so `nodes=!db*,*` drops the `db` hosts although their GUIDs match `*`), otherwise a
 * positive match on any name selects it. No pattern selects everything.
 */
export function matchesAny(pattern: SimplePattern | undefined, candidates: Array<string | undefined>): boolean {
  if (!pattern) {
    return true;
  }
  const results = candidates.filter((c): c is string => c !== undefined).map((c) => pattern.evaluate(c));
  return !results.includes('negative') && results.includes('positive');
}

/** How an agent of a version reads `labels` (netdata-api-extra.md §8.4, §4.7). */
export type LabelMatching = 'per-key' | 'any-label';

/** Label selector: whether an instance with these labels is selected. */
export interface LabelSelector {
  readonly text: string;
  matches(labels: Readonly<Record<string, string>>): boolean;
}

/**
 * The text `simple_pattern_iterate` hands out for an item: the part before its first inner `*`, without a leading
 * or trailing `*` (the first node of the parsed item, libnetdata/simple_pattern `parse_pattern`).
 */
function firstSegment(text: string): string {
  let start = 0;
  while (text[start] === '*') {
    start++;
  }
  const star = text.indexOf('*', start);
  let s = star >= 0 && star < text.length - 1 ? text.slice(0, star + 1) : text;
  if (s.length >= 2 && s.startsWith('*') && s.endsWith('*')) {
    s = s.slice(1, -1);
  } else if (s.startsWith('*')) {
    s = s.slice(1);
  } else if (s.endsWith('*')) {
    s = s.slice(0, -1);
  }
  return s;
}

/**
 * v1.45+ (`per-key`, §2.7; pattern-array.c `pattern_array_add_simple_pattern`): the list is parsed, each item's
 * first segment (so a `*` ends it and a leading `!` is lost) up to its first `:` names the key, and that text is
 * parsed AGAIN as a pattern of its own (escapes resolved a second time); items are grouped per key, keys AND-ed,
 * within a key the first pattern with a result on the instance's `key:value` texts decides. The first item without
 * `:` (or a lone `*`) ends the list.
 */
function perKeySelector(text: string): LabelSelector | undefined {
  const keys = new Map<string, SimplePattern[]>();
  for (const item of splitPatternList(text)) {
    const segment = firstSegment(item.text);
    const colon = segment.indexOf(':');
    if (segment === '' || colon < 0) {
      break;
    }
    const sub = compileSimplePattern(segment);
    if (sub === undefined) {
      continue;
    }
    const key = segment.slice(0, colon);
    keys.set(key, [...(keys.get(key) ?? []), sub]);
  }
  if (keys.size === 0) {
    return undefined;
  }
  const labelResult = (sub: SimplePattern, labels: Readonly<Record<string, string>>) => {
    for (const [k, v] of Object.entries(labels)) {
      const r = sub.evaluate(`${k}:${v}`);
      if (r !== 'none') {
        return r;
      }
    }
    return 'none';
  };
  return {
    text,
    matches(labels) {
      for (const subs of keys.values()) {
        let result: 'positive' | 'negative' | 'none' = 'none';
        for (const sub of subs) {
          result = labelResult(sub, labels);
          if (result !== 'none') {
            break;
          }
        }
        if (result !== 'positive') {
          return false;
        }
      }
      return true;
    },
  };
}

/**
 * Before v1.45 (`any-label`, netdata-api-extra.md §4.7; v1.37.1 database/rrdlabels.c
 * `rrdlabels_match_simple_pattern_parsed`): one pattern, and an instance is selected when any one of its labels
 * matches it positively by its key alone or as `key:value` (wildcards work; a `!` item only keeps that label from
 * counting).
 */
function anyLabelSelector(text: string): LabelSelector | undefined {
  const p = compileSimplePattern(text);
  if (p === undefined) {
    return undefined;
  }
  return {
    text,
    matches: (labels) => Object.entries(labels).some(([k, v]) => p.matches(k) || p.matches(`${k}:${v}`)),
  };
}

/** Compiles `labels` / `scope_labels` as an agent of that kind reads them; undefined = no filter. */
export function compileLabelSelector(
  text: string | undefined,
  matching: LabelMatching = 'per-key'
): LabelSelector | undefined {
  if (text === undefined || text === '' || text === '*') {
    return undefined;
  }
  return matching === 'per-key' ? perKeySelector(text) : anyLabelSelector(text);
}
