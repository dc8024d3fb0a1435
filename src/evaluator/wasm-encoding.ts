/**
 * Just enough of the WebAssembly binary format (https://webassembly.github.io/spec/core/binary/) to write the
 * tree chunks: LEB128 integers, exact f64 constants, the opcodes used, and a module of functions of one type
 * over an imported memory.
 */

export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  brIf: 0x0d,
  call: 0x10,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  i64Const: 0x42,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32GtS: 0x4a,
  i32LeS: 0x4c,
  f64Ne: 0x62,
  f64Lt: 0x63,
  f64Gt: 0x64,
  f64Le: 0x65,
  f64Ge: 0x66,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i32ShrU: 0x76,
  i64ShrU: 0x88,
  f64Add: 0xa0,
  i32WrapI64: 0xa7,
  misc: 0xfc,
} as const;

/** Instructions after the 0xfc prefix (Op.misc), by their u32 index. */
export const MiscOp = { i32TruncSatF64S: 0x02, i64TruncSatF64S: 0x06 } as const;

export const Type = { i32: 0x7f, f64: 0x7c, void: 0x40 } as const;

/** A growable byte buffer with the encodings the format uses. */
export class Bytes {
  private buffer = new Uint8Array(1024);
  length = 0;

  byte(b: number): this {
    if (this.length === this.buffer.length) {
      const bigger = new Uint8Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = b;
    return this;
  }

  bytes(bs: ArrayLike<number>): this {
    for (let i = 0; i < bs.length; i++) this.byte(bs[i]);
    return this;
  }

  /** Unsigned LEB128. */
  u32(value: number): this {
    let v = value >>> 0;
    do {
      const b = v & 0x7f;
      v >>>= 7;
      this.byte(v === 0 ? b : b | 0x80);
    } while (v !== 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer. */
  s32(value: number): this {
    let v = value | 0;
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** Signed LEB128 of a 64-bit integer. */
  s64(value: bigint): this {
    let v = BigInt.asIntN(64, value);
    for (;;) {
      const b = Number(v & 0x7fn);
      v >>= 7n;
      const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** An f64 constant's 8 bytes, little-endian: the exact double, -0 and NaN payloads included. */
  f64(value: number): this {
    const view = new DataView(new ArrayBuffer(8));
    view.setFloat64(0, value, true);
    return this.bytes(new Uint8Array(view.buffer));
  }

  name(text: string): this {
    const utf8 = new TextEncoder().encode(text);
    return this.u32(utf8.length).bytes(utf8);
  }

  /** Appends another buffer prefixed by its length (a section's or a function body's size). */
  sized(inner: Bytes): this {
    return this.u32(inner.length).bytes(inner.view());
  }

  view(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

export interface FunctionBody {
  /** Parameter types; every function returns nothing. */
  readonly params: readonly number[];
  /** Extra locals after the parameters, as [count, type] runs. */
  readonly locals: readonly (readonly [number, number])[];
  readonly code: Bytes;
}

/** A module that imports `env.memory` and exports its functions as `f0`, `f1`, ... in order. */
export function moduleBytes(bodies: readonly FunctionBody[]): Uint8Array {
  const out = new Bytes().bytes([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
  const section = (id: number, content: Bytes): void => {
    out.byte(id).sized(content);
  };
  const signatures = [...new Set(bodies.map((b) => b.params.join(",")))];
  const types = new Bytes().u32(signatures.length);
  for (const signature of signatures) {
    const params = signature === "" ? [] : signature.split(",").map(Number);
    types.byte(0x60).u32(params.length).bytes(params).u32(0);
  }
  section(1, types);
  section(2, new Bytes().u32(1).name("env").name("memory").byte(0x02).byte(0x00).u32(1));
  const functions = new Bytes().u32(bodies.length);
  for (const body of bodies) functions.u32(signatures.indexOf(body.params.join(",")));
  section(3, functions);
  const exported = new Bytes().u32(bodies.length);
  bodies.forEach((_, i) => exported.name(`f${i}`).byte(0x00).u32(i));
  section(7, exported);
  const code = new Bytes().u32(bodies.length);
  for (const body of bodies) {
    const fn = new Bytes().u32(body.locals.length);
    for (const [count, type] of body.locals) fn.u32(count).byte(type);
    fn.bytes(body.code.view()).byte(Op.end);
    code.sized(fn);
  }
  section(10, code);
  return out.view().slice();
}
