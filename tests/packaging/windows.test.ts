/** @jest-environment node */
// dist/gpx_netdata_windows_amd64.exe: a real PE console executable (Node SEA with our bundle); and, where wine64 is
// installed, the go-plugin handshake and calls with Grafana's client side running on Linux.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { startPlugin, type PluginProcess } from '../protocol/grafanaHost';
import { DIST, executablePath, requireFreshExecutables, which } from './artifacts';
import { expectCleanShutdown, expectHandshake, expectServesNetdata, pluginEnv } from './protocolChecks';

jest.setTimeout(240000);

const EXE = executablePath('windows-amd64');
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';
// Debian's wine64 puts its loader in /usr/lib/wine (the `wine` wrapper package is not needed).
const WINE = which('wine64') ?? which('/usr/lib/wine/wine64');
const WINESERVER = which('wineserver') ?? which('/usr/lib/wine/wineserver64');

beforeAll(() => requireFreshExecutables(['windows-amd64']));

describe('windows amd64 executable', () => {
  let exe: Buffer;
  beforeAll(() => {
    exe = readFileSync(EXE);
  });

  it('is a PE32+ console program for x86-64', () => {
    expect(exe.toString('latin1', 0, 2)).toBe('MZ');
    const pe = exe.readUInt32LE(0x3c);
    expect(exe.toString('latin1', pe, pe + 4)).toBe('PE\0\0');
    expect(exe.readUInt16LE(pe + 4)).toBe(0x8664); // IMAGE_FILE_MACHINE_AMD64
    const opt = pe + 24;
    expect(exe.readUInt16LE(opt)).toBe(0x20b); // PE32+
    expect(exe.readUInt16LE(opt + 68)).toBe(3); // IMAGE_SUBSYSTEM_WINDOWS_CUI: console, so stdout works
  });

  it('carries the SEA blob (resource NODE_SEA_BLOB, fuse flipped) holding the current bundle', () => {
    expect(exe.includes(`${SEA_FUSE}:1`)).toBe(true);
    expect(exe.includes(`${SEA_FUSE}:0`)).toBe(false);
    expect(exe.includes(Buffer.from('NODE_SEA_BLOB', 'utf16le'))).toBe(true);
    // No code cache for a cross-built blob, so the bundle's source is in it verbatim.
    const bundle = readFileSync(join(DIST, 'backend.cjs'));
    expect(exe.includes(bundle.subarray(0, 4096))).toBe(true);
    expect(exe.includes(bundle.subarray(bundle.length - 4096))).toBe(true);
  });

  it('has no Authenticode certificate left (injection broke Node’s; an unsigned exe is cleaner)', () => {
    const pe = exe.readUInt32LE(0x3c);
    const certEntry = pe + 24 + 112 + 4 * 8;
    expect(exe.readUInt32LE(certEntry)).toBe(0);
    expect(exe.readUInt32LE(certEntry + 4)).toBe(0);
  });
});

const withWine = WINE && WINESERVER ? describe : describe.skip;
withWine(
  `windows amd64 under wine64${WINE ? '' : ' [SKIPPED: wine64 not installed (apt-get install --no-install-recommends wine64)]'}`,
  () => {
    let dir: string;
    let fake: FakeNetdata;
    let plugin: PluginProcess | undefined;
    let wineEnv: Record<string, string>;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'gpx-wine-'));
      wineEnv = {
        ...pluginEnv(),
        WINEPREFIX: join(dir, 'prefix'),
        WINEDEBUG: '-all',
        WINEDLLOVERRIDES: 'mscoree,mshtml=',
      };
      // Node refuses Windows < 8.1; a fresh prefix says Windows 7.
      execFileSync(WINE!, ['reg', 'add', 'HKCU\\Software\\Wine', '/v', 'Version', '/d', 'win10', '/f'], {
        env: wineEnv,
        stdio: 'ignore',
      });
      fake = await startFakeNetdata({ mode: 'agent' });
    });
    afterAll(async () => {
      await plugin?.kill();
      await fake?.close();
      if (wineEnv) {
        try {
          execFileSync(WINESERVER!, ['-k'], { env: wineEnv, stdio: 'ignore' });
        } catch {
          // no server left
        }
      }
      rmSync(dir, { recursive: true, force: true });
    });

    it('hands shake over TCP, serves Health, CheckHealth, QueryData and shuts down cleanly', async () => {
      // Two wine 8 artefacts (neither happens on Windows) are worked around here, not in the product:
      // - Node cannot use a Unix pipe as stdio: the wrapper gives it files and relays the handshake line;
      // - SIO_KEEPALIVE_VALS on a socket still connecting makes the connect fail ("connect UNKNOWN"), which breaks
      //   fetch(): a preload (NODE_OPTIONS, honoured by the SEA) defers setKeepAlive until the socket is connected.
      const shim = join(dir, 'wine-keepalive.cjs');
      writeFileSync(
        shim,
        `const net = require('net');
const setKeepAlive = net.Socket.prototype.setKeepAlive;
net.Socket.prototype.setKeepAlive = function (...args) {
  if (this.connecting) {
    this.once('connect', () => setKeepAlive.apply(this, args));
    return this;
  }
  return setKeepAlive.apply(this, args);
};
`
      );
      const wrapper = join(dir, 'run-under-wine');
      writeFileSync(
        wrapper,
        `#!/bin/sh
out="${dir}/stdout"; : > "$out"
"${WINE}" "${EXE}" > "$out" 2> "${dir}/stderr" &
pid=$!
until [ -s "$out" ]; do kill -0 $pid 2>/dev/null || exit 1; sleep 0.05; done
head -n 1 "$out"
wait $pid
`,
        { mode: 0o755 }
      );
      plugin = await startPlugin({
        executable: wrapper,
        env: { ...wineEnv, NODE_OPTIONS: `--require Z:${shim.replace(/\//g, '\\')}` },
        timeoutMs: 120000,
      });
      expectHandshake(plugin, 'tcp');
      await expectServesNetdata(plugin, fake);
      await expectCleanShutdown(plugin);
    });
  }
);
