// Node runtimes from the npm registry (`npm pack node-<os>-<arch>@<version>`), checked against the sha256 pinned in
// runtimes.json, cached under CACHE/runtimes.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BuildError, CACHE, log, readJson, run, sha256File } from './util.mjs';

export const PINS_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'runtimes.json');
export const PINS = readJson(PINS_FILE);

function pin(runtime) {
  const p = PINS.runtimes[runtime];
  if (!p) {
    throw new BuildError(`no pinned Node runtime "${runtime}" in ${PINS_FILE}`);
  }
  return p;
}

export function tarballPath(runtime) {
  const p = pin(runtime);
  return path.join(CACHE, 'runtimes', `${p.package}-${PINS.version}.tgz`);
}

async function verify(file, expected, what) {
  const actual = await sha256File(file);
  if (actual !== expected) {
    throw new BuildError(
      `sha256 mismatch for ${what}\n  file:     ${file}\n  expected: ${expected} (scripts/packaging/runtimes.json)\n  actual:   ${actual}\n` +
        'The download differs from the pinned one: do not ship it. If the registry republished the package on purpose, ' +
        'check the new file and update the pin.'
    );
  }
}

/** Downloads (in one `npm pack`) the tarballs not cached yet, then verifies every one against its pin. */
export async function fetchRuntimeTarballs(runtimes) {
  const missing = runtimes.filter((r) => !existsSync(tarballPath(r)));
  if (missing.length > 0) {
    const dir = path.join(CACHE, 'runtimes');
    const tmp = path.join(dir, `.tmp-${process.pid}`);
    mkdirSync(tmp, { recursive: true });
    const specs = missing.map((r) => `${pin(r).package}@${PINS.version}`);
    log(`npm pack ${specs.join(' ')}`);
    try {
      run('npm', ['pack', ...specs, '--pack-destination', tmp, '--silent'], { cwd: tmp });
      for (const r of missing) {
        renameSync(path.join(tmp, path.basename(tarballPath(r))), tarballPath(r));
      }
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  for (const r of runtimes) {
    const p = pin(r);
    try {
      await verify(tarballPath(r), p.tarballSha256, `${p.package}@${PINS.version} tarball`);
    } catch (e) {
      // A bad file must not poison the cache: the next build downloads again (and fails again if it is still wrong).
      rmSync(tarballPath(r), { force: true });
      throw e;
    }
  }
}

/** The Windows package has no LICENSE file; the others do. */
const hasLicense = (runtime) => runtime !== 'win-x64';

function runtimeDir(runtime) {
  return path.join(CACHE, 'runtimes', `${pin(runtime).package}-${PINS.version}`);
}

const extracted = new Map();

/** Returns the path of the verified, unmodified node binary of a runtime (extracted once into the cache). */
export function runtimeBinary(runtime) {
  // One extraction per runtime even when parallel jobs ask at once.
  if (!extracted.has(runtime)) {
    extracted.set(runtime, extractRuntime(runtime));
  }
  return extracted.get(runtime);
}

async function extractRuntime(runtime) {
  const p = pin(runtime);
  const dir = runtimeDir(runtime);
  const bin = path.join(dir, p.binary);
  const license = path.join(dir, 'package', 'LICENSE');
  if (!existsSync(bin) || (hasLicense(runtime) && !existsSync(license))) {
    await fetchRuntimeTarballs([runtime]);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const members = hasLicense(runtime) ? [p.binary, 'package/LICENSE'] : [p.binary];
    run('tar', ['-xzf', tarballPath(runtime), '-C', dir, ...members]);
  }
  await verify(bin, p.binarySha256, `${p.package}@${PINS.version} ${p.binary}`);
  return bin;
}

/** Node's licence text for a runtime (Windows: the Linux package's, the same file for one Node version). */
export async function nodeLicense(runtime) {
  const from = hasLicense(runtime) ? runtime : 'linux-x64';
  await runtimeBinary(from);
  return path.join(runtimeDir(from), 'package', 'LICENSE');
}
