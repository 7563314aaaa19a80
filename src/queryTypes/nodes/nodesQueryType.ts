import { nodeInventoryDisplayText, parseNodeInventoryQuery } from '../../netdata/nodeInventory';
import { NODES_QUERY_TYPE } from '../../netdata/queryType';
import type { QueryTypeDefinition } from '../queryTypeDefinition';
import { interpolateScope, invalidText } from '../scope';
import { NodesQueryEditor } from './NodesQueryEditor';

export const nodesQueryType: QueryTypeDefinition = {
  queryType: NODES_QUERY_TYPE,
  label: 'Nodes',
  description: 'The node inventory: hostname, ids, version, OS, reachability, alert counts and labels',
  selectable: true,
  Editor: NodesQueryEditor,
  migrate: (query) => query,
  defaultQuery: () => ({ queryType: NODES_QUERY_TYPE }),
  isRunnable: () => true,
  displayText: (query) => {
    const parsed = parseNodeInventoryQuery(query);
    return parsed.ok ? nodeInventoryDisplayText(parsed.value) : invalidText('Nodes', parsed.error);
  },
  interpolate: interpolateScope,
};
