/** @jest-environment node */
import {
  escapeName,
  labelFilterProblem,
  labelItems,
  labelsPattern,
  patternItems,
  selectorItems,
  simplePattern,
  splitPatternText,
} from './patterns';

/** Netdata's own reading of a pattern list (simple_pattern.c): items, negative flag, escapes resolved. */
function netdataItems(text: string): Array<{ negative: boolean; text: string }> {
  const out: Array<{ negative: boolean; text: string }> = [];
  let i = 0;
  while (i < text.length) {
    while (text[i] === ',' || text[i] === '|') {
      i++;
    }
    const negative = text[i] === '!';
    if (negative) {
      i++;
    }
    let item = '';
    for (; i < text.length; i++) {
      if (text[i] === '\\') {
        i++;
        if (i < text.length) {
          item += text[i];
        }
      } else if (text[i] === ',' || text[i] === '|') {
        i++;
        break;
      } else {
        item += text[i];
      }
    }
    if (item !== '') {
      out.push({ negative, text: item });
    }
  }
  return out;
}

describe('patternItems', () => {
  it('strips control characters, trims entries and drops empty ones, never splitting an entry', () => {
    expect(patternItems([' user ', 'sys\ttem', 'a | b,c', '', '  ', 'reserved for root'])).toEqual([
      'user',
      'system',
      'a | b,c',
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

  it.each([
    ['eth0|1', 'eth0\\|1'],
    ['a,b', 'a\\,b'],
    ['C:\\', 'C:\\\\'],
    ['\\!bang', '\\!bang'],
    ['mid!dle', 'mid!dle'],
  ])('sends the name %p as %p, which Netdata reads back as that one name', (entry, wire) => {
    expect(simplePattern([entry])).toBe(wire);
    const name = entry.startsWith('\\!') ? entry.slice(1) : entry;
    expect(netdataItems(wire)).toEqual([{ negative: false, text: name }]);
  });

  it('keeps * a wildcard and a leading ! an exclusion, escaping the rest of the entry', () => {
    const wire = simplePattern(['!eth0|*', 'x,y*']);
    expect(wire).toBe('!eth0\\|*|x\\,y*');
    expect(netdataItems(wire ?? '')).toEqual([
      { negative: true, text: 'eth0|*' },
      { negative: false, text: 'x,y*' },
    ]);
  });
});

describe('splitPatternText', () => {
  it('splits a pattern text as Netdata does: unescaped , and | separate, escapes resolved', () => {
    expect(splitPatternText('system.cpu|disk.*')).toEqual(['system.cpu', 'disk.*']);
    expect(splitPatternText('a\\|b,c\\,d|\\!e|!f')).toEqual(['a|b', 'c,d', '\\!e', '!f']);
  });

  it('round-trips through the wire form', () => {
    for (const entries of [
      ['a|b', 'c'],
      ['\\!x', '!y', 'z\\w'],
    ]) {
      expect(splitPatternText(simplePattern(entries) ?? '')).toEqual(entries);
    }
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
    ['device', 'v*', /'\*' cannot be escaped/],
    ['', 'vda', /empty key/],
    ['device', '', /empty value/],
  ])('explains why %p:%p cannot work', (key, value, message) => {
    expect(labelFilterProblem(key, value)).toMatch(message);
    expect(() => labelItems([{ key, value }])).toThrow(message);
  });

  it.each([['vda|zram0'], ['a,b'], ['C:\\'], ['!vda']])(
    'v1.45+: the value %p is escaped twice, as the agent parses each item twice, and read back exactly',
    (value) => {
      const [item] = labelItems([{ key: 'device', value }], 'per-key');
      // pattern-array.c: the list is parsed, then each item's text is parsed again as a pattern of its own.
      const first = netdataItems(item);
      expect(first).toHaveLength(1);
      expect(first[0].negative).toBe(false);
      expect(netdataItems(first[0].text)).toEqual([{ negative: false, text: `device:${value}` }]);
    }
  );

  it('before v1.45: one key is escaped once (the list is one pattern over every label)', () => {
    const wire = labelsPattern(
      [
        { key: 'device', value: 'a|b' },
        { key: 'device', value: 'sda' },
      ],
      'any-label'
    );
    expect(wire).toBe('device:a\\|b|device:sda');
    expect(netdataItems(wire ?? '').map((i) => i.text)).toEqual(['device:a|b', 'device:sda']);
  });

  it('before v1.45: different keys cannot be AND-ed, so they are refused instead of silently OR-ed', () => {
    const labels = [
      { key: 'device', value: 'vda' },
      { key: 'mount_point', value: '/' },
    ];
    expect(() => labelItems(labels, 'any-label')).toThrow(
      /different keys \(device, mount_point\) must all hold, but Netdata before v1\.45 selects an instance when any/
    );
    expect(labelItems(labels, 'per-key')).toEqual(['device:vda', 'mount_point:/']);
  });

  it('Netdata Cloud: a value with \\ , or | is refused (agents behind it read it differently)', () => {
    expect(() => labelItems([{ key: 'device', value: 'a|b' }], 'cloud')).toThrow(/contains '\|'.*Cloud cannot/);
    expect(labelItems([{ key: 'device', value: '!vda' }], 'cloud')).toEqual(['device:!vda']);
  });
});

describe('escapeName', () => {
  it('escapes \\ , | and a leading !, never *', () => {
    expect(escapeName('!a\\b,c|d*')).toBe('\\!a\\\\b\\,c\\|d*');
  });
});
