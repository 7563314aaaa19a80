// Root file systems that imitate where Grafana runs, entered with unshare + chroot (root only):
// - 'empty': no shell, no libc (Grafana's distroless target; containers still get /proc, /dev and /tmp);
// - 'alpine-x86_64': Grafana's default Alpine image on x86_64: busybox /bin/sh, musl, and only the seven glibc files
//   Grafana unpacks into /usr/glibc-compat/lib (+ the /lib64 loader link), so no libstdc++ or libgcc_s;
// - 'musl-arm64': Grafana's Alpine image on arm64: the musl loader only (no glibc at all), plus qemu-aarch64-static.
// The plugin folder is bind-mounted read-only at Grafana's path. The wrapper script is what the tests start "as
// Grafana": it only sets up mounts and then execs, so the PID the test signals is the backend's.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export type RootKind = 'empty' | 'alpine-x86_64' | 'musl-arm64';

export const PLUGIN_MOUNT = '/var/lib/grafana/plugins/seed-netdata-datasource';
const DEVICES = ['null', 'zero', 'random', 'urandom'];
/** Grafana's Alpine image (x86_64) unpacks exactly these glibc files into /usr/glibc-compat/lib. */
export const GRAFANA_GLIBC_COMPAT = [
  'ld-linux-x86-64.so.2',
  'libc.so.6',
  'libdl.so.2',
  'libm.so.6',
  'libpthread.so.0',
  'librt.so.1',
  'libresolv.so.2',
];

/** Host files the roots are made of, with the Debian package that provides each. */
export const HOST_FILES = {
  busybox: { path: '/bin/busybox', pkg: 'busybox-static' },
  muslX86_64: { path: '/lib/ld-musl-x86_64.so.1', pkg: 'musl' },
  muslArm64: { path: '/lib/ld-musl-aarch64.so.1', pkg: 'musl:arm64' },
  qemuAarch64: { path: '/usr/bin/qemu-aarch64-static', pkg: 'qemu-user-static' },
  glibcDir: { path: '/lib/x86_64-linux-gnu', pkg: 'libc6' },
};

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

function touch(file: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
}

function copy(src: string, dest: string, mode = 0o755): void {
  mkdirSync(dirname(dest), { recursive: true });
  copyFileSync(realpathSync(src), dest);
  chmodSync(dest, mode);
}

export interface Sandbox {
  root: string;
  /** Host directory, mounted at the same path inside: the unix socket is reachable from both sides. */
  socketDir: string;
  /** A host executable that enters the root and execs `command` (paths inside the root). */
  wrapper(command: string[], name?: string): string;
  /** Files anywhere in the root (outside the plugin mount) whose name matches. */
  find(pattern: RegExp): string[];
  cleanup(): void;
}

export function createSandbox(kind: RootKind, pluginDir: string): Sandbox {
  const base = mkdtempSync(join(tmpdir(), `gpx-${kind}-`));
  const root = join(base, 'root');
  const socketDir = join(base, 'sock');
  mkdirSync(socketDir, { recursive: true });
  for (const d of ['proc', 'dev', PLUGIN_MOUNT.slice(1), socketDir.slice(1)]) {
    mkdirSync(join(root, d), { recursive: true });
  }
  mkdirSync(join(root, 'tmp'), { recursive: true });
  chmodSync(join(root, 'tmp'), 0o1777);
  for (const d of DEVICES) {
    touch(join(root, 'dev', d));
  }

  if (kind === 'alpine-x86_64') {
    copy(HOST_FILES.busybox.path, join(root, 'bin/busybox'));
    symlinkSync('busybox', join(root, 'bin/sh'));
    copy(HOST_FILES.muslX86_64.path, join(root, 'lib/ld-musl-x86_64.so.1'));
    for (const f of GRAFANA_GLIBC_COMPAT) {
      copy(join(HOST_FILES.glibcDir.path, f), join(root, 'usr/glibc-compat/lib', f));
    }
    mkdirSync(join(root, 'lib64'), { recursive: true });
    symlinkSync('/usr/glibc-compat/lib/ld-linux-x86-64.so.2', join(root, 'lib64/ld-linux-x86-64.so.2'));
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc/hosts'), '127.0.0.1\tlocalhost\n');
  } else if (kind === 'musl-arm64') {
    copy(HOST_FILES.muslArm64.path, join(root, 'lib/ld-musl-aarch64.so.1'));
    copy(HOST_FILES.qemuAarch64.path, join(root, 'usr/bin/qemu-aarch64-static'));
  }

  let wrappers = 0;
  return {
    root,
    socketDir,
    wrapper(command, name = `run${++wrappers}`) {
      const inner = [
        `mount --bind ${q(pluginDir)} ${q(root + PLUGIN_MOUNT)}`,
        `mount -o remount,bind,ro ${q(root + PLUGIN_MOUNT)}`,
        `mount --bind ${q(socketDir)} ${q(root + socketDir)}`,
        `mount -t proc proc ${q(join(root, 'proc'))}`,
        ...DEVICES.map((d) => `mount --bind /dev/${d} ${q(join(root, 'dev', d))}`),
        `exec chroot ${q(root)} ${command.map(q).join(' ')}`,
      ].join('\n');
      const file = join(base, name);
      writeFileSync(file, `#!/bin/sh\nexec unshare --mount --propagation private -- /bin/sh -ec ${q(inner)}\n`, {
        mode: 0o755,
      });
      return file;
    },
    find(pattern) {
      const out: string[] = [];
      const walk = (dir: string) => {
        for (const e of readdirSync(dir, { withFileTypes: true })) {
          const p = join(dir, e.name);
          if (p === root + PLUGIN_MOUNT) {
            continue;
          }
          if (e.isDirectory()) {
            walk(p);
          } else if (pattern.test(e.name)) {
            out.push(p.slice(root.length));
          }
        }
      };
      walk(root);
      return out;
    },
    cleanup() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}

/** Runs a command to completion and collects its output (for start-up failures). */
export function runToExit(
  file: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60000
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`${file} did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, stdout, stderr });
    });
  });
}
