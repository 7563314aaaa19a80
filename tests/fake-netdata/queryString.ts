// Query-string parsing exactly like the Netdata agent (netdata-api.md §2.1): the whole query string is URL-decoded
// first, then split on `&` and each pair on its first `=`.

function hexValue(code: number): number {
  if (code >= 0x30 && code <= 0x39) {
    return code - 0x30;
  }
  if (code >= 0x41 && code <= 0x46) {
    return code - 0x41 + 10;
  }
  if (code >= 0x61 && code <= 0x66) {
    return code - 0x61 + 10;
  }
  return -1;
}

function isNonPrintable(byte: number): boolean {
  return byte < 0x20 || byte === 0x7f;
}

/**
 * Decodes `%XX` escapes and `+`. A non-printable escape (`%09`, `%0A`, `%00`, ...) stops decoding: the rest of the
 * query string is dropped, silently, like the agent does.
 */
export function decodeAgentQueryString(raw: string): string {
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const code = raw.charCodeAt(i);
    if (code === 0x25 /* % */ && i + 2 < raw.length) {
      const hi = hexValue(raw.charCodeAt(i + 1));
      const lo = hexValue(raw.charCodeAt(i + 2));
      if (hi >= 0 && lo >= 0) {
        const byte = hi * 16 + lo;
        if (isNonPrintable(byte)) {
          break;
        }
        bytes.push(byte);
        i += 2;
        continue;
      }
    }
    if (code === 0x2b /* + */) {
      bytes.push(0x20);
      continue;
    }
    if (code < 0x80) {
      if (isNonPrintable(code)) {
        break;
      }
      bytes.push(code);
    } else {
      bytes.push(...Buffer.from(raw[i], 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Decoded parameters in arrival order; empty values are already dropped. */
export class AgentQuery {
  constructor(readonly pairs: ReadonlyArray<readonly [string, string]>) {}

  /** Last value of a parameter (repeated parameters keep the last value). */
  last(name: string): string | undefined {
    let value: string | undefined;
    for (const [k, v] of this.pairs) {
      if (k === name) {
        value = v;
      }
    }
    return value;
  }

  /** Every value of a parameter, in order. */
  all(name: string): string[] {
    return this.pairs.filter(([k]) => k === name).map(([, v]) => v);
  }

  /** Last value among several alias names (the one that came last in the URL wins). */
  lastOf(names: string[]): string | undefined {
    let value: string | undefined;
    for (const [k, v] of this.pairs) {
      if (names.includes(k)) {
        value = v;
      }
    }
    return value;
  }

  /** Every value among several alias names, in order. */
  allOf(names: string[]): string[] {
    return this.pairs.filter(([k]) => names.includes(k)).map(([, v]) => v);
  }
}

export function parseAgentQuery(rawQueryString: string): AgentQuery {
  const decoded = decodeAgentQueryString(rawQueryString);
  const pairs: Array<[string, string]> = [];
  for (const part of decoded.split('&')) {
    if (part === '') {
      continue;
    }
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    const value = eq < 0 ? '' : part.slice(eq + 1);
    if (name === '' || value === '') {
      continue;
    }
    pairs.push([name, value]);
  }
  return new AgentQuery(pairs);
}

/** C `strtol`-like integer parsing used by the agent: leading number, anything else is 0. */
export function parseAgentInt(value: string | undefined): number {
  if (value === undefined) {
    return 0;
  }
  const n = Number.parseInt(value.trim(), 10);
  return Number.isFinite(n) ? n : 0;
}

/** Splits an option/group-by list on `,`, `|` and spaces. */
export function splitWords(value: string | undefined): string[] {
  if (value === undefined) {
    return [];
  }
  return value.split(/[,| ]+/).filter((w) => w.length > 0);
}
