// Builds the executable(s) of each platform into an output folder (dist/ by default), in the layout Grafana starts.
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { glibcRuntime } from './glibc.mjs';
import { fetchRuntimeTarballs, nodeLicense, PINS, PINS_FILE, runtimeBinary } from './runtimes.mjs';
import { buildBlob, injectBlob, removePeSignature, stripElf } from './sea.mjs';
import { TARGETS, executableName, hostTarget, runtimeDirName } from './targets.mjs';
import { BuildError, CACHE, log, run, sha256 } from './util.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** Hash of everything that decides a target's output, so an unchanged target is not rebuilt. */
function buildKey(target, bundleSource, codeCache) {
  const parts = [target, String(codeCache), bundleSource, readFileSync(PINS_FILE)];
  for (const f of readdirSync(HERE).sort()) {
    if (f !== 'zip.mjs') {
      parts.push(f, readFileSync(path.join(HERE, f)));
    }
  }
  return sha256(Buffer.concat(parts.map((p) => (Buffer.isBuffer(p) ? p : Buffer.from(p)))));
}

function stampFile(target, outDir) {
  return path.join(CACHE, 'stamps', `${sha256(path.resolve(outDir)).slice(0, 12)}-${target}.json`);
}

function upToDate(target, outDir, key) {
  const stamp = stampFile(target, outDir);
  if (!existsSync(stamp)) {
    return false;
  }
  const outputs = [executableName(target), runtimeDirName(target)].map((f) => path.join(outDir, f));
  return outputs.every((f) => existsSync(f)) && JSON.parse(readFileSync(stamp, 'utf8')).key === key;
}

/** Compiles the static launcher for a Linux target (cached by source hash). */
function buildLauncher(t) {
  const src = path.join(HERE, 'launcher.c');
  const out = path.join(CACHE, 'launcher', `${sha256(readFileSync(src)).slice(0, 16)}-${t.arch}`);
  if (!existsSync(out)) {
    mkdirSync(path.dirname(out), { recursive: true });
    run(t.cc, ['-static', '-Os', '-s', '-Wall', '-Wextra', '-o', `${out}.tmp`, src], {
      missingHint:
        t.arch === 'amd64'
          ? 'Install gcc and libc6-dev (Debian).'
          : "Install Debian's gcc-aarch64-linux-gnu and libc6-dev-arm64-cross (the arm64 static libc).",
    });
    renameSync(`${out}.tmp`, out);
  }
  return out;
}

function copy(src, dest, mode) {
  mkdirSync(path.dirname(dest), { recursive: true });
  copyFileSync(src, dest);
  chmodSync(dest, mode);
}

async function stageLinux(target, t, stage, blob) {
  const node = await runtimeBinary(t.runtime);
  const rt = path.join(stage, runtimeDirName(target));
  const backend = path.join(rt, 'backend');
  copy(node, backend, 0o755);
  stripElf(t.strip, backend);
  await injectBlob(backend, blob);
  const glibc = await glibcRuntime(node, t);
  for (const [name, file] of glibc.files) {
    copy(file, path.join(rt, 'lib', name), name === t.loader ? 0o755 : 0o644);
  }
  copy(await nodeLicense(t.runtime), path.join(rt, 'licenses', 'node.LICENSE'), 0o644);
  for (const l of glibc.licenses) {
    copy(l.path, path.join(rt, 'licenses', l.name), 0o644);
  }
  writeFileSync(
    path.join(rt, 'licenses', 'SOURCES.txt'),
    `Node.js ${PINS.version} (npm ${PINS.runtimes[t.runtime].package}), stripped, with the backend injected as a single executable application.\n` +
      `Libraries in lib/ are unmodified files from these Debian packages (their sources are Debian's source packages of the same versions):\n` +
      glibc.packages.map((p) => `  ${p}\n`).join('')
  );
  copy(buildLauncher(t), path.join(stage, executableName(target)), 0o755);
}

