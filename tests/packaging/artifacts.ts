// Where the packaged executables are, and a guard that they were built from the current bundle and packaging code
// (tests must not pass on stale binaries). CI builds them first (`npm run package`); tests never download.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
export const DIST = process.env.GPX_DIST_DIR ? resolve(process.env.GPX_DIST_DIR) : join(ROOT, 'dist');

export type Target = 'linux-amd64' | 'linux-arm64' | 'darwin-amd64' | 'darwin-arm64' | 'windows-amd64';

export function executablePath(target: Target): string {
  const [os, arch] = target.split('-');
  return join(DIST, `gpx_netdata_${os}_${arch}${os === 'windows' ? '.exe' : ''}`);
}

export function runtimeDir(target: Target): string {
  const [os, arch] = target.split('-');
  return join(DIST, `runtime_${os}_${arch}`);
}

/** Throws a readable error unless the executables of `targets` exist and match the current inputs. */
export function requireFreshExecutables(targets: Target[]): void {
  const res = spawnSync(process.execPath, [join(ROOT, 'scripts/sea.mjs'), '--targets', targets.join(','), '--check'], {
    env: { ...process.env, GPX_DIST_DIR: DIST },
    encoding: 'utf8',
  });
  if (res.status !== 0) {
    throw new Error(`${res.stderr.trim()}\n(CI runs npm run package before the tests)`);
  }
}

export const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

/** Absolute path of a command, or undefined. */
export function which(cmd: string): string | undefined {
  if (cmd.includes('/')) {
    return existsSync(cmd) ? cmd : undefined;
  }
  try {
    return execFileSync('/bin/sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Pinned Node runtime data (scripts/packaging/runtimes.json). */
export interface RuntimePins {
  version: string;
  runtimes: Record<string, { package: string; tarballSha256: string; binary: string; binarySha256: string }>;
}

export function runtimePins(): RuntimePins {
  return JSON.parse(readFileSync(join(ROOT, 'scripts/packaging/runtimes.json'), 'utf8')) as RuntimePins;
}
