// The reference encoding of a Frame with apache-arrow's own Table and writer (tests only): the direct writer
// (frames/arrowIpc.ts) must decode to the same thing, with the same record batch body. Not part of the executable.
import {
  Binary,
  Field as ArrowField,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampNanosecond,
  Utf8,
  type Data,
} from 'apache-arrow';
import type { Frame, NumberField, StringField, TimeField } from '../../netdata/types';
import { scrubSecrets } from '../log/secrets';
import { fieldMetadataEntries, rowCount, schemaMetadataEntries } from '../frames/arrowFrame';

const NS_PER_MS = BigInt(1_000_000);

function timeColumn(field: TimeField, metadata: Map<string, string>): { field: ArrowField; data: Data } {
  const type = new TimestampNanosecond();
  // Math.round: the Go reader wants whole nanoseconds; ms values from Netdata are integers anyway.
  const values = BigInt64Array.from(field.values, (ms) => BigInt(Math.round(ms)) * NS_PER_MS);
  return {
    field: new ArrowField(scrubSecrets(field.name), type, false, metadata),
    data: makeData({ type, length: values.length, nullCount: 0, data: values }),
  };
}

function numberColumn(field: NumberField, metadata: Map<string, string>): { field: ArrowField; data: Data } {
  const type = new Float64();
  const length = field.values.length;
  const values = new Float64Array(length);
  const validity = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  field.values.forEach((v, i) => {
    if (v === null || v === undefined) {
      nullCount++;
    } else {
      values[i] = v;
      validity[i >> 3] |= 1 << (i & 7);
    }
  });
  return {
    field: new ArrowField(scrubSecrets(field.name), type, true, metadata),
    data: makeData({ type, length, nullCount, nullBitmap: validity, data: values }),
  };
}

function stringColumn(
  field: StringField,
  metadata: Map<string, string>,
  type: Utf8 | Binary = new Utf8()
): { field: ArrowField; data: Data } {
  const length = field.values.length;
  const encoder = new TextEncoder();
  const encoded = field.values.map((v) => (v === null ? new Uint8Array(0) : encoder.encode(v)));
  const valueOffsets = new Int32Array(length + 1);
  encoded.forEach((bytes, i) => (valueOffsets[i + 1] = valueOffsets[i] + bytes.length));
  const data = new Uint8Array(valueOffsets[length]);
  encoded.forEach((bytes, i) => data.set(bytes, valueOffsets[i]));
  const validity = new Uint8Array(Math.ceil(length / 8));
  let nullCount = 0;
  field.values.forEach((v, i) => {
    if (v === null) {
      nullCount++;
    } else {
      validity[i >> 3] |= 1 << (i & 7);
    }
  });
  return {
    field: new ArrowField(scrubSecrets(field.name), type, true, metadata),
    data:
      type instanceof Binary
        ? makeData({ type, length, nullCount, nullBitmap: validity, valueOffsets, data })
        : makeData({ type, length, nullCount, nullBitmap: validity, valueOffsets, data }),
  };
}

/** The frame as an apache-arrow Table; `tableToIPC(frameToArrowTable(frame), 'file')` is the reference bytes. */
export function frameToArrowTable(frame: Frame): Table {
  const length = rowCount(frame);
  const columns = frame.fields.map((f) => {
    const metadata = new Map(fieldMetadataEntries(f));
    if (f.type === 'string') {
      return stringColumn(f, metadata);
    }
    if (f.type === 'other') {
      const text = f.values.map((v) => (v === null ? null : JSON.stringify(v)));
      return stringColumn({ name: f.name, type: 'string', values: text }, metadata, new Binary());
    }
    return f.type === 'time' ? timeColumn(f, metadata) : numberColumn(f, metadata);
  });
  const schema = new Schema(
    columns.map((c) => c.field),
    new Map(schemaMetadataEntries(frame))
  );
  if (columns.length === 0) {
    return new Table(schema);
  }
  const struct = makeData({
    type: new Struct(schema.fields),
    length,
    nullCount: 0,
    children: columns.map((c) => c.data),
  });
  return new Table([new RecordBatch(schema, struct)]);
}
