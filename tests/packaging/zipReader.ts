// Reads a zip's central directory and entries (no zip64): names, Unix modes, sizes, CRCs, and contents.
import { readFileSync } from 'node:fs';
import { crc32, inflateRawSync } from 'node:zlib';

export interface ZipEntry {
  name: string;
  /** Unix permission bits stored by the zip tool (what `grafana cli` and unzip restore). */
  mode: number;
  /** Made by a Unix zip (host byte 3), which is what makes `mode` meaningful. */
  unix: boolean;
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

export function readZip(file: string): { buf: Buffer; entries: ZipEntry[] } {
  const buf = readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 65557); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw new Error(`${file}: no end of central directory`);
  }
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) {
      throw new Error(`${file}: bad central directory entry ${i}`);
    }
    const n = buf.readUInt16LE(p + 28);
    const x = buf.readUInt16LE(p + 30);
    const c = buf.readUInt16LE(p + 32);
    entries.push({
      name: buf.toString('utf8', p + 46, p + 46 + n),
      unix: buf[p + 5] === 3,
      mode: (buf.readUInt32LE(p + 38) >>> 16) & 0o7777,
      method: buf.readUInt16LE(p + 10),
      crc: buf.readUInt32LE(p + 16),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
    });
    p += 46 + n + x + c;
  }
  return { buf, entries };
}

/** Uncompressed contents of an entry, checked against its stored CRC-32. */
export function entryData(buf: Buffer, e: ZipEntry): Buffer {
  if (buf.readUInt32LE(e.localOffset) !== 0x04034b50) {
    throw new Error(`${e.name}: bad local header`);
  }
  const start = e.localOffset + 30 + buf.readUInt16LE(e.localOffset + 26) + buf.readUInt16LE(e.localOffset + 28);
  const raw = buf.subarray(start, start + e.compressedSize);
  const data = e.method === 0 ? raw : inflateRawSync(raw);
  if (data.length !== e.size || crc32(data) >>> 0 !== e.crc) {
    throw new Error(`${e.name}: size or CRC-32 mismatch`);
  }
  return data;
}
