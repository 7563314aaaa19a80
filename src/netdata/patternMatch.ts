// Netdata simple-pattern matching done on our side (netdata-api.md §2.2), for filters an endpoint does not apply
// itself (Cloud alerts and nodes): items left to right, the first that matches decides (`!` = exclude), `*` is any
// run of characters, everything else literal (entries as in patterns.ts).
import { entryParts, globRegExp, patternItems } from './patterns';

export interface CompiledPattern {
  matches(...texts: Array<string | undefined>): boolean;
}

/** Compiles pattern entries; no entries (or `*`) match everything. Several texts: any of them may match. */
export function compilePattern(values: readonly string[], caseSensitive = true): CompiledPattern {
  const items = patternItems(values).map((item) => {
    const { negative, glob } = entryParts(item);
    return { negative, re: globRegExp(glob, caseSensitive) };
  });
  if (items.length === 0) {
    return { matches: () => true };
  }
  return {
    matches: (...texts) => {
      for (const text of texts) {
        if (text === undefined) {
          continue;
        }
        for (const item of items) {
          if (item.re.test(text)) {
            if (!item.negative) {
              return true;
            }
            break;
          }
        }
      }
      return false;
    },
  };
}
