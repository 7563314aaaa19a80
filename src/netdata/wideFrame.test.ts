import { lastTime, rowsAfter, toWideFrame } from './wideFrame';
import type { Frame } from './types';

const series = (name: string, times: number[], values: number[], labels: Record<string, string>): Frame => ({
  refId: 'A',
  meta: { type: 'timeseries-multi', typeVersion: [0, 1], executedQueryString: 'GET /api/v3/data' },
  fields: [
    { name: 'time', type: 'time', values: times },
    { name, type: 'number', values, labels, config: { unit: 'percent', displayNameFromDS: `${name}!` } },
  ],
});

describe('toWideFrame', () => {
  it('keeps every series with its name, labels and config, joined on time', () => {
    const wide = toWideFrame(
      [
        series('user', [1000, 2000], [1, 2], { dimension: 'user' }),
        series('system', [2000, 3000], [5, 6], { dimension: 'system' }),
      ],
      'A',
      { channel: 'ds/x/metrics/abc' }
    );
    expect(wide.meta).toEqual({
      executedQueryString: 'GET /api/v3/data',
      channel: 'ds/x/metrics/abc',
      type: 'timeseries-wide',
      typeVersion: [0, 1],
    });
    expect(wide.fields.map((f) => [f.name, f.values])).toEqual([
      ['time', [1000, 2000, 3000]],
      ['user', [1, 2, null]],
      ['system', [null, 5, 6]],
    ]);
    expect(wide.fields[2]).toMatchObject({ labels: { dimension: 'system' }, config: { displayNameFromDS: 'system!' } });
  });

  it('cuts rows at a time and finds the newest', () => {
    const wide = toWideFrame([series('user', [1000, 2000, 3000], [1, 2, 3], {})], 'A');
    const after = rowsAfter(wide, 2000);
    expect(after.fields.map((f) => f.values)).toEqual([[3000], [3]]);
    expect(lastTime(after)).toBe(3000);
    expect(lastTime(rowsAfter(wide, 3000))).toBeUndefined();
  });
});
