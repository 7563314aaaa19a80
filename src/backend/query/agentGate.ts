// Endpoints newer than json2 itself: a per-query error naming the Netdata version needed, before any request.
import { type AgentApi, versionAtLeast } from '../datasource/agentApi';
import { NetdataRequestError } from '../datasource/requestError';

/**
 * The v2/v3 API level to use for an endpoint available since `min`, or a 501 naming that version. Agents on the
 * v1 API only (no `/api/v2`) always fail here; an unreadable version string is given the benefit of the doubt.
 */
export function requireAgentVersion(agent: AgentApi, min: readonly [number, number], what: string): 2 | 3 {
  const api = agent.api as number;
  const version = agent.info.version;
  if ((api !== 2 && api !== 3) || (version !== '' && /\d+\.\d+/.test(version) && !versionAtLeast(version, min))) {
    throw new NetdataRequestError(
      'too-old',
      `${what} needs Netdata v${min[0]}.${min[1]}+ (/api/v2); this agent is ${version || 'older'}` +
        (api !== 2 && api !== 3 ? ' and serves the v1 API only' : ''),
      501,
      'downstream'
    );
  }
  return api;
}