async function stageDarwin(target, t, stage, bundle) {
  const node = await runtimeBinary(t.runtime);
  const rt = path.join(stage, runtimeDirName(target));
  // Unmodified: the binary keeps Node's Developer ID signature, which Apple Silicon requires.
  copy(node, path.join(rt, `node_${t.os}_${t.arch}`), 0o755);
  copy(bundle, path.join(rt, 'backend.cjs'), 0o644);
  copy(await nodeLicense(t.runtime), path.join(rt, 'licenses', 'node.LICENSE'), 0o644);
  const script = readFileSync(path.join(HERE, 'darwin-launcher.sh'), 'utf8').replaceAll('@ARCH@', t.arch);
  writeFileSync(path.join(stage, executableName(target)), script, { mode: 0o755 });
  chmodSync(path.join(stage, executableName(target)), 0o755);
}

async function stageWindows(target, t, stage, blob) {
  const node = await runtimeBinary(t.runtime);
  const exe = path.join(stage, executableName(target));
  copy(node, exe, 0o755);
  removePeSignature(exe);
  await injectBlob(exe, blob);
  copy(await nodeLicense(t.runtime), path.join(stage, runtimeDirName(target), 'licenses', 'node.LICENSE'), 0o644);
}

/** Runs async jobs with at most `limit` at once (postject is CPU-bound; the machine has 2 cores). */
async function pool(jobs, limit) {
  const results = [];
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

/** Targets among `targets` whose output in `outDir` is missing or was built from other inputs (another bundle…). */
export function staleTargets(targets, { bundle, outDir }) {
  if (!existsSync(bundle)) {
    return targets;
  }
  const host = hostTarget();
  const bundleSource = readFileSync(bundle);
  return targets.filter((target) => !upToDate(target, outDir, buildKey(target, bundleSource, target === host)));
}

/**
 * Builds `targets` into `outDir` from the CommonJS bundle. Unchanged targets are skipped (see buildKey).
 * Returns per-target { target, skipped, seconds }.
 */
export async function buildTargets(targets, { bundle, outDir, concurrency = 2, force = false }) {
  if (!existsSync(bundle)) {
    throw new BuildError(`${bundle} is missing: build the backend bundle first (node scripts/build-backend.mjs)`);
  }
  const host = hostTarget();
  // The SEA blob (Linux and Windows targets) must come from a Node of the pinned version that runs here: the
  // host's own pinned runtime. macOS targets need no blob.
  const needsBlob = targets.some((t) => TARGETS[t]?.layout !== 'darwin-script');
  const blobRuntime = needsBlob ? host && TARGETS[host].runtime : undefined;
  if (needsBlob && !blobRuntime) {
    throw new BuildError(`no pinned Node runtime runs on this build host (${process.platform}-${process.arch})`);
  }
  const bundleSource = readFileSync(bundle);
  await fetchRuntimeTarballs([
    ...new Set([...(blobRuntime ? [blobRuntime] : []), ...targets.map((t) => TARGETS[t].runtime)]),
  ]);
  const builder = blobRuntime ? await runtimeBinary(blobRuntime) : undefined;
  const blobs = {};
  const blobFor = (codeCache) => (blobs[codeCache] ??= buildBlob(builder, bundle, { codeCache }));

  mkdirSync(outDir, { recursive: true });
  const jobs = targets.map((target) => async () => {
    const t = TARGETS[target];
    if (!t) {
      throw new BuildError(`unknown target ${target}; known: ${Object.keys(TARGETS).join(', ')}`);
    }
    const codeCache = target === host;
    const key = buildKey(target, bundleSource, codeCache);
    if (!force && upToDate(target, outDir, key)) {
      log(`${target}: up to date`);
      return { target, skipped: true, seconds: 0 };
    }
    const t0 = Date.now();
    const stage = path.join(outDir, `.stage-${target}-${process.pid}`);
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
    try {
      if (t.layout === 'linux-launcher') {
        await stageLinux(target, t, stage, blobFor(codeCache));
      } else if (t.layout === 'darwin-script') {
        await stageDarwin(target, t, stage, bundle);
      } else {
        await stageWindows(target, t, stage, blobFor(false));
      }
      for (const name of readdirSync(stage)) {
        rmSync(path.join(outDir, name), { recursive: true, force: true });
        renameSync(path.join(stage, name), path.join(outDir, name));
      }
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
    mkdirSync(path.dirname(stampFile(target, outDir)), { recursive: true });
    writeFileSync(stampFile(target, outDir), JSON.stringify({ key }));
    const seconds = (Date.now() - t0) / 1000;
    log(`${target}: built in ${seconds.toFixed(1)} s`);
    return { target, skipped: false, seconds };
  });
  return pool(jobs, concurrency);
}
