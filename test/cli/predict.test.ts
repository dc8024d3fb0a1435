/**
 * `npm run --silent predict` as a user runs it: rows from CSV, TSV, LibSVM or JSON files (missing values and
 * infinities written as the usual tokens) give LightGBM's own outputs, recorded by the parity generator; one
 * JSON array on stdout, numbers that round-trip, null for non-finite; errors on stderr with a non-zero exit.
 */
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { decode, parityFixtures, type Encoded, type ParityCase } from "../../scripts/lib/parity-fixtures";
import { REPO_ROOT } from "../support/paths";

const CLI = path.join(REPO_ROOT, "dist", "src", "cli", "predict.js");
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "predict-cli-"));
const cases = parityFixtures();
const byName = (name: string): ParityCase => {
  const found = cases.find((c) => c.name === name);
  assert.ok(found, `no parity case ${name}`);
  return found;
};

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8" });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Writes a value the way a person would in a text file: nan/NA/empty for missing, inf/-Infinity for infinities. */
function token(v: Encoded, i: number): string {
  if (v === "nan") return ["nan", "NaN", "NA", "", "null"][i % 5];
  if (v === "inf") return i % 2 === 0 ? "inf" : "Infinity";
  if (v === "-inf") return i % 2 === 0 ? "-inf" : "-Infinity";
  return String(v);
}

function expectClose(actual: unknown, expected: Encoded[][], what: string): void {
  assert.ok(Array.isArray(actual), `${what}: stdout is a JSON array`);
  assert.equal(actual.length, expected.length, `${what}: one element per row`);
  expected.forEach((row, r) => {
    const got = (Array.isArray(actual[r]) ? actual[r] : [actual[r]]) as (number | null)[];
    row.forEach((e, k) => {
      const want = decode(e);
      const value = got[k];
      if (!Number.isFinite(want))
        assert.equal(value, null, `${what} row ${r}: non-finite is written as null`);
      else
        assert.ok(
          value !== null && Math.abs(value - want) <= 1e-12 * Math.abs(want),
          `${what} row ${r}[${k}]: ${value} vs ${want}`,
        );
    });
  });
}

function modelOf(c: ParityCase): string {
  return path.join(c.dir, c.model);
}

describe("the predict command", () => {
  const c = byName("missing_nan");
  const value = c.predictions.find(
    (p) => p.output === "value" && p.start_iteration === 0 && p.num_iteration === null,
  );
  const raw = c.predictions.find(
    (p) => p.output === "raw" && p.start_iteration === 1 && p.num_iteration === 2,
  );
  assert.ok(value && raw);

  it("reads CSV with missing-value and infinity tokens and prints LightGBM's predictions", () => {
    const file = path.join(dir, "rows.csv");
    fs.writeFileSync(file, c.rows.map((row) => row.map(token).join(",")).join("\n") + "\n");
    const r = run(["--model", modelOf(c), "--input", file]);
    assert.equal(r.status, 0, r.stderr);
    expectClose(JSON.parse(r.stdout), value.values, "csv");
  });

  it("reads TSV with a header line when --header is given, and honours the iteration range", () => {
    const file = path.join(dir, "rows.tsv");
    const header = Array.from({ length: c.num_features }, (_, i) => `f${i}`).join("\t");
    fs.writeFileSync(file, header + "\n" + c.rows.map((row) => row.map(token).join("\t")).join("\n"));
    const r = run([
      "--model",
      modelOf(c),
      "--input",
      file,
      "--header",
      "--raw-score",
      "--start-iteration",
      "1",
      "--num-iteration",
      "2",
    ]);
    assert.equal(r.status, 0, r.stderr);
    expectClose(JSON.parse(r.stdout), raw.values, "tsv");
  });

  it("reads a JSON array of rows", () => {
    const file = path.join(dir, "rows.json");
    fs.writeFileSync(file, JSON.stringify(c.rows.map((row) => row.map((v) => (v === "nan" ? null : v)))));
    const r = run(["--model", modelOf(c), "--input", file]);
    assert.equal(r.status, 0, r.stderr);
    expectClose(JSON.parse(r.stdout), value.values, "json");
  });

  it("reads LibSVM, absent features being zero", () => {
    const sparse = byName("regression");
    const expected = sparse.predictions.find(
      (p) => p.output === "leaf" && p.start_iteration === 0 && p.num_iteration === null,
    );
    assert.ok(expected);
    const finite = sparse.rows
      .map((row, r) => ({ row, r }))
      .filter(({ row }) => row.every((v) => typeof v === "number"));
    const file = path.join(dir, "rows.svm");
    fs.writeFileSync(
      file,
      finite
        .map(
          ({ row }) =>
            "0 " +
            row
              .map((v, i) => (v === 0 ? "" : `${i}:${String(v)}`))
              .filter(Boolean)
              .join(" "),
        )
        .join("\n"),
    );
    const r = run(["--model", modelOf(sparse), "--input", file, "--pred-leaf"]);
    assert.equal(r.status, 0, r.stderr);
    const leaves = JSON.parse(r.stdout) as number[][];
    assert.deepEqual(
      leaves,
      finite.map(({ r: i }) => expected.values[i]),
    );
  });

  it("prints SHAP contributions as one array per row", () => {
    const contrib = c.predictions.find(
      (p) => p.output === "contrib" && p.start_iteration === 0 && p.num_iteration === null,
    );
    assert.ok(contrib);
    const file = path.join(dir, "rows-contrib.csv");
    fs.writeFileSync(file, c.rows.map((row) => row.map(token).join(",")).join("\n"));
    const r = run(["--model", modelOf(c), "--input", file, "--pred-contrib"]);
    assert.equal(r.status, 0, r.stderr);
    const rows = JSON.parse(r.stdout) as number[][];
    rows.forEach((row, i) =>
      row.forEach((v, k) =>
        assert.ok(Math.abs(v - decode(contrib.values[i][k])) <= 1e-9 * Math.max(1, Math.abs(v))),
      ),
    );
  });

  it("fails with a message on stderr for a field that is not a number", () => {
    const file = path.join(dir, "bad.csv");
    fs.writeFileSync(
      file,
      Array.from({ length: c.num_features }, (_, i) => (i === 2 ? "abc" : "1")).join(","),
    );
    const r = run(["--model", modelOf(c), "--input", file]);
    assert.equal(r.status, 1);
    assert.equal(r.stdout, "");
    assert.match(r.stderr, /line 1, field 3: "abc" is not a number/);
  });

  it("fails with a message naming the tree and key for a broken model", () => {
    const broken = path.join(dir, "broken.txt");
    fs.writeFileSync(
      broken,
      fs.readFileSync(modelOf(c), "utf8").replace(/objective=\S+/, "objective=frobnicate"),
    );
    const r = run(["--model", broken, "--input", path.join(dir, "rows.csv")]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unknown objective "frobnicate"/);
  });

  it("exits 2 with usage for bad arguments", () => {
    const r = run([
      "--model",
      modelOf(c),
      "--input",
      path.join(dir, "rows.csv"),
      "--raw-score",
      "--pred-leaf",
    ]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /choose at most one of --raw-score, --pred-leaf, --pred-contrib/);
    assert.match(r.stderr, /usage: predict/);
  });
});
