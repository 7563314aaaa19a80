import { dataFrameFromJSON, FieldType } from '@grafana/data';
import { frameJson } from './frameJson';

describe('frameJson', () => {
  it('is read back by @grafana/data with names, labels, config, meta and special numbers', () => {
    const text = frameJson({
      refId: 'A',
      meta: { type: 'timeseries-wide', typeVersion: [0, 1], channel: 'ds/u/metrics/x' },
      fields: [
        { name: 'time', type: 'time', values: [1000, 2000, 3000] },
        {
          name: 'user',
          type: 'number',
          values: [1.5, null, NaN],
          labels: { dimension: 'user' },
          config: { unit: 'percent', displayNameFromDS: 'user' },
        },
      ],
    });
    const frame = dataFrameFromJSON(JSON.parse(text));
    expect(frame.refId).toBe('A');
    expect(frame.meta?.channel).toBe('ds/u/metrics/x');
    expect(frame.fields[0].type).toBe(FieldType.time);
    expect(frame.fields[0].values).toEqual([1000, 2000, 3000]);
    expect(frame.fields[1].labels).toEqual({ dimension: 'user' });
    expect(frame.fields[1].config.unit).toBe('percent');
    expect(frame.fields[1].values[0]).toBe(1.5);
    expect(frame.fields[1].values[1]).toBeNull();
    expect(frame.fields[1].values[2]).toBeNaN();
  });
});
