import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { describe, it } from "node:test";
import { isAlive as alive, launch, spawnProcess } from "./launcher";
import { freePort } from "./ports";

const node = process.execPath;

describe("launch", () => {
  it("waits until the URL answers, then stops the process by its group", async () => {
    const port = await freePort();
    const script = `require("node:http").createServer((q, s) => s.end("ok")).listen(${port}, "127.0.0.1")`;
    const server = await launch({
      name: "tiny",
      command: node,
      args: ["-e", script],
      ready: `http://127.0.0.1:${port}/`,
    });
    assert.equal(await fetch(`http://127.0.0.1:${port}/`).then((r) => r.text()), "ok");
    const exit = await server.stop();
    assert.equal(exit.signal, "SIGTERM");
    assert.equal(server.running(), false);
    assert.equal(alive(server.pid), false);
  });

  it("stops the children the command started too", async () => {
    const proc = spawnProcess({
      name: "parent",
      command: "bash",
      args: ["-c", "sleep 300 & echo $!; wait"],
    });
    await waitFor(() => /\d+/.test(proc.logs()));
    const grandchild = Number(proc.logs().trim());
    assert.ok(alive(grandchild));
    await proc.stop();
    await waitFor(() => !alive(grandchild));
  });

  it("falls back to SIGKILL when SIGTERM is ignored", async () => {
    const proc = spawnProcess({
      name: "stubborn",
      command: node,
      args: [
        "-e",
        `process.on("SIGTERM", () => console.log("ignored")); console.log("up"); setInterval(() => {}, 1000)`,
      ],
    });
    await waitFor(() => proc.logs().includes("up"));
    const exit = await proc.stop(300);
    assert.equal(exit.signal, "SIGKILL");
    assert.match(proc.logs(), /ignored/);
  });

  it("fails with the log tail when the process exits before it is ready", async () => {
    await assert.rejects(
      launch({
        name: "quitter",
        command: node,
        args: ["-e", `console.error("no model here"); process.exit(3)`],
        ready: async () => false,
      }),
      /quitter exited during start-up \(code 3\)[\s\S]*no model here/,
    );
  });

  it("stops the process and fails when it is not ready in time", async () => {
    let pid = 0;
    await assert.rejects(
      launch({
        name: "sleeper",
        command: node,
        args: ["-e", `console.log("pid " + process.pid); setInterval(() => {}, 1000)`],
        ready: async () => false,
        readyTimeoutMs: 300,
      }).catch((error: Error) => {
        pid = Number(/pid (\d+)/.exec(error.message)?.[1] ?? 0);
        throw error;
      }),
      /sleeper not ready after 300 ms[\s\S]*pid \d+/,
    );
    assert.ok(pid > 0);
    assert.equal(alive(pid), false);
  });

  it("keeps the output in a log file when asked", async () => {
    const file = `${mkdtempSync(`${tmpdir()}/launcher-`)}/out.log`;
    const proc = spawnProcess({
      name: "talker",
      command: node,
      args: ["-e", `console.log("hello file")`],
      logFile: file,
    });
    assert.deepEqual(await proc.exited, { code: 0, signal: null });
    assert.match(readFileSync(file, "utf8"), /hello file/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
