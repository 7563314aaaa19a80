// Encodes the core Frame model as one Arrow IPC *file*, the layout Grafana's Go reader expects
// (grafana-backend-protocol.md §3): Timestamp<ns> without timezone, nullable Float64 values, explicit types.
// Every text in it (names, labels, config, meta) is scrubbed of secrets; values are numbers only. The bytes are
// written directly (arrowIpc.ts); testing/arrowReference.ts builds the same frame with apache-arrow for the tests.
import type { Field, Frame } from '../../netdata/types';
import { scrubSecrets } from '../log/secrets';
import { isNullable, writeArrowFile, type ColumnMetadata, type TimeColumnCache } from './arrowIpc';

export function fieldMetadataEntries(field: Field): Array<[string, string]> {
  const entries: Array<[string, string]> = [['tstype', field.type]];
  const labels = field.type === 'number' ? field.labels : undefined;
  if (labels && Object.keys(labels).length > 0) {
    entries.push(['labels', scrubSecrets(JSON.stringify(labels))]);
  }
  if (field.config && Object.keys(field.config).length > 0) {
    entries.push(['config', scrubSecrets(JSON.stringify(field.config))]);
  }
  return entries;
}

export function schemaMetadataEntries(frame: Frame): Array<[string, string]> {
  const entries: Array<[string, string]> = [
    ['name', scrubSecrets(frame.name ?? '')],
    ['refId', frame.refId],
  ];
  if (frame.meta && Object.keys(frame.meta).length > 0) {
    // executedQueryString, notices and titles come from the query and from Netdata: never let a token through.
    entries.push(['meta', scrubSecrets(JSON.stringify(frame.meta))]);
  }
  return entries;
}

export function rowCount(frame: Frame): number {
  const length = frame.fields.length === 0 ? 0 : frame.fields[0].values.length;
  if (frame.fields.some((f) => f.values.length !== length)) {
    throw new Error(`frame ${frame.refId}: fields have different lengths`);
  }
  const nullIn = frame.fields.find((f) => !isNullable(f) && f.type !== 'time' && f.values.some((v) => v === null));
  if (nullIn !== undefined) {
    throw new Error(`frame ${frame.refId}: the non-nullable field ${nullIn.name} holds a null`);
  }
  return length;
}

/** Arrow IPC file bytes for `DataResponse.frames`. */
export function encodeFrame(frame: Frame, timeColumns?: TimeColumnCache): Uint8Array {
  const rows = rowCount(frame);
  const columns: ColumnMetadata[] = frame.fields.map((field) => ({
    field: { ...field, name: scrubSecrets(field.name) } as Field,
    metadata: fieldMetadataEntries(field),
  }));
  return writeArrowFile(columns, schemaMetadataEntries(frame), rows, timeColumns);
}

/**
 * The frames of one answer, each as its Arrow IPC file. A time array several frames share (json2ToFrames gives
 * every series the same one) is converted to nanoseconds once.
 */
export function encodeFrames(frames: readonly Frame[]): Uint8Array[] {
  const timeColumns: TimeColumnCache = new Map();
  return frames.map((frame) => encodeFrame(frame, timeColumns));
}
