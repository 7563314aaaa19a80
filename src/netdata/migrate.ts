// Earlier saved query shapes → the field names and words of the current query model. Pure and idempotent;
// `parseQuery` runs it first, so dashboards, provisioning, alert rules and the editor all read the same model.
//
// Facts about Netdata's own Grafana plugin (netdata/netdata-grafana-datasource-plugin, sources up to Nov 2025),
// whose saved queries users bring along:
// - `contextId`: one context id; `spaceId`, `roomId`: Cloud space and room (same names as ours);
// - `nodes`: array of node ids; `dimensions`: array of dimension ids (both same names as ours);
// - `groupBy`: first one string, `dimension` | `node` | `instance` or a label key; later an array mixing those words
//   with label keys (label keys are sent as `group_by_label` behind one `label` word);
// - `method`: aggregation across series, `avg` | `sum` | `min` | `max`;
// - `group`: time aggregation, `avg` (its "Average") | `min` | `max` | `sum` | `incremental-sum` | `stddev` |
//   `median` | `ses` | `des` | `cv`;
// - `filterBy` + `filterValue`: one label filter (`filterBy` = "No filter" means none);
// - `legend`: a `{{…}}` template over label keys, where `{{name}}` is the series name.
// Older versions of that plugin also sent the legacy group-by word `chart` (an instance).
import { splitPatternText } from './patterns';
import { aggregationByName, isGroupByWord, timeGroupByName } from './vocabulary';

type Raw = Record<string, unknown>;

/** Fields only Netdata's own plugin saved: their presence marks its shape. */
const NETDATA_PLUGIN_KEYS = ['contextId', 'method', 'group', 'filterBy', 'filterValue', 'legend'] as const;
const NO_FILTER = 'no filter';
const LIST_FIELDS = ['nodes', 'instances', 'dimensions', 'groupByLabels'] as const;

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** Moves a legacy field to its current name unless the current one is already set; the legacy field goes. */
function rename(out: Raw, from: string, to: string): void {
  if (!(from in out)) {
    return;
  }
  if (isBlank(out[to]) && !isBlank(out[from])) {
    out[to] = out[from];
  }
  delete out[from];
}

/** `"k:v"` → `{key, value}`; anything else is kept for parseQuery to report. */
function labelItem(item: unknown): unknown {
  if (typeof item !== 'string') {
    return item;
  }
  const colon = item.indexOf(':');
  return colon < 0 ? item : { key: item.slice(0, colon), value: item.slice(colon + 1) };
}

function migrateLabels(value: unknown): unknown {
  if (typeof value === 'string') {
    return value
      .split(/[|,]/)
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .map(labelItem);
  }
  if (Array.isArray(value)) {
    return value.map(labelItem);
  }
  if (isRecord(value)) {
    // `{ key: value }` or `{ key: [values] }`, the label map of Netdata's v2 Cloud filter.
    const labels: unknown[] = [];
    for (const [key, v] of Object.entries(value)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        labels.push(typeof item === 'string' ? { key, value: item } : item);
      }
    }
    return labels;
  }
  return value;
}

function migrateGroupBy(out: Raw, labelKeysAllowed: boolean): void {
  const value = out.groupBy;
  let items: unknown[];
  if (typeof value === 'string') {
    items = value.split(/[,|\s]+/);
  } else if (Array.isArray(value)) {
    items = value;
  } else {
    return;
  }
  const words: unknown[] = [];
  const labelKeys: string[] = [];
  for (const item of items) {
    if (typeof item !== 'string') {
      words.push(item);
      continue;
    }
    const trimmed = item.trim();
    const word = trimmed.toLowerCase();
    if (word === '') {
      continue;
    }
    if (word === 'chart') {
      words.push('instance');
    } else if (isGroupByWord(word)) {
      words.push(word);
    } else if (labelKeysAllowed) {
      labelKeys.push(trimmed);
    } else {
      words.push(trimmed);
    }
  }
  if (labelKeys.length > 0) {
    const existing = Array.isArray(out.groupByLabels) ? out.groupByLabels : [];
    out.groupByLabels = Array.from(new Set([...existing, ...labelKeys]));
    words.push('label');
  }
  out.groupBy = words.filter((w, i) => typeof w !== 'string' || words.indexOf(w) === i);
}

function migrateTimeGroup(out: Raw): void {
  if (typeof out.timeGroup !== 'string') {
    return;
  }
  const name = out.timeGroup.trim().toLowerCase();
  const direct = timeGroupByName(name);
  if (direct !== undefined) {
    out.timeGroup = direct;
    return;
  }
  // `percentile95`: the number is the option unless one is given (an explicit option wins, as in Netdata).
  const numbered = /^(percentile|trimmed-mean|trimmed-median)(\d+(?:\.\d+)?)$/.exec(name);
  if (numbered) {
    out.timeGroup = numbered[1];
    if (isBlank(out.timeGroupOptions)) {
      out.timeGroupOptions = numbered[2];
    }
  }
}

/**
 * Turns an earlier saved query into the current model's shape: Netdata's own plugin fields, single-string lists
 * (`nodes: "a,b"`, `labels: "k:v|k2:v2"`, `groupBy: "node,instance"`), the legacy word `chart` and aliases such as
 * `average`. Unknown keys (refId, datasource, …) are kept; values it cannot read are left for parseQuery to report.
 * Applying it twice gives the same result as once.
 */
export function migrateQuery(raw: Record<string, unknown>): Record<string, unknown> {
  const out: Raw = { ...raw };
  const fromNetdataPlugin = NETDATA_PLUGIN_KEYS.some((k) => out[k] !== undefined);

  rename(out, 'contextId', 'context');
  rename(out, 'method', 'aggregation');
  rename(out, 'group', 'timeGroup');
  rename(out, 'legend', 'legendFormat');

  for (const field of LIST_FIELDS) {
    const value = out[field];
    if (typeof value === 'string') {
      out[field] = splitPatternText(value);
    }
  }

  if (out.labels !== undefined && out.labels !== null) {
    out.labels = migrateLabels(out.labels);
  }
  if ('filterBy' in out || 'filterValue' in out) {
    const key = out.filterBy;
    const value = out.filterValue;
    if (typeof key === 'string' && typeof value === 'string' && !isBlank(key) && !isBlank(value)) {
      if (key.trim().toLowerCase() !== NO_FILTER) {
        const labels = Array.isArray(out.labels) ? out.labels : [];
        out.labels = [...labels, { key, value }];
      }
    }
    delete out.filterBy;
    delete out.filterValue;
  }

  migrateGroupBy(out, fromNetdataPlugin);

  if (typeof out.aggregation === 'string') {
    out.aggregation = aggregationByName(out.aggregation) ?? out.aggregation;
  }
  migrateTimeGroup(out);
  return out;
}
