/** @jest-environment node */
// The direct Arrow writer against apache-arrow's own (the reference the Go reader was checked with): for random
// frames, the same schema, metadata and values when decoded, the very same record batch body and buffer layout, and a
// file whose footer, block and message obey the IPC rules the Go reader relies on.
import { tableFromIPC, tableToIPC, type Table } from 'apache-arrow';
import { Footer } from 'apache-arrow/ipc/metadata/file';
import { Message, RecordBatch as RecordBatchHeader } from 'apache-arrow/ipc/metadata/message';
import fc from 'fast-check';
import type { Field, Frame } from '../../netdata/types';
import { frameToArrowTable } from '../testing/arrowReference';
import { encodeFrame } from './arrowFrame';

const text = fc.string({ unit: 'grapheme', maxLength: 30 });

const frameArb: fc.Arbitrary<Frame> = fc.integer({ min: 0, max: 300 }).chain((rows) =>
  fc.record({
    refId: text,
    name: fc.option(text, { nil: undefined }),
    meta: fc.option(fc.record({ type: fc.constant('timeseries-multi' as const), executedQueryString: text }), {
      nil: undefined,
    }),
    fields: fc.oneof(
      fc.constant([] as Field[]),
      fc
        .tuple(
          fc.array(
            fc.oneof(
              fc.integer({ min: 1_500_000_000_000, max: 2_000_000_000_000 }),
              fc.double({ min: -1e16, max: 1e16, noNaN: true }),
              fc.constantFrom(0, 9_223_372_036_854, 9_223_372_036_855, 2 ** 53 - 1, -1)
            ),
            { minLength: rows, maxLength: rows }
          ),
          fc.array(
            fc.record({
              // apache-arrow leaves an empty name out and reads it back as "null"; see the test below.
              name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
              values: fc.array(fc.oneof(fc.double(), fc.constant(null)), { minLength: rows, maxLength: rows }),
              labels: fc.option(fc.dictionary(text, text, { maxKeys: 4 }), { nil: undefined }),
              config: fc.option(fc.record({ unit: text, displayNameFromDS: text }), { nil: undefined }),
            }),
            { maxLength: 3 }
          ),
          fc.array(
            fc.record({
              name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }),
              values: fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.constant(null)), {
                minLength: rows,
                maxLength: rows,
              }),
            }),
            { maxLength: 2 }
          )
        )
        .map(([times, numbers, strings]): Field[] => [
          { name: 'time', type: 'time', values: times, config: rows > 2 ? { interval: 1000 } : undefined },
          ...numbers.map((n) => ({ type: 'number' as const, ...n })),
          ...strings.map((t) => ({ type: 'string' as const, ...t })),
        ])
    ),
  })
);

function described(table: Table) {
  return {
    rows: table.numRows,
    metadata: [...table.schema.metadata],
    fields: table.schema.fields.map((f) => ({
      name: f.name,
      type: String(f.type),
      nullable: f.nullable,
      metadata: [...f.metadata],
    })),
    columns: table.schema.fields.map((_, i) => {
      const column = table.getChildAt(i)!;
      return {
        nulls: column.nullCount,
        values: column.toArray() ? Array.from({ length: table.numRows }, (_, r) => column.get(r)) : [],
      };
    }),
  };
}

interface FileParts {
  footer: Footer;
  header?: RecordBatchHeader;
  body: Uint8Array;
  metaDataLength: number;
  messageAt: number;
}

/** Reads a file the way the Go reader does: footer, then the block it names, then that message and its body. */
function fileParts(bytes: Uint8Array): FileParts {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  expect(Buffer.from(bytes.subarray(0, 8)).toString('latin1')).toBe('ARROW1\0\0');
  expect(Buffer.from(bytes.subarray(bytes.length - 6)).toString('latin1')).toBe('ARROW1');
  const footerLength = view.getInt32(bytes.length - 10, true);
  const footerAt = bytes.length - 10 - footerLength;
  const footer = Footer.decode(bytes.subarray(footerAt, footerAt + footerLength));
  expect(footer.numDictionaries).toBe(0);
  if (footer.numRecordBatches === 0) {
    // A frame without fields: magic, end-of-stream marker, footer.
    expect(view.getInt32(8, true)).toBe(-1);
    expect(footerAt).toBe(16);
    return { footer, body: new Uint8Array(0), metaDataLength: 0, messageAt: 8 };
  }
  expect(footer.numRecordBatches).toBe(1);
  const block = footer.getRecordBatch(0)!;
  const messageAt = Number(block.offset);
  expect(messageAt % 8).toBe(0);
  expect(view.getInt32(messageAt, true)).toBe(-1); // continuation marker
  const metaDataLength = block.metaDataLength;
  expect(metaDataLength % 8).toBe(0);
  expect(view.getInt32(messageAt + 4, true)).toBe(metaDataLength - 8);
  const message = Message.decode(bytes.subarray(messageAt + 8, messageAt + metaDataLength));
  expect(message.version).toBe(4); // V5
  expect(message.isRecordBatch()).toBe(true);
  expect(Number(message.bodyLength)).toBe(Number(block.bodyLength));
  const bodyAt = messageAt + metaDataLength;
  // End-of-stream marker right after the body.
  expect(view.getInt32(bodyAt + Number(block.bodyLength), true)).toBe(-1);
  expect(view.getInt32(bodyAt + Number(block.bodyLength) + 4, true)).toBe(0);
  return {
    footer,
    header: message.header() as RecordBatchHeader,
    body: bytes.subarray(bodyAt, bodyAt + Number(block.bodyLength)),
    metaDataLength,
    messageAt,
  };
}

