// The saved model of a nodes query (queryType `nodes`): the node inventory, as a table or a variable source.
import { NODES_QUERY_TYPE } from './queryType';
import { pathIdField, patternList, readModel, shortList } from './modelFields';
import type { Result } from './types';

export interface NodeInventoryQueryModel {
  queryType: typeof NODES_QUERY_TYPE;
  /** Node patterns (hostname, machine GUID or node id); empty = all nodes. */
  nodes: string[];
  spaceId?: string;
  roomId?: string;
}

export const DEFAULT_NODE_INVENTORY: NodeInventoryQueryModel = { queryType: NODES_QUERY_TYPE, nodes: [] };

/** Validates the saved JSON of a nodes query (untrusted) and fills defaults. */
export function parseNodeInventoryQuery(raw: unknown): Result<NodeInventoryQueryModel> {
  return readModel(raw, (r) => {
    const model: NodeInventoryQueryModel = { queryType: NODES_QUERY_TYPE, nodes: patternList(r, 'nodes') };
    const spaceId = pathIdField(r, 'spaceId');
    const roomId = pathIdField(r, 'roomId');
    if (spaceId !== undefined) {
      model.spaceId = spaceId;
    }
    if (roomId !== undefined) {
      model.roomId = roomId;
    }
    return model;
  });
}

/** One line for Explore's query history: `Nodes web*, db1` or `Nodes (all)`. */
export function nodeInventoryDisplayText(m: NodeInventoryQueryModel): string {
  return m.nodes.length === 0 ? 'Nodes (all)' : `Nodes ${shortList(m.nodes)}`;
}
