/** @jest-environment node */
// dist/gpx_netdata_linux_arm64 under qemu-aarch64-static: the launcher's exec, and the bundled glibc + Node SEA in a
// root with only musl (Grafana's Alpine image on arm64 has no glibc at all).
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startFakeNetdata, type FakeNetdata } from '../fake-netdata/server';
import { startPlugin, type PluginProcess } from '../protocol/grafanaHost';
import { executablePath, isRoot, requireFreshExecutables, runtimeDir, which } from './artifacts';
import { elfInfo } from './elf';
import { expectCleanShutdown, expectHandshake, expectServesNetdata, pluginEnv } from './protocolChecks';
import { createSandbox, HOST_FILES, PLUGIN_MOUNT, runToExit, type Sandbox } from './sandbox';

jest.setTimeout(180000);

const EXE = executablePath('linux-arm64');
const RUNTIME = runtimeDir('linux-arm64');
const QEMU = which('qemu-aarch64-static');
const LOADER = 'lib/ld-linux-aarch64.so.1';
const inRoot = (p: string) => `${PLUGIN_MOUNT}/runtime_linux_arm64/${p}`;
/** The command the launcher execs, as seen inside the root. */
const LOADER_COMMAND = [inRoot(LOADER), '--library-path', inRoot('lib'), inRoot('backend')];

/** binfmt_misc lets the kernel run aarch64 files through qemu, so the launcher's own exec works in the chroot. */
function binfmtAarch64(): boolean {
  const f = '/proc/sys/fs/binfmt_misc/qemu-aarch64';
  return existsSync(f) && /^enabled/m.test(readFileSync(f, 'utf8')) && /^flags:.*F/m.test(readFileSync(f, 'utf8'));
}

beforeAll(() => requireFreshExecutables(['linux-arm64']));

describe('linux arm64 files', () => {
  it('launcher: a static aarch64 ELF (no interpreter, no shared libraries)', () => {
    const elf = elfInfo(EXE);
    expect(elf.machine).toBe('aarch64');
    expect(elf.interpreter).toBeUndefined();
    expect(elf.dynamic).toBe(false);
  });

  it('runtime: an aarch64 Node SEA plus the loader and every library it needs, transitively', () => {
    const backend = elfInfo(join(RUNTIME, 'backend'));
    expect(backend.machine).toBe('aarch64');
    expect(backend.interpreter).toBe('/lib/ld-linux-aarch64.so.1');
    expect(readFileSync(join(RUNTIME, 'backend')).includes('NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2:1')).toBe(
      true
    );
    const seen = new Set<string>();
    const queue = [...backend.needed];
    while (queue.length > 0) {
      const lib = queue.shift()!;
      if (seen.has(lib)) {
        continue;
      }
      seen.add(lib);
      const info = elfInfo(join(RUNTIME, 'lib', lib));
      expect(info.machine).toBe('aarch64');
      queue.push(...info.needed);
    }
    expect([...seen]).toEqual(expect.arrayContaining(['libc.so.6', 'libstdc++.so.6', 'libgcc_s.so.1', 'libm.so.6']));
    expect(existsSync(join(RUNTIME, LOADER))).toBe(true);
  });
});

const withQemu = QEMU ? describe : describe.skip;
withQemu(
  `linux arm64 launcher under qemu${QEMU ? '' : ' [SKIPPED: qemu-aarch64-static not installed (Debian qemu-user-static)]'}`,
  () => {
    it('execs the bundled loader on the SEA, from its own directory, passing arguments on', () => {
      // Without binfmt_misc the kernel cannot run the aarch64 loader it execs (ENOEXEC); qemu's -strace shows the call.
      let out = '';
      try {
        out = execFileSync(QEMU!, ['-strace', EXE, '--an-arg'], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      } catch (e) {
        const err = e as { stdout: string; stderr: string };
        out = `${err.stdout}${err.stderr}`;
      }
      const dir = dirname(EXE);
      const loader = join(dir, 'runtime_linux_arm64', LOADER);
      const args = [
        loader,
        '--library-path',
        join(dir, 'runtime_linux_arm64/lib'),
        join(dir, 'runtime_linux_arm64/backend'),
        '--an-arg',
      ];
      expect(out).toContain(`execve("${loader}",{${args.map((a) => `"${a}"`).join(',')},NULL})`);
    });
  }
);

const rootQemu = isRoot && QEMU ? describe : describe.skip;
const REASON = !QEMU
  ? ' [SKIPPED: qemu-aarch64-static not installed]'
  : !isRoot
    ? ' [SKIPPED: needs root for unshare/chroot]'
    : '';
rootQemu(`linux arm64 in a root with only musl (Grafana's Alpine image on arm64), under qemu${REASON}`, () => {
  let box: Sandbox;
  let fake: FakeNetdata;
  let plugin: PluginProcess | undefined;
  beforeAll(async () => {
    box = createSandbox('musl-arm64', dirname(EXE));
    fake = await startFakeNetdata({ mode: 'agent' });
  });
  afterAll(async () => {
    await plugin?.kill();
    await fake?.close();
    box?.cleanup();
  });

  it('holds the musl loader and qemu, and no glibc', () => {
    expect(box.find(/./).sort()).toEqual(
      [
        '/dev/null',
        '/dev/random',
        '/dev/urandom',
        '/dev/zero',
        '/lib/ld-musl-aarch64.so.1',
        '/usr/bin/qemu-aarch64-static',
      ].sort()
    );
    expect(HOST_FILES.muslArm64.pkg).toBe('musl:arm64');
  });

  it('control: the Node SEA alone cannot start there (no glibc loader)', async () => {
    const res = await runToExit(box.wrapper(['/usr/bin/qemu-aarch64-static', inRoot('backend')]), [], pluginEnv());
    expect(res.code).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('ld-linux-aarch64.so.1');
  });

  it('the launcher’s command starts it: handshake, Health, CheckHealth, QueryData, Shutdown', async () => {
    const command = binfmtAarch64()
      ? [`${PLUGIN_MOUNT}/gpx_netdata_linux_arm64`]
      : ['/usr/bin/qemu-aarch64-static', ...LOADER_COMMAND];
    plugin = await startPlugin({
      executable: box.wrapper(command),
      env: pluginEnv({ PLUGIN_UNIX_SOCKET_DIR: box.socketDir }),
      timeoutMs: 60000,
    });
    expectHandshake(plugin, 'unix');
    await expectServesNetdata(plugin, fake);
    await expectCleanShutdown(plugin);
  });
});
