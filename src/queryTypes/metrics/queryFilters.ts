import type { AdHocVariableFilter, QueryFixAction, ToggleFilterAction } from '@grafana/data';

import {
  AdHocSelection,
  applyAdHocFilters,
  isSelectorKey,
  removeFilter,
  selectionHasFilter,
} from '../../netdata/adHocFilters';
import type { LabelFilter, Result } from '../../netdata/types';
import type { NetdataQuery } from '../../types';
import { migrateNetdataQuery } from './migration';

/** Series labels that name no Netdata selection: filtering on them from a legend changes nothing. */
const NOT_FILTERABLE = new Set(['units', 'series', 'series_type', 'name', 'machine_guid', 'node_id']);

function selectionOf(query: NetdataQuery): AdHocSelection {
  return {
    nodes: query.nodes ?? [],
    instances: query.instances ?? [],
    dimensions: query.dimensions ?? [],
    labels: query.labels ?? [],
  };
}

/** A metrics query with the dashboard's ad hoc filters applied to its selection, or why Netdata cannot apply them. */
export function withAdHocFilters(query: NetdataQuery, filters: readonly AdHocVariableFilter[]): Result<NetdataQuery> {
  if (filters.length === 0) {
    return { ok: true, value: query };
  }
  const applied = applyAdHocFilters(selectionOf(query), filters);
  return applied.ok ? { ok: true, value: { ...query, ...applied.value } } : applied;
}

/**
 * Explore's "filter for value" / "filter out value" on a series label (legend, table cell): the query's own
 * selection narrowed the way an ad hoc filter would. `context` switches the context. A label filter-out cannot be
 * sent to Netdata: it is kept as a label row marked `exclude`, which the editor marks and the backend refuses with
 * the reason, rather than dropped silently or turned into its opposite (a `!` in a label value is a literal `!`).
 */
export function modifyMetricsQuery(saved: NetdataQuery, action: QueryFixAction): NetdataQuery {
  const key = action.options?.key;
  const value = action.options?.value;
  if (!key || value === undefined || NOT_FILTERABLE.has(key)) {
    return saved;
  }
  const query = migrateNetdataQuery(saved);
  const exclude = action.type === 'ADD_FILTER_OUT';
  if (action.type !== 'ADD_FILTER' && !exclude) {
    return saved;
  }
  if (key === 'context') {
    return exclude || query.context === value
      ? query
      : { ...query, context: value, dimensions: [], instances: [], labels: [] };
  }
  if (exclude && !isSelectorKey(key)) {
    const labels = query.labels ?? [];
    return labels.some((l) => isExclusionRow(l, key, value))
      ? query
      : { ...query, labels: [...labels, { key, value, exclude: true }] };
  }
  const applied = applyAdHocFilters(selectionOf(query), [{ key, operator: exclude ? '!=' : '=', value }]);
  // A filter for a value the query does not select (an id/hostname mismatch) replaces the query's choice: it is what
  // the clicked series showed.
  const selection = applied.ok
    ? applied
    : applyAdHocFilters(removeSelection(selectionOf(query), key), [{ key, operator: '=', value }]);
  return selection.ok ? { ...query, ...selection.value } : query;
}

function removeSelection(selection: AdHocSelection, key: string): AdHocSelection {
  if (key === 'node') {
    return { ...selection, nodes: [] };
  }
  if (key === 'instance') {
    return { ...selection, instances: [] };
  }
  if (key === 'dimension') {
    return { ...selection, dimensions: [] };
  }
  return { ...selection, labels: selection.labels.filter((l) => l.key !== key) };
}

/** Explore's filter toggle: the filter again removes it; the opposite one is replaced. */
export function toggleMetricsFilter(saved: NetdataQuery, action: ToggleFilterAction): NetdataQuery {
  const key = action.options.key;
  const value = action.options.value;
  if (!key || value === undefined) {
    return saved;
  }
  const query = migrateNetdataQuery(saved);
  const exclude = action.type === 'FILTER_OUT';
  const selection = selectionOf(query);
  const asFilter = { key, value, operator: exclude ? '!=' : '=' };
  if (metricsQueryHasFilter(query, asFilter)) {
    return { ...query, ...removeFilter(selection, asFilter), ...labelRowRemoved(query, asFilter) };
  }
  const opposite = { key, value, operator: exclude ? '=' : '!=' };
  const base = metricsQueryHasFilter(query, opposite)
    ? { ...query, ...removeFilter(selection, opposite), ...labelRowRemoved(query, opposite) }
    : query;
  return modifyMetricsQuery(base, { type: exclude ? 'ADD_FILTER_OUT' : 'ADD_FILTER', options: { key, value } });
}

/** Whether the query holds this filter: `key = value` by default, `operator: '!='` for a filter-out. */
export function metricsQueryHasFilter(
  saved: NetdataQuery,
  filter: { key?: string; value?: string; operator?: string }
): boolean {
  if (!filter.key || filter.value === undefined) {
    return false;
  }
  const query = migrateNetdataQuery(saved);
  const operator = filter.operator === '!=' ? '!=' : '=';
  if (filter.key === 'context') {
    return operator === '=' && query.context === filter.value;
  }
  if (!isSelectorKey(filter.key) && operator === '!=') {
    const { key, value } = filter;
    return (query.labels ?? []).some((l) => isExclusionRow(l, key, value));
  }
  return selectionHasFilter(selectionOf(query), { key: filter.key, value: filter.value, operator });
}

/** The `exclude` label row a label filter-out left (see modifyMetricsQuery). */
function labelRowRemoved(query: NetdataQuery, filter: { key: string; value: string; operator: string }) {
  if (isSelectorKey(filter.key) || filter.operator !== '!=') {
    return {};
  }
  return { labels: (query.labels ?? []).filter((l) => !isExclusionRow(l, filter.key, filter.value)) };
}

function isExclusionRow(row: LabelFilter, key: string, value: string): boolean {
  return row.exclude === true && row.key === key && row.value === value;
}
