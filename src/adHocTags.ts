import type { DataSourceGetTagKeysOptions, DataSourceGetTagValuesOptions, MetricFindValue } from '@grafana/data';

import type { NetdataCatalog } from './catalog';
import { isSelectorKey, SELECTOR_KEYS } from './netdata/adHocFilters';
import type { ContextDetails } from './netdata/contextDetails';
import { queryTypeName } from './queryTypes/registry';
import { migrateNetdataQuery } from './queryTypes/metrics/migration';
import type { CloudTarget } from './resources';
import type { NetdataQuery } from './types';

/** A dashboard with more contexts than this offers the labels of the first ones only (one look-up each). */
export const MAX_TAG_CONTEXTS = 20;

interface Scope {
  contexts: string[];
  nodes: string[];
  target: CloudTarget;
}

/**
 * Where the filter bar looks for keys and values: the contexts and nodes the dashboard's metrics queries read
 * (Grafana passes its queries with the request). The first query's space and room (Cloud) stand for the dashboard.
 */
function scopeOf(queries: readonly NetdataQuery[] | undefined): Scope {
  const metrics = (queries ?? []).filter((q) => !q.hide && queryTypeName(q) === 'metrics').map(migrateNetdataQuery);
  const contexts = new Set<string>();
  const nodes = new Set<string>();
  for (const q of metrics) {
    // A context pattern (`disk.*`) cannot be looked up as one context; plain ids and `a|b` lists can.
    for (const c of (q.context ?? '').split(/[|,]/).map((c) => c.trim())) {
      if (c && !/[*!]/.test(c)) {
        contexts.add(c);
      }
    }
    (q.nodes ?? []).forEach((n) => nodes.add(n));
  }
  // Nodes narrow the look-ups only when every query names them: one query over all nodes sees every node's labels.
  const allNamed = metrics.length > 0 && metrics.every((q) => (q.nodes ?? []).length > 0);
  const first = metrics[0];
  return {
    contexts: [...contexts].slice(0, MAX_TAG_CONTEXTS),
    nodes: allNamed ? [...nodes] : [],
    target: { spaceId: first?.spaceId, roomId: first?.roomId },
  };
}

async function details(catalog: NetdataCatalog, scope: Scope): Promise<ContextDetails[]> {
  const found = await Promise.all(
    // A context the nodes lack (or a look-up that fails) offers nothing rather than failing the filter bar.
    scope.contexts.map((c) => catalog.context(c, scope.nodes, scope.target).catch(() => undefined))
  );
  return found.filter((d): d is ContextDetails => d !== undefined);
}

/**
 * Implements DataSourceApi.getTagKeys: node, instance and dimension, then the label keys of the contexts the
 * dashboard's queries read (Netdata's own `_…` labels last).
 */
export async function tagKeys(
  catalog: NetdataCatalog,
  options?: DataSourceGetTagKeysOptions<NetdataQuery>
): Promise<MetricFindValue[]> {
  const found = await details(catalog, scopeOf(options?.queries));
  const labels = [...new Set(found.flatMap((d) => Object.keys(d.labels)))]
    .filter((k) => !isSelectorKey(k))
    .sort((a, b) => Number(a.startsWith('_')) - Number(b.startsWith('_')) || a.localeCompare(b));
  return [...SELECTOR_KEYS, ...labels].map((key) => ({ text: key, value: key }));
}

/** Implements DataSourceApi.getTagValues: the hostnames, instances, dimensions or label values in that scope. */
export async function tagValues(
  catalog: NetdataCatalog,
  options: DataSourceGetTagValuesOptions<NetdataQuery>
): Promise<MetricFindValue[]> {
  const scope = scopeOf(options.queries);
  let values: string[];
  if (options.key === 'node') {
    // Node patterns match the hostname first (netdata-api.md §2.8), the name series are labelled with.
    values = (await catalog.nodes(scope.target)).map((n) => n.hostname);
  } else {
    const found = await details(catalog, scope);
    values = found.flatMap((d) =>
      options.key === 'instance'
        ? d.instances
        : options.key === 'dimension'
          ? d.dimensions
          : (d.labels[options.key] ?? [])
    );
  }
  return [...new Set(values)]
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }))
    .map((v) => ({ text: v, value: v }));
}
