// The `search?q=` resource: contexts whose ids, titles, instances, dimensions or labels match, saying what matched
// (netdata-api-extra.md §2). The text goes to Netdata only as an encoded `q` value, never into a path.
import {
  buildAgentSearchRequest,
  filterContextList,
  mergeSearchHits,
  parseSearchAnswer,
  type SearchResult,
  searchWords,
} from '../../netdata/search';
import { simplePattern } from '../../netdata/patterns';
import { versionAtLeast } from '../datasource/agentApi';
import type { RequestOptions } from '../datasource/httpClient';
import type { DataSourceInstance } from '../datasource/instance';
import { NetdataRequestError } from '../datasource/requestError';
import { agentContexts } from './agentRoutes';
import { cloudContexts } from './cloudRoutes';
import type { ResourceParams } from './resourceParams';

/** From v2.6 `q` is a case-insensitive substring search over everything (§2.1). */
export const SUBSTRING_Q_VERSION: readonly [number, number] = [2, 6];

function isNotFound(err: unknown): boolean {
  return err instanceof NetdataRequestError && err.kind === 'http' && err.upstreamStatus === 404;
}

export async function agentSearch(
  inst: DataSourceInstance,
  params: ResourceParams,
  opts: RequestOptions
): Promise<SearchResult> {
  const words = searchWords(params.text('q') ?? '');
  const listed = async () => (await agentContexts(inst, params, opts)).contexts;
  if (words.length === 0) {
    return { contexts: mergeSearchHits((await listed()).map((c) => ({ ...c, matched: [] }))), exact: true };
  }
  const agent = await inst.agentApi(opts.signal);
  if (agent.api === 1) {
    // v1-only agents (1.37) have no /api/v2/q: the plain chart list is all there is.
    return { contexts: mergeSearchHits(filterContextList(await listed(), words)), exact: false };
  }
  const req = buildAgentSearchRequest(words, agent.api, { timeoutMs: opts.timeoutMs });
  const nodes = simplePattern(params.list('nodes'));
  const path = nodes === undefined ? req.path : `${req.path}&scope_nodes=${encodeURIComponent(nodes)}`;
  let found;
  try {
    found = parseSearchAnswer(await inst.client.getJson(path, opts));
  } catch (err) {
    if (!isNotFound(err)) {
      throw err;
    }
    // No /api/v2/q on this agent: the plain list is all there is.
    return { contexts: mergeSearchHits(filterContextList(await listed(), words)), exact: false };
  }
  if (versionAtLeast(agent.info.version, SUBSTRING_Q_VERSION)) {
    return { contexts: mergeSearchHits(found), exact: true };
  }
  // Before v2.6 `q` compares whole strings (even `*word*` misses titles, which it does not search there).
  return { contexts: mergeSearchHits(found, filterContextList(await listed(), words)), exact: false };
}

/** Cloud has no room search endpoint in the spec: the room's context list, filtered here. */
export async function cloudSearch(
  inst: DataSourceInstance,
  params: ResourceParams,
  opts: RequestOptions
): Promise<SearchResult> {
  const words = searchWords(params.text('q') ?? '');
  const contexts = (await cloudContexts(inst, params, opts)).contexts;
  if (words.length === 0) {
    return { contexts: mergeSearchHits(contexts.map((c) => ({ ...c, matched: [] }))), exact: true };
  }
  return { contexts: mergeSearchHits(filterContextList(contexts, words)), exact: false };
}
