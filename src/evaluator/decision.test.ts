import * as assert from "node:assert/strict";
import { describe, it } from "node:test";
import { DEFAULT_LEFT_MASK, MissingType, ZERO_THRESHOLD } from "../model/decision-type";
import { categoricalGoesLeft, isZero, numericalGoesLeft } from "./decision";

/** A numerical decision_type byte: missing type in bits 2-3, default-left in bit 1. */
const numerical = (missing: number, defaultLeft: boolean): number =>
  (missing << 2) | (defaultLeft ? DEFAULT_LEFT_MASK : 0);

describe("isZero (LightGBM's IsZero with kZeroThreshold = 1e-35f)", () => {
  it("counts ±0 and values within ±1e-35f as zero", () => {
    for (const x of [0, -0, ZERO_THRESHOLD, -ZERO_THRESHOLD, 1e-36]) assert.equal(isZero(x), true, String(x));
  });

  it("does not count the next double past 1e-35f, or NaN, as zero", () => {
    const next = ZERO_THRESHOLD * (1 + Number.EPSILON);
    for (const x of [next, -next, NaN]) assert.equal(isZero(x), false, String(x));
  });
});

describe("numericalGoesLeft", () => {
  it("sends a value left when it is at or below the threshold", () => {
    const dt = numerical(MissingType.None, false);
    assert.equal(numericalGoesLeft(1.5, 1.5, dt), true);
    assert.equal(numericalGoesLeft(1.5000000000000002, 1.5, dt), false);
  });

  it("compares NaN as 0 under missing type None, ignoring the default direction", () => {
    assert.equal(numericalGoesLeft(NaN, 0.5, numerical(MissingType.None, false)), true);
    assert.equal(numericalGoesLeft(NaN, -0.5, numerical(MissingType.None, true)), false);
  });

  it("sends zeros and NaN the default way under missing type Zero", () => {
    for (const x of [0, -0, 1e-36, NaN]) {
      assert.equal(numericalGoesLeft(x, -1, numerical(MissingType.Zero, true)), true, String(x));
      assert.equal(numericalGoesLeft(x, 1, numerical(MissingType.Zero, false)), false, String(x));
    }
  });

  it("sends only NaN the default way under missing type NaN; a zero is compared", () => {
    assert.equal(numericalGoesLeft(NaN, -1, numerical(MissingType.NaN, true)), true);
    assert.equal(numericalGoesLeft(NaN, 1, numerical(MissingType.NaN, false)), false);
    assert.equal(numericalGoesLeft(0, 1, numerical(MissingType.NaN, false)), true);
  });
});

describe("categoricalGoesLeft", () => {
  // Categories 1 and 33 are in the set: bit 1 of word 0 and bit 1 of word 1.
  const words = Uint32Array.from([0b10, 0b10]);
  const left = (x: number): boolean => categoricalGoesLeft(x, words, 0, 2);

  it("sends a category left when its bit is set", () => {
    assert.equal(left(1), true);
    assert.equal(left(33), true);
    assert.equal(left(2), false);
  });

  it("truncates toward zero, so 1.9 is category 1 and -0.6 is category 0", () => {
    assert.equal(left(1.9), true);
    assert.equal(left(-0.6), false);
  });

  it("sends NaN, negative categories, categories past the bitset and those >= 2^31 right", () => {
    for (const x of [NaN, -1, 64, 2 ** 31 + 1, Infinity]) assert.equal(left(x), false, String(x));
  });
});
