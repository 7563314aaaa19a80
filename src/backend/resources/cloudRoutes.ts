// Editor look-ups against Netdata Cloud (netdata-api.md §6.2); spaceId/roomId parameters override the defaults.
import { parseContexts, parseNodes, parseRooms, parseSpaces } from '../../netdata/catalog';
import { cloudNodes } from '../../netdata/cloudRequest';
import { parseContextDetails } from '../../netdata/contextDetails';
import type { RequestOptions } from '../datasource/httpClient';
import type { DataSourceInstance } from '../datasource/instance';
import { NetdataRequestError } from '../datasource/requestError';
import { cloudPaths } from './cloudPaths';
import type { ResourceParams } from './resourceParams';

/** Contexts seen in the last week; Cloud wants a window, and the editor only needs current contexts. */
const CONTEXTS_WINDOW_S = 7 * 24 * 3600;

function target(inst: DataSourceInstance, params: ResourceParams): { space: string; room: string } {
  return {
    space: params.optional('spaceId') ?? inst.settings.spaceId ?? '',
    room: params.optional('roomId') ?? inst.settings.roomId ?? '',
  };
}

function contextsBody(contexts: string[], nodes: string[], options?: string[]) {
  const n = cloudNodes(nodes);
  return {
    scope: n.scope ? { contexts, nodes: n.scope } : { contexts },
    selectors: { contexts: ['*'], nodes: n.selectors },
    window: { after: -CONTEXTS_WINDOW_S, before: 0 },
    ...(options ? { options } : {}),
  };
}

export async function cloudSpaces(inst: DataSourceInstance, _params: ResourceParams, opts: RequestOptions) {
  return { spaces: parseSpaces(await inst.client.getJson(cloudPaths.spaces(), opts)) };
}

export async function cloudRooms(inst: DataSourceInstance, params: ResourceParams, opts: RequestOptions) {
  const space = params.optional('spaceId') ?? inst.settings.spaceId ?? '';
  return { rooms: parseRooms(await inst.client.getJson(cloudPaths.rooms(space), opts)) };
}

export async function cloudNodesRoute(inst: DataSourceInstance, params: ResourceParams, opts: RequestOptions) {
  const { space, room } = target(inst, params);
  return { nodes: parseNodes(await inst.client.postJson(cloudPaths.nodes(space, room), {}, opts)) };
}

export async function cloudContexts(inst: DataSourceInstance, params: ResourceParams, opts: RequestOptions) {
  const { space, room } = target(inst, params);
  const body = contextsBody(['*'], params.list('nodes'));
  return { contexts: parseContexts(await inst.client.postJson(cloudPaths.contexts(space, room), body, opts)) };
}

export async function cloudContext(inst: DataSourceInstance, params: ResourceParams, opts: RequestOptions) {
  const id = params.required('context');
  const { space, room } = target(inst, params);
  const body = contextsBody([id], params.list('nodes'), ['titles', 'dimensions', 'labels', 'instances']);
  const context = parseContextDetails(await inst.client.postJson(cloudPaths.contexts(space, room), body, opts), id);
  if (!context) {
    throw new NetdataRequestError('http', `Netdata Cloud has no context "${id}" in this room`, 404, 'downstream', 404);
  }
  return { context };
}
