// What a json2 document says each output series is, read straight from the document (independently of the
// plugin's frame builder), for comparing decoded Arrow frames row by row.
import type { Table } from 'apache-arrow';

export interface ExpectedSeries {
  id: string;
  name: string;
  /** Epoch ms, ascending. */
  times: number[];
  values: Array<number | null>;
}

interface Json2Like {
  result: { labels: string[]; point?: Record<string, number>; data: unknown[][] };
  view: { dimensions: { ids: string[]; names?: string[] } };
}

function epochMs(t: unknown): number {
  if (typeof t !== 'number') {
    throw new Error(`unexpected row time ${JSON.stringify(t)}`);
  }
  return t < 1e11 ? t * 1000 : t;
}

export function expectedSeries(doc: Json2Like): ExpectedSeries[] {
  const valueAt = doc.result.point?.value ?? 0;
  const paAt = doc.result.point?.pa ?? 2;
  const rows = doc.result.data.map((row) => ({ t: epochMs(row[0]), row })).sort((a, b) => a.t - b.t);
  return doc.view.dimensions.ids.map((id, i) => ({
    id,
    name: doc.view.dimensions.names?.[i] ?? id,
    times: rows.map((r) => r.t),
    values: rows.map(({ row }) => {
      const point = row[i + 1] as unknown[];
      const value = point[valueAt];
      const pa = typeof point[paAt] === 'number' ? (point[paAt] as number) : 0;
      return typeof value === 'number' && (pa & 1) === 0 ? value : null;
    }),
  }));
}

export interface DecodedSeries {
  name: string;
  labels: Record<string, string>;
  times: number[];
  values: Array<number | null>;
}

/** One timeseries-multi frame: a time field and a number field. */
export function decodedSeries(table: Table): DecodedSeries {
  const time = table.getChildAt(0)!;
  const value = table.getChildAt(1)!;
  const field = table.schema.fields[1];
  const times: number[] = [];
  const values: Array<number | null> = [];
  for (let i = 0; i < table.numRows; i++) {
    times.push(Number((time.data[0].values as BigInt64Array)[i] / BigInt(1_000_000)));
    values.push(value.get(i) as number | null);
  }
  return { name: field.name, labels: JSON.parse(field.metadata.get('labels') ?? '{}'), times, values };
}
