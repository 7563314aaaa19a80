// Node single executable application (SEA) steps: the preparation blob, and its injection into a node binary.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BuildError, CACHE, ROOT, run, sha256 } from './util.mjs';

export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * Builds the SEA blob with `node` (must be the SAME Node version as the runtimes it goes into, and able to run here).
 * A code cache is only valid for the platform that built it, so other platforms get a blob without one.
 */
export function buildBlob(node, bundle, { codeCache }) {
  const source = readFileSync(bundle);
  const dir = path.join(CACHE, 'blobs', `${sha256(source).slice(0, 16)}-${codeCache ? 'cache' : 'nocache'}`);
  const blob = path.join(dir, 'sea-prep.blob');
  mkdirSync(dir, { recursive: true });
  const main = path.join(dir, 'backend.cjs');
  writeFileSync(main, source);
  const config = path.join(dir, 'sea-config.json');
  writeFileSync(
    config,
    JSON.stringify({
      main,
      output: blob,
      disableExperimentalSEAWarning: true,
      useSnapshot: false,
      useCodeCache: codeCache,
    })
  );
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  run(node, ['--experimental-sea-config', config], { cwd: dir, env });
  if (!existsSync(blob)) {
    throw new BuildError(`node --experimental-sea-config did not write ${blob}`);
  }
  return blob;
}

/** Injects the blob into `file` (a copy of a node binary) with postject, in a child process so two can run at once. */
export function injectBlob(file, blob, { macho = false } = {}) {
  const cli = path.join(ROOT, 'node_modules', 'postject', 'dist', 'cli.js');
  if (!existsSync(cli)) {
    throw new BuildError('postject is not installed (devDependency): run npm install');
  }
  const args = [cli, file, 'NODE_SEA_BLOB', blob, '--sentinel-fuse', SEA_FUSE];
  if (macho) {
    args.push('--macho-segment-name', 'NODE_SEA');
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) {
        resolve();
      } else {
        reject(
          new BuildError(`postject failed on ${file} (exit ${code})\n${out.trim().split('\n').slice(-10).join('\n')}`)
        );
      }
    });
  });
}

/**
 * Removes the Authenticode signature of a PE file in place (what `signtool remove /s` does). Injection breaks the
 * signature anyway; an unsigned exe is cleaner than one with a corrupt signature. Returns true if one was removed.
 */
export function removePeSignature(file) {
  const buf = readFileSync(file);
  const pe = buf.readUInt32LE(0x3c);
  if (buf.toString('latin1', pe, pe + 4) !== 'PE\0\0') {
    throw new BuildError(`${file} is not a PE file`);
  }
  const opt = pe + 24;
  const magic = buf.readUInt16LE(opt);
  const dataDirs = opt + (magic === 0x20b ? 112 : 96);
  const certEntry = dataDirs + 4 * 8;
  const certOffset = buf.readUInt32LE(certEntry);
  const certSize = buf.readUInt32LE(certEntry + 4);
  if (certOffset === 0 || certSize === 0) {
    return false;
  }
  if (certOffset + certSize < buf.length - 8) {
    throw new BuildError(`${file}: the certificate table is not at the end of the file; refusing to cut it`);
  }
  buf.writeUInt32LE(0, certEntry);
  buf.writeUInt32LE(0, certEntry + 4);
  buf.writeUInt32LE(0, opt + 64); // CheckSum: not checked for user-mode executables, but stale now
  writeFileSync(file, buf.subarray(0, certOffset));
  return true;
}

/** Strips symbols from an ELF node binary; must happen BEFORE injection (stripping after it drops the blob). */
export function stripElf(stripTool, file) {
  run(stripTool, ['--strip-all', file], {
    missingHint: `${stripTool} comes with Debian's binutils (arm64: binutils-aarch64-linux-gnu).`,
  });
}
