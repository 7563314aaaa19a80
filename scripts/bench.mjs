// `npm run bench`: the performance figures of the README, measured in one run and printed as one table.
// Not a test: nothing is asserted; targets are shown next to the figures.
//   - json2 → frames and frames → Arrow, as a ratio of JSON.parse of the same body (a fresh parse per repetition);
//   - the built executable: cold start to the handshake line next to the bare runtime printing a line (paired),
//     idle/peak RSS, QueryData round trip against a bare fetch + parse of the same answer, plugin CPU per small
//     query, small-query throughput and latency under 50-way concurrency;
//   - the query editor in Chromium: the longest task while a list of 10 000 contexts opens and filters;
//   - the frontend bundle dist/module.js, gzipped.
// The TypeScript sources are bundled on the fly with esbuild into a temporary directory.
// Usage: node scripts/bench.mjs [--only transform,executable,editor,frontend]
//        (executable: $GPX_EXECUTABLE or dist/gpx_netdata_linux_amd64)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { runtimeBinary } from './packaging/runtimes.mjs';
import { TARGETS, hostTarget } from './packaging/targets.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const executable = process.env.GPX_EXECUTABLE || path.join(root, 'dist', 'gpx_netdata_linux_amd64');
const work = mkdtempSync(path.join(tmpdir(), 'gpx-bench-'));
const onlyArg = process.argv.indexOf('--only');
const groups = new Set(
  (onlyArg > 0 ? process.argv[onlyArg + 1] : 'transform,executable,editor,frontend').split(',').filter(Boolean)
);

/**
 * Our sources keep their own `__dirname` in the bundle (the browser harness finds the test page and Grafana's icons
 * by it, the fixtures their folder).
 */
const ownDirname = {
  name: 'own-dirname',
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) {
        return undefined;
      }
      const source = await readFile(args.path, 'utf8');
      return {
        contents: `const __dirname = ${JSON.stringify(path.dirname(args.path))};\n${source}`,
        loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts',
      };
    });
  },
};

