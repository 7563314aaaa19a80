// Netdata simple-pattern matching done on our side (netdata-api.md §2.2), for filters an endpoint does not apply
// itself (Cloud alerts and nodes): items left to right, the first that matches decides (`!` = exclude), `*` is any
// run of characters, `\` escapes the next character (netdata-api-extra.md §8.3).
import { patternItems } from './patterns';

function itemRegExp(item: string, caseSensitive: boolean): RegExp {
  let source = '';
  for (let i = 0; i < item.length; i++) {
    const c = item[i];
    if (c === '\\' && i + 1 < item.length) {
      i++;
      // `*` cannot be escaped in Netdata: it stays a wildcard.
      source += item[i] === '*' ? '.*' : item[i].replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '*') {
      source += '.*';
    } else {
      source += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`, caseSensitive ? '' : 'i');
}

export interface CompiledPattern {
  matches(...texts: Array<string | undefined>): boolean;
}

/** Compiles pattern entries; no entries (or `*`) match everything. Several texts: any of them may match. */
export function compilePattern(values: readonly string[], caseSensitive = true): CompiledPattern {
  const items = patternItems(values).map((item) => {
    const negative = item.startsWith('!');
    return { negative, re: itemRegExp(negative ? item.slice(1) : item, caseSensitive) };
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
