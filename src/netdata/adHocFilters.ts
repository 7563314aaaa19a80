// Grafana ad hoc filters (the dashboard filter bar, Explore's "filter for / filter out value") applied to the
// selection of a metrics query: Netdata labels, and the node, instance and dimension selectors.
//
// What Netdata can express decides what is accepted (netdata-api.md §2.2, §2.7):
// - node/instance/dimension are simple patterns, first match wins: `!=` becomes a leading `!value` item, which
//   excludes exactly that name whatever the query selected; `=` narrows the query's own selection to the filter's
//   values that selection accepts. Names are exact: `,` `|` `\` and a leading `!` are escaped when sent
//   (netdata-api-extra.md §8.3); a `*` cannot be escaped in Netdata, so a name holding one is refused.
// - labels are exact `key:value` items, same key OR-ed, different keys AND-ed, and Netdata ignores a leading `!`
//   (it would select the opposite): `=` works, `!=` cannot be sent and is refused with a message saying so.
import { entryParts, globRegExp, labelFilterProblem, nameEntry, patternItems } from './patterns';
import type { LabelFilter, Result } from './types';

/** One filter as Grafana hands it over (`AdHocVariableFilter`): `values` with the multi-value operators. */
export interface AdHocFilter {
  key: string;
  operator: string;
  value: string;
  values?: string[];
}

/** The part of a metrics query the filters change. */
export interface AdHocSelection {
  nodes: string[];
  instances: string[];
  dimensions: string[];
  labels: LabelFilter[];
}

/** Filter keys that are Netdata selectors rather than labels; every other key is a label key. */
export const SELECTOR_KEYS = ['node', 'instance', 'dimension'] as const;
export type SelectorKey = (typeof SELECTOR_KEYS)[number];

const FIELD: Record<SelectorKey, 'nodes' | 'instances' | 'dimensions'> = {
  node: 'nodes',
  instance: 'instances',
  dimension: 'dimensions',
};

export function isSelectorKey(key: string): key is SelectorKey {
  return (SELECTOR_KEYS as readonly string[]).includes(key);
}

type Sense = 'include' | 'exclude';

function sense(operator: string): Sense | undefined {
  switch (operator) {
    case '=':
    case '=|':
      return 'include';
    case '!=':
    case '!=|':
      return 'exclude';
    default:
      return undefined;
  }
}

function valuesOf(filter: AdHocFilter): string[] {
  const list = filter.operator.endsWith('|') && filter.values?.length ? filter.values : [filter.value];
  return list.map((v) => String(v ?? '').trim());
}

class AdHocError extends Error {}

/**
 * A name as one exact pattern entry. `,` `|` `\` and `!` are escaped when sent; `*` cannot be (Netdata reads it as a
 * wildcard even escaped, §8.3), so the filter would select more than the name: refused.
 */
function exactItem(key: string, value: string): string {
  if (value === '') {
    throw new AdHocError(`Ad hoc filter ${key} has an empty value`);
  }
  const bad = /[*&]/.exec(value) ?? (/[\u0000-\u001f\u007f]/.test(value) ? ['a control character'] : null);
  if (bad) {
    const why =
      bad[0] === '*'
        ? "'*', which Netdata patterns cannot escape (it is always a wildcard), so the filter would also select " +
          `other ${FIELD[key as SelectorKey] ?? 'names'}; use the query's own ${key} selector with a pattern instead`
        : bad[0] === '&'
          ? "'&', which cannot be sent to Netdata (it always splits URL parameters on '&')"
          : 'a control character, which cannot be sent to Netdata';
    throw new AdHocError(`Ad hoc filter ${key} = "${value}" contains ${why}`);
  }
  return nameEntry(value);
}

/** Netdata simple-pattern matching (§2.2): the first item that matches decides; nothing matched = not selected. */
function matches(items: readonly string[], text: string): boolean {
  for (const item of items) {
    const { negative, glob } = entryParts(item);
    if (globRegExp(glob).test(text)) {
      return !negative;
    }
  }
  return false;
}

/** An empty selector or a leading `*` selects everything (§2.2). */
function selectsAll(items: readonly string[]): boolean {
  return items.length === 0 || items[0] === '*';
}

function applySelector(selected: string[], key: SelectorKey, include: string[][], exclude: string[]): string[] {
  let items = patternItems(selected);
  // Each `=` filter narrows what is left: values of one filter (`=|`) are alternatives, separate filters of the
  // same key each have to hold.
  for (const values of include) {
    const kept = selectsAll(items) ? values : values.filter((v) => matches(items, entryParts(v).glob));
    if (kept.length === 0) {
      throw new AdHocError(
        `Ad hoc filter ${key} = ${values.join(' or ')} selects none of this query's ${FIELD[key]} ` +
          `(${items.join(', ')})` +
          (key === 'node' ? '; the query may name its nodes by id while the filter names them by hostname' : '')
      );
    }
    items = [...new Set(kept)];
  }
  if (exclude.length > 0) {
    // Exclusions first: the first matching item wins, so `!x` holds whatever the query's own items select.
    // `!` + the name: `!!x` excludes the name `!x` (sent as `!\!x`).
    items = [...new Set(exclude)].map((v) => `!${entryParts(v).glob}`).concat(selectsAll(items) ? ['*'] : items);
  }
  return items;
}

