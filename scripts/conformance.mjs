// npm run test:conformance: the Go conformance suite (tests/conformance) against the built executable.
// 1. builds the backend executable when dist/gpx_netdata_linux_amd64 is older than anything in src/ (or missing);
// 2. bundles the fake Netdata servers (tests/conformance/fake/main.ts) with esbuild;
// 3. runs `go test -count=1 -v` (the suite's TestMain starts the fakes), prints one line per test and go's own
//    closing `ok`/`FAIL` line last; the counts also go to .cache/conformance-results.json (for .ci/run's summary).
//    Exit code is go test's.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const executable = join(root, 'dist/gpx_netdata_linux_amd64');
const suiteDir = join(root, 'tests/conformance');
const fakeBundle = join(root, '.cache/conformance/fake.cjs');

function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    process.exit(r.status ?? 1);
  }
}

if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error('test:conformance runs the linux amd64 executable: run it on linux x64');
  process.exit(1);
}

const stale = !existsSync(executable) || statSync(executable).mtimeMs < newestMtime(join(root, 'src'));
if (stale) {
  console.log('[conformance] dist/gpx_netdata_linux_amd64 is missing or older than src/: building the backend');
  run('npm', ['run', 'build:backend']);
  run('npm', ['run', 'build:executable']);
} else {
  console.log('[conformance] dist/gpx_netdata_linux_amd64 is newer than src/: not rebuilt');
}

mkdirSync(dirname(fakeBundle), { recursive: true });
rmSync(join(root, '.cache/conformance-results.json'), { force: true });
await build({
  entryPoints: [join(suiteDir, 'fake/main.ts')],
  outfile: fakeBundle,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: builtinModules.flatMap((m) => [m, `node:${m}`]),
  logLevel: 'warning',
});

// go lives in /usr/local/go/bin on the CI machine and is not always on PATH.
const path = [process.env.PATH ?? '', '/usr/local/go/bin'].join(delimiter);
const goArgs = ['test', '-count=1', '-v', '-timeout', '15m', './...', ...process.argv.slice(2)];
const go = spawn('go', goArgs, {
  cwd: suiteDir,
  env: { ...process.env, PATH: path, CONFORMANCE_EXECUTABLE: executable, CONFORMANCE_FAKE: fakeBundle },
  stdio: ['ignore', 'pipe', 'inherit'],
});

// -v output is long: show each test's result line and any failure detail, keep go's closing lines last.
const results = { pass: 0, fail: 0, skip: 0 };
const closing = [];
let buffered = '';
let failureBlock = [];
const flushFailure = () => {
  if (failureBlock.length) {
    console.log(failureBlock.join('\n'));
    failureBlock = [];
  }
};
go.stdout.setEncoding('utf8');
go.stdout.on('data', (chunk) => {
  buffered += chunk;
  const lines = buffered.split('\n');
  buffered = lines.pop() ?? '';
  for (const line of lines) {
    const m = /^\s*--- (PASS|FAIL|SKIP): (\S+)/.exec(line);
    if (m) {
      results[m[1].toLowerCase()] += 1;
      if (m[1] === 'FAIL') {
        flushFailure();
      }
      failureBlock = [];
      console.log(line.trim());
    } else if (/^(ok|FAIL)\s/.test(line)) {
      flushFailure();
      closing.push(line);
    } else if (/^(FAIL|PASS)$/.test(line) || /^panic:/.test(line)) {
      flushFailure();
      console.log(line);
    } else if (!/^=== (RUN|PAUSE|CONT)/.test(line)) {
      failureBlock.push(line);
      if (failureBlock.length > 200) {
        failureBlock.shift();
      }
    }
  }
});
go.on('exit', (code) => {
  if (buffered) {
    console.log(buffered);
  }
  if (code !== 0) {
    flushFailure();
  }
  if (code !== 0 && results.fail === 0) {
    results.fail = 1; // a build error or a panic: count it, so that no summary reads as green
  }
  writeFileSync(join(root, '.cache/conformance-results.json'), JSON.stringify({ ...results, exitCode: code }));
  console.log(`conformance: ${results.pass} passed, ${results.fail} failed, ${results.skip} skipped`);
  for (const line of closing) {
    console.log(line);
  }
  process.exit(code ?? 1);
});
