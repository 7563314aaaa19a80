// A core Frame as Grafana's data frame JSON ({schema, data}, the Go SDK's FrameToJSON / @grafana/data's
// DataFrameJSON): what a Grafana Live stream packet carries. Times are epoch ms; NaN/±Inf go to `entities`.
import type { Field, Frame } from '../../netdata/types';
import { scrubSecrets } from '../log/secrets';
import { isNullable } from './arrowIpc';

interface FieldEntities {
  NaN?: number[];
  Inf?: number[];
  NegInf?: number[];
}

const TYPE_INFO: Record<Field['type'], { frame: string; nullable?: boolean }> = {
  time: { frame: 'time.Time' },
  number: { frame: 'float64', nullable: true },
  string: { frame: 'string', nullable: true },
  other: { frame: 'json.RawMessage', nullable: true },
};

function fieldSchema(field: Field): Record<string, unknown> {
  const info = TYPE_INFO[field.type];
  const typeInfo = info.nullable && !isNullable(field) ? { frame: info.frame } : info;
  const schema: Record<string, unknown> = { name: field.name, type: field.type, typeInfo };
  if (field.type === 'number' && field.labels && Object.keys(field.labels).length > 0) {
    schema.labels = field.labels;
  }
  if (field.config && Object.keys(field.config).length > 0) {
    schema.config = field.config;
  }
  return schema;
}

function numberValues(values: Array<number | null>): { values: Array<number | null>; entities: FieldEntities | null } {
  let entities: FieldEntities | null = null;
  const out = values.map((v, i) => {
    if (v === null || Number.isFinite(v)) {
      return v;
    }
    entities ??= {};
    const key = Number.isNaN(v) ? 'NaN' : v > 0 ? 'Inf' : 'NegInf';
    (entities[key] ??= []).push(i);
    return null;
  });
  return { values: out, entities };
}

/** The frame as DataFrameJSON text, scrubbed of secrets like the Arrow frames. */
export function frameJson(frame: Frame): string {
  const values: unknown[] = [];
  const entities: Array<FieldEntities | null> = [];
  for (const field of frame.fields) {
    if (field.type === 'number') {
      const n = numberValues(field.values);
      values.push(n.values);
      entities.push(n.entities);
    } else {
      values.push(field.values);
      entities.push(null);
    }
  }
  const schema: Record<string, unknown> = { refId: frame.refId, fields: frame.fields.map(fieldSchema) };
  if (frame.name !== undefined) {
    schema.name = frame.name;
  }
  if (frame.meta && Object.keys(frame.meta).length > 0) {
    schema.meta = frame.meta;
  }
  const data: Record<string, unknown> = { values };
  if (entities.some((e) => e !== null)) {
    data.entities = entities;
  }
  return scrubSecrets(JSON.stringify({ schema, data }));
}