/** `packages: 'external'` leaves packages to Node (playwright-core and esbuild find their own files at run time). */
async function bundle(name, { packages } = {}) {
  const outfile = path.join(work, `${name}.cjs`);
  await build({
    entryPoints: [path.join(root, 'scripts', 'bench', `${name}.ts`)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    logLevel: 'warning',
    ...(packages === 'external' ? { packages, plugins: [ownDirname] } : {}),
  });
  return outfile;
}

function runJson(args, node = process.execPath) {
  const out = execFileSync(node, args, {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    // Bundles with external packages load them from the project's node_modules.
    env: { ...process.env, NODE_PATH: path.join(root, 'node_modules') },
  });
  return JSON.parse(out.trim().split('\n').pop());
}

const fmt = (n, digits = 2) => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const rows = [];
const row = (measure, value, target = '', met = undefined) =>
  rows.push([measure, value, target, met === undefined ? '' : met ? 'yes' : 'NO']);

// The executable's own Node runs every measurement: "bare" start, "bare fetch + parse" and JSON.parse are that Node's.
const host = hostTarget();
const node = host ? await runtimeBinary(TARGETS[host].runtime) : process.execPath;

try {
  const transform = !groups.has('transform')
    ? []
    : runJson(
        [
          '--expose-gc',
          // A young generation larger than what one transform allocates: heapUsed right after it is its peak.
          '--max-semi-space-size=256',
          await bundle('transform'),
        ],
        node
      );
  for (const r of transform) {
    const size = `${r.series}×${r.points} (${fmt(r.bodyMiB, 1)} MiB, parse ${fmt(r.parseMs, 1)} ms)`;
    row(
      `json2 → frames ${size}`,
      `${fmt(r.transformRatio)}× (${fmt(r.transformMs, 1)} ms)`,
      '≤ 0.25×',
      r.transformRatio <= 0.25
    );
    row(
      `frames → Arrow ${size}`,
      `${fmt(r.encodeRatio)}× (${fmt(r.encodeMs, 1)} ms)`,
      '≤ 0.25×',
      r.encodeRatio <= 0.25
    );
    row(`peak heap of the transform + encoding ${r.series}×${r.points}`, `${fmt(r.heapMiB, 1)} MiB`);
  }

  if (!groups.has('executable')) {
    // not asked for
  } else if (existsSync(executable)) {
    const p = runJson([await bundle('process'), executable, '--node', node], node);
    row(
      `cold start to handshake / bare \`node -e\` line (${p.bareNodeVersion}), median of 10 pairs`,
      `${fmt(p.coldStartRatio)}× (${fmt(p.coldStartMs, 0)} vs ${fmt(p.bareStartMs, 0)} ms; CPU ${fmt(p.coldStartCpuMs, 0)} vs ${fmt(p.bareStartCpuMs, 0)} ms)`,
      '≤ 1.3×',
      p.coldStartRatio <= 1.3
    );
    row(
      'cold start to the first health check answer',
      `${fmt(p.firstAnswerMs, 0)} ms (max handshake ${fmt(p.coldStartMaxMs, 0)} ms)`
    );
    const mb = (mib) => fmt(mib * 1.048576, 1);
    row(
      'RSS 300 ms after handshake / idle after a health check',
      `${mb(p.startRssMiB)} / ${mb(p.idleRssMiB)} MB`,
      'idle ≤ 60 MB',
      p.idleRssMiB * 1.048576 <= 60
    );
    row(
      'idle: anonymous (private) memory / RSS of the bare runtime, idle 1 s',
      `${mb(p.idleAnonMiB)} MB / bare \`node -e\` ${mb(p.bareIdleRssMiB)} MB RSS (${mb(p.bareIdleAnonMiB)} MB anonymous)`
    );
    for (const [size, t] of Object.entries(p.roundTrips)) {
      const target = size === '20x300' ? 1.5 : 1.05;
      row(
        `QueryData round trip / bare fetch + parse, ${size}`,
        `${fmt(t.ratio)}× (${fmt(t.queryData, 1)} vs ${fmt(t.bare, 1)} ms)`,
        `≤ ${target}×`,
        t.ratio <= target
      );
    }
    row(
      'plugin CPU per small query (7×60)',
      `${fmt(p.pluginCpuMsPerQuery)} ms (floor: grpc-js + node:http + JSON.parse alone ${fmt(p.floorCpuMsPerQuery)} ms)`,
      '≤ 0.4 ms',
      p.pluginCpuMsPerQuery <= 0.4
    );
    row(
      'small-query throughput (7×60, 32 in flight)',
      `${fmt(p.throughput, 0)} queries/s`,
      '≥ 2500/s',
      p.throughput >= 2500
    );
    row('small-query latency, 50 in flight: p50 / p99', `${fmt(p.latencyP50Ms, 1)} / ${fmt(p.latencyP99Ms, 1)} ms`);
    row('peak RSS over the whole run', `${fmt(p.peakRssMiB, 1)} MiB`);
  } else {
    row('backend executable', `not found: ${executable} (npm run build, or set GPX_EXECUTABLE)`);
  }

  if (groups.has('editor')) {
    const e = runJson([await bundle('editor', { packages: 'external' })]);
    const runs = e.runs.map((r) => fmt(r.longestMs, 0)).join(', ');
    row(
      `editor: longest task, ${e.contexts} contexts: open the context picker, type two filters (${e.runs.length} runs)`,
      `${fmt(e.longestMs, 0)} ms (runs ${runs}; open ${fmt(e.runs[0].openMs, 0)} ms, filtered in ${e.runs[0].filterMs.map((ms) => fmt(ms, 0)).join(' / ')} ms)`,
      'no task > 50 ms',
      e.longestMs <= 50
    );
  }

  const moduleJs = path.join(root, 'dist', 'module.js');
  if (!groups.has('frontend')) {
    // not asked for
  } else if (existsSync(moduleJs)) {
    const raw = readFileSync(moduleJs);
    row(
      'frontend dist/module.js',
      `${fmt(gzipSync(raw, { level: 9 }).length / 1024, 1)} KiB gzipped (${fmt(raw.length / 1024, 1)} KiB raw)`
    );
  } else {
    row('frontend dist/module.js', 'not built (npm run build:frontend)');
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

const header = ['measure', 'value', 'target', 'met'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(widths[i])).join(' | ')} |`;
console.log(
  `Netdata data source benchmarks — ${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, load ${loadavg()[0].toFixed(2)}, ` +
    `Node ${execFileSync(node, ['-p', 'process.version'], { encoding: 'utf8' }).trim()}, ` +
    `executable ${path.relative(root, executable) || executable}`
);
console.log(line(header));
console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
for (const r of rows) {
  console.log(line(r));
}
