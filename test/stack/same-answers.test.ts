/**
 * The TypeScript endpoint and the FastAPI control (which calls lightgbm itself) give the same answers over
 * HTTP for the same rows, missing values included: within 1e-12 relative for values and raw scores, identical
 * leaf indices, contributions within 1e-9.
 */
import * as assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { post, startControl, startServer, type RunningServer } from "../support/server";

const F = 20;
/** Rows with missing values (null), zeros, negatives and large values. */
const ROWS: (number | null)[][] = Array.from({ length: 40 }, (_, r) =>
  Array.from({ length: F }, (_, c) => {
    if ((r + c) % 9 === 0) return null;
    if ((r * c) % 13 === 5) return 0;
    return Math.cos(r * 17 + c * 3) * (r % 4 === 0 ? 250 : 2.5);
  }),
);

type Row = number | null | (number | null)[];

function close(output: string, a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  if (output === "leaf") return a === b;
  const tolerance =
    output === "contrib" ? 1e-9 * Math.max(1, Math.abs(b)) : 1e-12 * Math.max(Math.abs(a), Math.abs(b));
  return Math.abs(a - b) <= tolerance;
}

describe("the TypeScript endpoint and the FastAPI control agree", { timeout: 120_000 }, () => {
  let ts: RunningServer;
  let control: RunningServer;
  before(async () => {
    [ts, control] = await Promise.all([startServer(), startControl()]);
  });
  after(async () => {
    await Promise.all([ts.stop(), control.stop()]);
  });

  for (const output of ["value", "raw", "leaf", "contrib"]) {
    it(`on ${output} for a batch with missing values`, async () => {
      const body = { data: ROWS, output };
      const [a, b] = await Promise.all([
        post(`${ts.url}/inference`, body),
        post(`${control.url}/inference`, body),
      ]);
      assert.equal(a.status, 200);
      assert.equal(b.status, 200);
      const left = (a.body as { predictions: Row[] }).predictions.flat();
      const right = (b.body as { predictions: Row[] }).predictions.flat();
      assert.equal(left.length, right.length);
      left.forEach((v, i) =>
        assert.ok(close(output, v, right[i]), `${output} value ${i}: ts ${v}, control ${right[i]}`),
      );
    });
  }

  it("on single rows, by position and by feature name", async () => {
    for (const data of [ROWS[3], { Column_0: 1.25, Column_7: null, Column_19: -3 }]) {
      const [a, b] = await Promise.all([
        post(`${ts.url}/inference`, { data }),
        post(`${control.url}/inference`, { data }),
      ]);
      const left = (a.body as { prediction: number }).prediction;
      const right = (b.body as { prediction: number }).prediction;
      assert.ok(close("value", left, right), `ts ${left}, control ${right}`);
    }
  });

  it("on the same client mistakes, with the same status and code", async () => {
    const mistakes: [unknown, string][] = [
      [{ data: [1, 2, 3] }, '{"data": [1, 2, 3]}'],
      [{ data: ROWS[0], output: "proba" }, "bad output"],
      [{ nothing: 1 }, "unknown field"],
    ];
    for (const [body, what] of mistakes) {
      const [a, b] = await Promise.all([
        post(`${ts.url}/inference`, body),
        post(`${control.url}/inference`, body),
      ]);
      assert.equal(a.status, b.status, what);
      assert.equal(
        (a.body as { error: { code: string } }).error.code,
        (b.body as { error: { code: string } }).error.code,
        what,
      );
    }
  });
});
