/**
 * The warm-up in slices: it lets the event loop run between slices, stops when aborted, and counts its rows.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, it } from "node:test";
import { loadPredictor } from "./load";
import { warmUp, warmUpInSlices } from "./warm-up";

const predictor = loadPredictor(
  fs.readFileSync(path.resolve(__dirname, "..", "..", "..", "model", "model.txt"), "utf8"),
);

describe("warmUpInSlices", () => {
  it("lets timers run between its slices", async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const result = await warmUpInSlices(predictor, { rows: 3000, maxMs: 60_000, sliceMs: 1 });
    clearInterval(timer);
    assert.equal(result.rows, 3000);
    assert.ok(ticks > 0, "no timer ran during the warm-up");
  });

  it("stops at the next slice once its signal is aborted", async () => {
    const abort = new AbortController();
    setImmediate(() => abort.abort());
    const result = await warmUpInSlices(predictor, {
      rows: 10_000_000,
      maxMs: 60_000,
      sliceMs: 1,
      signal: abort.signal,
    });
    assert.ok(result.rows < 10_000_000);
  });
});

describe("warmUp", () => {
  it("runs the rows asked for, in whole calls", () => {
    assert.equal(warmUp(predictor, 500, 60_000).rows, 500);
    assert.equal(warmUp(predictor, 0, 60_000).rows, 0);
  });
});
