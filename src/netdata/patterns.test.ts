/** @jest-environment node */
import { labelFilterProblem, labelItems, labelsPattern, patternItems, selectorItems, simplePattern } from './patterns';

describe('patternItems', () => {
  it('strips control characters, splits on , and |, trims items and drops empty ones', () => {
    expect(patternItems([' user ', 'sys\ttem', 'a | b,c', '', '  ', 'reserved for root'])).toEqual([
      'user',
      'system',
      'a',
      'b',
      'c',
      'reserved for root',
    ]);
  });

  it('keeps negation and wildcards', () => {
    expect(patternItems(['!db*', '*'])).toEqual(['!db*', '*']);
  });
});

describe('selectorItems / simplePattern', () => {
  it('joins items with |', () => {
    expect(simplePattern(['user', 'system'])).toBe('user|system');
  });

  it('omits the parameter for an empty list or a leading *', () => {
    expect(simplePattern([])).toBeUndefined();
    expect(simplePattern(['  '])).toBeUndefined();
    expect(simplePattern(['*'])).toBeUndefined();
    expect(simplePattern(['*', '!idle'])).toBeUndefined();
  });

  it('ends a list of only negative items with * (Netdata would select nothing)', () => {
    expect(selectorItems(['!idle'])).toEqual(['!idle', '*']);
    expect(simplePattern(['!db*', '!web*'])).toBe('!db*|!web*|*');
    expect(simplePattern(['!idle', 'user'])).toBe('!idle|user');
  });

  it('refuses & (the agent splits parameters on it even when encoded)', () => {
    expect(() => simplePattern(['a&b'])).toThrow(/'&'/);
  });
});

describe('label filters', () => {
  it('builds exact key:value items', () => {
    expect(
      labelItems([
        { key: ' device ', value: 'vda' },
        { key: 'mount_point', value: '/' },
      ])
    ).toEqual(['device:vda', 'mount_point:/']);
    expect(
      labelsPattern([
        { key: 'device', value: 'vda' },
        { key: 'device', value: 'zram0' },
      ])
    ).toBe('device:vda|device:zram0');
    expect(labelsPattern([])).toBeUndefined();
  });

  it('accepts a colon in the value (the key ends at the first colon)', () => {
    expect(labelFilterProblem('url', 'http://x')).toBeUndefined();
  });

  it.each([
    ['dev*', 'vda', /key/],
    ['!device', 'vda', /key/],
    ['a:b', 'vda', /key/],
    ['a|b', 'vda', /key/],
    ['device', 'v*', /'\*' never matches/],
    ['device', '!vda', /leading '!'/],
    ['device', 'vda,zram0', /split/],
    ['device', 'vda|zram0', /split/],
    ['', 'vda', /empty key/],
    ['device', '', /empty value/],
  ])('explains why %p:%p cannot work', (key, value, message) => {
    expect(labelFilterProblem(key, value)).toMatch(message);
    expect(() => labelItems([{ key, value }])).toThrow(message);
  });
});
