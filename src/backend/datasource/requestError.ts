// A failed request to Netdata (or a request we refused to make), carrying what the per-query response and
// the health check need: a readable message, an HTTP-like status and who is to blame.
import { scrubSecrets } from '../log/secrets';

export type ErrorSource = 'plugin' | 'downstream';

export type FailureKind =
  | 'http' // Netdata answered with a non-2xx status
  | 'redirect'
  | 'timeout'
  | 'cancelled'
  | 'dns'
  | 'refused'
  | 'tls'
  | 'network'
  | 'body' // 2xx with an unusable body
  | 'too-large' // a body above the response-size limit
  | 'too-old' // an agent without the json2 API (< v1.39)
  | 'not-netdata'
  | 'refused-url' // a URL we will not send the token to
  | 'bad-query'; // a query we cannot turn into a Netdata request

export class NetdataRequestError extends Error {
  readonly kind: FailureKind;
  /** HTTP-like status for `DataResponse.status` and resource responses. */
  readonly status: number;
  readonly source: ErrorSource;
  /** Status Netdata answered with, for kind `http`. */
  readonly upstreamStatus?: number;
  /** The start of Netdata's error body (secrets scrubbed), for callers that read endpoint-specific errors. */
  readonly upstreamBody?: string;

  constructor(
    kind: FailureKind,
    message: string,
    status: number,
    source: ErrorSource,
    upstreamStatus?: number,
    upstreamBody?: string
  ) {
    super(scrubSecrets(message));
    this.name = 'NetdataRequestError';
    this.kind = kind;
    this.status = status;
    this.source = source;
    this.upstreamStatus = upstreamStatus;
    this.upstreamBody = upstreamBody === undefined ? undefined : scrubSecrets(upstreamBody);
  }
}

/** Auth statuses of Netdata (agent 401/403/412/451, Cloud 401/403): kept as they are. */
export const AUTH_STATUSES: readonly number[] = [401, 403, 412, 451];

/** The status we report for an HTTP failure of Netdata. */
export function statusForUpstream(upstream: number): number {
  if (AUTH_STATUSES.includes(upstream) || upstream === 400 || upstream === 404 || upstream === 429) {
    return upstream;
  }
  if (upstream === 499 || upstream === 504) {
    return 504;
  }
  return 502;
}
