// The platforms we ship, named the way Grafana names the executable: <executable>_<GOOS>_<GOARCH>[.exe].
import { EXECUTABLE } from './util.mjs';

/**
 * layout:
 * - 'linux-launcher': static launcher + runtime_linux_<arch>/{backend (Node SEA), lib/ (glibc loader and libraries)}
 * - 'darwin-script': #!/bin/sh launcher + runtime_darwin_<arch>/{node_darwin_<arch> (signed, unmodified), backend.cjs}
 * - 'windows-sea': one PE file, the Node SEA (runtime_windows_amd64/ holds only licences)
 */
export const TARGETS = {
  'linux-amd64': {
    os: 'linux',
    arch: 'amd64',
    runtime: 'linux-x64',
    layout: 'linux-launcher',
    debArch: 'amd64',
    triplet: 'x86_64-linux-gnu',
    loader: 'ld-linux-x86-64.so.2',
    cc: 'gcc',
    strip: 'strip',
    qemu: null,
  },
  'linux-arm64': {
    os: 'linux',
    arch: 'arm64',
    runtime: 'linux-arm64',
    layout: 'linux-launcher',
    debArch: 'arm64',
    triplet: 'aarch64-linux-gnu',
    loader: 'ld-linux-aarch64.so.1',
    cc: 'aarch64-linux-gnu-gcc',
    strip: 'aarch64-linux-gnu-strip',
    qemu: 'qemu-aarch64-static',
  },
  'darwin-amd64': { os: 'darwin', arch: 'amd64', runtime: 'darwin-x64', layout: 'darwin-script' },
  'darwin-arm64': { os: 'darwin', arch: 'arm64', runtime: 'darwin-arm64', layout: 'darwin-script' },
  'windows-amd64': { os: 'windows', arch: 'amd64', runtime: 'win-x64', layout: 'windows-sea' },
};

export function executableName(target) {
  const t = TARGETS[target];
  return `${EXECUTABLE}_${t.os}_${t.arch}${t.os === 'windows' ? '.exe' : ''}`;
}

/** Folder beside the executable holding everything else of that platform; its name survives webpack's clean. */
export function runtimeDirName(target) {
  const t = TARGETS[target];
  return `runtime_${t.os}_${t.arch}`;
}

/** The platform this build runs on, as a target name, or undefined. */
export function hostTarget() {
  const os = { linux: 'linux', darwin: 'darwin', win32: 'windows' }[process.platform];
  const arch = { x64: 'amd64', arm64: 'arm64' }[process.arch];
  const name = `${os}-${arch}`;
  return name in TARGETS ? name : undefined;
}

/** The files of dist/ that belong to one platform (everything else is shared). */
export function platformFiles(target) {
  return [executableName(target), runtimeDirName(target)];
}