describe('direct Arrow IPC writer', () => {
  it('decodes exactly like apache-arrow’s encoding of the same frame, with the same body bytes', () => {
    fc.assert(
      fc.property(frameArb, (frame) => {
        const ours = encodeFrame(frame);
        const reference = tableToIPC(frameToArrowTable(frame), 'file');
        expect(described(tableFromIPC(ours))).toEqual(described(tableFromIPC(reference)));

        const a = fileParts(ours);
        const b = fileParts(reference);
        expect(a.footer.numRecordBatches).toBe(b.footer.numRecordBatches);
        expect(a.header?.length).toEqual(b.header?.length);
        expect(a.header?.nodes.map((n) => [Number(n.length), Number(n.nullCount)])).toEqual(
          b.header?.nodes.map((n) => [Number(n.length), Number(n.nullCount)])
        );
        expect(a.header?.buffers.map((x) => [Number(x.offset), Number(x.length)])).toEqual(
          b.header?.buffers.map((x) => [Number(x.offset), Number(x.length)])
        );
        for (const buffer of a.header?.buffers ?? []) {
          expect(Number(buffer.offset) % 8).toBe(0);
        }
        expect(Buffer.from(a.body).equals(Buffer.from(b.body))).toBe(true);
        expect(a.footer.schema.fields.map((f) => [f.name, String(f.type), f.nullable])).toEqual(
          b.footer.schema.fields.map((f) => [f.name, String(f.type), f.nullable])
        );
      }),
      { numRuns: 300 }
    );
  });

  it('writes nanoseconds exactly, also where a double cannot hold them', () => {
    const times = [0, 1, 1_700_000_000_123, 2 ** 53 - 1, 9_223_372_036_854, 9_223_372_036_855, -1, -1_700_000_000_000];
    const frame: Frame = { refId: 'A', fields: [{ name: 'time', type: 'time', values: times }] };
    const column = tableFromIPC(encodeFrame(frame)).getChildAt(0)!;
    const raw = column.data[0].values as BigInt64Array;
    expect(Array.from(raw)).toEqual(times.map((ms) => BigInt.asIntN(64, BigInt(ms) * BigInt(1_000_000))));
  });

  it('writes string fields as plain Utf8 (never Dictionary) with tstype string and nulls kept', () => {
    const frame: Frame = {
      refId: 'A',
      fields: [
        { name: 'time', type: 'time', values: [1, 2, 3] },
        { name: 'text', type: 'string', values: ['ram_in_use: CLEAR → WARNING', null, ''] },
      ],
    };
    const table = tableFromIPC(encodeFrame(frame));
    const field = table.schema.fields[1];
    expect(String(field.type)).toBe('Utf8');
    expect(field.nullable).toBe(true);
    expect(field.metadata.get('tstype')).toBe('string');
    const column = table.getChildAt(1)!;
    expect([column.get(0), column.get(1), column.get(2)]).toEqual(['ram_in_use: CLEAR → WARNING', null, '']);
    expect(column.nullCount).toBe(1);
  });

  it('writes JSON fields as Binary with tstype other, the same bytes as apache-arrow, nulls kept', () => {
    const frame: Frame = {
      refId: 'A',
      fields: [
        { name: 'time', type: 'time', values: [1, 2, 3] },
        { name: 'labels', type: 'other', values: [{ unit: 'nginx.service' }, null, {}] },
      ],
    };
    const bytes = encodeFrame(frame);
    const table = tableFromIPC(bytes);
    const field = table.schema.fields[1];
    expect(String(field.type)).toBe('Binary');
    expect(field.metadata.get('tstype')).toBe('other');
    const column = table.getChildAt(1)!;
    const text = (v: Uint8Array | null) => (v === null ? null : new TextDecoder().decode(v));
    expect([text(column.get(0)), text(column.get(1)), text(column.get(2))]).toEqual([
      '{"unit":"nginx.service"}',
      null,
      '{}',
    ]);
    const a = fileParts(bytes);
    const b = fileParts(tableToIPC(frameToArrowTable(frame), 'file'));
    expect(Buffer.from(a.body).equals(Buffer.from(b.body))).toBe(true);
    expect(a.header?.buffers.map((x) => [Number(x.offset), Number(x.length)])).toEqual(
      b.header?.buffers.map((x) => [Number(x.offset), Number(x.length)])
    );
  });

  it('keeps an empty field name empty', () => {
    const frame: Frame = {
      refId: 'A',
      fields: [
        { name: 'time', type: 'time', values: [1] },
        { name: '', type: 'number', values: [1] },
      ],
    };
    expect(tableFromIPC(encodeFrame(frame)).schema.fields[1].name).toBe('');
  });

  it('grows its buffers for long names and many labels', () => {
    const labels = Object.fromEntries(Array.from({ length: 200 }, (_, i) => [`key${i}`, 'v'.repeat(100)]));
    const frame: Frame = {
      refId: 'A',
      name: 'n'.repeat(5000),
      fields: [
        { name: 'time', type: 'time', values: [1, 2] },
        { name: 'é'.repeat(3000), type: 'number', values: [1, null], labels },
      ],
    };
    const table = tableFromIPC(encodeFrame(frame));
    expect(table.schema.metadata.get('name')).toBe('n'.repeat(5000));
    expect(table.schema.fields[1].name).toBe('é'.repeat(3000));
    expect(JSON.parse(table.schema.fields[1].metadata.get('labels')!)).toEqual(labels);
  });
});
