// Editor look-ups on Netdata 1.37 (netdata-api-extra.md §4.2, §4.3): nodes from `/api/v1/info`, contexts,
// instances, dimensions and label values from the charts of `/api/v1/charts`, in the shapes the v2 routes answer.
import type { ContextSummary, NodeSummary } from '../catalog';
import type { ContextDetails } from '../contextDetails';
import type { V1Chart, V1Node } from './types';

export function v1NodeSummaries(nodes: readonly V1Node[]): NodeSummary[] {
  return nodes
    .map((n): NodeSummary => {
      const node: NodeSummary = {
        id: n.nodeId ?? n.machineGuid,
        machineGuid: n.machineGuid,
        hostname: n.hostname,
        state: n.reachable ? 'reachable' : 'stale',
      };
      if (n.nodeId !== undefined) {
        node.nodeId = n.nodeId;
      }
      return node;
    })
    .sort((a, b) => a.hostname.localeCompare(b.hostname) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One entry per context over all charts given (first chart of the lowest priority names it), sorted by id. */
export function v1Contexts(charts: readonly V1Chart[]): ContextSummary[] {
  const byId = new Map<string, ContextSummary>();
  for (const c of charts) {
    const known = byId.get(c.context);
    if (known !== undefined && (known.priority ?? 0) <= c.priority) {
      continue;
    }
    const summary: ContextSummary = { id: c.context, priority: c.priority };
    if (c.title !== '') {
      summary.title = c.title;
    }
    if (c.units !== '') {
      summary.units = c.units;
    }
    if (c.family !== '') {
      summary.family = c.family;
    }
    byId.set(c.context, summary);
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A context in detail: its dimension names, chart ids and label values; undefined when no chart has it. */
export function v1ContextDetails(charts: readonly V1Chart[], id: string): ContextDetails | undefined {
  const ofContext = charts.filter((c) => c.context === id);
  const summary = v1Contexts(ofContext)[0];
  if (summary === undefined) {
    return undefined;
  }
  const dimensions = new Set<string>();
  const instances = new Set<string>();
  const labels = new Map<string, Set<string>>();
  for (const c of ofContext) {
    instances.add(c.id);
    for (const d of c.dimensions) {
      dimensions.add(d.name);
    }
    for (const [key, value] of Object.entries(c.labels)) {
      const values = labels.get(key) ?? new Set<string>();
      values.add(value);
      labels.set(key, values);
    }
  }
  return {
    ...summary,
    dimensions: [...dimensions],
    instances: [...instances],
    labels: Object.fromEntries([...labels].map(([k, v]) => [k, [...v]])),
  };
}
