// Editor look-ups against an Agent/Parent (netdata-api.md §4.1, §4.2).
import { parseContexts, parseNodes } from '../../netdata/catalog';
import { parseContextDetails } from '../../netdata/contextDetails';
import { simplePattern } from '../../netdata/patterns';
import type { RequestOptions } from '../datasource/httpClient';
import type { DataSourceInstance } from '../datasource/instance';
import { NetdataRequestError } from '../datasource/requestError';
import type { ResourceParams } from './resourceParams';
import { v1ContextRoute, v1ContextsRoute, v1Nodes } from '../v1/v1Routes';

/** Explicit options replace nothing on ≥ v2.6 (the defaults stay on) and bring the defaults back on older agents. */
export const CONTEXT_DETAIL_OPTIONS = 'titles,dimensions,labels,instances,family,units,priorities,retention,liveness';

function query(params: Array<[string, string | undefined]>): string {
  const parts = params
    .filter((p): p is [string, string] => p[1] !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(v)}`);
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

export async function agentNodes(inst: DataSourceInstance, _params: ResourceParams, opts: RequestOptions) {
  const { api, v1 } = await inst.agentApi(opts.signal);
  if (api === 1 && v1 !== undefined) {
    return v1Nodes(v1);
  }
  return { nodes: parseNodes(await inst.client.getJson(`/api/v${api}/nodes`, opts)) };
}

export async function agentContexts(inst: DataSourceInstance, params: ResourceParams, opts: RequestOptions) {
  const nodes = simplePattern(params.list('nodes'));
  const { api, v1 } = await inst.agentApi(opts.signal);
  if (api === 1 && v1 !== undefined) {
    return v1ContextsRoute(inst, v1, params.list('nodes'), opts);
  }
  const path = `/api/v${api}/contexts${query([['scope_nodes', nodes]])}`;
  return { contexts: parseContexts(await inst.client.getJson(path, opts)) };
}

export async function agentContext(inst: DataSourceInstance, params: ResourceParams, opts: RequestOptions) {
  const id = params.required('context');
  const nodes = simplePattern(params.list('nodes'));
  const { api, v1 } = await inst.agentApi(opts.signal);
  if (api === 1 && v1 !== undefined) {
    return v1ContextRoute(inst, v1, id, params.list('nodes'), opts);
  }
  const path = `/api/v${api}/contexts${query([
    ['scope_contexts', id],
    ['options', CONTEXT_DETAIL_OPTIONS],
    ['scope_nodes', nodes],
  ])}`;
  const context = parseContextDetails(await inst.client.getJson(path, opts), id);
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
