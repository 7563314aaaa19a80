// One data source instance: its validated settings, its HTTP client and what was learnt about the Netdata
// behind it (agent API version). Built once per (uid, settings stamp) and reused across calls.
import { scopePathToNode } from '../../netdata/hostNode';
import { createNetdataClient, type FetchFn, type NetdataClient, type RequestOptions } from './httpClient';
import { detectAgentApi, type AgentApi } from './agentApi';
import { NetdataRequestError } from './requestError';
import type { NetdataSettings } from './settings';
import { sharedLoads } from './sharedLoad';

/** Agents get upgraded under a running Grafana; look again now and then. */
const AGENT_API_TTL_MS = 10 * 60 * 1000;

export interface DataSourceInstance {
  readonly settings: NetdataSettings;
  /** Every request of the queries, routes and health check; limited to the URL's `/host/<node>` when it has one. */
  readonly client: NetdataClient;
  /** The client as the settings give it, for finding out what the agent is (its info and node list). */
  readonly unscopedClient: NetdataClient;
  /** The agent's API, detected once and shared by concurrent callers; failures are not remembered. */
  agentApi(signal?: AbortSignal): Promise<AgentApi>;
  /** The request path as it is sent: with the URL's `/host/<node>`, limited to that node (hostNode.ts). */
  requestPath(path: string, signal?: AbortSignal): Promise<string>;
}

/** Agent-wide answers: sent as they are, so that finding the node never waits on itself. */
const AGENT_WIDE = /^\/api\/v\d+\/(info|versions)(\?|$)/;

export function createInstance(settings: NetdataSettings, fetchFn?: FetchFn): DataSourceInstance {
  const raw = createNetdataClient(settings, fetchFn);
  const detected = sharedLoads<AgentApi>(AGENT_API_TTL_MS);
  function agentApi(signal?: AbortSignal): Promise<AgentApi> {
    // Not tied to one caller's signal: a cancelled query must not fail the others waiting on it.
    return detected('agent', () => detectAgentApi(raw), signal);
  }
  async function requestPath(path: string, signal?: AbortSignal): Promise<string> {
    if (settings.hostNode === undefined || AGENT_WIDE.test(path)) {
      return path;
    }
    const { node } = await agentApi(signal);
    if (node === undefined) {
      // v1 mode: the node's own `/host/<hostname>` prefix is already on every path (v1/parse.ts scopeV1Info).
      return path;
    }
    try {
      return scopePathToNode(path, node);
    } catch (err) {
      throw new NetdataRequestError('bad-query', err instanceof Error ? err.message : String(err), 400, 'plugin');
    }
  }
  const client: NetdataClient =
    settings.hostNode === undefined
      ? raw
      : {
          ...raw,
          getJson: async (path: string, opts: RequestOptions = {}) =>
            raw.getJson(await requestPath(path, opts.signal), opts),
          postJson: async (path: string, body: unknown, opts: RequestOptions = {}) =>
            raw.postJson(await requestPath(path, opts.signal), body, opts),
        };
  return { settings, client, unscopedClient: raw, agentApi, requestPath };
}
