import { isFetchError } from '@grafana/runtime';

import type { ContextSummary, NamedItem, NodeSummary } from './netdata/catalog';
import type { ContextDetails } from './netdata/contextDetails';
import type { SearchHit, SearchResult } from './netdata/search';

export type { NamedItem };

/** Cloud only: the space / room a look-up runs in, overriding the data source defaults. */
export interface CloudTarget {
  spaceId?: string;
  roomId?: string;
}

export type ResourceParams = Record<string, string | string[]>;

/** GET of a CallResource route of our backend (`DataSourceWithBackend.getResource` or the same URL by uid). */
export type ResourceGet = (route: string, params: ResourceParams) => Promise<unknown>;

export async function fetchNodes(get: ResourceGet, target: CloudTarget = {}): Promise<NodeSummary[]> {
  const body = await get('nodes', params({ ...target }));
  return listOf(body, 'nodes').flatMap((n) => {
    const id = str(n.id);
    return id
      ? [{ ...n, id, machineGuid: str(n.machineGuid) ?? id, hostname: str(n.hostname) ?? id } as NodeSummary]
      : [];
  });
}

export async function fetchContexts(
  get: ResourceGet,
  nodes: string[],
  target: CloudTarget = {}
): Promise<ContextSummary[]> {
  const body = await get('contexts', params({ nodes, ...target }));
  return listOf(body, 'contexts').flatMap((c) => (str(c.id) ? [c as unknown as ContextSummary] : []));
}

export async function fetchContextDetails(
  get: ResourceGet,
  context: string,
  nodes: string[],
  target: CloudTarget = {}
): Promise<ContextDetails | undefined> {
  const body = await get('context', params({ context, nodes, ...target }));
  const details = isRecord(body) && isRecord(body.context) ? body.context : undefined;
  if (!details || !str(details.id)) {
    return undefined;
  }
  return {
    ...(details as unknown as ContextSummary),
    dimensions: strings(details.dimensions),
    instances: strings(details.instances),
    labels: isRecord(details.labels)
      ? Object.fromEntries(Object.entries(details.labels).map(([k, v]) => [k, strings(v)]))
      : {},
  };
}

/**
 * Contexts matching a search text anywhere (id, title, family, units, instances, dimensions, labels), each with what
 * matched (`search?q=`). `exact` is false where the list was (partly) filtered by context id and title only.
 */
export async function searchContexts(
  get: ResourceGet,
  text: string,
  nodes: string[] = [],
  target: CloudTarget = {}
): Promise<SearchResult> {
  const body = await get('search', params({ q: text, nodes, ...target }));
  const contexts = listOf(body, 'contexts').flatMap((c): SearchHit[] => {
    const id = str(c.id);
    if (!id) {
      return [];
    }
    const hit: SearchHit = { id, matched: strings(c.matched) };
    for (const key of ['title', 'family', 'units'] as const) {
      const value = str(c[key]);
      if (value !== undefined) {
        hit[key] = value;
      }
    }
    return [hit];
  });
  return { contexts, exact: isRecord(body) && body.exact === true };
}

export async function fetchSpaces(get: ResourceGet): Promise<NamedItem[]> {
  return namedItems(await get('spaces', {}), 'spaces');
}

export async function fetchRooms(get: ResourceGet, spaceId: string): Promise<NamedItem[]> {
  return namedItems(await get('rooms', params({ spaceId })), 'rooms');
}

/** The readable message of a failed resource call: the backend answers `{ "error": "..." }`. */
export function resourceErrorMessage(err: unknown): string {
  if (isFetchError(err)) {
    const data: unknown = err.data;
    if (isRecord(data) && typeof data.error === 'string' && data.error) {
      return data.error;
    }
    if (isRecord(data) && typeof data.message === 'string' && data.message) {
      return data.message;
    }
    return err.statusText ? `${err.status} ${err.statusText}` : `Request failed with status ${err.status}`;
  }
  return err instanceof Error ? err.message : String(err);
}

/** Drops empty values so the backend sees only what was chosen (a repeated key per list item). */
function params(raw: Record<string, string | string[] | undefined>): ResourceParams {
  const out: ResourceParams = {};
  for (const [key, value] of Object.entries(raw)) {
    if (Array.isArray(value)) {
      const items = value.filter((v) => v !== '');
      if (items.length) {
        out[key] = items;
      }
    } else if (value) {
      out[key] = value;
    }
  }
  return out;
}

function namedItems(body: unknown, key: string): NamedItem[] {
  return listOf(body, key).flatMap((item) => {
    const id = str(item.id);
    return id ? [{ id, name: str(item.name) ?? id }] : [];
  });
}

function listOf(body: unknown, key: string): Array<Record<string, unknown>> {
  const list = isRecord(body) ? body[key] : undefined;
  return Array.isArray(list) ? list.filter(isRecord) : [];
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