function applyLabels(labels: LabelFilter[], byKey: Map<string, string[][]>): LabelFilter[] {
  let out = [...labels];
  for (const [key, includes] of byKey) {
    let values: string[] | undefined = out.filter((l) => l.key === key).map((l) => l.value);
    if (values.length === 0) {
      values = undefined;
    }
    for (const filterValues of includes) {
      const kept: string[] = values ? filterValues.filter((v) => values!.includes(v)) : filterValues;
      if (kept.length === 0) {
        throw new AdHocError(
          `Ad hoc filter ${key} = ${filterValues.join(' or ')} selects none of this query's own ${key} label ` +
            `values (${values!.join(', ')})`
        );
      }
      values = [...new Set(kept)];
    }
    out = out.filter((l) => l.key !== key).concat((values ?? []).map((value) => ({ key, value })));
  }
  return out;
}

/**
 * The selection with the ad hoc filters applied: filters of the same key are OR-ed when they are `=` (Netdata's own
 * label rule, and what `key = a`, `key = b` means in a filter bar over one label), different keys AND-ed, and the
 * query's own selection still holds. An error names the filter Netdata cannot apply; the query must then fail
 * rather than run unfiltered.
 */
export function applyAdHocFilters(selection: AdHocSelection, filters: readonly AdHocFilter[]): Result<AdHocSelection> {
  try {
    const includeByKey = new Map<string, string[]>();
    const excludeByKey = new Map<string, string[]>();
    for (const filter of filters) {
      const key = String(filter.key ?? '').trim();
      if (key === '') {
        continue;
      }
      const s = sense(filter.operator);
      if (s === undefined) {
        throw new AdHocError(
          `Ad hoc filter ${key} ${filter.operator} ${filter.value}: Netdata matches exact names and patterns only, ` +
            'so only = and != can be applied' +
            (isSelectorKey(key) ? '' : ' (and only = to labels)')
        );
      }
      let values = valuesOf(filter);
      if (isSelectorKey(key)) {
        values = values.map((v) => exactItem(key, v));
      } else {
        for (const v of values) {
          const problem = labelFilterProblem(key, v);
          if (problem !== undefined) {
            throw new AdHocError(`Ad hoc filter ${key} = "${v}" ${problem}`);
          }
        }
        if (s === 'exclude') {
          throw new AdHocError(
            `Ad hoc filter ${key} != ${values.join(', ')}: Netdata cannot exclude by label. Its label filters are ` +
              `exact key:value matches; a leading '!' is ignored, so it would select ${key}=${values[0]} instead. ` +
              'Use = with the values to keep, or filter out by instance'
          );
        }
      }
      const map = s === 'include' ? includeByKey : excludeByKey;
      map.set(key, [...(map.get(key) ?? []), ...values]);
    }

    const out: AdHocSelection = {
      nodes: [...selection.nodes],
      instances: [...selection.instances],
      dimensions: [...selection.dimensions],
      labels: [...selection.labels],
    };
    const labelIncludes = new Map<string, string[][]>();
    for (const [key, values] of includeByKey) {
      if (!isSelectorKey(key)) {
        labelIncludes.set(key, [values]);
      }
    }
    for (const key of SELECTOR_KEYS) {
      const include = includeByKey.get(key);
      const exclude = excludeByKey.get(key) ?? [];
      if (include || exclude.length) {
        out[FIELD[key]] = applySelector(selection[FIELD[key]], key, include ? [include] : [], exclude);
      }
    }
    out.labels = applyLabels(selection.labels, labelIncludes);
    return { ok: true, value: out };
  } catch (err) {
    if (err instanceof AdHocError) {
      return { ok: false, error: err.message };
    }
    throw err;
  }
}

/** Whether the selection already holds exactly this filter (Explore's toggle: a second click removes it). */
export function selectionHasFilter(selection: AdHocSelection, filter: AdHocFilter): boolean {
  const s = sense(filter.operator);
  const value = filter.value;
  if (isSelectorKey(filter.key)) {
    const items = patternItems(selection[FIELD[filter.key]]);
    return s === 'exclude' ? items.includes(`!${value}`) : items.includes(nameEntry(value));
  }
  return s === 'include' && selection.labels.some((l) => l.key === filter.key && l.value === value);
}

/**
 * The selection without this filter: the opposite of what `modifyQuery` added (Explore's toggle). For a label or
 * a selector value the query chose itself, this removes the query's own choice too, which is what the user asked.
 */
export function removeFilter(selection: AdHocSelection, filter: AdHocFilter): AdHocSelection {
  const out = { ...selection };
  if (isSelectorKey(filter.key)) {
    const field = FIELD[filter.key];
    const item = sense(filter.operator) === 'exclude' ? `!${filter.value}` : nameEntry(filter.value);
    let items = patternItems(selection[field]).filter((i) => i !== item);
    // `!x|*` was all-but-x: without the exclusion it is all again.
    if (items.length === 1 && items[0] === '*') {
      items = [];
    }
    out[field] = items;
  } else {
    out.labels = selection.labels.filter((l) => !(l.key === filter.key && l.value === filter.value));
  }
  return out;
}
