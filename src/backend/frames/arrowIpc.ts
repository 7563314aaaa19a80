// Writes one Frame as an Arrow IPC *file*, directly: the same layout apache-arrow's tableToIPC(table, 'file')
// produces (magic, one record batch message, end-of-stream marker, footer holding the schema and the batch's block,
// footer size, magic; metadata version V5; body buffers 8-aligned), without building apache-arrow's Table, Data and
// writer objects or converting every timestamp through BigInt. That machinery cost more than parsing the JSON.
// Columns: Timestamp<NANOSECOND> (no time zone, not nullable) for time fields, nullable Float64 for numbers,
// nullable Utf8 for strings unless the field says `nullable: false` (never Dictionary: the Go reader refuses it).
import type { Field } from '../../netdata/types';
import { FlatWriter, TableShape } from './flatWriter';

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const METADATA_V5 = 4;
const HEADER_RECORD_BATCH = 3;
const TYPE_FLOATING_POINT = 3;
const TYPE_TIMESTAMP = 10;
const TYPE_UTF8 = 5;
const TYPE_BINARY = 4;
const PRECISION_DOUBLE = 2;
const UNIT_NANOSECOND = 3;
const MS_TO_NS = 1_000_000;
const TWO_32 = 0x1_0000_0000;
/** Above this many ms the nanoseconds pass 2^63 (year 2262): the BigInt path wraps them like apache-arrow. */
const MAX_FAST_MS = 9_223_372_036_854;

const MESSAGE = new TableShape([
  { slot: 0, kind: 'i16' }, // version
  { slot: 1, kind: 'u8' }, // header_type
  { slot: 2, kind: 'offset' }, // header
  { slot: 3, kind: 'i64' }, // bodyLength
]);
const RECORD_BATCH = new TableShape([
  { slot: 0, kind: 'i64' }, // length
  { slot: 1, kind: 'offset' }, // nodes
  { slot: 2, kind: 'offset' }, // buffers
]);
const FOOTER = new TableShape([
  { slot: 0, kind: 'i16' }, // version
  { slot: 1, kind: 'offset' }, // schema
  { slot: 2, kind: 'offset' }, // dictionaries
  { slot: 3, kind: 'offset' }, // recordBatches
]);
const SCHEMA_FIELDS = [
  { slot: 0, kind: 'i16' }, // endianness
  { slot: 1, kind: 'offset' }, // fields
] as const;
const SCHEMA = new TableShape(SCHEMA_FIELDS);
const SCHEMA_WITH_METADATA = new TableShape([...SCHEMA_FIELDS, { slot: 2, kind: 'offset' }]);
const FIELD_FIELDS = [
  { slot: 0, kind: 'offset' }, // name
  { slot: 1, kind: 'bool' }, // nullable
  { slot: 2, kind: 'u8' }, // type_type
  { slot: 3, kind: 'offset' }, // type
  { slot: 5, kind: 'offset' }, // children
] as const;
const FIELD = new TableShape(FIELD_FIELDS);
const FIELD_WITH_METADATA = new TableShape([...FIELD_FIELDS, { slot: 6, kind: 'offset' }]);
/** Timestamp { unit } and FloatingPoint { precision }: one short each. */
const ONE_SHORT = new TableShape([{ slot: 0, kind: 'i16' }]);
/** Utf8 {}: no fields. */
const EMPTY = new TableShape([]);
const KEY_VALUE = new TableShape([
  { slot: 0, kind: 'offset' },
  { slot: 1, kind: 'offset' },
]);

/** Reused for every frame (encoding is synchronous). */
const messageWriter = new FlatWriter(1024);
const footerWriter = new FlatWriter(4096);

/** Typed arrays use the CPU's byte order; Arrow wants little-endian (every Grafana platform is). */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

export interface ColumnMetadata {
  field: Field;
  /** Arrow field metadata, in writing order. */
  metadata: Array<[string, string]>;
}

