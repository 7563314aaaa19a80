// Which data API an Agent/Parent offers, found once per data source instance (netdata-api.md §1, §4.7):
// /api/v3/info (public, ≥ v2.0) → /api/v2/info (≥ v1.41) → /api/v1/info (v1.39/v1.40 still have /api/v2/data;
// older agents, such as Debian 12's 1.37.1, only have /api/v1: v1 mode, netdata-api-extra.md §4, §7).
import { parseAgentInfo, parseNodes, type AgentInfo } from '../../netdata/catalog';
import { findHostNode, type HostNode, unknownHostNodeError } from '../../netdata/hostNode';
import { parseV1Info, scopeV1Info } from '../../netdata/v1/parse';
import type { V1Info } from '../../netdata/v1/types';
import type { NetdataClient, RequestOptions } from './httpClient';
import { NetdataRequestError } from './requestError';

export interface AgentApi {
  /** The data/contexts/nodes API version to use: 1 = v1 mode (agents before v1.39). */
  api: 1 | 2 | 3;
  /** Which info endpoint answered (1 when only /api/v1/info exists). */
  infoApi: 1 | 2 | 3;
  info: AgentInfo;
  /** v1 mode only: the nodes of the agent (a Parent's children included) and its ML state. */
  v1?: V1Info;
  /** v2/v3 with a data source URL ending in `/host/<node>`: that node, which every request is limited to. */
  node?: HostNode;
}

/** The v2 data API of an agent, or a per-query error when it is in v1 mode and the caller has no v1 path. */
export function v2Api(detected: AgentApi, feature: string): 2 | 3 {
  if (detected.api === 1) {
    throw new NetdataRequestError(
      'too-old',
      `${feature} needs Netdata v1.39+ (/api/v2); Netdata ${detected.info.version} has only the v1 API`,
      501,
      'downstream'
    );
  }
  return detected.api;
}

/** json2 (`/api/v2/data`) appeared in Netdata v1.39. */
export const MIN_JSON2_VERSION: readonly [number, number] = [1, 39];

export function versionAtLeast(version: string, min: readonly [number, number]): boolean {
  const m = /(\d+)\.(\d+)/.exec(version);
  if (!m) {
    return false;
  }
  const major = Number(m[1]);
  const minor = Number(m[2]);
  return major > min[0] || (major === min[0] && minor >= min[1]);
}

function isNotFound(err: unknown): boolean {
  return err instanceof NetdataRequestError && err.kind === 'http' && err.upstreamStatus === 404;
}

function parsed(body: unknown, path: string, target: string): AgentInfo {
  const info = parseAgentInfo(body);
  if (!info.ok) {
    throw new NetdataRequestError(
      'body',
      `The answer of ${target}${path} is not a Netdata info document: ${info.error}`,
      502,
      'downstream'
    );
  }
  return info.value;
}

export function tooOldError(version: string): NetdataRequestError {
  return new NetdataRequestError(
    'too-old',
    `Netdata agent ${version || '(unknown version)'} is too old: needs v1.39+ (/api/v2)`,
    501,
    'downstream'
  );
}

/**
 * The node of a `/host/<node>` data source URL on a v2/v3 agent: `/api/v2|v3` ignore the prefix (§6), so the node is
 * looked up in the Parent's node list (its machine GUID then scopes every request).
 */
async function hostNodeOf(client: NetdataClient, api: 2 | 3, opts: RequestOptions): Promise<HostNode | undefined> {
  const id = client.settings.hostNode;
  if (id === undefined) {
    return undefined;
  }
  const nodes = parseNodes(await client.getJson(`/api/v${api}/nodes`, opts)).filter((n) => n.machineGuid !== '');
  const node = findHostNode(nodes, id);
  if (node === undefined) {
    throw new NetdataRequestError('http', unknownHostNodeError(id, nodes), 404, 'downstream', 404);
  }
  return {
    hostname: node.hostname,
    machineGuid: node.machineGuid,
    ...(node.nodeId !== undefined ? { nodeId: node.nodeId } : {}),
  };
}

async function v2Detected(
  client: NetdataClient,
  detected: AgentApi & { api: 2 | 3 },
  opts: RequestOptions
): Promise<AgentApi> {
  const node = await hostNodeOf(client, detected.api, opts);
  return node === undefined ? detected : { ...detected, node };
}

export async function detectAgentApi(client: NetdataClient, opts: RequestOptions = {}): Promise<AgentApi> {
  const target = client.settings.baseUrl.origin;
  let info: AgentInfo | undefined;
  try {
    info = parsed(await client.getJson('/api/v3/info', opts), '/api/v3/info', target);
  } catch (err) {
    if (!isNotFound(err)) {
      throw err;
    }
  }
  if (info !== undefined) {
    return v2Detected(client, { api: 3, infoApi: 3, info }, opts);
  }
  try {
    info = parsed(await client.getJson('/api/v2/info', opts), '/api/v2/info', target);
  } catch (err) {
    if (!isNotFound(err)) {
      throw err;
    }
  }
  if (info !== undefined) {
    return v2Detected(client, { api: 2, infoApi: 2, info }, opts);
  }
  let v1Body: unknown;
  try {
    v1Body = await client.getJson('/api/v1/info', opts);
    info = parsed(v1Body, '/api/v1/info', target);
  } catch (err) {
    if (isNotFound(err)) {
      throw new NetdataRequestError(
        'not-netdata',
        `No Netdata API at ${client.settings.baseUrl.href.replace(/\/$/, '')}: /api/v3/info, /api/v2/info and ` +
          '/api/v1/info all answered 404 Not Found; check the URL (e.g. http://host:19999)',
        404,
        'downstream',
        404
      );
    }
    throw err;
  }
  if (versionAtLeast(info.version, MIN_JSON2_VERSION)) {
    return v2Detected(client, { api: 2, infoApi: 1, info }, opts);
  }
  if (!/\d+\.\d+/.test(info.version)) {
    throw tooOldError(info.version);
  }
  // Before v1.39 there is no /api/v2 at all ("Unsupported API version: v2"): v1 mode.
  const parsedV1 = parseV1Info(v1Body);
  if (!parsedV1.ok) {
    throw new NetdataRequestError('body', `The answer of ${target}/api/v1/info: ${parsedV1.error}`, 502, 'downstream');
  }
  // The settings take a trailing `/host/<node>` off the base URL and keep the node as `hostNode`: v1 mode then sees
  // only that node, whose requests carry its `/host/<hostname>` prefix again (§4.1).
  const v1 = scopeV1Info(parsedV1.value, client.settings.hostNode);
  if (!v1.ok) {
    throw new NetdataRequestError('http', v1.error, 404, 'downstream', 404);
  }
  return { api: 1, infoApi: 1, info, v1: v1.value };
}
