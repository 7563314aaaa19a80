// Look-ups for the query editor and the health check: agent info, contexts, nodes, Cloud spaces and rooms.
import { parseTierRetention, type TierRetention } from './tiers';
import type { Result } from './types';

export interface AgentInfo {
  version: string;
  /** Highest data API the agent serves: 3 (≥ v2.0), 2 (≥ v1.39) or 1. */
  api: 1 | 2 | 3;
  /**
   * Nodes the agent holds, archived ones left out (`nodes.total − nodes.archived` of ≥ v2.0 info). Absent when the
   * info has no `nodes` object (v1.41–v1.47): count `/api/v2/nodes` then (nodeTotals.ts).
   */
  nodeCount?: number;
  /** Archived nodes (kept in the database, no longer streaming), when the info says. */
  archivedNodes?: number;
  bearerProtection: boolean;
  hostname: string;
  /** The `ml` capability of `/api/v2|v3/info` (machine learning running on this agent); unknown on v1. */
  mlEnabled?: boolean;
  /** Retention per tier (`agents[0].db_size[]`), empty when the info has none (v1 info, or no dbengine). */
  tiers: TierRetention[];
}

export interface ContextSummary {
  id: string;
  title?: string;
  units?: string;
  family?: string;
  priority?: number;
}

export interface NodeSummary {
  /** Node id (`nd`, Cloud UUID) when present, else the machine GUID (`mg`). */
  id: string;
  machineGuid: string;
  nodeId?: string;
  hostname: string;
  state?: string;
  version?: string;
}

export interface NamedItem {
  id: string;
  name: string;
}

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/**
 * Data API of an agent version (netdata-api.md §7): `/api/v3` since v1.99/v2.0, `/api/v2/data` since v1.39.
 * Undefined when the version cannot be read.
 */
export function apiForVersion(version: string): 1 | 2 | 3 | undefined {
  const m = /^\s*v?(\d+)\.(\d+)/i.exec(version);
  if (!m) {
    return undefined;
  }
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major >= 2 || (major === 1 && minor >= 99)) {
    return 3;
  }
  if (major === 1 && minor >= 39) {
    return 2;
  }
  return 1;
}

/**
 * `/api/v3/info`, `/api/v2/info` (`agents[0]…`, which answer `"api": 2` on both paths, so the API level comes from
 * the version) or `/api/v1/info` (`version`, `mirrored_hosts`).
 */
/** `enabled` of the capability `name` in a `capabilities[]` list of info or of a node (§7.3); undefined if absent. */
export function capabilityEnabled(capabilities: unknown, name: string): boolean | undefined {
  const entry = Array.isArray(capabilities)
    ? capabilities.find((c): c is Obj => isObj(c) && c.name === name)
    : undefined;
  return typeof entry?.enabled === 'boolean' ? entry.enabled : undefined;
}

export function parseAgentInfo(body: unknown): Result<AgentInfo> {
  if (!isObj(body)) {
    return { ok: false, error: 'Netdata info response is not a JSON object' };
  }
  if (Array.isArray(body.agents)) {
    const agent = body.agents[0];
    if (!isObj(agent)) {
      return { ok: false, error: 'Netdata info response lists no agent' };
    }
    const application = isObj(agent.application) ? agent.application : {};
    const pkg = isObj(application.package) ? application.package : {};
    const version = str(pkg.version) ?? '';
    const nodes = isObj(agent.nodes) ? agent.nodes : {};
    const api = isObj(agent.api) ? agent.api : {};
    const info: AgentInfo = {
      version,
      api: apiForVersion(version) ?? 2,
      bearerProtection: api.bearer_protection === true,
      hostname: str(agent.nm) ?? '',
      tiers: parseTierRetention(agent.db_size),
    };
    // `nodes.total` counts archived nodes too; v1.41–v1.47 send no `nodes` object at all.
    const total = num(nodes.total);
    if (total !== undefined) {
      const archived = Math.min(total, Math.max(0, num(nodes.archived) ?? 0));
      info.nodeCount = total - archived;
      info.archivedNodes = archived;
    }
    const ml = capabilityEnabled(agent.capabilities, 'ml');
    if (ml !== undefined) {
      info.mlEnabled = ml;
    }
    return { ok: true, value: info };
  }
  const version = str(body.version);
  if (version !== undefined) {
    const statuses = Array.isArray(body.mirrored_hosts_status) ? body.mirrored_hosts_status.filter(isObj) : [];
    const local = statuses.find((s) => s.hops === 0);
    const mirrored = Array.isArray(body.mirrored_hosts) ? body.mirrored_hosts.filter((h) => typeof h === 'string') : [];
    return {
      ok: true,
      value: {
        version,
        api: apiForVersion(version) ?? 1,
        nodeCount: num(body['hosts-available']) ?? (mirrored.length || 1),
        bearerProtection: false,
        hostname: str(local?.hostname) ?? str(mirrored[0]) ?? '',
        tiers: [],
      },
    };
  }
  return { ok: false, error: 'The response does not look like Netdata info (no agents[] and no version)' };
}

