// One data source instance: its validated settings, its HTTP client and what was learnt about the Netdata
// behind it (agent API version). Built once per (uid, settings stamp) and reused across calls.
import { createNetdataClient, type FetchFn, type NetdataClient } from './httpClient';
import { detectAgentApi, type AgentApi } from './agentApi';
import type { NetdataSettings } from './settings';
import { abortable } from './abortable';

/** Agents get upgraded under a running Grafana; look again now and then. */
const AGENT_API_TTL_MS = 10 * 60 * 1000;

export interface DataSourceInstance {
  readonly settings: NetdataSettings;
  readonly client: NetdataClient;
  /** The agent's API, detected once and shared by concurrent callers; failures are not remembered. */
  agentApi(signal?: AbortSignal): Promise<AgentApi>;
}

export function createInstance(settings: NetdataSettings, fetchFn?: FetchFn): DataSourceInstance {
  const client = createNetdataClient(settings, fetchFn);
  let cached: { promise: Promise<AgentApi>; at: number } | undefined;
  return {
    settings,
    client,
    agentApi(signal?: AbortSignal) {
      const now = Date.now();
      if (!cached || now - cached.at > AGENT_API_TTL_MS) {
        // Not tied to one caller's signal: a cancelled query must not fail the others waiting on it.
        const promise = detectAgentApi(client);
        const entry = { promise, at: now };
        cached = entry;
        promise.catch(() => {
          if (cached === entry) {
            cached = undefined;
          }
        });
      }
      return abortable(cached.promise, signal);
    },
  };
}