/** Arrow's nullable flag: the Go reader picks *T or T from it (time columns are never nullable). */
export function isNullable(field: Field): boolean {
  return field.type !== 'time' && !('nullable' in field && field.nullable === false);
}

function pad8(n: number): number {
  return (n + 7) & ~7;
}

/** The Schema table (apache-arrow's file writer keeps it in the footer only, with no schema message up front). */
function writeSchema(w: FlatWriter, from: number, columns: ColumnMetadata[], schemaMeta: Array<[string, string]>) {
  const shape = schemaMeta.length > 0 ? SCHEMA_WITH_METADATA : SCHEMA;
  const schema = w.table(from, shape, [0, 0, 0]); // endianness: Little
  const fieldSlots = w.offsetVector(schema + shape.at[1], columns.length);
  columns.forEach((c, i) => {
    const type = c.field.type;
    const fieldShape = c.metadata.length > 0 ? FIELD_WITH_METADATA : FIELD;
    const typeType =
      type === 'time'
        ? TYPE_TIMESTAMP
        : type === 'number'
          ? TYPE_FLOATING_POINT
          : type === 'other'
            ? TYPE_BINARY
            : TYPE_UTF8;
    const field = w.table(fieldSlots[i], fieldShape, [0, isNullable(c.field) ? 1 : 0, typeType]);
    w.string(field + fieldShape.at[0], c.field.name);
    if (type === 'string' || type === 'other') {
      w.table(field + fieldShape.at[3], EMPTY, []);
    } else {
      w.table(field + fieldShape.at[3], ONE_SHORT, [type === 'time' ? UNIT_NANOSECOND : PRECISION_DOUBLE]);
    }
    w.offsetVector(field + fieldShape.at[4], 0); // no children
    if (c.metadata.length > 0) {
      writeKeyValues(w, field + fieldShape.at[5], c.metadata);
    }
  });
  if (schemaMeta.length > 0) {
    writeKeyValues(w, schema + shape.at[2], schemaMeta);
  }
}

function writeKeyValues(w: FlatWriter, from: number, entries: Array<[string, string]>): void {
  const slots = w.offsetVector(from, entries.length);
  for (let i = 0; i < entries.length; i++) {
    const kv = w.table(slots[i], KEY_VALUE, []);
    w.string(kv + KEY_VALUE.at[0], entries[i][0]);
    w.string(kv + KEY_VALUE.at[1], entries[i][1]);
  }
}

interface BodyBuffer {
  offset: number;
  length: number;
}

interface Layout {
  rows: number;
  nodes: Array<{ length: number; nullCount: number }>;
  buffers: BodyBuffer[];
  bodyLength: number;
}

/** Values of a number column and its validity bitmap (only kept when there are nulls). */
interface NumberColumn {
  values: Float64Array;
  validity?: Uint8Array;
  nullCount: number;
}

/** Validity bitmap of values where null/undefined are missing, or undefined when nothing is. */
function validityOf(values: readonly unknown[]): { validity?: Uint8Array; nullCount: number } {
  let validity: Uint8Array | undefined;
  let nullCount = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === null || values[i] === undefined) {
      nullCount++;
    }
  }
  if (nullCount > 0) {
    validity = new Uint8Array(Math.ceil(values.length / 8));
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== null && values[i] !== undefined) {
        validity[i >> 3] |= 1 << (i & 7);
      }
    }
  }
  return { validity, nullCount };
}

/** A string column: validity, int32 offsets (rows + 1) and the UTF-8 bytes of every value back to back. */
interface StringColumn {
  validity?: Uint8Array;
  nullCount: number;
  offsets: Int32Array;
  data: Uint8Array;
}

const utf8 = new TextEncoder();

