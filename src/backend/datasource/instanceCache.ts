// Data source instances by uid, replaced when Grafana sends changed settings (the Go SDK's instancemgmt keys
// on uid + lastUpdatedMS; we also fingerprint the settings in case the stamp does not move).
import { createHash } from 'node:crypto';
import type { Result } from '../../netdata/types';
import { registerSecret } from '../log/secrets';
import type { DataSourceInstanceSettingsMsg } from '../protocol/messages';
import type { FetchFn } from './httpClient';
import { createInstance, type DataSourceInstance } from './instance';
import { parseSettings } from './settings';

function fingerprint(s: DataSourceInstanceSettingsMsg): string {
  const hash = createHash('sha256');
  hash.update(s.url ?? '');
  hash.update('\0');
  hash.update(s.jsonData ?? Buffer.alloc(0));
  hash.update('\0');
  hash.update(s.decryptedSecureJsonData?.token ?? '');
  return `${s.lastUpdatedMS ?? 0}:${hash.digest('hex')}`;
}

/** An instance no request has used for this long is dropped (Grafana never says a data source was deleted). */
export const INSTANCE_IDLE_MS = 60 * 60 * 1000;

export class InstanceCache {
  private readonly byKey = new Map<string, { stamp: string; instance: DataSourceInstance; usedAt: number }>();

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
    const stamp = fingerprint(s);
    const existing = this.byKey.get(key);
    if (existing && existing.stamp === stamp) {
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
    this.byKey.set(key, { stamp, instance, usedAt: now });
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
