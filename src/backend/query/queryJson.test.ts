/** @jest-environment node */
import { jsonDepthExceeds, MAX_QUERY_JSON_BYTES, parseQueryJson } from './queryJson';

const bytes = (text: string) => Buffer.from(text);

describe('jsonDepthExceeds', () => {
  it('counts nesting outside strings only', () => {
    expect(jsonDepthExceeds('{"a":[[1]]}', 3)).toBe(false);
    expect(jsonDepthExceeds('{"a":[[[1]]]}', 3)).toBe(true);
    expect(jsonDepthExceeds('{"a":"[[[[[[[[[["}', 2)).toBe(false);
    expect(jsonDepthExceeds('{"a":"\\"[[[[[[[["}', 2)).toBe(false);
    expect(jsonDepthExceeds('[{},{},{},{}]', 2)).toBe(false);
  });
});

describe('parseQueryJson', () => {
  it('accepts an object and keeps unknown keys for the core to ignore', () => {
    expect(parseQueryJson(bytes('{"context":"system.cpu","hide":false,"x":{"y":1}}'))).toEqual({
      ok: true,
      value: { context: 'system.cpu', hide: false, x: { y: 1 } },
    });
  });

  it.each([
    ['', /empty/],
    ['[1]', /must be a JSON object/],
    ['null', /must be a JSON object/],
    ['{"a":', /not valid JSON/],
    [`{"a":${'['.repeat(50)}${']'.repeat(50)}}`, /nested too deeply/],
  ])('refuses %j', (text, message) => {
    const r = parseQueryJson(bytes(text));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(message);
  });

  it('refuses JSON above the size limit before parsing it', () => {
    const r = parseQueryJson(bytes(`{"a":"${'x'.repeat(MAX_QUERY_JSON_BYTES)}"}`));
    expect(!r.ok && r.error).toMatch(/too large/);
  });

  it('reads a slice of a larger buffer correctly', () => {
    const all = Buffer.from('xx{"context":"a"}yy');
    expect(parseQueryJson(all.subarray(2, all.length - 2))).toEqual({ ok: true, value: { context: 'a' } });
  });
});
