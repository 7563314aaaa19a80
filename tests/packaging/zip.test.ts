/** @jest-environment node */
// Plugin zips: the writer keeps Unix modes (exec bits) and the merge into the all-platform zip stays a valid zip;
// and the zips `npm run package` wrote hold the plugin folder Grafana expects, built from the current dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { DIST, ROOT, requireFreshExecutables } from './artifacts';
import { entryData, readZip, type ZipEntry } from './zipReader';

jest.setTimeout(120000);

const PLUGIN_ID = 'seed-netdata-datasource';
const ARTIFACTS = process.env.GPX_ARTIFACTS_DIR ? process.env.GPX_ARTIFACTS_DIR : join(ROOT, 'artifacts');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const PLATFORMS = ['linux_amd64', 'linux_arm64', 'darwin_amd64', 'darwin_arm64', 'windows_amd64'];
const MAX_PLATFORM_ZIP = 45_000_000;

const byName = (entries: ZipEntry[]) => new Map(entries.map((e) => [e.name, e]));

describe('zip writer (scripts/packaging/zip.mjs)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpx-zip-'));
    const src = join(dir, 'src');
    mkdirSync(join(src, 'runtime_x/lib'), { recursive: true });
    writeFileSync(join(src, 'plugin.json'), '{"id":"x"}');
    writeFileSync(join(src, 'gpx_netdata_linux_amd64'), 'launcher', { mode: 0o755 });
    writeFileSync(join(src, 'runtime_x/lib/ld.so'), Buffer.alloc(200_000, 7), { mode: 0o755 });
    writeFileSync(join(src, 'runtime_x/lib/libc.so'), 'data '.repeat(1000), { mode: 0o644 });
    writeFileSync(join(src, 'other.exe'), 'pe', { mode: 0o644 });
    const script = `
      const [src, dir] = process.argv.slice(1);
      import(${JSON.stringify(join(ROOT, 'scripts/packaging/zip.mjs'))}).then(async (z) => {
        const opts = (name, entries) => ({ fromDir: src, entries, folder: '${PLUGIN_ID}', zipFile: dir + '/' + name, stageDir: dir + '/.stage-' + name });
        await z.zipPlugin(opts('a.zip', ['plugin.json', 'gpx_netdata_linux_amd64', 'runtime_x']));
        await z.zipPlugin(opts('b.zip', ['plugin.json', 'other.exe']));
        z.mergeZips([dir + '/a.zip', dir + '/b.zip'], dir + '/all.zip');
      });`;
    execFileSync(process.execPath, ['-e', script, src, dir]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('stores each file under the plugin folder with its Unix mode', () => {
    const { buf, entries } = readZip(join(dir, 'a.zip'));
    const e = byName(entries);
    expect(entries.every((x) => x.unix && x.name.startsWith(`${PLUGIN_ID}/`))).toBe(true);
    expect(e.get(`${PLUGIN_ID}/gpx_netdata_linux_amd64`)!.mode).toBe(0o755);
    expect(e.get(`${PLUGIN_ID}/runtime_x/lib/ld.so`)!.mode).toBe(0o755);
    expect(e.get(`${PLUGIN_ID}/runtime_x/lib/libc.so`)!.mode).toBe(0o644);
    expect(entryData(buf, e.get(`${PLUGIN_ID}/runtime_x/lib/ld.so`)!).equals(Buffer.alloc(200_000, 7))).toBe(true);
  });

  it('merges zips without recompressing: every entry once, data intact, modes kept', () => {
    const { buf, entries } = readZip(join(dir, 'all.zip'));
    const names = entries.filter((x) => !x.name.endsWith('/')).map((x) => x.name.slice(PLUGIN_ID.length + 1));
    expect(names.sort()).toEqual([
      'gpx_netdata_linux_amd64',
      'other.exe',
      'plugin.json',
      'runtime_x/lib/ld.so',
      'runtime_x/lib/libc.so',
    ]);
    expect(new Set(entries.map((x) => x.name)).size).toBe(entries.length);
    for (const x of entries) {
      entryData(buf, x);
    }
    expect(byName(entries).get(`${PLUGIN_ID}/runtime_x/lib/ld.so`)!.mode).toBe(0o755);
    // Info-ZIP reads it back too (when installed).
    if (existsSync('/usr/bin/unzip')) {
      expect(execFileSync('/usr/bin/unzip', ['-tq', join(dir, 'all.zip')], { encoding: 'utf8' })).toContain(
        'No errors'
      );
    }
  });
});

