// The data source's settings as Grafana sends them (DataSourceInstanceSettings), validated into what the
// HTTP client needs. Public contract: url, jsonData.{transport,spaceId,roomId,timeout}, secureJsonData.token.
import { splitHostPrefix } from '../../netdata/hostNode';
import type { Result } from '../../netdata/types';
import type { DataSourceInstanceSettingsMsg } from '../protocol/messages';

export type Transport = 'agent' | 'cloud';

export interface NetdataSettings {
  transport: Transport;
  /** Normalised base URL: http(s), no credentials, query or fragment, no trailing slash. */
  baseUrl: URL;
  /**
   * Agent only: the node of a URL ending in `/host/<node>`, taken off `baseUrl`: v2/v3 ignore the prefix, so every
   * request is scoped to that node instead (hostNode.ts, instance.ts).
   */
  hostNode?: string;
  token?: string;
  spaceId?: string;
  roomId?: string;
  timeoutMs: number;
  /** Response-size limit (jsonData.maxResponseMiB); the client's default when absent. */
  maxResponseBytes?: number;
  /** Grafana's uid and name of the data source, for Explore links in frames. */
  uid?: string;
  name?: string;
}

export const DEFAULT_CLOUD_URL = 'https://app.netdata.cloud';
export const DEFAULT_TIMEOUT_S = 30;
const MAX_TIMEOUT_S = 600;
const MAX_RESPONSE_MIB = 1024;

function jsonObject(bytes: Buffer | Uint8Array | undefined): Result<Record<string, unknown>> {
  const text = bytes ? Buffer.from(bytes).toString('utf8').trim() : '';
  if (text === '') {
    return { ok: true, value: {} };
  }
  try {
    const value: unknown = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return { ok: false, error: 'The data source jsonData is not a JSON object' };
    }
    return { ok: true, value: value as Record<string, unknown> };
  } catch {
    return { ok: false, error: 'The data source jsonData is not valid JSON' };
  }
}

function optionalString(value: unknown, name: string): Result<string | undefined> {
  if (value === undefined || value === null) {
    return { ok: true, value: undefined };
  }
  if (typeof value !== 'string') {
    return { ok: false, error: `The data source setting ${name} must be a string` };
  }
  const trimmed = value.trim();
  return { ok: true, value: trimmed === '' ? undefined : trimmed };
}

function parseTimeout(value: unknown): Result<number> {
  if (value === undefined || value === null || value === '') {
    return { ok: true, value: DEFAULT_TIMEOUT_S * 1000 };
  }
  const seconds = typeof value === 'string' ? Number(value) : value;
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_TIMEOUT_S) {
    return { ok: false, error: `The data source timeout must be a number of seconds between 1 and ${MAX_TIMEOUT_S}` };
  }
  return { ok: true, value: Math.round(seconds * 1000) };
}

function parseMaxResponse(value: unknown): Result<number | undefined> {
  if (value === undefined || value === null || value === '') {
    return { ok: true, value: undefined };
  }
  const mib = typeof value === 'string' ? Number(value) : value;
  if (typeof mib !== 'number' || !Number.isFinite(mib) || mib < 1 || mib > MAX_RESPONSE_MIB) {
    return {
      ok: false,
      error: `The data source setting maxResponseMiB must be a number of MiB between 1 and ${MAX_RESPONSE_MIB}`,
    };
  }
  return { ok: true, value: Math.round(mib * 1024 * 1024) };
}

export function parseBaseUrl(raw: string, transport: Transport): Result<URL> {
  const text = raw.trim() || (transport === 'cloud' ? DEFAULT_CLOUD_URL : '');
  if (text === '') {
    return {
      ok: false,
      error: 'The data source URL is empty: enter the Netdata agent URL, e.g. http://localhost:19999',
    };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return {
      ok: false,
      error: `The data source URL "${text.slice(0, 200)}" is not a valid URL (e.g. http://localhost:19999)`,
    };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return { ok: false, error: `The data source URL must start with http:// or https:// (got ${url.protocol})` };
  }
  if (url.username || url.password) {
    return { ok: false, error: 'The data source URL must not contain a user name or password; use the token setting' };
  }
  if (url.search || url.hash) {
    return { ok: false, error: 'The data source URL must not contain a query string or fragment' };
  }
  let path = url.pathname.replace(/\/+$/, '');
  // Netdata's own Grafana plugin used the Cloud base `…/api`; our paths already start with /api.
  if (transport === 'cloud' && path.endsWith('/api')) {
    path = path.slice(0, -4);
  }
  url.pathname = path === '' ? '/' : path;
  return { ok: true, value: url };
}

export function parseSettings(s: DataSourceInstanceSettingsMsg | null | undefined): Result<NetdataSettings> {
  if (!s) {
    return { ok: false, error: 'The request carries no data source settings' };
  }
  const json = jsonObject(s.jsonData);
  if (!json.ok) {
    return json;
  }
  const rawTransport = json.value.transport ?? 'agent';
  if (rawTransport !== 'agent' && rawTransport !== 'cloud') {
    return {
      ok: false,
      error: `The data source transport must be "agent" or "cloud" (got ${JSON.stringify(rawTransport)})`,
    };
  }
  const transport: Transport = rawTransport;
  const baseUrl = parseBaseUrl(s.url ?? '', transport);
  if (!baseUrl.ok) {
    return baseUrl;
  }
  let hostNode: string | undefined;
  if (transport === 'agent') {
    const split = splitHostPrefix(baseUrl.value.pathname);
    if (!split.ok) {
      return split;
    }
    hostNode = split.value.node;
    baseUrl.value.pathname = split.value.path === '' ? '/' : split.value.path;
  }
  const spaceId = optionalString(json.value.spaceId, 'spaceId');
  const roomId = optionalString(json.value.roomId, 'roomId');
  const timeout = parseTimeout(json.value.timeout);
  const maxResponse = parseMaxResponse(json.value.maxResponseMiB);
  for (const r of [spaceId, roomId, timeout, maxResponse]) {
    if (!r.ok) {
      return r;
    }
  }
  const token = (s.decryptedSecureJsonData?.token ?? '').trim() || undefined;
  if (token !== undefined && /[\u0000-\u001f\u007f]/.test(token)) {
    return { ok: false, error: 'The data source token contains control characters; paste it again' };
  }
  if (transport === 'cloud' && token === undefined) {
    return {
      ok: false,
      error: 'Netdata Cloud needs an API token: create one in Netdata Cloud (User Settings → API Tokens)',
    };
  }
  return {
    ok: true,
    value: {
      transport,
      baseUrl: baseUrl.value,
      ...(hostNode !== undefined ? { hostNode } : {}),
      token,
      spaceId: spaceId.ok ? spaceId.value : undefined,
      roomId: roomId.ok ? roomId.value : undefined,
      timeoutMs: timeout.ok ? timeout.value : DEFAULT_TIMEOUT_S * 1000,
      ...(maxResponse.ok && maxResponse.value !== undefined ? { maxResponseBytes: maxResponse.value } : {}),
      ...(s.uid ? { uid: s.uid } : {}),
      ...(s.name ? { name: s.name } : {}),
    },
  };
}