/**
 * Contexts of agent `/api/v3|v2/contexts` (an object keyed by context id, or an array of ids without options),
 * of agent `/api/v1/contexts` and of the Cloud contexts POST; sorted by id.
 */
export function parseContexts(body: unknown): ContextSummary[] {
  if (!isObj(body)) {
    return [];
  }
  const contexts = body.contexts;
  const list: ContextSummary[] = [];
  if (Array.isArray(contexts)) {
    for (const id of contexts) {
      if (typeof id === 'string' && id !== '') {
        list.push({ id });
      }
    }
  } else if (isObj(contexts)) {
    for (const [id, entry] of Object.entries(contexts)) {
      // `__truncated__` is cardinality bookkeeping, not a context (§4.1).
      if (id === '' || id === '__truncated__') {
        continue;
      }
      const summary: ContextSummary = { id };
      if (isObj(entry)) {
        const title = str(entry.title);
        const units = str(entry.units);
        const family = str(entry.family);
        const priority = num(entry.priority);
        if (title !== undefined) {
          summary.title = title;
        }
        if (units !== undefined) {
          summary.units = units;
        }
        if (family !== undefined) {
          summary.family = family;
        }
        if (priority !== undefined) {
          summary.priority = priority;
        }
      }
      list.push(summary);
    }
  }
  return list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Nodes of agent `/api/v3|v2/nodes` and of the Cloud nodes POST (short or long keys); sorted by hostname. */
export function parseNodes(body: unknown): NodeSummary[] {
  const raw = Array.isArray(body) ? body : isObj(body) && Array.isArray(body.nodes) ? body.nodes : [];
  const nodes: NodeSummary[] = [];
  for (const item of raw) {
    if (!isObj(item)) {
      continue;
    }
    const machineGuid = str(item.mg) ?? str(item.machine_guid);
    const nodeId = str(item.nd) ?? str(item.node_id);
    if (machineGuid === undefined && nodeId === undefined) {
      continue;
    }
    const id = nodeId ?? machineGuid ?? '';
    const node: NodeSummary = {
      id,
      machineGuid: machineGuid ?? '',
      hostname: str(item.nm) ?? str(item.hostname) ?? str(item.name) ?? id,
    };
    if (nodeId !== undefined) {
      node.nodeId = nodeId;
    }
    const state = str(item.state);
    if (state !== undefined) {
      node.state = state;
    }
    const version = str(item.v) ?? str(item.version);
    if (version !== undefined) {
      node.version = version;
    }
    nodes.push(node);
  }
  return nodes.sort((a, b) => a.hostname.localeCompare(b.hostname) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function parseNamedList(body: unknown, key: string): NamedItem[] {
  const raw = Array.isArray(body) ? body : isObj(body) && Array.isArray(body[key]) ? body[key] : [];
  const items: NamedItem[] = [];
  for (const item of raw as unknown[]) {
    if (!isObj(item)) {
      continue;
    }
    const id = str(item.id);
    if (id === undefined) {
      continue;
    }
    items.push({ id, name: str(item.name) ?? str(item.slug) ?? id });
  }
  return items;
}

/** Cloud `GET /api/v2/spaces`: a JSON array of spaces (Cloud's order kept). */
export function parseSpaces(body: unknown): NamedItem[] {
  return parseNamedList(body, 'spaces');
}

/** Cloud `GET /api/v2/spaces/{space}/rooms`: a JSON array of rooms (Cloud's order kept). */
export function parseRooms(body: unknown): NamedItem[] {
  return parseNamedList(body, 'rooms');
}
