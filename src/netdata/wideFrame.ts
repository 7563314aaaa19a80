// Timeseries-multi frames (one per series) → one "timeseries-wide" frame: a Grafana Live channel carries one frame,
// so a live panel gets all its series as value fields of one frame, with the same names, labels and config.
import type { Frame, FrameMeta, NumberField, TimeField } from './types';

/** One frame: the union of the frames' times (ascending) and every number field, null where a series has no row. */
export function toWideFrame(frames: readonly Frame[], refId: string, meta?: FrameMeta): Frame {
  const times = new Set<number>();
  for (const frame of frames) {
    const time = frame.fields.find((f): f is TimeField => f.type === 'time');
    time?.values.forEach((t) => times.add(t));
  }
  const sorted = [...times].sort((a, b) => a - b);
  const row = new Map(sorted.map((t, i) => [t, i]));
  const fields: NumberField[] = [];
  const notices = frames.flatMap((f) => f.meta?.notices ?? []);
  for (const frame of frames) {
    const time = frame.fields.find((f): f is TimeField => f.type === 'time');
    for (const field of frame.fields) {
      if (field.type !== 'number' || time === undefined) {
        continue;
      }
      const values: Array<number | null> = new Array<number | null>(sorted.length).fill(null);
      time.values.forEach((t, i) => {
        values[row.get(t) as number] = field.values[i];
      });
      fields.push({ ...field, values });
    }
  }
  const first = frames[0]?.meta;
  const wideMeta: FrameMeta = {
    ...(first?.executedQueryString !== undefined ? { executedQueryString: first.executedQueryString } : {}),
    ...meta,
    type: 'timeseries-wide',
    typeVersion: [0, 1],
  };
  if (notices.length > 0) {
    wideMeta.notices = notices;
  }
  const timeConfig = frames[0]?.fields.find((f) => f.type === 'time')?.config;
  const timeField: TimeField = {
    name: 'time',
    type: 'time',
    values: sorted,
    ...(timeConfig ? { config: timeConfig } : {}),
  };
  return { refId, meta: wideMeta, fields: [timeField, ...fields] };
}

/** The rows of a wide frame strictly after `afterMs` (the frame's times are ascending). */
export function rowsAfter(frame: Frame, afterMs: number): Frame {
  const time = frame.fields[0];
  if (time === undefined || time.type !== 'time') {
    return frame;
  }
  let start = 0;
  while (start < time.values.length && time.values[start] <= afterMs) {
    start++;
  }
  return {
    ...frame,
    fields: frame.fields.map((f) => ({ ...f, values: f.values.slice(start) }) as typeof f),
  };
}

/** The frame's newest time, or undefined without rows. */
export function lastTime(frame: Frame): number | undefined {
  const time = frame.fields[0];
  if (time === undefined || time.type !== 'time' || time.values.length === 0) {
    return undefined;
  }
  return time.values[time.values.length - 1];
}
