// One load shared by every caller that asks while it runs or within `ttlMs` of its start, per key; a failed load is
// forgotten so that the next caller tries again. The load is not tied to one caller's cancellation: each caller
// waits with its own signal.
import { abortable } from './abortable';

export type SharedLoad<T> = (key: string, load: () => Promise<T>, signal?: AbortSignal) => Promise<T>;

export function sharedLoads<T>(ttlMs: number): SharedLoad<T> {
  const entries = new Map<string, { at: number; promise: Promise<T> }>();
  return (key, load, signal) => {
    const now = Date.now();
    let entry = entries.get(key);
    if (entry === undefined || now - entry.at > ttlMs) {
      const fresh = { at: now, promise: load() };
      entries.set(key, fresh);
      fresh.promise.catch(() => {
        if (entries.get(key) === fresh) {
          entries.delete(key);
        }
      });
      entry = fresh;
    }
    return abortable(entry.promise, signal);
  };
}
