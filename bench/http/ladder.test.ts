import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { costLadder } from "./ladder";
import type { SeedRun } from "./seed-protocol";

/** A seed run of 10 calls per sample where each target's samples are the given seconds. */
function run(seconds: Record<string, number[]>): SeedRun {
  const errors = Object.fromEntries(Object.keys(seconds).map((id) => [id, 0]));
  return { variant: "keepalive", calls: 10, seconds, errors, errorSamples: [] };
}

describe("costLadder", () => {
  it("takes the median sample per call in µs and what each rung adds beyond the floor", () => {
    const ladder = costLadder(
      run({ "floor-1w": [0.002, 0.001, 0.003], "ts-1w-untraced": [0.004, 0.009, 0.005] }),
    );
    assert.deepEqual(
      ladder.rungs.map((r) => [r.target, r.perCallUs, r.beyondFloorUs]),
      [
        ["floor-1w", 200, 0],
        ["ts-1w-untraced", 500, 300],
      ],
    );
    assert.equal(ladder.samples, 3);
  });

  it("lists the rungs from the floor up, whatever order the run has them in", () => {
    const ladder = costLadder(
      run({
        "control-1w-traced": [0.01],
        "go-1w-untraced": [0.002],
        "bare-1w": [0.002],
        "floor-1w": [0.001],
      }),
    );
    assert.deepEqual(
      ladder.rungs.map((r) => r.target),
      ["floor-1w", "bare-1w", "go-1w-untraced", "control-1w-traced"],
    );
  });

  it("gives the Go rungs beyond the Go floor and ours beyond the node:http floor, FastAPI beyond none", () => {
    const ladder = costLadder(
      run({
        "floor-1w": [0.001],
        "go-floor-1w": [0.0008],
        "ts-1w-untraced": [0.0015],
        "go-1w-untraced": [0.0012],
        "control-1w-untraced": [0.003],
      }),
    );
    assert.deepEqual(
      ladder.rungs.map((r) => [r.target, r.beyondOwnFloorUs]),
      [
        ["floor-1w", null],
        ["go-floor-1w", null],
        ["ts-1w-untraced", 50],
        ["go-1w-untraced", 40],
        ["control-1w-untraced", null],
      ],
    );
    assert.equal(ladder.ratios["node:http floor/Go floor"], 1.25);
  });

  it("gives a remote Go endpoint, which has no Go floor beside it, no figure beyond its own floor", () => {
    const ladder = costLadder(run({ floor: [0.001], ts: [0.0015], go: [0.0012] }));
    assert.deepEqual(
      ladder.rungs.map((r) => [r.target, r.beyondOwnFloorUs]),
      [
        ["floor", null],
        ["ts", 50],
        ["go", null],
      ],
    );
  });

  it("gives each ratio of two measured rungs, and null where one side is missing (the Go peer not built)", () => {
    const ladder = costLadder(
      run({ "floor-1w": [0.001], "ts-1w-traced": [0.004], "control-1w-traced": [0.012] }),
    );
    assert.equal(ladder.ratios["FastAPI/ours traced"], 3);
    assert.equal(ladder.ratios["ours/Go traced"], null);
    assert.equal(ladder.ratios["FastAPI/Go traced"], null);
    // Ratios between rungs of which neither ran (here the as-deployed ones of a remote run) are left out.
    assert.equal("ours/Go" in ladder.ratios, false);
  });
});
