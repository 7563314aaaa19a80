// Test support: compares our fake's v1 answers with a real Netdata 1.37.1's (live or captured): key paths in emission
// order and value types. Maps keyed by data (chart ids, dimension ids, alert names, label keys) compare one entry.
type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function typeOf(v: unknown): string {
  return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/** Paths whose object keys are data: compared through their first entry, as `<path>.*`. */
const KEYED_BY_DATA = [
  /^charts$/,
  /^charts\.\*\.(dimensions|alarms|chart_labels)$/,
  /^host_labels$/,
  /^chart_labels$/,
  /^functions$/,
];

/** `path:type` in emission order: objects recursively, arrays through their first element. */
export function shapeOf(v: unknown, path = ''): string[] {
  if (Array.isArray(v)) {
    return v.length > 0 && isObj(v[0]) ? shapeOf(v[0], `${path}[]`) : [];
  }
  if (!isObj(v)) {
    return [];
  }
  if (KEYED_BY_DATA.some((re) => re.test(path))) {
    const first = Object.values(v)[0];
    return first === undefined ? [] : [`${path}.*:${typeOf(first)}`, ...shapeOf(first, `${path}.*`)];
  }
  return Object.entries(v).flatMap(([k, child]) => {
    const p = path ? `${path}.${k}` : k;
    return [`${p}:${typeOf(child)}`, ...shapeOf(child, p)];
  });
}

/** Shapes where a value that may be null (min/max, value/old_value, node_id…) reads `scalar|null` for either. */
export function comparableShape(v: unknown, nullable: RegExp[] = []): string[] {
  return shapeOf(v).map((entry) => {
    const cut = entry.lastIndexOf(':');
    const [path, type] = [entry.slice(0, cut), entry.slice(cut + 1)];
    return nullable.some((re) => re.test(path)) && ['number', 'string', 'null'].includes(type)
      ? `${path}:scalar|null`
      : entry;
  });
}

/** One alarm_log entry's keys may hold a number or null (UNINITIALIZED transitions have no value). */
export const ALARM_LOG_NULLABLE = [/^\[\]\.(value|old_value)$/];
export const DATA_NULLABLE = [/^(min|max)$/];
/** Claimed or not: `node_id`/`claim_id` are a string or null. */
export const HOSTS_STATUS_NULLABLE = [/\.(node_id|claim_id)$/];

/** Rows (jsonwrap `result.data` or plain `data`): time first (a number), then a number or null per column. */
export function rowsAreNumbers(doc: unknown): boolean {
  const d = doc as { result?: { data: unknown[][] }; data?: unknown[][] };
  const data = d.result?.data ?? d.data ?? [];
  return data.every(
    (row) => typeof row[0] === 'number' && row.slice(1).every((x) => x === null || typeof x === 'number')
  );
}

/** Keys of `ours` are a subset of `real`'s, in the same relative order; common keys have the same type. */
export function subsetInOrder(
  ours: Obj,
  real: Obj,
  ignoreTypes: string[] = []
): { extra: string[]; order: string[]; types: string[] } {
  const ourKeys = Object.keys(ours);
  const realKeys = Object.keys(real);
  return {
    extra: ourKeys.filter((k) => !realKeys.includes(k)),
    order: realKeys.filter((k) => ourKeys.includes(k)),
    types: ourKeys
      .filter((k) => realKeys.includes(k) && !ignoreTypes.includes(k) && typeOf(ours[k]) !== typeOf(real[k]))
      .map((k) => `${k}: ours ${typeOf(ours[k])}, real ${typeOf(real[k])}`),
  };
}
