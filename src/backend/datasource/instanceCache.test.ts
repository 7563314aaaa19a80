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

  it('builds a new instance when the URL, the token or the update stamp changes, even with the same jsonData', () => {
    const cache = new InstanceCache();
    const first = cache.get(instanceSettings({}, 'token-one', 'http://a:19999', 'a'));
    const variants = [
      instanceSettings({}, 'token-one', 'http://b:19999', 'a'),
      instanceSettings({}, 'token-two', 'http://b:19999', 'a'),
      { ...instanceSettings({}, 'token-two', 'http://b:19999', 'a'), lastUpdatedMS: 2 },
    ];
    const seen = [first];
    for (const v of variants) {
      const next = cache.get(v);
      expect(next.ok).toBe(true);
      for (const before of seen) {
        expect(next.ok && before.ok && next.value !== before.value).toBe(true);
      }
      seen.push(next);
    }
  });

  it('keeps what the settings were, not a view of the request buffer they were decoded from', () => {
    const cache = new InstanceCache();
    // protobufjs hands bytes fields over as views into the request's buffer, which is reused afterwards.
    const request = Buffer.from(`xx${JSON.stringify({ timeout: 5 })}xx`);
    const view = request.subarray(2, request.length - 2);
    const first = cache.get({ ...instanceSettings({}, undefined, 'http://a:19999', 'a'), jsonData: view });
    request.fill(0x20, 2, request.length - 2);
    const same = cache.get(instanceSettings({ timeout: 5 }, undefined, 'http://a:19999', 'a'));
    expect(first.ok && same.ok && same.value === first.value).toBe(true);
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
