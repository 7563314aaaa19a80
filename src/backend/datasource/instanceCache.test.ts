/** @jest-environment node */
import { instanceSettings } from '../testing/instanceSettings';
import { INSTANCE_IDLE_MS, InstanceCache } from './instanceCache';

describe('InstanceCache', () => {
  it('keeps one instance per data source until its settings change', () => {
    const cache = new InstanceCache();
    const a = cache.get(instanceSettings({}, undefined, 'http://a:19999', 'a'));
    const again = cache.get(instanceSettings({}, undefined, 'http://a:19999', 'a'));
    const changed = cache.get(instanceSettings({ timeout: 5 }, undefined, 'http://a:19999', 'a'));
    expect(a.ok && again.ok && changed.ok).toBe(true);
    if (a.ok && again.ok && changed.ok) {
      expect(again.value).toBe(a.value);
      expect(changed.value).not.toBe(a.value);
    }
    expect(cache.size).toBe(1);
  });

  it('drops instances no request used for an hour, keeping the ones in use', () => {
    let now = 1_000_000;
    const cache = new InstanceCache(undefined, () => now);
    cache.get(instanceSettings({}, undefined, 'http://a:19999', 'a'));
    cache.get(instanceSettings({}, undefined, 'http://b:19999', 'b'));
    now += INSTANCE_IDLE_MS / 2;
    cache.get(instanceSettings({}, undefined, 'http://b:19999', 'b'));
    now += INSTANCE_IDLE_MS / 2 + 1;
    cache.get(instanceSettings({}, undefined, 'http://b:19999', 'b'));
    expect(cache.size).toBe(1);
    now += INSTANCE_IDLE_MS + 1;
    cache.get(instanceSettings({}, undefined, 'http://c:19999', 'c'));
    expect(cache.size).toBe(1);
  });
});
