// Minimal ELF64 (little-endian) reader: machine, ELF interpreter, and NEEDED libraries; enough to check what a
// binary asks of the system it starts on.
import { closeSync, openSync, readSync } from 'node:fs';

export interface ElfInfo {
  machine: 'x86_64' | 'aarch64' | string;
  interpreter?: string;
  /** Has a dynamic section (shared libraries or a PIE loader step). */
  dynamic: boolean;
  needed: string[];
}

const MACHINES: Record<number, string> = { 0x3e: 'x86_64', 0xb7: 'aarch64' };

export function elfInfo(file: string): ElfInfo {
  const fd = openSync(file, 'r');
  const read = (offset: number, length: number): Buffer => {
    const b = Buffer.alloc(length);
    readSync(fd, b, 0, length, offset);
    return b;
  };
  try {
    const h = read(0, 64);
    if (h.readUInt32BE(0) !== 0x7f454c46 || h[4] !== 2 || h[5] !== 1) {
      throw new Error(`${file} is not a little-endian ELF64 file`);
    }
    const machine = MACHINES[h.readUInt16LE(18)] ?? `0x${h.readUInt16LE(18).toString(16)}`;
    const phoff = Number(h.readBigUInt64LE(32));
    const phentsize = h.readUInt16LE(54);
    const phnum = h.readUInt16LE(56);
    const ph = read(phoff, phentsize * phnum);
    const segs = Array.from({ length: phnum }, (_, i) => {
      const o = i * phentsize;
      return {
        type: ph.readUInt32LE(o),
        offset: Number(ph.readBigUInt64LE(o + 8)),
        vaddr: Number(ph.readBigUInt64LE(o + 16)),
        filesz: Number(ph.readBigUInt64LE(o + 32)),
      };
    });
    const interp = segs.find((s) => s.type === 3);
    const dyn = segs.find((s) => s.type === 2);
    const info: ElfInfo = {
      machine,
      interpreter: interp ? read(interp.offset, interp.filesz).toString('latin1').replace(/\0+$/, '') : undefined,
      dynamic: dyn !== undefined,
      needed: [],
    };
    if (dyn) {
      const d = read(dyn.offset, dyn.filesz);
      const entries: Array<[number, number]> = [];
      for (let o = 0; o + 16 <= d.length; o += 16) {
        const tag = Number(d.readBigInt64LE(o));
        if (tag === 0) {
          break;
        }
        entries.push([tag, Number(d.readBigUInt64LE(o + 8))]);
      }
      const strtab = entries.find(([t]) => t === 5)?.[1];
      const load = segs.find(
        (s) => s.type === 1 && strtab !== undefined && s.vaddr <= strtab && strtab < s.vaddr + s.filesz
      );
      if (strtab !== undefined && load) {
        const base = strtab - load.vaddr + load.offset;
        for (const [tag, val] of entries) {
          if (tag === 1) {
            const s = read(base + val, 256);
            info.needed.push(s.toString('latin1', 0, s.indexOf(0)));
          }
        }
      }
    }
    return info;
  } finally {
    closeSync(fd);
  }
}
