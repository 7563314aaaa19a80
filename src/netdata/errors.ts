// Readable messages for HTTP failures of Netdata Agents and Netdata Cloud (netdata-api.md §2.4, §2.5, §6.5, §8.8).

const MAX_DETAIL = 300;

/**
 * A short, safe excerpt of an error body: no HTML pages, no control characters, no credentials (anything after
 * `Bearer`, `token=`/`token:` and long opaque strings such as Cloud API tokens are masked).
 */
export function bodyExcerpt(body: string): string {
  const text = body.trim();
  if (text === '' || /^<(!doctype|html|head|body)\b/i.test(text)) {
    return '';
  }
  const cleaned = text
    .replace(/[\u0000-\u001f\u007f]+/g, ' ')
    .replace(/(bearer\s+)\S+/gi, '$1[redacted]')
    .replace(/(token["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1[redacted]')
    .replace(/[A-Za-z0-9_\-.]{40,}/g, '[redacted]')
    .replace(/\s+/g, ' ')
    .trim();
  return cleaned.length > MAX_DETAIL ? `${cleaned.slice(0, MAX_DETAIL)}…` : cleaned;
}

/** `errorMessage`, `errorMsgKey`, `message` of a Cloud JSON error body, in the order Netdata's SDK reads them. */
export function cloudMessage(body: string): { message?: string; key?: string } {
  try {
    const json: unknown = JSON.parse(body);
    if (typeof json !== 'object' || json === null) {
      return {};
    }
    const o = json as Record<string, unknown>;
    const pick = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? bodyExcerpt(v) : undefined);
    return {
      message: pick(o.errorMessage) ?? pick(o.errorMsgKey) ?? pick(o.message) ?? pick(o.error),
      key: pick(o.errorMsgKey),
    };
  } catch {
    return {};
  }
}

function withDetail(message: string, detail: string | undefined): string {
  return detail ? `${message} (Netdata said: ${detail})` : message;
}

function agentMessage(status: number, body: string): string {
  const detail = bodyExcerpt(body);
  switch (status) {
    case 401:
    case 412:
      return (
        `Netdata agent requires a bearer token (HTTP ${status}): the agent has bearer protection on and no valid ` +
        'token was sent. Set the agent bearer token in the data source settings (agent tokens expire after 24 ' +
        'hours; a Netdata Cloud API token is not accepted by agents)'
      );
    case 403:
      return withDetail(
        'Netdata agent refused access (HTTP 403): the bearer token lacks the permissions for this request',
        detail
      );
    case 451:
      return withDetail(
        'Netdata agent refused the connection (HTTP 451): Grafana’s address is not allowed by the agent’s access ' +
          'lists (allow dashboard from / allow connections from in netdata.conf), or the endpoint is for Cloud only',
        detail
      );
    case 404:
      if (/Unsupported API version: v3/i.test(body)) {
        return 'This Netdata agent has no /api/v3 (it is older than v2.0); use /api/v2 or upgrade the agent (HTTP 404)';
      }
      if (/Unsupported API version: v2/i.test(body)) {
        return (
          'This Netdata agent is too old: it has no /api/v2 (added in v1.39). Upgrade the agent to v1.39 or later ' +
          '(HTTP 404)'
        );
      }
      if (/does not maintain a database for host/i.test(body)) {
        return withDetail(
          'The URL’s /host/<node> prefix names a node this Netdata does not know; fix or remove it (HTTP 404)',
          detail
        );
      }
      if (/Unsupported API command/i.test(body)) {
        return withDetail(
          'This Netdata agent does not support this API endpoint; upgrade the agent (HTTP 404)',
          detail
        );
      }
      return withDetail(
        'Not found (HTTP 404): check that the URL points at a Netdata agent or parent (such as http://host:19999) ' +
          'with no extra path',
        detail
      );
    case 499:
    case 504:
      return (
        `Netdata query timed out (HTTP ${status}): narrow the query (fewer nodes or contexts, a shorter range) or ` +
        'raise the timeout'
      );
    case 400:
      return withDetail('Netdata agent rejected the request (HTTP 400)', detail);
    case 500:
      return withDetail('Netdata agent could not run the query (HTTP 500)', detail);
    case 502:
    case 503:
      return withDetail(`Netdata agent is unavailable (HTTP ${status}); it may still be starting`, detail);
    case 429:
      return 'Netdata answered "too many requests" (HTTP 429); retry later or refresh less often';
    default:
      return withDetail(`Netdata agent answered HTTP ${status}`, detail);
  }
}

function cloudErrorMessage(status: number, body: string): string {
  const parsed = cloudMessage(body);
  const detail = parsed.message ?? (body.trim().startsWith('{') ? undefined : bodyExcerpt(body) || undefined);
  switch (status) {
    case 401:
      return withDetail(
        'Netdata Cloud rejected the API token (HTTP 401): it is missing, malformed or revoked. Create a token ' +
          '(scope grafana-plugin) in Netdata Cloud under User Settings → API Tokens',
        detail
      );
    case 403:
      return withDetail(
        'Netdata Cloud denied access (HTTP 403): the token’s scope or your role does not allow this space, room or ' +
          'request (alerts need a token with scope all)',
        detail
      );
    case 404:
      return withDetail('Netdata Cloud: not found (HTTP 404); check the space and room', detail);
    case 400:
      return withDetail('Netdata Cloud rejected the query (HTTP 400)', detail);
    case 429:
      return 'Netdata Cloud is rate limiting requests (HTTP 429); retry later or refresh less often';
    case 499:
    case 504:
      return withDetail(
        `Netdata Cloud query timed out (HTTP ${status}): narrow the query (fewer nodes, a shorter range) or raise ` +
          'the timeout',
        detail
      );
    default:
      if (parsed.key === 'ErrAllNodesFailed') {
        return withDetail(`Netdata Cloud: all agents failed to return data (HTTP ${status})`, detail);
      }
      if (parsed.key === 'ErrNoQueryableNodeInstanceFound') {
        return withDetail(`Netdata Cloud: no node in this room can answer for this context (HTTP ${status})`, detail);
      }
      return withDetail(`Netdata Cloud answered HTTP ${status}`, detail);
  }
}

/** The message for an HTTP failure of Netdata; never includes a token. */
export function netdataErrorMessage(status: number, body: string, transport: 'agent' | 'cloud'): string {
  const text = typeof body === 'string' ? body : '';
  return transport === 'cloud' ? cloudErrorMessage(status, text) : agentMessage(status, text);
}
