/**
 * The WebAssembly encoding: LEB128 integers as the spec's examples give them, f64 constants bit for bit, and a
 * module that V8 accepts and runs.
 */
import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { Bytes, moduleBytes, Op, Type } from "./wasm-encoding";

declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (descriptor: { initial: number }) => { buffer: ArrayBuffer };
};

const encoded = (write: (b: Bytes) => Bytes): number[] => Array.from(write(new Bytes()).view());

describe("LEB128", () => {
  const unsigned: [number, number[]][] = [
    [0, [0]],
    [127, [0x7f]],
    [624485, [0xe5, 0x8e, 0x26]],
    [2 ** 32 - 1, [0xff, 0xff, 0xff, 0xff, 0x0f]],
  ];
  const signed: [number, number[]][] = [
    [-1, [0x7f]],
    [63, [0x3f]],
    [64, [0xc0, 0x00]],
    [-123456, [0xc0, 0xbb, 0x78]],
  ];

  it("writes unsigned integers in 7-bit groups, low first", () => {
    for (const [value, bytes] of unsigned)
      assert.deepEqual(
        encoded((b) => b.u32(value)),
        bytes,
        `${value}`,
      );
  });

  it("writes signed integers with their sign bit in the last group", () => {
    for (const [value, bytes] of signed)
      assert.deepEqual(
        encoded((b) => b.s32(value)),
        bytes,
        `${value}`,
      );
  });

  it("writes 64-bit integers the same way, so that a bitset of 64 bits fits in an i64.const", () => {
    for (const [value, bytes] of signed)
      assert.deepEqual(
        encoded((b) => b.s64(BigInt(value))),
        bytes,
        `${value}`,
      );
    assert.deepEqual(
      encoded((b) => b.s64(0xffffffffffffffffn)),
      [0x7f],
    );
    assert.deepEqual(
      encoded((b) => b.s64(0x8000000000000000n)),
      [0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x7f],
    );
  });
});

describe("a generated module", () => {
  it("stores f64 constants exactly (-0, subnormals, the largest double)", () => {
    const values = [-0, 5e-324, -2.5e-310, 1.7976931348623157e308, 0.1];
    const code = new Bytes();
    values.forEach((v, i) =>
      code
        .byte(Op.i32Const)
        .s32(i * 8)
        .byte(Op.f64Const)
        .f64(v)
        .byte(Op.f64Store)
        .u32(3)
        .u32(0),
    );
    const memory = new WebAssembly.Memory({ initial: 1 });
    const module = new WebAssembly.Module(moduleBytes([{ params: [Type.i32], locals: [], code }]));
    const run = new WebAssembly.Instance(module, { env: { memory } }).exports.f0 as (x: number) => void;
    run(0);
    const stored = new Float64Array(memory.buffer, 0, values.length);
    values.forEach((v, i) => assert.ok(Object.is(stored[i], v), `${v} stored as ${stored[i]}`));
  });
});
