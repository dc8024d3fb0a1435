/**
 * The endpoint's life: not ready until the model is loaded, loud failure on a bad model, and on SIGTERM it
 * finishes the requests in flight before exiting.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { createApp } from "../../src/server/app";
import { ModelSlot } from "../../src/server/model-slot";
import { ServedModel } from "../../src/server/served-model";
import { REPO_ROOT } from "../support/paths";
import { post, startServer } from "../support/server";

const MODEL_PATH = path.join(REPO_ROOT, "model", "model.txt");
const MODEL_TEXT = fs.readFileSync(MODEL_PATH, "utf8");
const ROW = Array.from({ length: 20 }, (_, i) => i / 3);

describe("readiness", () => {
  it("answers 503 on /ready and /inference until the model is in place, then serves", async () => {
    const slot = new ModelSlot();
    const server = createApp({ slot, maxBodyBytes: 1 << 20, serverVersion: "test", log: () => {} }).listen(
      0,
      "127.0.0.1",
    );
    await new Promise((resolve) => server.once("listening", resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      assert.equal((await fetch(`${url}/health`)).status, 200);
      assert.equal((await fetch(`${url}/ready`)).status, 503);
      assert.equal((await fetch(`${url}/v2/health/ready`)).status, 503);
      const early = await post(`${url}/inference`, { data: ROW });
      assert.equal(early.status, 503);
      assert.equal((early.body as { error: { code: string } }).error.code, "not_ready");

      slot.set(ServedModel.fromText(MODEL_TEXT, "model"));
      assert.equal((await fetch(`${url}/ready`)).status, 200);
      assert.equal((await post(`${url}/inference`, { data: ROW })).status, 200);
    } finally {
      server.close();
    }
  });
});

describe("a bad model at boot", () => {
  it("stops the process with a message naming the tree and the key", async () => {
    const broken = MODEL_TEXT.replace(/(Tree=2\n(?:.*\n)*?threshold=\S+) \S+/, "$1");
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "bad-model-")), "model.txt");
    fs.writeFileSync(file, broken);
    await assert.rejects(
      startServer({ MODEL_PATH: file }),
      // In a JSON log line, so the quotes are escaped.
      /tree 2, key \\"threshold\\", line \d+: has 29 values; expected 30/,
    );
  });
});

describe("SIGTERM", () => {
  it("finishes a request in flight, then exits cleanly", async () => {
    const server = await startServer({ MODEL_PATH });
    const body = JSON.stringify({ data: Array.from({ length: 200 }, () => ROW), output: "contrib" });
    const response = new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = http.request(
        `${server.url}/inference`,
        { method: "POST", headers: { "content-type": "application/json" } },
        (res) => {
          let text = "";
          res.on("data", (c: Buffer) => (text += c.toString()));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        },
      );
      req.on("error", reject);
      // Half the body now, SIGTERM while the request is in flight, the rest after.
      req.write(body.slice(0, body.length / 2));
      setTimeout(() => {
        process.kill(server.pid, "SIGTERM");
        setTimeout(() => req.end(body.slice(body.length / 2)), 200);
      }, 200);
    });
    const { status, body: text } = await response;
    assert.equal(status, 200);
    assert.equal((JSON.parse(text) as { predictions: unknown[] }).predictions.length, 200);
    assert.equal(await server.stop(), 0);
    assert.match(server.logs(), /SIGTERM: closing/);
    await assert.rejects(fetch(`${server.url}/health`));
  });
});

describe("SIGTERM with requests queued", () => {
  it("answers the requests sent at the moment of SIGTERM instead of resetting them", async () => {
    const server = await startServer({ MODEL_PATH });
    const body = JSON.stringify({ data: ROW });
    // Each request on its own connection, sent in the same tick as the signal: most are still in the kernel's
    // backlog or unread in their socket when the server learns of the SIGTERM.
    const send = () =>
      new Promise<string>((resolve) => {
        const req = http.request(
          `${server.url}/inference`,
          { method: "POST", agent: false, headers: { "content-type": "application/json" } },
          (res) => {
            res.resume();
            res.on("end", () => resolve(String(res.statusCode)));
          },
        );
        req.on("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        req.end(body);
      });
    const outcomes = Array.from({ length: 40 }, send);
    process.kill(server.pid, "SIGTERM");
    const results = await Promise.all(outcomes);
    assert.equal(await server.stop(), 0);
    // A connection refused never reached the server; anything else must have been answered.
    const counts = results.reduce<Record<string, number>>((c, r) => ({ ...c, [r]: (c[r] ?? 0) + 1 }), {});
    assert.deepEqual(
      Object.keys(counts).filter((k) => k !== "200" && k !== "ECONNREFUSED"),
      [],
      JSON.stringify(counts),
    );
    assert.ok((counts["200"] ?? 0) > 0, JSON.stringify(counts));
  });
});
