/** @jest-environment node */
// dist/gpx_netdata_linux_amd64 (static launcher + bundled glibc + Node SEA) started the way Grafana starts it:
// on this glibc host, in a root like Grafana's Alpine image, and in an empty root with no shell and no libc.
import { readFileSync, readlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { startPlugin, type PluginProcess } from '../protocol/grafanaHost';
import { executablePath, isRoot, requireFreshExecutables, runtimeDir } from './artifacts';
import { expectCleanShutdown, expectHandshake, expectServesNetdata, pluginEnv } from './protocolChecks';
import { createSandbox, PLUGIN_MOUNT, runToExit, type Sandbox } from './sandbox';

jest.setTimeout(120000);

const EXE = executablePath('linux-amd64');
const RUNTIME = runtimeDir('linux-amd64');
const rootOnly = isRoot ? describe : describe.skip;
const ROOT_REASON = isRoot ? '' : ' [SKIPPED: needs root for unshare/chroot]';

let fake: FakeNetdata;

beforeAll(async () => {
  requireFreshExecutables(['linux-amd64']);
  fake = await startFakeNetdata({ mode: 'agent' });
});
afterAll(async () => {
  await fake?.close();
});

describe('linux amd64, started directly on a glibc host', () => {
  let plugin: PluginProcess;
  afterAll(async () => plugin?.kill());

  it('hands shake, serves Health, CheckHealth and QueryData, and shuts down cleanly', async () => {
    plugin = await startPlugin({ executable: EXE, env: pluginEnv() });
    expectHandshake(plugin, 'unix');
    // exec, no fork: the PID Grafana started (and will kill) is now the bundled loader running the Node SEA.
    const pid = plugin.child.pid!;
    expect(readlinkSync(`/proc/${pid}/exe`)).toBe(join(RUNTIME, 'lib/ld-linux-x86-64.so.2'));
    const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    expect(argv).toEqual([
      join(RUNTIME, 'lib/ld-linux-x86-64.so.2'),
      '--library-path',
      join(RUNTIME, 'lib'),
      join(RUNTIME, 'backend'),
    ]);
    await expectServesNetdata(plugin, fake);
    await expectCleanShutdown(plugin);
  });
});

rootOnly(`linux amd64 in a root like Grafana's Alpine image (x86_64)${ROOT_REASON}`, () => {
  let box: Sandbox;
  let plugin: PluginProcess | undefined;
  beforeAll(() => {
    box = createSandbox('alpine-x86_64', dirname(EXE));
  });
  afterAll(async () => {
    await plugin?.kill();
    box?.cleanup();
  });

  it('has no libstdc++/libgcc_s, only Grafana’s partial glibc, and a busybox shell', () => {
    expect(box.find(/^(libstdc\+\+|libgcc_s)/)).toEqual([]);
    expect(box.find(/^(lib|ld-)/).sort()).toEqual(
      [
        '/lib/ld-musl-x86_64.so.1',
        ...[
          'ld-linux-x86-64.so.2',
          'libc.so.6',
          'libdl.so.2',
          'libm.so.6',
          'libpthread.so.0',
          'librt.so.1',
          'libresolv.so.2',
        ].map((f) => `/usr/glibc-compat/lib/${f}`),
        '/lib64/ld-linux-x86-64.so.2',
      ].sort()
    );
  });

  it('control: the Node SEA alone cannot start there (libstdc++.so.6 missing, as with stock Node)', async () => {
    const res = await runToExit(box.wrapper([`${PLUGIN_MOUNT}/runtime_linux_amd64/backend`]), [], {
      ...pluginEnv(),
      LD_LIBRARY_PATH: '/usr/glibc-compat/lib',
    });
    expect(res.code).toBe(127);
    expect(res.stderr).toContain('libstdc++.so.6');
    expect(res.stdout).toBe('');
  });

  it('the launcher starts it: handshake, Health, CheckHealth, QueryData (by host name), Shutdown', async () => {
    plugin = await startPlugin({
      executable: box.wrapper([`${PLUGIN_MOUNT}/gpx_netdata_linux_amd64`]),
      env: pluginEnv({ PLUGIN_UNIX_SOCKET_DIR: box.socketDir }),
    });
    expectHandshake(plugin, 'unix');
    expect(plugin.handshake.address.startsWith(`${box.socketDir}/`)).toBe(true);
    // "localhost" resolves through the bundled glibc reading the image's /etc/hosts.
    await expectServesNetdata(plugin, fake, fake.url.replace('127.0.0.1', 'localhost'));
    await expectCleanShutdown(plugin);
  });
});

rootOnly(`linux amd64 in an empty root: no shell, no libc (distroless)${ROOT_REASON}`, () => {
  let box: Sandbox;
  let plugin: PluginProcess | undefined;
  beforeAll(() => {
    box = createSandbox('empty', dirname(EXE));
  });
  afterAll(async () => {
    await plugin?.kill();
    box?.cleanup();
  });

  it('holds nothing but device nodes', () => {
    expect(box.find(/./).sort()).toEqual(['/dev/null', '/dev/random', '/dev/urandom', '/dev/zero']);
  });

  it('control: the Node SEA alone cannot start there (no ELF interpreter)', async () => {
    const res = await runToExit(box.wrapper([`${PLUGIN_MOUNT}/runtime_linux_amd64/backend`]), [], pluginEnv());
    expect(res.code).toBe(127);
    expect(res.stdout).toBe('');
  });

  it('the launcher starts it: handshake, Health, CheckHealth, QueryData, Shutdown', async () => {
    plugin = await startPlugin({
      executable: box.wrapper([`${PLUGIN_MOUNT}/gpx_netdata_linux_amd64`]),
      env: pluginEnv({ PLUGIN_UNIX_SOCKET_DIR: box.socketDir }),
    });
    expectHandshake(plugin, 'unix');
    await expectServesNetdata(plugin, fake);
    await expectCleanShutdown(plugin);
  });
});
