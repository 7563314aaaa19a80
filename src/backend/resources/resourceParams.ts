// Query parameters of CallResource requests: untrusted, so every value is checked before use, and a parameter the
// route does not take is refused rather than ignored (a typo must not silently widen a look-up).
import { NetdataRequestError } from '../datasource/requestError';

const MAX_VALUE_LENGTH = 512;
const MAX_LIST_LENGTH = 200;
const MAX_TEXT_LENGTH = 200;
/** Far above what the editor sends (200 node ids); refuses absurd URLs before parsing them. */
export const MAX_QUERY_STRING_LENGTH = 32 * 1024;

function bad(message: string): NetdataRequestError {
  return new NetdataRequestError('bad-query', message, 400, 'plugin');
}

function shown(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > 60 ? `${clean.slice(0, 60)}…` : clean;
}

/**
 * Ids of nodes, contexts, spaces and rooms: nothing that could change where a request goes or what it asks
 * (path separators, `..`, URL syntax, percent signs, control characters) and no pattern separators.
 */
export function checkId(value: string, name: string): string {
  const v = value.trim();
  if (v === '') {
    throw bad(`The parameter ${name} is empty`);
  }
  if (v.length > MAX_VALUE_LENGTH) {
    throw bad(`The parameter ${name} is too long (over ${MAX_VALUE_LENGTH} characters)`);
  }
  if (/[\u0000-\u001f\u007f/\\|,@%?#&=;]/.test(v) || v.includes('..')) {
    throw bad(
      `The parameter ${name} ("${shown(v)}") is not a valid id (no /, \\, .., @, %, ?, #, &, =, ;, |, "," or control characters)`
    );
  }
  return v;
}

export class ResourceParams {
  private readonly params: URLSearchParams;

  constructor(url: string) {
    const q = url.indexOf('?');
    const query = q >= 0 ? url.slice(q + 1) : '';
    if (query.length > MAX_QUERY_STRING_LENGTH) {
      throw bad(`The query string is too long (${query.length} characters; at most ${MAX_QUERY_STRING_LENGTH})`);
    }
    this.params = new URLSearchParams(query);
  }

  /**
   * Refuses parameters outside `allowed`, naming the ones the route takes, and checks every value given, also of
   * parameters this transport ignores (spaceId/roomId on an agent).
   */
  onlyAllow(route: string, allowed: readonly string[], texts: readonly string[] = []): void {
    for (const name of new Set(this.params.keys())) {
      if (texts.includes(name)) {
        this.text(name);
        continue;
      }
      if (!allowed.includes(name)) {
        const all = [...allowed, ...texts];
        const takes = all.length === 0 ? 'takes no parameters' : `takes only ${all.join(', ')}`;
        throw bad(`Unknown parameter "${shown(name)}" for the resource ${route}, which ${takes}`);
      }
      this.list(name);
    }
  }

  /**
   * Free text (a search string): sent to Netdata as an encoded parameter value only, never into a path; control
   * characters are refused, length is bounded. Undefined when absent or blank.
   */
  text(name: string): string | undefined {
    const values = this.params.getAll(name).filter((v) => v.trim() !== '');
    if (values.length > 1) {
      throw bad(`The parameter ${name} is given more than once`);
    }
    if (values.length === 0) {
      return undefined;
    }
    const v = values[0].trim();
    if (v.length > MAX_TEXT_LENGTH) {
      throw bad(`The parameter ${name} is too long (over ${MAX_TEXT_LENGTH} characters)`);
    }
    if (/[\u0000-\u001f\u007f]/.test(v)) {
      throw bad(`The parameter ${name} must not contain control characters`);
    }
    return v;
  }

  optional(name: string): string | undefined {
    const values = this.params.getAll(name).filter((v) => v.trim() !== '');
    if (values.length > 1) {
      throw bad(`The parameter ${name} is given more than once`);
    }
    return values.length === 0 ? undefined : checkId(values[0], name);
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) {
      throw bad(`The parameter ${name} is required`);
    }
    return value;
  }

  /** Repeated (`nodes=a&nodes=b`); empty values ignored. */
  list(name: string): string[] {
    const values = this.params.getAll(name).filter((v) => v.trim() !== '');
    if (values.length > MAX_LIST_LENGTH) {
      throw bad(`Too many values of ${name} (at most ${MAX_LIST_LENGTH})`);
    }
    return values.map((v) => checkId(v, name));
  }
}
