// Netdata simple patterns evaluated by the plugin (netdata-api.md §2.2, netdata-api-extra.md §8.3): on 1.37 the
// plugin picks the charts itself, so node, instance and dimension selectors are matched here as the agent would.
import { entryParts, globRegExp, patternItems } from '../patterns';

interface Item {
  negative: boolean;
  regex: RegExp;
}

export interface Matcher {
  /** A candidate known by several names: excluded when any name hits a `!` item, else kept when any name matches. */
  matchesAny(names: ReadonlyArray<string | undefined>): boolean;
}

/** Undefined when the selector selects everything (no items, or a leading `*`). */
export function compileMatcher(values: readonly string[]): Matcher | undefined {
  const raw = patternItems(values);
  if (raw.length === 0 || raw[0] === '*') {
    return undefined;
  }
  const items: Item[] = raw.map((text) => {
    const { negative, glob } = entryParts(text);
    return { negative, regex: globRegExp(glob) };
  });
  // Only negative items: "everything but", as the request builders send it (`!idle` → `!idle|*`).
  if (items.every((i) => i.negative)) {
    items.push({ negative: false, regex: /^.*$/s });
  }
  const evaluate = (name: string): 'positive' | 'negative' | 'none' => {
    for (const item of items) {
      if (item.regex.test(name)) {
        return item.negative ? 'negative' : 'positive';
      }
    }
    return 'none';
  };
  return {
    matchesAny(names) {
      const results = names.filter((n): n is string => n !== undefined).map(evaluate);
      return !results.includes('negative') && results.includes('positive');
    },
  };
}

export function matches(m: Matcher | undefined, names: ReadonlyArray<string | undefined>): boolean {
  return m === undefined || m.matchesAny(names);
}
