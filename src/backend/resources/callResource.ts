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

type Handler = (inst: DataSourceInstance, params: ResourceParams, opts: RequestOptions) => Promise<unknown>;

const cloudOnly: Handler = async () => {
  throw new NetdataRequestError(
    'bad-query',
    'Spaces and rooms exist only on Netdata Cloud; this data source talks to a Netdata agent',
    400,
    'plugin'
  );
};

const ROUTES: Record<string, { agent: Handler; cloud: Handler }> = {
  nodes: { agent: agentNodes, cloud: cloudNodesRoute },
  contexts: { agent: agentContexts, cloud: cloudContexts },
  context: { agent: agentContext, cloud: cloudContext },
  spaces: { agent: cloudOnly, cloud: cloudSpaces },
  rooms: { agent: cloudOnly, cloud: cloudRooms },
};

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
  const inst = instances.get(req.pluginContext?.dataSourceInstanceSettings);
  if (!inst.ok) {
    return errorJson(400, inst.error);
  }
  try {
    const params = new ResourceParams(req.url || path);
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
