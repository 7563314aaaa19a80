// How many nodes an agent or Parent really has, for the health check: ≥ v2.0 info counts archived nodes in
// `nodes.total` (taken off by parseAgentInfo); v1.41–v1.47 info has no `nodes` object at all, so the node list of
// `/api/v2/nodes` is counted instead, where a node not streaming live data is `stale` (netdata-api.md §4.2, §4.7).
import type { AgentInfo, NodeSummary } from './catalog';

export interface NodeTotals {
  /** Nodes with live data (≥ v2.0: not archived). */
  live: number;
  /** Nodes held but not live: archived (≥ v2.0 info) or stale (the v1.41–v1.47 node list). */
  other: number;
  otherWord: 'archived' | 'stale';
}

export function nodeTotalsFromInfo(info: AgentInfo): NodeTotals | undefined {
  return info.nodeCount === undefined
    ? undefined
    : { live: info.nodeCount, other: info.archivedNodes ?? 0, otherWord: 'archived' };
}

export function nodeTotalsFromList(nodes: readonly NodeSummary[]): NodeTotals {
  const stale = nodes.filter((n) => n.state !== undefined && n.state !== 'reachable').length;
  return { live: nodes.length - stale, other: stale, otherWord: 'stale' };
}

/** "3 nodes", "3 nodes (1 archived)", "1 node (2 stale)". */
export function nodeTotalsText(t: NodeTotals): string {
  const main = `${t.live} node${t.live === 1 ? '' : 's'}`;
  return t.other > 0 ? `${main} (${t.other} ${t.otherWord})` : main;
}
