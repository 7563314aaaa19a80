// Per-query answers: frames with status 200, or an error with an HTTP-like status and who is to blame.
import { NetdataRequestError, type ErrorSource } from '../datasource/requestError';
import { scrubSecrets } from '../log/secrets';
import type { DataResponseMsg } from '../protocol/messages';

export function successResponse(frames: Uint8Array[]): DataResponseMsg {
  return { frames, status: 200, format: 0 };
}

export function errorResponse(message: string, status: number, source: ErrorSource): DataResponseMsg {
  return { frames: [], error: scrubSecrets(message), status, errorSource: source, format: 0 };
}

/** Our own refusal of a query (bad JSON, bad model, unbuildable request). */
export function badQuery(message: string): DataResponseMsg {
  return errorResponse(message, 400, 'plugin');
}

export function responseForError(err: unknown): DataResponseMsg {
  if (err instanceof NetdataRequestError) {
    return errorResponse(err.message, err.status, err.source);
  }
  const message = err instanceof Error ? err.message : String(err);
  return errorResponse(`Internal error of the Netdata plugin: ${message}`, 500, 'plugin');
}

/**
 * A Cloud 403 on an alert endpoint: `scope:grafana-plugin` tokens cannot read alerts. Anything else is not ours to
 * explain and gives undefined.
 */
export function cloudAlertsScopeRefusal(err: unknown, refId: string, feature: string): DataResponseMsg | undefined {
  if (err instanceof NetdataRequestError && err.kind === 'http' && err.upstreamStatus === 403) {
    return errorResponse(
      `Query ${refId}: the Cloud API token's scope (scope:grafana-plugin) cannot read alerts: use a token with ` +
        `scope:all for ${feature}`,
      403,
      'downstream'
    );
  }
  return undefined;
}
