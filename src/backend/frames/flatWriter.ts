// A small FlatBuffers writer for the Arrow IPC metadata (Schema, Message, Footer), written front to back: a table
// comes first and the strings, vectors and tables it points to follow it, so every offset points forward as the
// format wants; offsets are patched once their target is written. Vtables sit just before their table.
// Only what Arrow metadata needs: scalar fields, offsets, strings, vectors of offsets and of 8-byte-aligned structs.

const textEncoder = new TextEncoder();

export type FieldKind = 'u8' | 'bool' | 'i16' | 'i64' | 'offset';

const SIZE: Record<FieldKind, number> = { u8: 1, bool: 1, i16: 2, i64: 8, offset: 4 };

/**
 * The layout of one kind of table, computed once: where each field sits (largest first after the 4-byte vtable
 * offset, so each is naturally aligned), the table size and its vtable.
 */
export class TableShape {
  /** Position of each field (in the order given) from the table start. */
  readonly at: number[];
  readonly size: number;
  readonly align: number;
  readonly vtable: Uint16Array;

  constructor(readonly fields: ReadonlyArray<{ slot: number; kind: FieldKind }>) {
    const order = fields.map((_, i) => i).sort((a, b) => SIZE[fields[b].kind] - SIZE[fields[a].kind]);
    this.at = new Array<number>(fields.length);
    let size = 4;
    for (const i of order) {
      const s = SIZE[fields[i].kind];
      size = Math.ceil(size / s) * s;
      this.at[i] = size;
      size += s;
    }
    this.size = Math.ceil(size / 4) * 4;
    this.align = fields.some((f) => f.kind === 'i64') ? 8 : 4;
    const slots = fields.reduce((max, f) => Math.max(max, f.slot + 1), 0);
    this.vtable = new Uint16Array(2 + slots);
    this.vtable[0] = 4 + 2 * slots;
    this.vtable[1] = this.size;
    fields.forEach((f, i) => (this.vtable[2 + f.slot] = this.at[i]));
  }
}

export class FlatWriter {
  bytes: Uint8Array;
  private view: DataView;
  length = 0;

  constructor(capacity = 1024) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  /** Starts over, reusing the buffer (zeroed again: padding and string terminators rely on zeros). */
  reset(): void {
    this.bytes.fill(0, 0, this.length);
    this.length = 0;
  }

  private ensure(extra: number): void {
    const need = this.length + extra;
    if (need <= this.bytes.length) {
      return;
    }
    let size = this.bytes.length * 2;
    while (size < need) {
      size *= 2;
    }
    const next = new Uint8Array(size);
    next.set(this.bytes.subarray(0, this.length));
    this.bytes = next;
    this.view = new DataView(next.buffer);
  }

  /** Zero padding up to a multiple of `n` (new buffers are zeroed, so only the length moves). */
  align(n: number): void {
    const pad = (n - (this.length % n)) % n;
    this.ensure(pad);
    this.length += pad;
  }

  u32(value: number): number {
    this.ensure(4);
    const at = this.length;
    this.view.setUint32(at, value, true);
    this.length += 4;
    return at;
  }

  i32At(at: number, value: number): void {
    this.view.setInt32(at, value, true);
  }

  i64At(at: number, value: number): void {
    // Arrow lengths and offsets are far below 2^53; write them as two 32-bit halves.
    this.view.setUint32(at, value % 0x1_0000_0000, true);
    this.view.setUint32(at + 4, Math.floor(value / 0x1_0000_0000), true);
  }

  /** Makes the offset written at `slotAt` point at the current position. */
  pointHere(slotAt: number): void {
    this.view.setUint32(slotAt, this.length - slotAt, true);
  }

  /** Writes the root offset placeholder (position 0), to pass to the root table. */
  root(): number {
    return this.u32(0);
  }

  /**
   * A table of `shape` with its vtable just before it; the offset at `from` (the root, or a parent's field) is made
   * to point at it. `values` are the scalar values in field order (ignored for offset fields, patched later through
   * `tableAt + shape.at[i]`). Returns the table position.
   */
  table(from: number, shape: TableShape, values: readonly number[]): number {
    const vtableBytes = shape.vtable.length * 2;
    this.align(2);
    this.ensure(vtableBytes + 8 + shape.size);
    const vtableAt = this.length;
    for (let i = 0; i < shape.vtable.length; i++) {
      this.view.setUint16(vtableAt + 2 * i, shape.vtable[i], true);
    }
    this.length += vtableBytes;
    this.align(shape.align);
    const tableAt = this.length;
    this.pointHere(from);
    this.view.setInt32(tableAt, tableAt - vtableAt, true);
    const { fields, at } = shape;
    for (let i = 0; i < fields.length; i++) {
      const pos = tableAt + at[i];
      switch (fields[i].kind) {
        case 'u8':
        case 'bool':
          this.view.setUint8(pos, values[i]);
          break;
        case 'i16':
          this.view.setInt16(pos, values[i], true);
          break;
        case 'i64':
          this.i64At(pos, values[i]);
          break;
        default:
          break;
      }
    }
    this.length = tableAt + shape.size;
    return tableAt;
  }

  /** A UTF-8 string (length prefix, bytes, NUL); the current position must be where `slotAt` should point. */
  string(slotAt: number, text: string): void {
    this.align(4);
    this.ensure(4 + text.length * 3 + 1);
    this.pointHere(slotAt);
    const lengthAt = this.length;
    this.length += 4;
    const { written } = textEncoder.encodeInto(text, this.bytes.subarray(this.length));
    this.view.setUint32(lengthAt, written, true);
    this.length += written + 1;
  }

  /** A vector of offsets; returns the position of each element's slot. */
  offsetVector(slotAt: number, count: number): number[] {
    this.align(4);
    this.pointHere(slotAt);
    this.u32(count);
    const at: number[] = [];
    for (let i = 0; i < count; i++) {
      at.push(this.u32(0));
    }
    return at;
  }

  /** A vector of structs made of 64-bit words (FieldNode, Buffer, Block), 8-aligned; returns the first element. */
  structVector(slotAt: number, count: number, structBytes: number): number {
    // The elements must be 8-aligned: the 4-byte count goes just before them.
    this.align(8);
    this.ensure(4 + 4 + count * structBytes);
    this.length += 4;
    this.pointHere(slotAt);
    this.view.setUint32(this.length, count, true);
    this.length += 4;
    const first = this.length;
    this.length += count * structBytes;
    return first;
  }

  /** Copies a finished FlatBuffer (8-aligned) in, returning where it starts. */
  embed(other: Uint8Array): number {
    this.align(8);
    this.ensure(other.length);
    const at = this.length;
    this.bytes.set(other, at);
    this.length += other.length;
    return at;
  }

  /** The bytes written so far, padded to 8. */
  finish(): Uint8Array {
    this.align(8);
    return this.bytes.subarray(0, this.length);
  }
}
