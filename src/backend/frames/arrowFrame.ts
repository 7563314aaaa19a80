// Encodes the core Frame model as one Arrow IPC *file*, the layout Grafana's Go reader expects
// (grafana-backend-protocol.md §3): Timestamp<ns> without timezone, nullable Float64 values, explicit types.
import {
  Field as ArrowField,
  Float64,
  makeData,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  TimestampNanosecond,
  type Data,
} from 'apache-arrow';
import type { Field, FieldConfig, Frame, NumberField, TimeField } from '../../netdata/types';

const NS_PER_MS = BigInt(1_000_000);

function fieldMetadata(tstype: string, labels?: Record<string, string>, config?: FieldConfig): Map<string, string> {
  const meta = new Map<string, string>([['tstype', tstype]]);
  if (labels && Object.keys(labels).length > 0) {
    meta.set('labels', JSON.stringify(labels));
  }
  if (config && Object.keys(config).length > 0) {
    meta.set('config', JSON.stringify(config));
  }
  return meta;
}

function timeColumn(field: TimeField): { field: ArrowField; data: Data } {
  const type = new TimestampNanosecond();
  // Math.round: the Go reader wants whole nanoseconds; ms values from Netdata are integers anyway.
  const values = BigInt64Array.from(field.values, (ms) => BigInt(Math.round(ms)) * NS_PER_MS);
  return {
    field: new ArrowField(field.name, type, false, fieldMetadata('time', undefined, field.config)),
    data: makeData({ type, length: values.length, nullCount: 0, data: values }),
  };
}

function numberColumn(field: NumberField): { field: ArrowField; data: Data } {
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
    field: new ArrowField(field.name, type, true, fieldMetadata('number', field.labels, field.config)),
    data: makeData({ type, length, nullCount, nullBitmap: validity, data: values }),
  };
}

function column(field: Field): { field: ArrowField; data: Data } {
  return field.type === 'time' ? timeColumn(field) : numberColumn(field);
}

export function frameToArrowTable(frame: Frame): Table {
  const metadata = new Map<string, string>([
    ['name', frame.name ?? ''],
    ['refId', frame.refId],
  ]);
  if (frame.meta && Object.keys(frame.meta).length > 0) {
    metadata.set('meta', JSON.stringify(frame.meta));
  }
  const columns = frame.fields.map(column);
  const schema = new Schema(
    columns.map((c) => c.field),
    metadata
  );
  if (columns.length === 0) {
    return new Table(schema);
  }
  const length = columns[0].data.length;
  if (columns.some((c) => c.data.length !== length)) {
    throw new Error(`frame ${frame.refId}: fields have different lengths`);
  }
  const struct = makeData({
    type: new Struct(schema.fields),
    length,
    nullCount: 0,
    children: columns.map((c) => c.data),
  });
  return new Table([new RecordBatch(schema, struct)]);
}

/** Arrow IPC file bytes for `DataResponse.frames`. */
export function encodeFrame(frame: Frame): Uint8Array {
  return tableToIPC(frameToArrowTable(frame), 'file');
}
