// `npm run build` step: builds the backend executable of the host platform (linux amd64 in CI) into dist/ from the
// bundle dist/backend.cjs (scripts/build-backend.mjs).
// Usage: node scripts/sea.mjs [--targets linux-amd64,linux-arm64,...|all] [--force] [--check]
//   --check: build nothing; exit 1 naming the targets whose executables are missing or older than their inputs.
import path from 'node:path';
import { buildTargets, staleTargets } from './packaging/assemble.mjs';
import { TARGETS, executableName, hostTarget } from './packaging/targets.mjs';
import { BuildError, DIST, log } from './packaging/util.mjs';

async function main() {
  const args = process.argv.slice(2);
  const at = args.indexOf('--targets');
  const list = at >= 0 ? args[at + 1] : hostTarget();
  if (!list) {
    throw new BuildError(`no backend executable for this platform (${process.platform}-${process.arch})`);
  }
  const targets = list === 'all' ? Object.keys(TARGETS) : list.split(',');
  for (const t of targets) {
    if (!(t in TARGETS)) {
      throw new BuildError(`unknown target ${t}; known: ${Object.keys(TARGETS).join(', ')}`);
    }
  }
  const outDir = path.resolve(process.env.GPX_DIST_DIR || DIST);
  const bundle = path.resolve(process.env.GPX_BACKEND_BUNDLE || path.join(outDir, 'backend.cjs'));
  if (args.includes('--check')) {
    const stale = staleTargets(targets, { bundle, outDir });
    if (stale.length > 0) {
      throw new BuildError(
        `executables missing or out of date in ${outDir} for: ${stale.join(', ')} ` +
          `(bundle ${bundle}). Build them: node scripts/sea.mjs --targets ${stale.join(',')} (or npm run package)`
      );
    }
    log(`up to date: ${targets.join(', ')}`);
    return;
  }
  const t0 = Date.now();
  await buildTargets(targets, { bundle, outDir, force: args.includes('--force') });
  log(
    `${targets.map((t) => executableName(t)).join(', ')} ready in ${outDir} (${((Date.now() - t0) / 1000).toFixed(1)} s)`
  );
}

main().catch((e) => {
  process.stderr.write(`[packaging] ERROR: ${e instanceof BuildError ? e.message : e.stack}\n`);
  process.exit(1);
});
