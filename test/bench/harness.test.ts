/**
 * The HTTP benchmark's harness end to end, with the tiny profile, run through the notebook
 * (notebooks/benchmark.ipynb, executed headless by bench/run_notebook.py) when the venv has nbclient: the CLI
 * starts the floor, the TypeScript endpoint, the FastAPI control and Jaeger locally, runs every protocol with small counts, and writes the
 * JSON, the Markdown and the plots. The figures are noise at this size; what is checked is that every section
 * is there, complete and sane (no errors, ordered percentiles, positive ratios, traces matched), so the
 * benchmark cannot rot between full runs.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import type { BenchResult } from "../../bench/http/result";
import type { LatencySummary } from "../../bench/http/stats";
import { latestResult } from "../../bench/http/write-results";
import { REPO_ROOT } from "../support/paths";
import { PYTHON } from "../../scripts/lib/python";

function assertOrdered(s: LatencySummary, what: string): void {
  assert.ok(s.count > 0, `${what}: no samples`);
  assert.ok(s.minMs > 0, `${what}: min ${s.minMs}`);
  assert.ok(
    s.minMs <= s.p50Ms && s.p50Ms <= s.p95Ms && s.p95Ms <= s.p99Ms && s.p99Ms <= s.maxMs,
    `${what}: percentiles out of order ${JSON.stringify(s)}`,
  );
}

describe("HTTP benchmark harness (tiny profile)", { timeout: 300_000 }, () => {
  let dir: string;
  let result: BenchResult;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-http-"));
    const out = ["--out", path.join(dir, "results"), "--images", path.join(dir, "images")];
    // With the venv (nbclient, ipykernel), run the notebook headless: it runs this same CLI (tiny profile), so
    // one run checks the notebook and the harness. Without it, run the CLI directly.
    const notebook =
      fs.existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import nbclient, ipykernel"]).status === 0;
    const run = notebook
      ? spawnSync(
          PYTHON,
          [path.join(REPO_ROOT, "bench", "run_notebook.py"), "--profile", "tiny", "--no-build", ...out],
          {
            cwd: REPO_ROOT,
            encoding: "utf8",
            timeout: 280_000,
          },
        )
      : spawnSync(
          process.execPath,
          [path.join(REPO_ROOT, "dist", "bench", "http", "cli.js"), "--profile", "tiny", ...out],
          { cwd: REPO_ROOT, encoding: "utf8", timeout: 280_000 },
        );
    assert.equal(run.status, 0, `the ${notebook ? "notebook" : "CLI"} failed:\n${run.stderr}`);
    const results = fs.readdirSync(path.join(dir, "results")).filter((name) => name.endsWith(".json"));
    assert.equal(results.length, 1, `one JSON per run, no copies: ${results.join(", ")}`);
    result = JSON.parse(fs.readFileSync(latestResult(path.join(dir, "results"))!, "utf8")) as BenchResult;
  });
  /** The endpoint roles this run has: the Go peer only where it could be built (else skipped with a reason). */
  const roles = () =>
    result.skipped.some((s) => s.role === "go") ? ["ts", "control"] : ["ts", "go", "control"];
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("records the settings, the machine and the versions", () => {
    assert.equal(result.profile.name, "tiny");
    assert.equal(result.settings.mode, "local");
    assert.ok(result.machine.cpu && result.machine.cores >= 1);
    assert.ok(result.machine.commit);
    for (const name of ["node", "python", "lightgbm", "fastapi", "uvicorn"])
      assert.ok(result.versions[name], `version of ${name} missing`);
    assert.equal(result.sanity.agree, true, `ts and control disagree by ${result.sanity.maxAbsDiff}`);
    assert.equal(result.summary.totalErrors, 0);
  });

  it("runs the seed's protocol with both clients and every sample kept", () => {
    assert.deepEqual(result.seed.runs.map((r) => r.variant).sort(), ["fresh", "keepalive"]);
    for (const run of result.seed.runs) {
      for (const [target, seconds] of Object.entries(run.seconds)) {
        assert.equal(seconds.length, result.profile.seed.samples, target);
        assert.ok(seconds.every((s) => s > 0));
        assert.equal(run.errors[target], 0);
      }
    }
    assert.ok(result.seed.summaries.length >= 2);
    for (const s of result.skipped) assert.ok(s.reason.length > 0, `${s.role} skipped without a reason`);
    for (const s of result.seed.summaries) {
      assert.ok(s.ratioControlOverTs && s.ratioControlOverTs.mean > 0 && s.ratioControlOverTs.median > 0);
      assert.ok(Number.isFinite(s.symmetricPercentDiff));
      assert.ok(s.beyondFloorMedianS, "time beyond the floor");
    }
  });

  it("prints the cost ladder from the same samples: every rung, beyond the floor, with the ratios", () => {
    // Pinned (2 cores or more), a third keep-alive run with the servers' CPU kept busy.
    const pinned = Boolean(result.settings.pinning);
    assert.deepEqual(
      result.ladder.map((l) => `${l.variant}${l.serverCpuBusy ? " busy" : ""}`),
      ["keepalive", "fresh", ...(pinned ? ["keepalive busy"] : [])],
    );
    const go = roles().includes("go");
    for (const ladder of result.ladder) {
      const rungs = ladder.rungs.map((r) => r.target);
      const expected = [
        "floor-1w",
        ...(go ? ["go-floor-1w"] : []),
        "bare-1w",
        ...roles().flatMap((r) => [`${r}-1w-untraced`, `${r}-1w-traced`]),
      ];
      assert.deepEqual([...rungs].sort(), expected.sort());
      for (const rung of ladder.rungs) assert.ok(rung.perCallUs > 0 && rung.errors === 0, rung.target);
      assert.ok(ladder.ratios["FastAPI/ours traced"]! > 0);
      if (go) {
        assert.ok(ladder.ratios["ours/Go untraced"]! > 0);
        assert.ok(ladder.ratios["node:http floor/Go floor"]! > 0);
        const ours = ladder.rungs.find((r) => r.target === "ts-1w-untraced")!;
        assert.equal(ours.beyondOwnFloorUs, ours.beyondFloorUs, "ours is beyond node:http's floor");
      } else assert.equal(ladder.ratios["ours/Go untraced"], null);
    }
  });

  it("measures sequential latency with tracing on and off, and the time split from Jaeger", () => {
    for (const id of [
      "floor-1w",
      "bare-1w",
      ...roles().flatMap((r) => [`${r}-1w-untraced`, `${r}-1w-traced`]),
    ]) {
      const s = result.latency.summary[id];
      assert.ok(s, `latency of ${id}`);
      assert.equal(s.count, result.profile.latency.requests, id);
      assert.equal(s.errors, 0, id);
      assertOrdered(s, id);
      assert.equal(result.latency.latenciesMs[id].length, s.count);
    }
    assert.deepEqual(result.latency.tracingCost.map((t) => t.role).sort(), roles().sort());
    for (const id of roles().map((r) => `${r}-1w-traced`)) {
      const split = result.traceSplit[id];
      assert.ok(split, `time split of ${id}`);
      assert.equal(split.matched, result.profile.traceSplit.requests, `${id}: every traced request matched`);
      const m = split.medianMs;
      assert.ok(m.inference > 0 && m.server >= m.inference, `${id}: ${JSON.stringify(m)}`);
      assert.ok(m.client >= m.server, `${id}: client ${m.client} < server ${m.server}`);
      assert.ok(split.representative && split.representative.spans.length >= 2);
    }
  });

  it("measures throughput per concurrency level with server CPU and memory by pid", () => {
    const levels = result.profile.load.levels;
    for (const t of result.targets) {
      for (const level of levels) {
        const run = result.load.find((r) => r.target === t.id && r.concurrency === level);
        assert.ok(run, `load run ${t.id} c=${level}`);
        assert.equal(run.result.errors, 0, `${t.id}: ${run.result.errorSamples.join("; ")}`);
        assert.ok(run.result.throughputRps > 0);
        assertOrdered(run.result.latency, `${t.id} c=${level}`);
        assert.ok(run.server && run.server.cpuS > 0 && run.server.rss.peakKiB > 0, `${t.id}: server cost`);
      }
    }
    assert.ok(result.targets.some((t) => t.workers !== null && t.workers > 1) || result.settings.cores === 1);
    for (const m of result.memory) assert.ok(m.startupKiB > 0 && m.peakKiB > 0 && m.hwmKiB > 0, m.target);
    if (result.settings.cores > 1) {
      assert.ok(result.scaling, "multi-core scaling");
      for (const row of result.scaling.rows) assert.ok(row.scaling! > 0, row.role);
    }
  });

  it("measures rows per request and an open-loop rate", () => {
    for (const rows of result.profile.rows.sizes) {
      for (const id of ["floor-1w", ...roles().map((r) => `${r}-1w-untraced`)]) {
        const run = result.rows.find((r) => r.target === id && r.rows === rows);
        assert.ok(run, `rows run ${id} ${rows}`);
        assert.equal(run.result.errors, 0);
        assert.ok(run.predictionsPerS > 0 && run.server && run.server.predictionsPerCpuS > 0);
      }
    }
    assert.ok(result.openLoop.length >= 2);
    for (const run of result.openLoop) {
      assert.equal(run.result.errors, 0);
      assertOrdered(run.result.latency, `open loop ${run.target}`);
    }
  });

  it("writes the Markdown tables and the plots", () => {
    const md = fs.readFileSync(path.join(dir, "results", "latest.md"), "utf8");
    for (const heading of [
      "The cost ladder",
      "The seed's protocol",
      "Throughput",
      "Time split",
      "Rows per request",
    ])
      assert.ok(md.includes(heading), heading);
    if (!fs.existsSync(PYTHON)) return; // no venv: the CLI skips the plots
    const images = fs.readdirSync(path.join(dir, "images")).sort();
    for (const png of [
      "latency_distributions.png",
      "memory.png",
      "rows_per_request.png",
      "throughput.png",
      "time_split.png",
      "trace_control-1w-traced.png",
      "trace_ts-1w-traced.png",
    ])
      assert.ok(images.includes(png), `${png} in ${images.join(", ")}`);
  });
});
