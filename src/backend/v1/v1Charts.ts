// The charts of each node of a Netdata 1.37 agent (`<prefix>/api/v1/charts`, netdata-api-extra.md §4.3), which the
// v1 query planner and the editors read. Kept a few seconds per node: a dashboard's queries share one listing.
import { parseV1Charts } from '../../netdata/v1/parse';
import type { V1Chart, V1Node } from '../../netdata/v1/types';
import type { NetdataClient, RequestOptions } from '../datasource/httpClient';
import { abortable } from '../datasource/abortable';
import { NetdataRequestError } from '../datasource/requestError';

const CHARTS_TTL_MS = 15 * 1000;
/** Requests in flight at once against one agent (per query or look-up). */
export const V1_CONCURRENCY = 4;

const cache = new WeakMap<NetdataClient, Map<string, { at: number; promise: Promise<V1Chart[]> }>>();

/** A 404 under `/host/<node>/` means the Parent does not know (or no longer holds) that node (§4.1). */
export function nodeFailure(err: unknown, node: V1Node, what: string): unknown {
  if (node.prefix !== '' && err instanceof NetdataRequestError && err.kind === 'http' && err.upstreamStatus === 404) {
    return new NetdataRequestError(
      'http',
      `Node ${node.hostname} is not reachable through this Netdata Parent: ${node.prefix}/api/v1/${what} answered 404 ` +
        `(${err.message})`,
      404,
      'downstream',
      404
    );
  }
  return err;
}

async function fetchCharts(client: NetdataClient, node: V1Node, opts: RequestOptions): Promise<V1Chart[]> {
  let body: unknown;
  try {
    body = await client.getJson(`${node.prefix}/api/v1/charts`, opts);
  } catch (err) {
    throw nodeFailure(err, node, 'charts');
  }
  const charts = parseV1Charts(body);
  if (!charts.ok) {
    throw new NetdataRequestError(
      'body',
      `Netdata node ${node.hostname} answered /api/v1/charts with an unexpected document: ${charts.error}`,
      502,
      'downstream'
    );
  }
  return charts.value;
}

export function v1Charts(client: NetdataClient, node: V1Node, opts: RequestOptions): Promise<V1Chart[]> {
  let perClient = cache.get(client);
  if (perClient === undefined) {
    perClient = new Map();
    cache.set(client, perClient);
  }
  const now = Date.now();
  const known = perClient.get(node.prefix);
  if (known !== undefined && now - known.at < CHARTS_TTL_MS) {
    return abortable(known.promise, opts.signal);
  }
  // Shared by concurrent callers: not tied to one caller's cancellation.
  const promise = fetchCharts(client, node, { timeoutMs: opts.timeoutMs });
  const entry = { at: now, promise };
  perClient.set(node.prefix, entry);
  promise.catch(() => {
    if (perClient.get(node.prefix) === entry) {
      perClient.delete(node.prefix);
    }
  });
  return abortable(promise, opts.signal);
}

/** `fn` over `items` with at most `limit` running at once; results in the items' order; the first failure wins. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
