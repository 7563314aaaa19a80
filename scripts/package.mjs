// `npm run package`: builds the backend for every platform into dist/ and writes the plugin zips to artifacts/:
//   seed-netdata-datasource-<version>.zip               all platforms
//   seed-netdata-datasource-<version>.<os>_<arch>.zip   one per platform (Grafana's naming)
// Run after the frontend build and scripts/build-backend.mjs. Options: --dist <dir> --out <dir> --force
import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { buildTargets } from './packaging/assemble.mjs';
import { TARGETS, platformFiles } from './packaging/targets.mjs';
import { BuildError, DIST, PLUGIN_ID, EXECUTABLE, ROOT, log, mib, readJson } from './packaging/util.mjs';
import { mergeZips, treeSize, zipPlugin } from './packaging/zip.mjs';

function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 ? path.resolve(args[i + 1]) : fallback;
}

function checkPluginJson(dist) {
  const file = path.join(dist, 'plugin.json');
  if (!existsSync(file) || !existsSync(path.join(dist, 'module.js'))) {
    throw new BuildError(`${dist} has no plugin.json/module.js: run the frontend build (webpack) first`);
  }
  const json = readJson(file);
  if (json.id !== PLUGIN_ID || json.backend !== true || json.executable !== EXECUTABLE) {
    throw new BuildError(
      `${file} must have "id": "${PLUGIN_ID}", "backend": true and "executable": "${EXECUTABLE}", ` +
        'otherwise Grafana never starts the backend (and alerting cannot work)'
    );
  }
  if (/%VERSION%/.test(json.info?.version ?? '')) {
    throw new BuildError(`${file}: info.version was not filled in by the build`);
  }
}

async function pool(jobs, limit) {
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      await jobs[next++]();
    }
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

async function main() {
  const args = process.argv.slice(2);
  const dist = option(args, '--dist', path.resolve(process.env.GPX_DIST_DIR || DIST));
  const out = option(args, '--out', path.join(ROOT, 'artifacts'));
  const bundle = path.resolve(process.env.GPX_BACKEND_BUNDLE || path.join(dist, 'backend.cjs'));
  const version = readJson(path.join(ROOT, 'package.json')).version;
  const t0 = Date.now();
  checkPluginJson(dist);

  const targets = Object.keys(TARGETS);
  const built = await buildTargets(targets, { bundle, outDir: dist, force: args.includes('--force') });
  const tBuilt = Date.now();

  const platformEntries = new Set(targets.flatMap(platformFiles));
  const hasManifest = existsSync(path.join(dist, 'MANIFEST.txt'));
  // backend.cjs is inside every executable (and in runtime_darwin_*); dot-files are build leftovers.
  const shared = readdirSync(dist).filter(
    (f) => !platformEntries.has(f) && f !== 'backend.cjs' && !f.startsWith('.') && f !== 'MANIFEST.txt'
  );
  const perPlatform = targets.map((t) => ({
    name: `${PLUGIN_ID}-${version}.${TARGETS[t].os}_${TARGETS[t].arch}.zip`,
    entries: [...shared, ...platformFiles(t)],
  }));
  if (hasManifest) {
    log('dist/MANIFEST.txt (signature) goes into the all-platform zip only: sign each per-platform folder separately');
    perPlatform.push({ name: '.manifest.zip', entries: ['MANIFEST.txt'] });
  }
  await pool(
    perPlatform.map(
      (z) => () =>
        zipPlugin({
          fromDir: dist,
          entries: z.entries,
          folder: PLUGIN_ID,
          zipFile: path.join(out, z.name),
          stageDir: path.join(out, `.stage-${z.name}`),
        })
    ),
    2
  );
  // The all-platform zip reuses the compressed entries of the per-platform ones.
  const all = {
    name: `${PLUGIN_ID}-${version}.zip`,
    entries: [...shared, ...platformEntries, ...(hasManifest ? ['MANIFEST.txt'] : [])],
  };
  mergeZips(
    perPlatform.map((z) => path.join(out, z.name)),
    path.join(out, all.name)
  );
  if (hasManifest) {
    rmSync(path.join(out, perPlatform.pop().name));
  }
  const zips = [all, ...perPlatform];
  const tZipped = Date.now();

  const rows = zips.map((z) => {
    const raw = z.entries.reduce((s, e) => s + treeSize(path.join(dist, e)), 0);
    const zipped = treeSize(path.join(out, z.name));
    return { zip: z.name, raw: `${mib(raw)} MiB`, zipped: `${mib(zipped)} MiB` };
  });
  console.log(`\nPlugin zips in ${path.relative(ROOT, out) || '.'}/ (${PLUGIN_ID} ${version}):`);
  console.table(rows);
  const rebuilt = built.filter((b) => !b.skipped).map((b) => b.target);
  console.log(
    `executables: ${((tBuilt - t0) / 1000).toFixed(1)} s (${rebuilt.length ? `built ${rebuilt.join(', ')}` : 'all up to date'}), ` +
      `zips: ${((tZipped - tBuilt) / 1000).toFixed(1)} s, total ${((Date.now() - t0) / 1000).toFixed(1)} s`
  );
}

main().catch((e) => {
  process.stderr.write(`[packaging] ERROR: ${e instanceof BuildError ? e.message : e.stack}\n`);
  process.exit(1);
});
