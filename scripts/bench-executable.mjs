// Benchmark of the packaged backend (not a test): for linux amd64, cold start to the go-plugin handshake (median of
// N runs, plus the CPU time spent until then, less sensitive to machine load) and RSS after start; and each
// platform's size, raw and zipped. Prints one table with the targets.
// Usage: node scripts/bench-executable.mjs [--runs 10]   (env GPX_DIST_DIR, GPX_ARTIFACTS_DIR)
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TARGETS, executableName, platformFiles } from './packaging/targets.mjs';
import { DIST, PLUGIN_ID, ROOT, readJson } from './packaging/util.mjs';
import { treeSize, zipPlugin } from './packaging/zip.mjs';

const args = process.argv.slice(2);
const RUNS = Number(args[args.indexOf('--runs') + 1]) || 10;
const dist = path.resolve(process.env.GPX_DIST_DIR || DIST);
const artifacts = path.resolve(process.env.GPX_ARTIFACTS_DIR || path.join(ROOT, 'artifacts'));
const MB = 1e6;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** One start as Grafana does it: until the handshake line; then CPU so far and RSS 300 ms later. */
function startOnce(exe) {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(exe, [], {
      env: { ...process.env, grafana_plugin_type: 'datasource', PLUGIN_PROTOCOL_VERSIONS: '2' },
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error('no handshake within 20 s'));
    }, 20000);
    child.on('error', reject);
    child.stdout.on('data', (d) => {
      out += d;
      if (!out.includes('\n') || child.handshakeMs !== undefined) {
        return;
      }
      child.handshakeMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const cpuMs = Number(readFileSync(`/proc/${child.pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
      setTimeout(() => {
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        const kb = (field) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)[1]) * 1024;
        const rss = kb('VmRSS');
        const anon = kb('RssAnon');
        clearTimeout(timer);
        child.once('exit', () => resolve({ ms: child.handshakeMs, cpuMs, rss, anon, line: out.split('\n')[0] }));
        child.kill('SIGTERM');
      }, 300);
    });
  });
}

async function zippedSize(target, version) {
  const t = TARGETS[target];
  const zip = path.join(artifacts, `${PLUGIN_ID}-${version}.${t.os}_${t.arch}.zip`);
  const exe = path.join(dist, executableName(target));
  if (existsSync(zip) && statSync(zip).mtimeMs >= statSync(exe).mtimeMs) {
    return { bytes: statSync(zip).size, how: 'artifacts/' };
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'gpx-bench-'));
  try {
    const shared = readdirSync(dist).filter(
      (f) => !/^(gpx_netdata_|runtime_)/.test(f) && f !== 'backend.cjs' && !f.startsWith('.')
    );
    const file = path.join(dir, 'p.zip');
    await zipPlugin({
      fromDir: dist,
      entries: [...shared, ...platformFiles(target)],
      folder: PLUGIN_ID,
      zipFile: file,
      stageDir: path.join(dir, 's'),
    });
    return { bytes: statSync(file).size, how: 'zipped now' };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const rows = [];
  const ok = (pass) => (pass ? 'yes' : 'NO');
  const exe = path.join(dist, executableName('linux-amd64'));
  if (process.platform === 'linux' && process.arch === 'x64' && existsSync(exe)) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await startOnce(exe));
    }
    const ms = runs.map((r) => r.ms);
    const med = median(ms);
    rows.push({
      measure: `linux_amd64 start to handshake, median of ${RUNS}`,
      value: `${med.toFixed(0)} ms (first ${ms[0].toFixed(0)}, ${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)})`,
      target: '≤ 250 ms',
      met: ok(med <= 250),
    });
    rows.push({
      measure: 'linux_amd64 CPU time to handshake, median',
      value: `${median(runs.map((r) => r.cpuMs)).toFixed(0)} ms`,
      target: '(CPU, not waiting)',
      met: '',
    });
    const rss = median(runs.map((r) => r.rss));
    const anon = median(runs.map((r) => r.anon));
    rows.push({
      measure: 'linux_amd64 RSS 300 ms after handshake, median',
      value: `${(rss / MB).toFixed(1)} MB (private ${(anon / MB).toFixed(1)}, rest: pages of the executable)`,
      target: '≤ 80 MB',
      met: ok(rss <= 80 * MB),
    });
  } else {
    rows.push({
      measure: 'linux_amd64 start',
      value: `not run (${existsSync(exe) ? 'needs a linux x64 host' : `${exe} missing`})`,
      target: '',
      met: '',
    });
  }
  const version = readJson(path.join(ROOT, 'package.json')).version;
  const shared = readdirSync(dist)
    .filter((f) => !/^(gpx_netdata_|runtime_)/.test(f) && f !== 'backend.cjs' && !f.startsWith('.'))
    .reduce((s, f) => s + treeSize(path.join(dist, f)), 0);
  for (const target of Object.keys(TARGETS)) {
    const files = platformFiles(target).map((f) => path.join(dist, f));
    if (!files.every((f) => existsSync(f))) {
      rows.push({ measure: `${target} size`, value: 'not built', target: '', met: '' });
      continue;
    }
    const raw = files.reduce((s, f) => s + treeSize(f), 0) + shared;
    const zipped = await zippedSize(target, version);
    rows.push({
      measure: `${target} plugin size raw / zip (${zipped.how})`,
      value: `${(raw / MB).toFixed(1)} MB / ${(zipped.bytes / MB).toFixed(1)} MB`,
      target: 'zip ≤ 45 MB',
      met: ok(zipped.bytes <= 45 * MB),
    });
  }
  console.log(
    `Backend executables in ${dist} (MB = 10^6 bytes; load average ${(await import('node:os')).loadavg()[0].toFixed(2)})`
  );
  console.table(rows);
}

main().catch((e) => {
  console.error(e.stack ?? e);
  process.exit(1);
});
