// pluginv2.Resource/CallResource: the query editor's look-ups as JSON over HTTP-over-gRPC.
import type { RequestOptions } from '../datasource/httpClient';
import type { DataSourceInstance } from '../datasource/instance';
import type { InstanceCache } from '../datasource/instanceCache';
import { NetdataRequestError } from '../datasource/requestError';
import type { Logger } from '../log/logger';
import { scrubSecrets } from '../log/secrets';
import type { CallContext } from '../protocol/callContext';
import type { CallResourceRequestMsg, CallResourceResponseMsg, StringListMsg } from '../protocol/messages';
import { agentContext, agentContexts, agentNodes } from './agentRoutes';
import { cloudContext, cloudContexts, cloudNodesRoute, cloudRooms, cloudSpaces } from './cloudRoutes';
import { ResourceParams } from './resourceParams';
import { agentSearch, cloudSearch } from './searchRoute';

type Handler = (inst: DataSourceInstance, params: ResourceParams, opts: RequestOptions) => Promise<unknown>;

const cloudOnly: Handler = async () => {
  throw new NetdataRequestError(
    'bad-query',
    'Spaces and rooms exist only on Netdata Cloud; this data source talks to a Netdata agent',
    400,
    'plugin'
  );
};

interface Route {
  agent: Handler;
  cloud: Handler;
  /** The query parameters it takes (spaceId/roomId are Cloud overrides, ignored by agents). */
  params: readonly string[];
  /** Free-text parameters (sent to Netdata as encoded values only). */
  texts?: readonly string[];
}

/** Exactly the read look-ups the query and config editors need; nothing else of Netdata is reachable. */
const ROUTES: Record<string, Route> = {
  nodes: { agent: agentNodes, cloud: cloudNodesRoute, params: ['spaceId', 'roomId'] },
  contexts: { agent: agentContexts, cloud: cloudContexts, params: ['nodes', 'spaceId', 'roomId'] },
  context: { agent: agentContext, cloud: cloudContext, params: ['context', 'nodes', 'spaceId', 'roomId'] },
  spaces: { agent: cloudOnly, cloud: cloudSpaces, params: [] },
  rooms: { agent: cloudOnly, cloud: cloudRooms, params: ['spaceId'] },
  search: { agent: agentSearch, cloud: cloudSearch, params: ['nodes', 'spaceId', 'roomId'], texts: ['q'] },
};

/** Paths are plain words between slashes: anything else (`..`, `%2F`, `@`, `:`, control characters) is refused. */
const PLAIN_PATH = /^[A-Za-z0-9_-]{1,64}(\/[A-Za-z0-9_-]{1,64}){0,7}$/;

export function jsonResponse(
  code: number,
  body: unknown,
  extra: Record<string, StringListMsg> = {}
): CallResourceResponseMsg {
  return {
    code,
    headers: { 'Content-Type': { values: ['application/json'] }, ...extra },
    body: Buffer.from(scrubSecrets(JSON.stringify(body))),
  };
}

function errorJson(code: number, message: string): CallResourceResponseMsg {
  return jsonResponse(code, { error: message });
}

export async function callResource(
  req: CallResourceRequestMsg,
  instances: InstanceCache,
  ctx: CallContext,
  log: Logger
): Promise<CallResourceResponseMsg> {
  const path = (req.path ?? '').replace(/^\/+|\/+$/g, '');
  if (!PLAIN_PATH.test(path)) {
    return errorJson(
      400,
      `Not a valid resource path "${path.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 100)}"; known: ${Object.keys(ROUTES).join(', ')}`
    );
  }
  const route = Object.prototype.hasOwnProperty.call(ROUTES, path) ? ROUTES[path] : undefined;
  if (!route) {
    return errorJson(404, `Unknown resource "${path.slice(0, 100)}"; known: ${Object.keys(ROUTES).join(', ')}`);
  }
  const method = (req.method || 'GET').toUpperCase();
  if (method !== 'GET') {
    return jsonResponse(
      405,
      { error: `Resource ${path} only answers GET (got ${method.slice(0, 10)})` },
      { Allow: { values: ['GET'] } }
    );
  }
  if ((req.body?.byteLength ?? 0) > 0) {
    return errorJson(400, `Resource ${path} is a GET and takes no request body`);
  }
  const inst = instances.get(req.pluginContext?.dataSourceInstanceSettings);
  if (!inst.ok) {
    return errorJson(400, inst.error);
  }
  try {
    const params = new ResourceParams(req.url || path);
    params.onlyAllow(path, route.params, route.texts);
    const handler = route[inst.value.settings.transport];
    const body = await handler(inst.value, params, { signal: ctx.signal, timeoutMs: ctx.timeLeftMs() });
    return jsonResponse(200, body);
  } catch (err) {
    if (err instanceof NetdataRequestError) {
      log.debug('resource failed', { path, status: err.status, error: err.message });
      return errorJson(err.status, err.message);
    }
    log.error('resource crashed', { path, error: err instanceof Error ? err.message : String(err) });
    return errorJson(500, `Internal error of the Netdata plugin: ${err instanceof Error ? err.message : String(err)}`);
  }
}
