// The private glibc runtime of the Linux backend: the loader and every library the Node binary needs (the NEEDED
// closure, read with readelf), taken from Debian's .debs. apt verifies the downloads against the signed archive;
// cached .debs are checked again against apt's sha256.
import { existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { BuildError, CACHE, log, run, sha256File } from './util.mjs';

/** Debian packages searched for libraries; a NEEDED library in none of them fails the build. */
const LIB_PACKAGES = ['libc6', 'libstdc++6', 'libgcc-s1', 'libatomic1'];

const APT_HINT =
  'The Linux runtimes are built from Debian packages: run this on Debian/Ubuntu with apt-get, dpkg-deb and readelf ' +
  '(binutils) installed.';

function foreignArchHint(arch) {
  return `Debian's ${arch} packages are not known to apt here. Run (as root): dpkg --add-architecture ${arch} && apt-get update`;
}

function hostDebArch() {
  return run('dpkg', ['--print-architecture'], { missingHint: APT_HINT }).trim();
}

function aptShow(pkg, arch) {
  let out;
  try {
    out = run('apt-cache', ['show', '--no-all-versions', `${pkg}:${arch}`], { missingHint: APT_HINT });
  } catch (e) {
    const foreign = arch !== hostDebArch();
    throw new BuildError(`${e.message}\n${foreign ? foreignArchHint(arch) : 'Run apt-get update first.'}`);
  }
  const field = (name) => out.match(new RegExp(`^${name}: (.+)$`, 'm'))?.[1]?.trim();
  const info = { pkg, arch, version: field('Version'), filename: field('Filename'), sha256: field('SHA256') };
  if (!info.version || !info.filename || !info.sha256) {
    throw new BuildError(`apt-cache show ${pkg}:${arch} gave no Version/Filename/SHA256. Run apt-get update first.`);
  }
  return info;
}

/** Downloads (or reuses) one .deb; returns its path after checking apt's sha256. */
async function fetchDeb(info) {
  const dir = path.join(CACHE, 'debs');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, path.basename(info.filename));
  if (existsSync(file) && (await sha256File(file)) === info.sha256) {
    return file;
  }
  rmSync(file, { force: true });
  log(`apt-get download ${info.pkg}:${info.arch} (${info.version})`);
  run('apt-get', ['-q', '-o', 'APT::Sandbox::User=root', 'download', `${info.pkg}:${info.arch}=${info.version}`], {
    cwd: dir,
    missingHint: APT_HINT,
  });
  if (!existsSync(file)) {
    throw new BuildError(`apt-get download did not write ${file}`);
  }
  const actual = await sha256File(file);
  if (actual !== info.sha256) {
    throw new BuildError(`sha256 mismatch for ${file}: apt says ${info.sha256}, file has ${actual}`);
  }
  return file;
}

/** Extracts a .deb once into CACHE/sysroot/<name>; returns that folder. */
function extractDeb(deb) {
  const root = path.join(CACHE, 'sysroot', path.basename(deb, '.deb'));
  const done = path.join(root, '.extracted');
  if (!existsSync(done)) {
    rmSync(root, { recursive: true, force: true });
    mkdirSync(root, { recursive: true });
    run('dpkg-deb', ['-x', deb, root], { missingHint: APT_HINT });
    writeFileSync(done, '');
  }
  return root;
}

/** Resolves symlinks inside an extracted package tree (absolute links point into the tree, not the host). */
function resolveIn(root, file) {
  let p = file;
  for (let hops = 0; hops < 20; hops++) {
    const st = lstatSafe(p);
    if (!st) {
      return undefined;
    }
    if (!st.isSymbolicLink()) {
      return p;
    }
    const target = readlinkSync(p);
    p = target.startsWith('/') ? path.join(root, target) : path.join(path.dirname(p), target);
  }
  return undefined;
}

function lstatSafe(p) {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/** NEEDED entries of an ELF file. */
export function neededLibs(file) {
  const out = run('readelf', ['-d', '-W', file], { missingHint: APT_HINT });
  return [...out.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
}

/**
 * Collects the loader and the NEEDED closure of `binary` for a Debian architecture.
 * Returns { files: Map<name, path>, licenses: Array<{ name, path }>, packages: string[] }.
 */
export async function glibcRuntime(binary, { debArch, triplet, loader }) {
  const roots = [];
  const licenses = [];
  const used = new Set();
  for (const pkg of LIB_PACKAGES) {
    const info = aptShow(pkg, debArch);
    const root = extractDeb(await fetchDeb(info));
    roots.push({ pkg, root, label: `${pkg}:${debArch} ${info.version}` });
  }
  // libstdc++6 and libgcc-s1 keep their copyright in gcc-<N>-base (their doc folders are links to it).
  const depends = run('dpkg-deb', ['-f', await fetchDeb(aptShow('libstdc++6', debArch)), 'Depends']);
  const gccBase = depends.match(/\b(gcc-\d+-base)\b/)?.[1];
  if (gccBase) {
    const info = aptShow(gccBase, debArch);
    const root = extractDeb(await fetchDeb(info));
    licenses.push({ name: `${gccBase}.copyright`, path: path.join(root, 'usr/share/doc', gccBase, 'copyright') });
    licenses[0].label = `${gccBase}:${debArch} ${info.version} (licence text only)`;
  }
  const libc = roots.find((r) => r.pkg === 'libc6');
  licenses.unshift({ name: 'libc6.copyright', path: path.join(libc.root, 'usr/share/doc/libc6/copyright') });

  const find = (name) => {
    for (const { root, label } of roots) {
      for (const dir of [`lib/${triplet}`, `usr/lib/${triplet}`]) {
        const p = resolveIn(root, path.join(root, dir, name));
        if (p) {
          used.add(label);
          return p;
        }
      }
    }
    return undefined;
  };

  const files = new Map();
  const queue = [loader, ...neededLibs(binary)];
  while (queue.length > 0) {
    const name = queue.shift();
    if (files.has(name)) {
      continue;
    }
    const p = find(name);
    if (!p) {
      throw new BuildError(
        `${path.basename(binary)} needs ${name}, which none of the Debian packages ${LIB_PACKAGES.join(', ')} ` +
          `(${debArch}) provides. Add the package that has it to LIB_PACKAGES in scripts/packaging/glibc.mjs.`
      );
    }
    files.set(name, p);
    queue.push(...neededLibs(p));
  }
  for (const l of licenses) {
    if (!existsSync(l.path)) {
      throw new BuildError(`missing licence file ${l.path}`);
    }
  }
  const packages = [...roots.map((r) => r.label).filter((l) => used.has(l)), ...licenses.flatMap((l) => l.label ?? [])];
  return { files, licenses, packages };
}