describe(`plugin zips in ${ARTIFACTS} (npm run package)`, () => {
  const zipPath = (platform?: string) =>
    join(ARTIFACTS, `${PLUGIN_ID}-${VERSION}${platform ? `.${platform}` : ''}.zip`);
  beforeAll(() => {
    requireFreshExecutables(['linux-amd64', 'linux-arm64', 'darwin-amd64', 'darwin-arm64', 'windows-amd64']);
    const missing = [zipPath(), ...PLATFORMS.map(zipPath)].filter((z) => !existsSync(z));
    if (missing.length > 0) {
      throw new Error(`missing ${missing.join(', ')}: run npm run package`);
    }
  });

  /** Every file entry equals the dist/ file (size + CRC-32): the zip holds the current build. */
  function expectMatchesDist(entries: ZipEntry[]): void {
    for (const e of entries.filter((x) => !x.name.endsWith('/'))) {
      const file = join(DIST, e.name.slice(PLUGIN_ID.length + 1));
      expect([e.name, e.size]).toEqual([e.name, statSync(file).size]);
      expect([e.name, e.crc]).toEqual([e.name, crc32(readFileSync(file)) >>> 0]);
      expect([e.name, e.mode]).toEqual([e.name, statSync(file).mode & 0o777]);
    }
  }

  it.each(PLATFORMS)(
    '%s zip: plugin folder with plugin.json, module.js, this platform only, exec bits, ≤ 45 MB',
    (platform) => {
      const file = zipPath(platform);
      const { buf, entries } = readZip(file);
      const e = byName(entries);
      expect(entries.every((x) => x.unix && x.name.startsWith(`${PLUGIN_ID}/`))).toBe(true);
      const pluginJson = JSON.parse(entryData(buf, e.get(`${PLUGIN_ID}/plugin.json`)!).toString('utf8')) as Record<
        string,
        unknown
      >;
      expect(pluginJson).toMatchObject({ id: PLUGIN_ID, backend: true, executable: 'gpx_netdata', alerting: true });
      expect(e.has(`${PLUGIN_ID}/module.js`)).toBe(true);
      expect(e.has(`${PLUGIN_ID}/backend.cjs`)).toBe(false);

      const exe = `${PLUGIN_ID}/gpx_netdata_${platform}${platform.startsWith('windows') ? '.exe' : ''}`;
      expect(e.get(exe)?.mode).toBe(0o755);
      const foreign = entries.filter((x) => /\/(gpx_netdata_|runtime_)/.test(x.name) && !x.name.includes(platform));
      expect(foreign.map((x) => x.name)).toEqual([]);
      if (platform.startsWith('linux')) {
        const loader = platform === 'linux_amd64' ? 'ld-linux-x86-64.so.2' : 'ld-linux-aarch64.so.1';
        expect(e.get(`${PLUGIN_ID}/runtime_${platform}/lib/${loader}`)?.mode).toBe(0o755);
      }
      if (platform.startsWith('darwin')) {
        expect(e.get(`${PLUGIN_ID}/runtime_${platform}/node_${platform}`)?.mode).toBe(0o755);
      }
      expectMatchesDist(entries);
      expect(statSync(file).size).toBeLessThanOrEqual(MAX_PLATFORM_ZIP);
    }
  );

  it('all-platform zip: every platform, each entry once, all data intact', () => {
    const { buf, entries } = readZip(zipPath());
    const e = byName(entries);
    for (const p of PLATFORMS) {
      expect(e.get(`${PLUGIN_ID}/gpx_netdata_${p}${p.startsWith('windows') ? '.exe' : ''}`)?.mode).toBe(0o755);
    }
    expect(new Set(entries.map((x) => x.name)).size).toBe(entries.length);
    for (const x of entries) {
      entryData(buf, x);
    }
    expectMatchesDist(entries);
  });
});
