// Data source instances by uid, replaced when Grafana sends changed settings (the Go SDK's instancemgmt keys
// on uid + lastUpdatedMS; we also compare the settings themselves in case the stamp does not move).
import type { Result } from '../../netdata/types';
import { registerSecret } from '../log/secrets';
import type { DataSourceInstanceSettingsMsg } from '../protocol/messages';
import type { FetchFn } from './httpClient';
import { createInstance, type DataSourceInstance } from './instance';
import { parseSettings } from './settings';

/** What an instance was built from; compared field by field on every request (cheaper than hashing them). */
interface Stamp {
  lastUpdatedMS: number;
  url: string;
  /** A copy: the decoded settings are a view into the whole request's buffer. */
  jsonData: Buffer;
  token: string;
}

function stampOf(s: DataSourceInstanceSettingsMsg): Stamp {
  return {
    lastUpdatedMS: s.lastUpdatedMS ?? 0,
    url: s.url ?? '',
    jsonData: Buffer.from(s.jsonData ?? []),
    token: s.decryptedSecureJsonData?.token ?? '',
  };
}

function sameSettings(stamp: Stamp, s: DataSourceInstanceSettingsMsg): boolean {
  return (
    stamp.lastUpdatedMS === (s.lastUpdatedMS ?? 0) &&
    stamp.url === (s.url ?? '') &&
    stamp.token === (s.decryptedSecureJsonData?.token ?? '') &&
    stamp.jsonData.equals(s.jsonData ?? Buffer.alloc(0))
  );
}

/** An instance no request has used for this long is dropped (Grafana never says a data source was deleted). */
export const INSTANCE_IDLE_MS = 60 * 60 * 1000;

export class InstanceCache {
  private readonly byKey = new Map<string, { stamp: Stamp; instance: DataSourceInstance; usedAt: number }>();

  constructor(
    private readonly fetchFn?: FetchFn,
    private readonly now: () => number = Date.now
  ) {}

  get(s: DataSourceInstanceSettingsMsg | null | undefined): Result<DataSourceInstance> {
    if (!s) {
      return { ok: false, error: 'The request carries no data source settings' };
    }
    registerSecret(s.decryptedSecureJsonData?.token?.trim());
    const key = s.uid || `id:${s.id ?? 0}`;
    const now = this.now();
    this.evictIdle(now);
    const existing = this.byKey.get(key);
    if (existing && sameSettings(existing.stamp, s)) {
      existing.usedAt = now;
      return { ok: true, value: existing.instance };
    }
    // Changed settings: the old instance's kept-alive connections go (in-flight requests on them still finish).
    existing?.instance.client.close();
    const settings = parseSettings(s);
    if (!settings.ok) {
      this.byKey.delete(key);
      return settings;
    }
    const instance = createInstance(settings.value, this.fetchFn);
    this.byKey.set(key, { stamp: stampOf(s), instance, usedAt: now });
    return { ok: true, value: instance };
  }

  private evictIdle(now: number): void {
    for (const [key, entry] of this.byKey) {
      if (now - entry.usedAt > INSTANCE_IDLE_MS) {
        entry.instance.client.close();
        this.byKey.delete(key);
      }
    }
  }

  get size(): number {
    return this.byKey.size;
  }
}
