import { isPlainName, staleLabels, staleMessage, staleValues } from './staleValues';

describe('stale selections', () => {
  it('judges only plain names, never patterns, variables or composites', () => {
    expect(['user', 'disk.sda', 'reserved for root'].every(isPlainName)).toBe(true);
    expect(['', '!idle', 'a*', 'a,b', 'a|b', '$dim', '[[dim]]', 'disk.sda@mg-1'].some(isPlainName)).toBe(false);
  });

  it('lists saved plain values the loaded list lacks', () => {
    expect(staleValues(['user', 'nice', '!idle,*', '$d'], ['user', 'system'])).toEqual(['nice']);
    expect(staleValues(['user'], undefined)).toEqual([]);
    expect(staleValues(undefined, ['user'])).toEqual([]);
  });

  it('lists label filters whose value the context does not report', () => {
    const known = { device: ['sda', 'sdb'] };
    expect(
      staleLabels(
        [
          { key: 'device', value: 'sda' },
          { key: 'device', value: 'nvme0' },
          { key: 'rack', value: 'r1' },
          { key: 'device', value: '$dev' },
        ],
        known
      )
    ).toEqual([
      { key: 'device', value: 'nvme0' },
      { key: 'rack', value: 'r1' },
    ]);
    expect(staleLabels([{ key: 'rack', value: 'r1' }], undefined)).toEqual([]);
  });

  it('says what is marked and why', () => {
    expect(staleMessage([])).toBeUndefined();
    expect(staleMessage(['a', 'b'], 'in the chosen room')).toBe(
      'Not reported in the chosen room, so it selects nothing: "a", "b"'
    );
  });
});
