/**
 * The evaluator as a library, as another project gets it: `npm pack` this repository, install the tarball into
 * an empty folder, then `require` and `import` the package by name and type-check a TypeScript file against it.
 * The predictions it returns there are checked against the real lightgbm on the bundled model.
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "../support/paths";
import { runPython } from "../../scripts/lib/python";

const MODEL = path.join(REPO_ROOT, "model", "model.txt");
const ROWS: number[][] = (
  JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "bench", "http", "inputs.json"), "utf8")) as {
    seed: number[][];
  }
).seed.slice(0, 5);

function run(file: string, args: string[], cwd: string): string {
  return execFileSync(file, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: 300_000,
  });
}

describe("the package, packed and installed into an empty project", () => {
  let project: string;

  before(() => {
    project = fs.mkdtempSync(path.join(os.tmpdir(), "lgbm-ts-pack-"));
    const tarball = run("npm", ["pack", "--silent", "--pack-destination", project], REPO_ROOT)
      .trim()
      .split("\n")
      .pop();
    assert.ok(tarball, "npm pack printed no file name");
    fs.writeFileSync(path.join(project, "package.json"), JSON.stringify({ name: "consumer", private: true }));
    // --prefer-offline: the dependencies are in npm's cache from installing this repository.
    run(
      "npm",
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", `./${tarball}`],
      project,
    );
    fs.writeFileSync(path.join(project, "rows.json"), JSON.stringify(ROWS));
  });

  after(() => fs.rmSync(project, { recursive: true, force: true }));

  it("ships the library and its types but neither tests nor source maps", () => {
    const installed = path.join(project, "node_modules", "lightgbm-ts-serving");
    assert.ok(fs.existsSync(path.join(installed, "dist", "src", "index.js")));
    assert.ok(fs.existsSync(path.join(installed, "dist", "src", "index.d.ts")));
    const files = fs.readdirSync(installed, { recursive: true }).map(String);
    assert.deepEqual(
      files.filter((f) => f.includes(".test.") || f.endsWith(".map") || f.startsWith("test")),
      [],
    );
  });

  it("predicts what lightgbm predicts when required by name from CommonJS", () => {
    const script = `
      const fs = require("node:fs");
      const { loadPredictor } = require("lightgbm-ts-serving");
      const rows = JSON.parse(fs.readFileSync("rows.json", "utf8"));
      const predictor = loadPredictor(fs.readFileSync(${JSON.stringify(MODEL)}, "utf8"));
      const { values } = predictor.predict(Float64Array.from(rows.flat()), { output: "value" });
      console.log(JSON.stringify(Array.from(values)));`;
    const ours = JSON.parse(run(process.execPath, ["-e", script], project)) as number[];
    const expected = JSON.parse(
      runPython([
        "-c",
        "import json, sys, lightgbm, numpy as np;" +
          "b = lightgbm.Booster(model_file=sys.argv[1]);" +
          "print(json.dumps(b.predict(np.array(json.loads(sys.argv[2]), dtype=np.float64)).tolist()))",
        MODEL,
        JSON.stringify(ROWS),
      ]),
    ) as number[];
    assert.equal(ours.length, expected.length);
    ours.forEach((v, i) =>
      assert.ok(
        Math.abs(v - expected[i]) <= 1e-12 * Math.abs(expected[i]),
        `row ${i}: ${v} vs ${expected[i]}`,
      ),
    );
  });

  it("loads as an ES module import and refuses a malformed model with ModelFormatError", () => {
    const script = `
      import { loadPredictor, ModelFormatError } from "lightgbm-ts-serving";
      try { loadPredictor("tree\\nversion=v4\\n"); console.log("loaded"); }
      catch (error) { console.log(error instanceof ModelFormatError ? "ModelFormatError " + error.code : String(error)); }`;
    const out = run(process.execPath, ["--input-type=module", "-e", script], project).trim();
    assert.match(out, /^ModelFormatError \w+$/);
  });

  it("type-checks a TypeScript consumer against the shipped declarations", () => {
    fs.writeFileSync(
      path.join(project, "consumer.ts"),
      `import { loadPredictor, type OutputKind, type Predictions } from "lightgbm-ts-serving";
       const kind: OutputKind = "contrib";
       const out: Predictions = loadPredictor("").predict(new Float64Array(20), { output: kind });
       export const width: number = out.width;\n`,
    );
    const tsc = path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc");
    run(
      process.execPath,
      [
        tsc,
        "--noEmit",
        "--strict",
        "--module",
        "nodenext",
        "--moduleResolution",
        "nodenext",
        "--types",
        "node",
        "--typeRoots",
        path.join(REPO_ROOT, "node_modules", "@types"),
        "consumer.ts",
      ],
      project,
    );
  });
});
