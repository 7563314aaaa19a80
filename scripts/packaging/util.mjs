// Small shared helpers for the packaging scripts: paths, hashing, running tools, timing.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST = path.join(ROOT, 'dist');
/** Downloads and intermediate files. GPX_CACHE_DIR lets CI keep them outside the clone. */
export const CACHE = path.resolve(process.env.GPX_CACHE_DIR || path.join(ROOT, '.cache', 'packaging'));
export const PLUGIN_ID = 'seed-netdata-datasource';
export const EXECUTABLE = 'gpx_netdata';

export class BuildError extends Error {}

export function log(message) {
  process.stderr.write(`[packaging] ${message}\n`);
}

/** Runs a tool and returns its stdout; a failure names the command and shows its stderr. */
export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { encoding: opts.encoding ?? 'utf8', maxBuffer: 1 << 28, ...opts });
  if (res.error) {
    const hint = res.error.code === 'ENOENT' && opts.missingHint ? `\n${opts.missingHint}` : '';
    throw new BuildError(`cannot run ${cmd}: ${res.error.message}${hint}`);
  }
  if (res.status !== 0) {
    const out = `${res.stderr ?? ''}${res.stdout ?? ''}`.trim().split('\n').slice(-20).join('\n');
    throw new BuildError(
      `${cmd} ${args.join(' ')} failed (exit ${res.status})\n${out}${opts.missingHint ? `\n${opts.missingHint}` : ''}`
    );
  }
  return res.stdout;
}

export function sha256File(file) {
  return new Promise((resolve, reject) => {
    const h = createHash('sha256');
    createReadStream(file)
      .on('data', (d) => h.update(d))
      .on('error', reject)
      .on('end', () => resolve(h.digest('hex')));
  });
}

export function sha256(data) {
  return createHash('sha256').update(data).digest('hex');
}

export function readJson(file) {
  return JSON.parse(readFileSync(file, 'utf8'));
}

export function mib(bytes) {
  return (bytes / 1024 / 1024).toFixed(1);
}
