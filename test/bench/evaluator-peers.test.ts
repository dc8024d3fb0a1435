/**
 * The evaluator benchmark with its peers, quick mode on the seed model: it runs with whichever peers have their
 * environment already (npm run bench:evaluator:setup is not part of the tests) and says which it skipped and
 * why. Checked: the shape of the results (every chosen engine has an exactness row over the whole parity
 * matrix or a reason, a speed row with sane figures or a reason), and that ours is exact on 35 of 35 models
 * with both engines. The figures themselves are noise at this size and are not checked.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { before, describe, it } from "node:test";
import type { CaseResult } from "../../bench/evaluator/peers/exactness";
import { PEERS } from "../../bench/evaluator/peers/peers";
import type { SpeedSide } from "../../bench/evaluator/peers/speed";
import { REPO_ROOT } from "../support/paths";

interface Results {
  quick: boolean;
  exactness: { peer: string; skipped?: string; cases?: CaseResult[] }[];
  speed: { model: string; sides: SpeedSide[]; skipped: { peer: string; why: string }[] }[];
  table: string;
}

describe("evaluator benchmark with its peers (--quick)", { timeout: 600_000 }, () => {
  let results: Results;

  before(() => {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bench-evaluator-")), "evaluator.json");
    execFileSync(
      process.execPath,
      [path.join(REPO_ROOT, "dist", "bench", "evaluator", "run.js"), "--quick", "--out", out],
      {
        stdio: ["ignore", "ignore", "inherit"],
        timeout: 590_000,
      },
    );
    results = JSON.parse(fs.readFileSync(out, "utf8")) as Results;
  });

  it("has an exactness row for every engine, judged on all 35 parity models or skipped with a reason", (t) => {
    assert.deepEqual(
      results.exactness.map((r) => r.peer),
      PEERS.map((p) => p.name),
    );
    for (const r of results.exactness) {
      if (r.skipped !== undefined) {
        assert.ok(r.skipped.length > 0, `${r.peer}: empty reason`);
        t.diagnostic(`skipped ${r.peer}: ${r.skipped}`);
        continue;
      }
      assert.equal(r.cases!.length, 35, `${r.peer}: cases`);
      for (const c of r.cases!)
        assert.ok("error" in c.value || c.value.rows > 0, `${r.peer} ${c.case}: no rows judged`);
    }
  });

  it("finds our evaluator exact on 35/35 models with both engines, values and raw scores", () => {
    for (const name of ["ours-compiled", "ours-reference"]) {
      const cases = results.exactness.find((r) => r.peer === name)!.cases!;
      const exact = (o: CaseResult["value"] | undefined) => o !== undefined && !("error" in o) && o.exact;
      assert.equal(cases.filter((c) => exact(c.value) && exact(c.raw)).length, 35, name);
    }
  });

  it("measures every installed engine on the seed model, with sane figures", () => {
    assert.deepEqual(
      results.speed.map((s) => s.model),
      ["seed"],
    );
    const [seed] = results.speed;
    assert.ok(seed.sides.some((s) => s.peer === "ours-compiled"));
    assert.equal(seed.sides.length + seed.skipped.length, PEERS.length);
    for (const { peer, figures: f } of seed.sides) {
      for (const [key, value] of Object.entries(f)) {
        if (key === "fullSpeedMs" && value === null) continue;
        assert.ok(Number.isFinite(value) && value >= 0, `${peer} ${key}: ${value}`);
      }
      assert.ok(f.singleUs > 0 && f.batchRowsPerS > 0 && f.rssMiB > 1, `${peer}: ${JSON.stringify(f)}`);
    }
    assert.match(results.table, /\| engine \| single row µs \|/);
    assert.match(results.table, /\| ours, compiled \| 35\/35 \|/);
  });
});
