// What every query type's runner needs around its Netdata request: a readable refId, the time the request may take,
// and builder errors turned into per-query refusals.
import type { DataSourceInstance } from '../datasource/instance';
import type { RequestOptions } from '../datasource/httpClient';
import { NetdataRequestError } from '../datasource/requestError';
import type { CallContext } from '../protocol/callContext';
import type { DataQueryMsg, DataResponseMsg } from '../protocol/messages';

/** Netdata's own query timeout is set a little below ours so that Netdata reports it (499/504) first. */
const NETDATA_TIMEOUT_SHARE = 0.9;

/** refIds are Grafana's, but a broken client could send anything: keep messages readable. */
export function shownRefId(refId: string | undefined): string {
  const id = (refId ?? '').replace(/[\u0000-\u001f\u007f]/g, '?');
  return id.length > 40 ? `${id.slice(0, 40)}…` : id;
}

export interface QueryTiming {
  /** For the HTTP client: the data source timeout, cut to Grafana's deadline, and Grafana's cancellation. */
  fetch: RequestOptions;
  /** For Netdata's own `timeout` parameter. */
  netdataTimeoutMs: number;
}

export function queryTiming(inst: DataSourceInstance, ctx: CallContext): QueryTiming {
  const timeoutMs = Math.min(inst.settings.timeoutMs, ctx.timeLeftMs() ?? Infinity);
  return {
    fetch: { signal: ctx.signal, timeoutMs },
    netdataTimeoutMs: Math.max(1, Math.floor(timeoutMs * NETDATA_TIMEOUT_SHARE)),
  };
}

/** The core builders throw readable Errors for queries that cannot be expressed: those are the query's fault. */
export function built<T>(build: () => T): T {
  try {
    return build();
  } catch (err) {
    throw new NetdataRequestError('bad-query', err instanceof Error ? err.message : String(err), 400, 'plugin');
  }
}

/** What a runner gets: the query as Grafana sent it, its JSON already parsed, and the refId as messages show it. */
export interface QueryInput {
  q: DataQueryMsg;
  json: Record<string, unknown>;
  refId: string;
  /** Grafana's uid of the data source (Live channels are `ds/<uid>/…`); empty when Grafana sent none. */
  dataSourceUid: string;
}

export type QueryRunner = (inst: DataSourceInstance, input: QueryInput, ctx: CallContext) => Promise<DataResponseMsg>;

/** The data source's Cloud space and room; a query's own `spaceId`/`roomId` override them in the core builders. */
export function cloudDefaults(inst: DataSourceInstance): { spaceId: string; roomId: string } {
  return { spaceId: inst.settings.spaceId ?? '', roomId: inst.settings.roomId ?? '' };
}

/** What Netdata answered, and the request as Grafana's query inspector shows it (`executedQueryString`). */
export interface NetdataAnswer {
  body: unknown;
  executedQueryString: string;
}

export async function sendAgentGet(
  inst: DataSourceInstance,
  req: { path: string },
  fetch: RequestOptions
): Promise<NetdataAnswer> {
  // The inspector shows the request as sent: scoped to the URL's `/host/<node>` when it has one.
  const path = await inst.requestPath(req.path, fetch.signal);
  return { body: await inst.client.getJson(path, fetch), executedQueryString: path };
}

export async function sendCloudPost(
  inst: DataSourceInstance,
  req: { path: string; body: unknown },
  fetch: RequestOptions
): Promise<NetdataAnswer> {
  const body = await inst.client.postJson(req.path, req.body, fetch);
  return { body, executedQueryString: `POST ${req.path} ${JSON.stringify(req.body)}` };
}
