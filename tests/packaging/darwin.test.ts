/** @jest-environment node */
// macOS: Apple Silicon kills binaries whose signature broke, so the darwin executables are a #!/bin/sh launcher
// that execs Node's own signed binary (unmodified) on the bundle. Checked here without a Mac: the Mach-O, its
// signature (every page hash recomputed), that the binary is byte-for-byte the pinned one, and the launcher's exec.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DIST, executablePath, requireFreshExecutables, runtimeDir, runtimePins, type Target } from './artifacts';

jest.setTimeout(60000);

const CASES: Array<{ target: Target; arch: string; runtime: string; cputype: number }> = [
  { target: 'darwin-amd64', arch: 'amd64', runtime: 'darwin-x64', cputype: 0x01000007 }, // CPU_TYPE_X86_64
  { target: 'darwin-arm64', arch: 'arm64', runtime: 'darwin-arm64', cputype: 0x0100000c }, // CPU_TYPE_ARM64
];

const LC_CODE_SIGNATURE = 0x1d;
const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
const CSMAGIC_BLOBWRAPPER = 0xfade0b01; // CMS signature (certificate-based)

interface CodeSignature {
  blobs: Array<{ type: number; magic: number; offset: number }>;
  identifier: string;
  pagesChecked: number;
  badPages: number;
}

/** Parses LC_CODE_SIGNATURE and recomputes every page hash of the primary CodeDirectory. */
function codeSignature(bin: Buffer): CodeSignature | undefined {
  const ncmds = bin.readUInt32LE(16);
  let p = 32;
  for (let i = 0; i < ncmds; i++) {
    const cmd = bin.readUInt32LE(p);
    if (cmd === LC_CODE_SIGNATURE) {
      const dataoff = bin.readUInt32LE(p + 8);
      const sb = bin.subarray(dataoff, dataoff + bin.readUInt32LE(p + 12));
      if (sb.readUInt32BE(0) !== CSMAGIC_EMBEDDED_SIGNATURE) {
        return undefined;
      }
      const blobs = Array.from({ length: sb.readUInt32BE(8) }, (_, k) => {
        const offset = sb.readUInt32BE(16 + 8 * k);
        return { type: sb.readUInt32BE(12 + 8 * k), magic: sb.readUInt32BE(offset), offset };
      });
      const cdAt = blobs.find((b) => b.type === 0)!.offset;
      const cd = sb.subarray(cdAt);
      const hashOffset = cd.readUInt32BE(16);
      const identOffset = cd.readUInt32BE(20);
      const nCodeSlots = cd.readUInt32BE(28);
      const codeLimit = cd.readUInt32BE(32);
      const hashSize = cd[36];
      const hashType = cd[37];
      const pageSize = 2 ** cd[39];
      const algo = hashType === 2 ? 'sha256' : hashType === 1 ? 'sha1' : undefined;
      if (!algo) {
        throw new Error(`unexpected CodeDirectory hash type ${hashType}`);
      }
      let badPages = 0;
      for (let page = 0; page < nCodeSlots; page++) {
        const start = page * pageSize;
        const digest = createHash(algo)
          .update(bin.subarray(start, Math.min(start + pageSize, codeLimit)))
          .digest();
        const stored = cd.subarray(hashOffset + page * hashSize, hashOffset + (page + 1) * hashSize);
        if (!digest.subarray(0, hashSize).equals(stored)) {
          badPages++;
        }
      }
      const identifier = cd.toString('latin1', identOffset, cd.indexOf(0, identOffset));
      return { blobs, identifier, pagesChecked: nCodeSlots, badPages };
    }
    p += bin.readUInt32LE(p + 4);
  }
  return undefined;
}

beforeAll(() => requireFreshExecutables(CASES.map((c) => c.target)));

describe.each(CASES)('$target', ({ target, arch, runtime, cputype }) => {
  const node = join(runtimeDir(target), `node_darwin_${arch}`);

  it('ships Node unmodified: sha256 equals the pinned file of the npm tarball', () => {
    const pin = runtimePins().runtimes[runtime];
    expect(createHash('sha256').update(readFileSync(node)).digest('hex')).toBe(pin.binarySha256);
    expect(statSync(node).mode & 0o111).toBe(0o111);
  });

  it('node is a thin 64-bit Mach-O executable for the right CPU, with an intact Developer ID signature', () => {
    const bin = readFileSync(node);
    expect(bin.readUInt32LE(0)).toBe(0xfeedfacf); // MH_MAGIC_64
    expect(bin.readUInt32LE(4)).toBe(cputype);
    expect(bin.readUInt32LE(12)).toBe(2); // MH_EXECUTE
    const sig = codeSignature(bin);
    expect(sig).toBeDefined();
    expect(sig!.blobs.map((b) => b.magic)).toEqual(
      expect.arrayContaining([CSMAGIC_CODEDIRECTORY, CSMAGIC_BLOBWRAPPER])
    );
    expect(sig!.identifier).toBe('node');
    expect(sig!.pagesChecked).toBeGreaterThan(1000);
    expect(sig!.badPages).toBe(0);
    // The check itself notices a single changed byte (what SEA injection or any patching would do).
    bin[5 * 4096 + 17] ^= 0xff;
    expect(codeSignature(bin)!.badPages).toBe(1);
  });

  it('carries the current bundle beside node', () => {
    expect(readFileSync(join(runtimeDir(target), 'backend.cjs')).equals(readFileSync(join(DIST, 'backend.cjs')))).toBe(
      true
    );
  });

  it('launcher: an executable #!/bin/sh script that execs node on the bundle', () => {
    const launcher = executablePath(target);
    expect(statSync(launcher).mode & 0o111).toBe(0o111);
    const text = readFileSync(launcher, 'utf8');
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    expect(text).toContain(
      `exec "$dir/runtime_darwin_${arch}/node_darwin_${arch}" "$dir/runtime_darwin_${arch}/backend.cjs" "$@"`
    );
  });

  it('launcher keeps the PID (exec) and passes arguments and environment on, from any working directory', async () => {
    // Run the real script with a stand-in for node that reports what it was started with.
    const dir = mkdtempSync(join(tmpdir(), 'gpx-darwin-'));
    try {
      const rt = join(dir, `runtime_darwin_${arch}`);
      mkdirSync(rt);
      const launcher = join(dir, `gpx_netdata_darwin_${arch}`);
      copyFileSync(executablePath(target), launcher);
      chmodSync(launcher, 0o755);
      writeFileSync(
        join(rt, `node_darwin_${arch}`),
        '#!/bin/sh\necho "$$"\nfor a in "$@"; do echo "$a"; done\necho "$grafana_plugin_type"\n',
        {
          mode: 0o755,
        }
      );
      const child = spawn(launcher, ['one', 'two words'], {
        cwd: tmpdir(),
        env: { PATH: '/usr/bin:/bin', grafana_plugin_type: 'datasource' },
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      const code = await new Promise((r) => child.on('close', r));
      expect(code).toBe(0);
      expect(out.split('\n').filter(Boolean)).toEqual([
        String(child.pid),
        join(rt, 'backend.cjs'),
        'one',
        'two words',
        'datasource',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
