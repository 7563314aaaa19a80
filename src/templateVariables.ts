import type { ScopedVars } from '@grafana/data';
import type { TemplateSrv } from '@grafana/runtime';

import { escapeName } from './netdata/patterns';
import type { LabelFilter } from './netdata/types';
import type { NetdataQuery } from './types';

/**
 * Resolves dashboard variables in every string of a query. List fields (nodes, instances, dimensions,
 * group-by labels, label values) get one item per value of a multi-value variable, each one exact name or pattern
 * (never split on `,` or `|`); an "All" value with a custom all value (e.g. `*`) stays that literal value, as
 * Grafana passes it through unformatted.
 */
export function interpolateQuery(query: NetdataQuery, scopedVars: ScopedVars, templateSrv: TemplateSrv): NetdataQuery {
  const one = (text: string | undefined) => (text === undefined ? undefined : templateSrv.replace(text, scopedVars));
  const many = (values: string[] | undefined) => interpolateList(values, scopedVars, templateSrv);

  const out: NetdataQuery = { ...query };
  // Several contexts form one Netdata pattern, `a|b` (`disk.$dev` with two devices: `disk.sda|disk.sdb`); a value is
  // a name in that pattern text, so its `\`, `,` and `|` are escaped (netdata-api-extra.md §8.3).
  assign(
    out,
    'context',
    typeof query.context === 'string'
      ? expand(query.context, scopedVars, templateSrv, escapeName)
          .filter((c) => c !== '')
          .join('|')
      : undefined
  );
  assign(out, 'spaceId', one(query.spaceId));
  assign(out, 'roomId', one(query.roomId));
  assign(out, 'legendFormat', one(query.legendFormat));
  assign(out, 'timeGroupOptions', one(query.timeGroupOptions));
  assign(out, 'nodes', many(query.nodes));
  assign(out, 'instances', many(query.instances));
  assign(out, 'dimensions', many(query.dimensions));
  assign(out, 'groupByLabels', many(query.groupByLabels));
  assign(out, 'labels', interpolateLabels(query.labels, scopedVars, templateSrv));
  return out;
}

/** Interpolates list items, expanding multi-value variables into separate items (deduplicated, empties dropped). */
export function interpolateList(
  values: string[] | undefined,
  scopedVars: ScopedVars,
  templateSrv: TemplateSrv
): string[] | undefined {
  if (!Array.isArray(values)) {
    return values;
  }
  const out: string[] = [];
  for (const value of values) {
    for (const item of expand(value, scopedVars, templateSrv)) {
      if (item !== '' && !out.includes(item)) {
        out.push(item);
      }
    }
  }
  return out;
}

function interpolateLabels(
  labels: LabelFilter[] | undefined,
  scopedVars: ScopedVars,
  templateSrv: TemplateSrv
): LabelFilter[] | undefined {
  if (!Array.isArray(labels)) {
    return labels;
  }
  const out: LabelFilter[] = [];
  for (const label of labels) {
    const key = templateSrv.replace(label.key, scopedVars);
    for (const value of expand(label.value, scopedVars, templateSrv)) {
      if (!out.some((l) => l.key === key && l.value === value)) {
        out.push({ key, value });
      }
    }
  }
  return out;
}

const OPEN = '\uE000';
const CLOSE = '\uE001';

/**
 * One text → its values. Each variable is replaced by a placeholder while its values are collected, then
 * the text is multiplied out: `disk.$dev` with dev = [sda, sdb] gives `disk.sda`, `disk.sdb`.
 */
function expand(
  text: string,
  scopedVars: ScopedVars,
  templateSrv: TemplateSrv,
  escape: (value: string) => string = (v) => v
): string[] {
  const captured: string[][] = [];
  const replaced = templateSrv.replace(text, scopedVars, (value: unknown) => {
    const values = (
      Array.isArray(value) ? value.map(String) : [value === undefined || value === null ? '' : String(value)]
    ).map(escape);
    captured.push(values);
    return `${OPEN}${captured.length - 1}${CLOSE}`;
  });
  let results = [replaced];
  captured.forEach((values, i) => {
    const token = `${OPEN}${i}${CLOSE}`;
    results = results.flatMap((r) => (r.includes(token) ? values.map((v) => r.split(token).join(v)) : [r]));
  });
  return results;
}

function assign<K extends keyof NetdataQuery>(target: NetdataQuery, key: K, value: NetdataQuery[K] | undefined) {
  if (value !== undefined) {
    target[key] = value;
  }
}