function stringColumn(values: ReadonlyArray<string | null>): StringColumn {
  const { validity, nullCount } = validityOf(values);
  const encoded = values.map((v) => (v === null || v === undefined ? undefined : utf8.encode(v)));
  const offsets = new Int32Array(values.length + 1);
  let total = 0;
  encoded.forEach((bytes, i) => {
    total += bytes?.length ?? 0;
    offsets[i + 1] = total;
  });
  const data = new Uint8Array(total);
  encoded.forEach((bytes, i) => {
    if (bytes) {
      data.set(bytes, offsets[i]);
    }
  });
  return { validity, nullCount, offsets, data };
}

function numberColumn(values: ReadonlyArray<number | null>): NumberColumn {
  const n = values.length;
  const out = new Float64Array(n);
  let validity: Uint8Array | undefined;
  let nullCount = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) {
      if (!validity) {
        // Everything before the first null is valid.
        validity = new Uint8Array(Math.ceil(n / 8));
        for (let j = 0; j < i; j++) {
          validity[j >> 3] |= 1 << (j & 7);
        }
      }
      nullCount++;
    } else {
      out[i] = v;
      if (validity) {
        validity[i >> 3] |= 1 << (i & 7);
      }
    }
  }
  return { values: out, validity, nullCount };
}

/** ms → ns as int64 little-endian words, exact for every ms below 2^53 (no BigInt for ordinary times). */
function writeNanoseconds(out: Uint32Array, view: DataView, byteOffset: number, values: readonly number[]): void {
  let word = byteOffset >> 2;
  for (let i = 0; i < values.length; i++, word += 2) {
    const ms = Math.round(values[i]);
    if (ms >= 0 && ms <= MAX_FAST_MS) {
      const msHigh = Math.floor(ms / TWO_32);
      const low = (ms - msHigh * TWO_32) * MS_TO_NS; // < 2^52: exact
      const lowHigh = Math.floor(low / TWO_32);
      if (LITTLE_ENDIAN) {
        out[word] = low - lowHigh * TWO_32;
        out[word + 1] = msHigh * MS_TO_NS + lowHigh;
      } else {
        view.setUint32(byteOffset + i * 8, low - lowHigh * TWO_32, true);
        view.setUint32(byteOffset + i * 8 + 4, msHigh * MS_TO_NS + lowHigh, true);
      }
    } else {
      view.setBigInt64(
        byteOffset + i * 8,
        BigInt.asIntN(64, BigInt(Number.isFinite(ms) ? ms : 0) * BigInt(MS_TO_NS)),
        true
      );
    }
  }
}

/**
 * Time columns already written in this batch of frames, by their values array: the frames of one answer share one
 * time array, so its int64 nanoseconds are computed once and copied into the other frames.
 */
export type TimeColumnCache = Map<readonly number[], Uint8Array>;

