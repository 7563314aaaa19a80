// Lets one caller stop waiting for a shared promise when its own request is cancelled.
import { NetdataRequestError } from './requestError';

/** Abort reason used when the gRPC deadline (not Grafana's cancellation) stops a call. */
export const DEADLINE_REASON = 'deadline';

export function abortError(signal: AbortSignal): NetdataRequestError {
  if (signal.reason === DEADLINE_REASON) {
    return new NetdataRequestError(
      'timeout',
      "Grafana's deadline for this request passed before Netdata answered",
      504,
      'downstream'
    );
  }
  return new NetdataRequestError('cancelled', 'The request was cancelled by Grafana', 499, 'plugin');
}

export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) {
    return promise;
  }
  if (signal.aborted) {
    return Promise.reject(abortError(signal));
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      }
    );
  });
}
