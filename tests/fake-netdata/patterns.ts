// Netdata simple patterns (netdata-api.md §2.2) and the label-selector semantics of current agents (§2.7).

/** A compiled simple pattern; `undefined` from the compilers means "no filter". */
export interface SimplePattern {
  readonly text: string;
  matches(candidate: string): boolean;
  /** Which kind of item matched first: a positive one, a negative (`!`) one, or none. */
  evaluate(candidate: string): 'positive' | 'negative' | 'none';
}

const SEPARATORS = /[,|\t\r\n\f\v]/;

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

/** Splits a pattern list on `,` `|` tab CR LF FF VT; spaces are ordinary characters and are not trimmed. */
export function splitPatternList(text: string): string[] {
  return text.split(SEPARATORS).filter((item) => item.length > 0);
}

/**
 * Compiles a selector pattern. Empty or exactly `*` means no filter. Items are tried left to right and the first one
 * that matches decides (a `!` item excludes); when none matches the candidate is not selected.
 */
export function compileSimplePattern(text: string | undefined): SimplePattern | undefined {
  if (text === undefined || text === '' || text === '*') {
    return undefined;
  }
  const items: PatternItem[] = splitPatternList(text).map((raw) => {
    const negative = raw.startsWith('!');
    return { negative, regex: globToRegex(negative ? raw.slice(1) : raw) };
  });
  const evaluate = (candidate: string): 'positive' | 'negative' | 'none' => {
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

/** Label selector of current agents: items grouped by key, OR within a key, AND across keys, literal values only. */
export interface LabelSelector {
  readonly text: string;
  /** key -> accepted values */
  readonly keys: ReadonlyMap<string, ReadonlySet<string>>;
  matches(labels: Readonly<Record<string, string>>): boolean;
}

/**
 * Compiles `labels` / `scope_labels` the way live agents (v1.47.5, v2.9.0) treat them (§2.7): a leading `!` is
 * dropped, `*` is a literal character, and the first item without `:` ends the list (it and later items are ignored).
 */
export function compileLabelSelector(text: string | undefined): LabelSelector | undefined {
  if (text === undefined || text === '' || text === '*') {
    return undefined;
  }
  const keys = new Map<string, Set<string>>();
  for (const raw of splitPatternList(text)) {
    const item = raw.startsWith('!') ? raw.slice(1) : raw;
    const colon = item.indexOf(':');
    if (colon < 0) {
      break;
    }
    const key = item.slice(0, colon);
    const value = item.slice(colon + 1);
    const values = keys.get(key) ?? new Set<string>();
    values.add(value);
    keys.set(key, values);
  }
  if (keys.size === 0) {
    return undefined;
  }
  return {
    text,
    keys,
    matches(labels: Readonly<Record<string, string>>): boolean {
      for (const [key, values] of keys) {
        const value = labels[key];
        if (value === undefined || !values.has(value)) {
          return false;
        }
      }
      return true;
    },
  };
}
