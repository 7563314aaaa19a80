/** @jest-environment node */
import { tableFromIPC, Type } from 'apache-arrow';
import type { Frame } from '../../netdata/types';
import { encodeFrame, encodeFrames } from './arrowFrame';

const frame: Frame = {
  name: 'system.cpu',
  refId: 'A',
  meta: { type: 'timeseries-multi', typeVersion: [0, 1], executedQueryString: '/api/v3/data?x=1' },
  fields: [
    { name: 'time', type: 'time', values: [1_700_000_000_000, 1_700_000_001_000, 1_700_000_002_000] },
    {
      name: 'user',
      type: 'number',
      values: [1.25, null, -3],
      labels: { node: 'parent', dimension: 'user' },
      config: { unit: 'percent', displayNameFromDS: 'user' },
    },
  ],
};

describe('encodeFrame', () => {
  const bytes = encodeFrame(frame);

  it('writes the Arrow IPC file format (ARROW1 at both ends)', () => {
    const text = Buffer.from(bytes);
    expect(text.subarray(0, 6).toString()).toBe('ARROW1');
    expect(text.subarray(text.length - 6).toString()).toBe('ARROW1');
  });

  it('writes a non-nullable Timestamp<ns> without timezone holding ns values', () => {
    const table = tableFromIPC(bytes);
    const time = table.schema.fields[0];
    expect(time.typeId).toBe(Type.Timestamp);
    expect(String(time.type)).toBe('Timestamp<NANOSECOND>');
    expect((time.type as unknown as { timezone: string | null }).timezone ?? null).toBeNull();
    expect(time.nullable).toBe(false);
    expect(time.metadata.get('tstype')).toBe('time');
    expect(Array.from(table.getChildAt(0)!.data[0].values as BigInt64Array)).toEqual([
      BigInt('1700000000000000000'),
      BigInt('1700000001000000000'),
      BigInt('1700000002000000000'),
    ]);
  });

  it('writes nullable Float64 values with nulls, labels and config', () => {
    const table = tableFromIPC(bytes);
    const value = table.schema.fields[1];
    expect(String(value.type)).toBe('Float64');
    expect(value.nullable).toBe(true);
    expect(value.name).toBe('user');
    expect(JSON.parse(value.metadata.get('labels')!)).toEqual({ node: 'parent', dimension: 'user' });
    expect(JSON.parse(value.metadata.get('config')!)).toEqual({ unit: 'percent', displayNameFromDS: 'user' });
    expect(value.metadata.get('tstype')).toBe('number');
    const column = table.getChildAt(1)!;
    expect([column.get(0), column.get(1), column.get(2)]).toEqual([1.25, null, -3]);
    expect(column.nullCount).toBe(1);
  });

  it('writes schema metadata name, refId and meta JSON', () => {
    const table = tableFromIPC(bytes);
    expect(table.schema.metadata.get('name')).toBe('system.cpu');
    expect(table.schema.metadata.get('refId')).toBe('A');
    expect(JSON.parse(table.schema.metadata.get('meta')!)).toEqual(frame.meta);
  });

  it('never writes Dictionary types', () => {
    const table = tableFromIPC(bytes);
    expect(table.schema.fields.every((f) => f.typeId !== Type.Dictionary)).toBe(true);
  });

  it('encodes a zero-field notice frame', () => {
    const notice: Frame = { refId: 'B', meta: { notices: [{ severity: 'info', text: 'No data' }] }, fields: [] };
    const table = tableFromIPC(encodeFrame(notice));
    expect(table.schema.fields).toHaveLength(0);
    expect(table.numRows).toBe(0);
    expect(table.schema.metadata.get('name')).toBe('');
    expect(JSON.parse(table.schema.metadata.get('meta')!)).toEqual({
      notices: [{ severity: 'info', text: 'No data' }],
    });
  });

  it('encodes a frame with fields but no rows', () => {
    const empty: Frame = {
      refId: 'C',
      fields: [
        { name: 'time', type: 'time', values: [] },
        { name: 'v', type: 'number', values: [] },
      ],
    };
    const table = tableFromIPC(encodeFrame(empty));
    expect(table.numRows).toBe(0);
    expect(table.schema.fields.map((f) => String(f.type))).toEqual(['Timestamp<NANOSECOND>', 'Float64']);
  });

  it('refuses fields of different lengths', () => {
    const bad: Frame = {
      refId: 'D',
      fields: [
        { name: 'time', type: 'time', values: [1, 2] },
        { name: 'v', type: 'number', values: [1] },
      ],
    };
    expect(() => encodeFrame(bad)).toThrow(/different lengths/);
  });

  it('writes string and JSON fields marked nullable: false as non-nullable columns, refusing a null in them', () => {
    const logs: Frame = {
      refId: 'L',
      fields: [
        { name: 'body', type: 'string', values: ['a', ''], nullable: false },
        { name: 'severity', type: 'string', values: ['info', null] },
        { name: 'labels', type: 'other', values: [{ unit: 'x' }, {}], nullable: false },
      ],
    };
    const table = tableFromIPC(encodeFrame(logs));
    expect(table.schema.fields.map((f) => [f.name, f.nullable])).toEqual([
      ['body', false],
      ['severity', true],
      ['labels', false],
    ]);
    expect(table.getChild('body')?.toArray()).toEqual(['a', '']);
    const withNull: Frame = { refId: 'L', fields: [{ name: 'body', type: 'string', values: [null], nullable: false }] };
    expect(() => encodeFrame(withNull)).toThrow(/non-nullable field body holds a null/);
  });
});

describe('encodeFrames', () => {
  const series = (name: string, times: number[], values: number[]): Frame => ({
    refId: 'A',
    fields: [
      { name: 'time', type: 'time', values: times },
      { name, type: 'number', values, labels: { dimension: name }, config: {} },
    ],
  });

  it('writes the same bytes as encodeFrame for frames that share one time array, and keeps other times apart', () => {
    const shared = [1_700_000_000_000, 1_700_000_001_000, 1_700_000_002_000];
    const other = [1_600_000_000_000, 1_600_000_001_000, 1_600_000_002_000];
    const frames = [
      series('user', shared, [1, 2, 3]),
      series('system', shared, [4, 5, 6]),
      series('other times', other, [7, 8, 9]),
      series('shared again', shared, [0, 0, 0]),
    ];
    const encoded = encodeFrames(frames);
    expect(encoded.map((b) => Buffer.from(b).toString('hex'))).toEqual(
      frames.map((f) => Buffer.from(encodeFrame(f)).toString('hex'))
    );
    const times = (bytes: Uint8Array) =>
      Array.from(tableFromIPC(bytes).getChildAt(0)!.data[0].values as BigInt64Array).map(Number);
    expect(times(encoded[2])).toEqual(other.map((ms) => ms * 1e6));
    expect(times(encoded[3])).toEqual(shared.map((ms) => ms * 1e6));
  });
});
