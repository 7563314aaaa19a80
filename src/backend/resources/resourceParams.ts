// Query parameters of CallResource requests: untrusted, so every value is checked before use.
import { NetdataRequestError } from '../datasource/requestError';

const MAX_VALUE_LENGTH = 512;
const MAX_LIST_LENGTH = 200;

function bad(message: string): NetdataRequestError {
  return new NetdataRequestError('bad-query', message, 400, 'plugin');
}

/** Ids of nodes, contexts, spaces and rooms: no path tricks, no control characters, no pattern separators. */
export function checkId(value: string, name: string): string {
  const v = value.trim();
  if (v === '') {
    throw bad(`The parameter ${name} is empty`);
  }
  if (v.length > MAX_VALUE_LENGTH) {
    throw bad(`The parameter ${name} is too long (over ${MAX_VALUE_LENGTH} characters)`);
  }
  if (/[\u0000-\u001f\u007f]/.test(v) || v.includes('/') || v.includes('\\') || v.includes('..') || /[|,]/.test(v)) {
    throw bad(`The parameter ${name} is not a valid id (no /, \\, .., |, "," or control characters)`);
  }
  return v;
}

export class ResourceParams {
  private readonly params: URLSearchParams;

  constructor(url: string) {
    const q = url.indexOf('?');
    this.params = new URLSearchParams(q >= 0 ? url.slice(q + 1) : '');
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
