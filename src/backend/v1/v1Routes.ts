// Editor look-ups on Netdata 1.37 (v1 mode): the same answers as the v2 routes, from `/api/v1/info` and the charts
// of each selected node (netdata-api-extra.md §4.2, §4.3).
import { v1ContextDetails, v1Contexts, v1NodeSummaries } from '../../netdata/v1/catalog';
import { compileMatcher, matches } from '../../netdata/v1/pattern';
import type { V1Chart, V1Info, V1Node } from '../../netdata/v1/types';
import type { RequestOptions } from '../datasource/httpClient';
import type { DataSourceInstance } from '../datasource/instance';
import { NetdataRequestError } from '../datasource/requestError';
import { mapLimit, V1_CONCURRENCY, v1Charts } from './v1Charts';

function selectedNodes(v1: V1Info, nodes: readonly string[]): V1Node[] {
  const m = compileMatcher(nodes);
  return v1.nodes.filter((n) => matches(m, [n.hostname, n.machineGuid, n.nodeId]));
}

async function chartsOf(inst: DataSourceInstance, nodes: readonly V1Node[], opts: RequestOptions): Promise<V1Chart[]> {
  const lists = await mapLimit(nodes, V1_CONCURRENCY, (node) => v1Charts(inst.client, node, opts));
  return lists.flat();
}

export function v1Nodes(v1: V1Info) {
  return { nodes: v1NodeSummaries(v1.nodes) };
}

export async function v1ContextsRoute(
  inst: DataSourceInstance,
  v1: V1Info,
  nodes: readonly string[],
  opts: RequestOptions
) {
  return { contexts: v1Contexts(await chartsOf(inst, selectedNodes(v1, nodes), opts)) };
}

export async function v1ContextRoute(
  inst: DataSourceInstance,
  v1: V1Info,
  id: string,
  nodes: readonly string[],
  opts: RequestOptions
) {
  const context = v1ContextDetails(await chartsOf(inst, selectedNodes(v1, nodes), opts), id);
  if (!context) {
    throw new NetdataRequestError(
      'http',
      `Netdata has no context "${id}" (on the selected nodes)`,
      404,
      'downstream',
      404
    );
  }
  return { context };
}
