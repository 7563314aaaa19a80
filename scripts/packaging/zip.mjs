// Plugin zips with Debian's `zip` (Info-ZIP): it stores each file's Unix mode, so the exec bits of the launcher,
// the loader and the macOS node survive `grafana cli plugins install` (which keeps stored modes) and plain unzip.
import { spawn } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeSync,
} from 'node:fs';
import path from 'node:path';
import { BuildError } from './util.mjs';

/** Mirrors `src` into `dest` with hard links (copies across file systems): no 500 MB of copying per zip. */
export function linkTree(src, dest) {
  const st = statSync(src);
  if (st.isDirectory()) {
    mkdirSync(dest, { recursive: true });
    for (const name of readdirSync(src)) {
      linkTree(path.join(src, name), path.join(dest, name));
    }
    return;
  }
  try {
    linkSync(src, dest);
  } catch (e) {
    if (e.code !== 'EXDEV' && e.code !== 'EPERM') {
      throw e;
    }
    copyFileSync(src, dest);
  }
}

/**
 * Writes `zipFile` holding `<folder>/<entry>` for each entry of `entries` (paths relative to `fromDir`), the layout
 * Grafana expects: one top folder named like the plugin id.
 */
export async function zipPlugin({ fromDir, entries, folder, zipFile, stageDir }) {
  rmSync(stageDir, { recursive: true, force: true });
  const top = path.join(stageDir, folder);
  mkdirSync(top, { recursive: true });
  for (const e of entries) {
    linkTree(path.join(fromDir, e), path.join(top, e));
  }
  rmSync(zipFile, { force: true });
  mkdirSync(path.dirname(zipFile), { recursive: true });
  try {
    await new Promise((resolve, reject) => {
      // -X: no uid/gid or extra timestamps (smaller, steadier); -r: recurse; symlinks are followed (none expected).
      const child = spawn('zip', ['-q', '-r', '-X', zipFile, folder], {
        cwd: stageDir,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('error', (e) =>
        reject(
          new BuildError(
            e.code === 'ENOENT' ? "zip is not installed: apt-get install zip (Debian's Info-ZIP)" : e.message
          )
        )
      );
      child.on('close', (code) =>
        code === 0 ? resolve() : reject(new BuildError(`zip failed for ${zipFile}: ${err.trim()}`))
      );
    });
  } finally {
    rmSync(stageDir, { recursive: true, force: true });
  }
}

/** Total size in bytes of files under `p`. */
export function treeSize(p) {
  const st = statSync(p);
  if (!st.isDirectory()) {
    return st.size;
  }
  return readdirSync(p).reduce((sum, name) => sum + treeSize(path.join(p, name)), 0);
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

function centralEntries(buf, file) {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new BuildError(`${file}: not a zip file (no end of central directory)`);
  }
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== CENTRAL) {
      throw new BuildError(`${file}: bad central directory entry ${i}`);
    }
    const flags = buf.readUInt16LE(p + 8);
    const csize = buf.readUInt32LE(p + 20);
    const n = buf.readUInt16LE(p + 28);
    const x = buf.readUInt16LE(p + 30);
    const c = buf.readUInt16LE(p + 32);
    const offset = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + n);
    if (flags & 0x08 || csize === 0xffffffff || offset === 0xffffffff) {
      throw new BuildError(`${file}: ${name} uses a data descriptor or zip64, which the merge does not handle`);
    }
    if (buf.readUInt32LE(offset) !== LOCAL) {
      throw new BuildError(`${file}: bad local header for ${name}`);
    }
    const localLen = 30 + buf.readUInt16LE(offset + 26) + buf.readUInt16LE(offset + 28) + csize;
    entries.push({
      name,
      central: buf.subarray(p, p + 46 + n + x + c),
      local: buf.subarray(offset, offset + localLen),
    });
    p += 46 + n + x + c;
  }
  return entries;
}

/**
 * Merges zips into one without recompressing (entries with the same name are taken once, from the first zip that
 * has them): the all-platform zip costs no second compression of 500 MB.
 */
export function mergeZips(inputs, output) {
  const seen = new Set();
  const centrals = [];
  rmSync(output, { force: true });
  const fd = openSync(output, 'w');
  try {
    let offset = 0;
    for (const file of inputs) {
      const buf = readFileSync(file);
      for (const e of centralEntries(buf, file)) {
        if (seen.has(e.name)) {
          continue;
        }
        seen.add(e.name);
        const central = Buffer.from(e.central);
        central.writeUInt32LE(offset, 42);
        centrals.push(central);
        writeSync(fd, e.local);
        offset += e.local.length;
      }
    }
    const cd = Buffer.concat(centrals);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(EOCD, 0);
    end.writeUInt16LE(centrals.length, 8);
    end.writeUInt16LE(centrals.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(offset, 16);
    writeSync(fd, cd);
    writeSync(fd, end);
    if (centrals.length > 0xffff || offset + cd.length > 0xffffffff) {
      throw new BuildError(`${output}: too big for a plain zip`);
    }
  } finally {
    closeSync(fd);
  }
}