export function writeArrowFile(
  columns: ColumnMetadata[],
  schemaMeta: Array<[string, string]>,
  rows: number,
  timeColumns?: TimeColumnCache
): Uint8Array {
  const numbers = columns.map((c) => (c.field.type === 'number' ? numberColumn(c.field.values) : undefined));
  // JSON fields (Binary, tstype other: the Go SDK's json.RawMessage) have the layout of strings.
  const strings = columns.map((c) =>
    c.field.type === 'string'
      ? stringColumn(c.field.values)
      : c.field.type === 'other'
        ? stringColumn(c.field.values.map((v) => (v === null || v === undefined ? null : JSON.stringify(v))))
        : undefined
  );
  // Body: per column a validity buffer (empty without nulls) and its data buffers (strings: offsets, then bytes),
  // each padded to 8.
  const layout: Layout = { rows, nodes: [], buffers: [], bodyLength: 0 };
  const addBuffer = (length: number) => {
    layout.buffers.push({ offset: layout.bodyLength, length });
    layout.bodyLength += pad8(length);
  };
  columns.forEach((_, i) => {
    const column = numbers[i] ?? strings[i];
    // The bitmap's declared length is padded to 8 bytes, as apache-arrow declares it.
    const validityLength = column?.validity ? pad8(column.validity.length) : 0;
    layout.nodes.push({ length: rows, nullCount: column?.nullCount ?? 0 });
    addBuffer(validityLength);
    const str = strings[i];
    if (str) {
      // Declared padded too, as apache-arrow declares them.
      addBuffer(pad8(str.offsets.byteLength));
      addBuffer(pad8(str.data.byteLength));
    } else {
      addBuffer(rows * 8);
    }
  });

  // Record batch message; a frame without fields has no batch at all, as apache-arrow writes it.
  const withBatch = columns.length > 0;
  let messageBytes: Uint8Array = new Uint8Array(0);
  if (withBatch) {
    const m = messageWriter;
    m.reset();
    const message = m.table(m.root(), MESSAGE, [METADATA_V5, HEADER_RECORD_BATCH, 0, layout.bodyLength]);
    const batch = m.table(message + MESSAGE.at[2], RECORD_BATCH, [rows]);
    let at = m.structVector(batch + RECORD_BATCH.at[1], layout.nodes.length, 16);
    for (const node of layout.nodes) {
      m.i64At(at, node.length);
      m.i64At(at + 8, node.nullCount);
      at += 16;
    }
    at = m.structVector(batch + RECORD_BATCH.at[2], layout.buffers.length, 16);
    for (const b of layout.buffers) {
      m.i64At(at, b.offset);
      m.i64At(at + 8, b.length);
      at += 16;
    }
    messageBytes = m.finish();
  }

  const batchOffset = 8;
  const metaDataLength = withBatch ? 8 + messageBytes.length : 0;

  // Footer: version, schema, no dictionaries, the record batch's block.
  const f = footerWriter;
  f.reset();
  const footer = f.table(f.root(), FOOTER, [METADATA_V5]);
  writeSchema(f, footer + FOOTER.at[1], columns, schemaMeta);
  f.structVector(footer + FOOTER.at[2], 0, 24);
  const block = f.structVector(footer + FOOTER.at[3], withBatch ? 1 : 0, 24);
  if (withBatch) {
    f.i64At(block, batchOffset);
    f.i32At(block + 8, metaDataLength);
    f.i64At(block + 16, layout.bodyLength);
  }
  const footerBytes = f.finish();

  const total = 8 + metaDataLength + layout.bodyLength + 8 + footerBytes.length + 4 + MAGIC.length;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  if (withBatch) {
    view.setInt32(batchOffset, -1, true);
    view.setInt32(batchOffset + 4, messageBytes.length, true);
    out.set(messageBytes, batchOffset + 8);
  }
  const body = batchOffset + metaDataLength;
  const words = new Uint32Array(out.buffer, 0, total >> 2);
  let buffer = 0;
  columns.forEach((c, i) => {
    const validityAt = body + layout.buffers[buffer++].offset;
    const data = body + layout.buffers[buffer++].offset;
    const num = numbers[i];
    const str = strings[i];
    if (str) {
      if (str.validity) {
        out.set(str.validity, validityAt);
      }
      str.offsets.forEach((o, r) => view.setInt32(data + r * 4, o, true));
      out.set(str.data, body + layout.buffers[buffer++].offset);
    } else if (num) {
      if (num.validity) {
        out.set(num.validity, validityAt);
      }
      if (LITTLE_ENDIAN) {
        out.set(new Uint8Array(num.values.buffer, 0, rows * 8), data);
      } else {
        num.values.forEach((v, r) => view.setFloat64(data + r * 8, v, true));
      }
    } else {
      const times = c.field.values as number[];
      const written = timeColumns?.get(times);
      if (written) {
        out.set(written, data);
      } else {
        writeNanoseconds(words, view, data, times);
        timeColumns?.set(times, out.slice(data, data + rows * 8));
      }
    }
  });
  let tail = body + layout.bodyLength;
  view.setInt32(tail, -1, true); // end-of-stream marker for sequential readers
  tail += 8;
  out.set(footerBytes, tail);
  tail += footerBytes.length;
  view.setInt32(tail, footerBytes.length, true);
  out.set(MAGIC, tail + 4);
  return out;
}
