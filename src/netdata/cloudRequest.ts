// `POST /api/v3/spaces/{space}/rooms/{room}/data` of Netdata Cloud (netdata-api.md §6.3, §8.7).
import {
  dataOptions,
  DEFAULT_TIMEOUT_MS,
  type DataRequestOptions,
  effectiveTimeGroupOptions,
  groupByParams,
  timeoutParam,
} from './agentRequest';
import { labelItems, patternItems, selectorItems, splitPatternText, wireItem } from './patterns';
import { dataTier } from './tiers';
import type { CloudDataBody, CloudRequest, NetdataQueryModel, QueryWindow } from './types';
import { dataWindow } from './window';

/** Cloud clamps points of queries it merges from several agents to 500 (`ScopeDataRequestMaxPoints`). */
export const CLOUD_MAX_POINTS = 500;
/** Cloud copies selectors into the agents' URLs, which agents cut at 64 KiB. */
export const MAX_CLOUD_BODY_BYTES = 60 * 1024;

/** The agent's options (§3.2), in the order Netdata's own clients send them (§8.7). */
export const CLOUD_DATA_OPTIONS: readonly string[] = ['jsonwrap', 'minify', 'unaligned', 'ms', 'flip'];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** Checks a space or room id that goes into the URL path; throws a readable Error when it cannot. */
export function validatePathId(id: string, what: 'space' | 'room'): string {
  const trimmed = id.trim();
  if (trimmed === '') {
    throw new Error(`No Netdata Cloud ${what} is selected: choose a ${what} in the data source or the query`);
  }
  if (/[/?#\\%\s]/.test(trimmed) || trimmed.includes('..') || /[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new Error(
      `The Netdata Cloud ${what} id "${trimmed.slice(0, 100)}" is not valid (it must not contain /, ?, #, .. or spaces)`
    );
  }
  return trimmed;
}

/**
 * Nodes: Cloud's `scope.nodes` takes node ids (UUIDs) only and rejects anything else with 400 (§6.3), while
 * `selectors.nodes` takes patterns on hostname, machine GUID and node id. When every entry is a plain UUID they go
 * to the scope; otherwise all of them go to the selectors, so that a mixed list keeps its OR meaning instead of
 * becoming scope ∩ selector. No entries: no `scope.nodes` key at all (= every node of the room).
 */
export function cloudNodes(nodes: readonly string[]): { scope?: string[]; selectors: string[] } {
  const items = patternItems(nodes);
  if (items.length > 0 && items.every(isUuid)) {
    return { scope: items, selectors: ['*'] };
  }
  const selectors = selectorItems(nodes);
  return { selectors: selectors.length > 0 ? selectors : ['*'] };
}

function orAll(items: string[]): string[] {
  return items.length > 0 ? items : ['*'];
}

/**
 * Builds the Cloud data request. The query's own spaceId/roomId (if set) override the target's. Throws an Error
 * with a readable message for an invalid space/room or a body too large for Cloud to pass on to the agents.
 */
export function buildCloudDataRequest(
  q: NetdataQueryModel,
  w: QueryWindow,
  target: { spaceId: string; roomId: string },
  opts?: DataRequestOptions
): CloudRequest {
  const spaceId = validatePathId(q.spaceId ?? target.spaceId ?? '', 'space');
  const roomId = validatePathId(q.roomId ?? target.roomId ?? '', 'room');
  const contexts = splitPatternText(q.context).map(wireItem);
  if (contexts.length === 0) {
    throw new Error('The query has no context: choose a Netdata context (such as system.cpu)');
  }
  const { after, before, points } = dataWindow(w);
  const nodes = cloudNodes(q.nodes);
  const { groupBy, groupByLabel } = groupByParams(q);
  const tier = dataTier(q);
  const timeGroupOptions = effectiveTimeGroupOptions(q);

  const scope: CloudDataBody['scope'] = { contexts };
  if (nodes.scope !== undefined) {
    scope.nodes = nodes.scope;
  }
  const window: CloudDataBody['window'] = { after, before, points: Math.min(points, CLOUD_MAX_POINTS) };
  if (tier !== undefined) {
    window.tier = tier;
  }
  const time: CloudDataBody['aggregations']['time'] = { time_group: q.timeGroup, time_resampling: 0 };
  if (timeGroupOptions !== undefined) {
    time.time_group_options = timeGroupOptions;
  }
  const body: CloudDataBody = {
    scope,
    selectors: {
      contexts: ['*'],
      nodes: nodes.selectors,
      instances: orAll(selectorItems(q.instances)),
      dimensions: orAll(selectorItems(q.dimensions)),
      labels: orAll(labelItems(q.labels, 'cloud')),
      alerts: ['*'],
    },
    window,
    aggregations: {
      metrics: [{ group_by: groupBy, group_by_label: groupByLabel, aggregation: q.aggregation }],
      time,
    },
    format: 'json2',
    options: dataOptions(q, CLOUD_DATA_OPTIONS),
    timeout: timeoutParam(opts) ?? DEFAULT_TIMEOUT_MS,
  };
  if (q.limit !== undefined && Number.isInteger(q.limit) && q.limit > 0) {
    body.limit = q.limit;
  }
  const size = JSON.stringify(body).length;
  if (size > MAX_CLOUD_BODY_BYTES) {
    throw new Error(
      `The Netdata Cloud request would be ${Math.ceil(size / 1024)} KiB long; Cloud passes filters on to agents, ` +
        'which cut URLs at 64 KiB. Use fewer or shorter node, instance, dimension or label filters'
    );
  }
  return {
    method: 'POST',
    path: `/api/v3/spaces/${encodeURIComponent(spaceId)}/rooms/${encodeURIComponent(roomId)}/data`,
    body,
  };
}
