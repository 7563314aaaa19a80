// A data source URL ending in `/host/<node>` names one node of a Parent (netdata-api-extra.md §4.1, §6). The v1 API
// honours the prefix, but `/api/v2|v3` data, contexts, nodes, weights, alerts and alert transitions ignore it and
// answer for every node of the Parent. So the prefix is taken off the base URL once, the node is looked up in the
// Parent's node list, and every request is scoped to it: `scope_nodes=<machine GUID>` on v2/v3, the
// `/host/<machine GUID>/` prefix where Netdata honours it (`/api/v1/*`, `/api/v3/function`).
import { compilePattern } from './patternMatch';
import type { Result } from './types';

/** The node a data source is limited to, as found in the Parent's node list. */
export interface HostNode {
  hostname: string;
  machineGuid: string;
  /** Cloud node id, only when claimed. */
  nodeId?: string;
}

/** The URL path without a trailing `/host/<node>`, and that node as written (decoded). */
export function splitHostPrefix(pathname: string): Result<{ path: string; node?: string }> {
  const trimmed = pathname.replace(/\/+$/, '');
  const m = /^(.*?)\/host\/([^/]+)((?:\/.*)?)$/.exec(trimmed);
  if (m === null) {
    return { ok: true, value: { path: trimmed } };
  }
  if (m[3] !== '') {
    return {
      ok: false,
      error:
        /\/host\//.test(m[3]) || /\/host\//.test(m[1])
          ? 'The data source URL has two /host/ prefixes; Netdata does not allow nesting of hosts'
          : `The data source URL must end in /host/<node> (got …/host/${m[2]}${m[3]})`,
    };
  }
  if (/\/host\//.test(m[1])) {
    return { ok: false, error: 'The data source URL has two /host/ prefixes; Netdata does not allow nesting of hosts' };
  }
  let node: string;
  try {
    node = decodeURIComponent(m[2]);
  } catch {
    return { ok: false, error: `The node "${m[2].slice(0, 100)}" of the data source URL is not valid URL encoding` };
  }
  if (node.trim() === '' || /[\u0000-\u001f\u007f]/.test(node)) {
    return { ok: false, error: 'The /host/<node> of the data source URL names no node' };
  }
  return { ok: true, value: { path: m[1], node } };
}

/**
 * The node a `/host/<id>` names, looked up as Netdata's router does (≥ v2: machine GUID, node id, hostname, then
 * the GUID lower-cased; 1.37 has only hostname and GUID, which this order also finds).
 */
export function findHostNode<T extends HostNode>(nodes: readonly T[], id: string): T | undefined {
  return (
    nodes.find((n) => n.machineGuid === id) ??
    nodes.find((n) => n.nodeId !== undefined && n.nodeId === id) ??
    nodes.find((n) => n.hostname === id) ??
    nodes.find((n) => n.machineGuid === id.toLowerCase())
  );
}

export function unknownHostNodeError(id: string, nodes: readonly HostNode[]): string {
  const names = nodes.slice(0, 20).map((n) => n.hostname);
  const more = nodes.length > names.length ? ` and ${nodes.length - names.length} more` : '';
  return (
    `This Netdata does not hold the node "${id.slice(0, 100)}" named by the data source URL's /host/ prefix ` +
    `(its nodes: ${names.join(', ') || 'none'}${more})`
  );
}

/** v2/v3 commands that answer for the whole agent, not per node: nothing to scope. */
const AGENT_WIDE = new Set(['info', 'versions', 'me', 'claim', 'stream_info', 'settings']);

function hostIs(node: HostNode, id: string): boolean {
  return findHostNode([node], id) !== undefined;
}

function refuse(node: HostNode, why: string): never {
  throw new Error(`This data source is limited to the node ${node.hostname} by its URL (/host/…): ${why}`);
}

/**
 * The request path limited to `node`. Paths that already carry `/host/<id>/` must name that node. Throws a readable
 * Error when the query asks for other nodes, which the URL rules out. Applying it twice gives the same path.
 */
export function scopePathToNode(path: string, node: HostNode): string {
  const q = path.indexOf('?');
  let route = q < 0 ? path : path.slice(0, q);
  const query = q < 0 ? '' : path.slice(q + 1);
  let prefix = '';
  const host = /^\/host\/([^/]+)(\/.*)$/.exec(route);
  if (host !== null) {
    const id = decodeURIComponent(host[1]);
    if (!hostIs(node, id)) {
      refuse(node, `the query asks for the node ${id.slice(0, 100)}`);
    }
    prefix = `/host/${host[1]}`;
    route = host[2];
  }
  const m = /^\/api\/(v\d+)\/([^/]+)$/.exec(route);
  if (m === null) {
    return path;
  }
  const [, version, command] = m;
  // The prefix is honoured by v1 and by the v3 function call (§6): keep the node there.
  if (version === 'v1' || (version === 'v3' && command === 'function')) {
    return `${prefix || `/host/${encodeURIComponent(node.machineGuid)}`}${route}${q < 0 ? '' : `?${query}`}`;
  }
  if (AGENT_WIDE.has(command)) {
    return path;
  }
  const params = query === '' ? [] : query.split('&');
  const at = params.findIndex((p) => p.split('=')[0] === 'scope_nodes');
  if (at >= 0) {
    let asked: string;
    try {
      asked = decodeURIComponent(params[at].slice('scope_nodes='.length).replace(/\+/g, ' '));
    } catch {
      asked = params[at];
    }
    const pattern = compilePattern([asked]);
    if (!pattern.matches(node.hostname, node.machineGuid, node.nodeId)) {
      refuse(node, `the query's node filter "${asked.slice(0, 200)}" does not include it`);
    }
    params.splice(at, 1);
  }
  params.push(`scope_nodes=${encodeURIComponent(node.machineGuid)}`);
  return `${prefix}${route}?${params.join('&')}`;
}

/** The URL to show and link to: the base URL with the node prefix the settings took off. */
export function withHostPrefix(baseUrl: string, node: string | undefined): string {
  const base = baseUrl.replace(/\/+$/, '');
  return node === undefined ? base : `${base}/host/${encodeURIComponent(node)}`;
}
