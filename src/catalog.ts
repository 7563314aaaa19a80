import type { DataSourceApi } from '@grafana/data';
import type { BackendSrvRequest, TemplateSrv } from '@grafana/runtime';

import type { ContextSummary, NodeSummary } from './netdata/catalog';
import type { ContextDetails } from './netdata/contextDetails';
import {
  CloudTarget,
  fetchContextDetails,
  fetchContexts,
  fetchFunctions,
  fetchNodes,
  fetchRooms,
  fetchSpaces,
  FunctionSummary,
  NamedItem,
  ResourceGet,
  ResourceParams,
  searchContexts,
} from './resources';
import type { SearchResult } from './netdata/search';
import { interpolateList } from './templateVariables';
import type { NetdataOptions, NetdataQuery, Transport } from './types';

/**
 * What the editors, the variable support and the ad hoc filters may ask of the data source: Netdata's catalog
 * (nodes, contexts, a context's details, Cloud spaces and rooms) and the settings that shape the editors. Every
 * string may hold dashboard `$variables`; they are resolved here.
 */
export interface NetdataCatalog {
  readonly transport: Transport;
  readonly defaultSpaceId?: string;
  readonly defaultRoomId?: string;
  nodes(target?: CloudTarget): Promise<NodeSummary[]>;
  contexts(nodes?: string[], target?: CloudTarget): Promise<ContextSummary[]>;
  context(context: string, nodes?: string[], target?: CloudTarget): Promise<ContextDetails | undefined>;
  /** Contexts whose ids, titles, instances, dimensions or labels match the text (`search?q=`), with what matched. */
  search(text: string, nodes?: string[], target?: CloudTarget): Promise<SearchResult>;
  spaces(): Promise<NamedItem[]>;
  rooms(spaceId: string): Promise<NamedItem[]>;
  /** The functions one node offers (Agent/Parent data sources only). */
  functions(node?: string): Promise<FunctionSummary[]>;
}

/** The data source as the editors see it (Grafana hands them the instance): the Grafana API plus the catalog. */
export interface CatalogDataSource extends DataSourceApi<NetdataQuery, NetdataOptions> {
  readonly catalog: NetdataCatalog;
}

/** `DataSourceWithBackend.getResource`: a GET of a CallResource route of our backend. */
export type GetResource = (
  route: string,
  params: ResourceParams,
  options: Partial<BackendSrvRequest>
) => Promise<unknown>;

const LOOKUP_TTL_MS = 60_000;

interface Settings {
  transport: Transport;
  defaultSpaceId?: string;
  defaultRoomId?: string;
}

/**
 * The catalog over the backend's resource routes. Nodes and contexts change slowly, so every editor on a dashboard
 * shares one answer for a minute; failures are not kept. Errors show in the editor, not as a Grafana toast.
 */
export function resourceCatalog(
  getResource: GetResource,
  templateSrv: TemplateSrv,
  settings: Settings
): NetdataCatalog {
  const lookups = new Map<string, { at: number; answer: Promise<unknown> }>();
  const get: ResourceGet = (route, params) => {
    const key = `${route}?${JSON.stringify(params)}`;
    const cached = lookups.get(key);
    if (cached && Date.now() - cached.at < LOOKUP_TTL_MS) {
      return cached.answer;
    }
    const answer = getResource(route, params, { showErrorAlert: false });
    lookups.set(key, { at: Date.now(), answer });
    answer.catch(() => lookups.delete(key));
    return answer;
  };
  const nodesOf = (nodes: string[]) => interpolateList(nodes, {}, templateSrv) ?? [];
  const targetOf = (target: CloudTarget): CloudTarget => ({
    spaceId: target.spaceId ? templateSrv.replace(target.spaceId) : undefined,
    roomId: target.roomId ? templateSrv.replace(target.roomId) : undefined,
  });

  return {
    ...settings,
    nodes: (target = {}) => fetchNodes(get, targetOf(target)),
    contexts: (nodes = [], target = {}) => fetchContexts(get, nodesOf(nodes), targetOf(target)),
    context: (context, nodes = [], target = {}) =>
      fetchContextDetails(get, templateSrv.replace(context, undefined, 'pipe'), nodesOf(nodes), targetOf(target)),
    search: (text, nodes = [], target = {}) => searchContexts(get, text, nodesOf(nodes), targetOf(target)),
    spaces: () => fetchSpaces(get),
    rooms: (spaceId) => fetchRooms(get, templateSrv.replace(spaceId)),
    functions: (node) => fetchFunctions(get, node ? templateSrv.replace(node) : undefined),
  };
}
