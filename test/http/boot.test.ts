/**
 * The endpoint's boot on a real process: /health answers while the model loads and warms up (the warm-up yields
 * to the event loop), /ready stays 503 until it is done, and SIGTERM during boot ends the process promptly,
 * whatever MODEL_PATH is (a FIFO would block a libuv thread, and with it the exit, if the server opened it).
 */
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, it } from "node:test";
import { spawnProcess, type Exit, type LaunchedProcess } from "../../scripts/lib/launcher";
import { REPO_ROOT } from "../../scripts/lib/paths";
import { freePort } from "../../scripts/lib/ports";

/** Starts bin/ts-endpoint and resolves with its URL once it logs that it is listening (before the model loads). */
async function startBooting(env: NodeJS.ProcessEnv): Promise<{ server: LaunchedProcess; url: string }> {
  const port = await freePort();
  const server = spawnProcess({
    name: "ts-endpoint",
    command: path.join(REPO_ROOT, "bin", "ts-endpoint"),
    env: { OTEL_SDK_DISABLED: "true", HOST: "127.0.0.1", PORT: String(port), ...env },
  });
  const deadline = Date.now() + 30_000;
  while (!server.logs().includes('"msg":"listening')) {
    if (!server.running()) throw new Error(`exited before listening: ${server.logs()}`);
    if (Date.now() > deadline) {
      await server.stop(0);
      throw new Error(`never logged that it was listening: ${server.logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  return { server, url: `http://127.0.0.1:${port}` };
}

/** The process's exit, or null if it is still running after `ms`. */
async function exitWithin(server: LaunchedProcess, ms: number): Promise<Exit | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), ms)));
  const exit = await Promise.race([server.exited, late]);
  clearTimeout(timer);
  return exit;
}

/** Runs `body` with an endpoint booting on a FIFO as MODEL_PATH; stops it and removes the FIFO afterwards. */
async function withFifoServer(body: (server: LaunchedProcess, fifo: string) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fifo-model-"));
  const fifo = path.join(dir, "model.txt");
  execFileSync("mkfifo", [fifo]);
  const { server } = await startBooting({ MODEL_PATH: fifo });
  try {
    await body(server, fifo);
  } finally {
    await server.stop(0);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("boot", { timeout: 120_000 }, () => {
  it("answers /health at once while the model warms up, /ready 503 until warm, and stops on SIGTERM", async () => {
    // A warm-up that would run for many seconds, so every probe below happens during it.
    const { server, url } = await startBooting({ WARMUP_ROWS: "10000000", WARMUP_MAX_MS: "60000" });
    try {
      const sent = performance.now();
      const health = await fetch(`${url}/health`);
      const firstMs = performance.now() - sent;
      assert.equal(health.status, 200);
      // The property is "does not wait for the model": 100 ms on a quiet machine; the bound here is generous
      // because the test machine may be busy, and it still fails if /health waited for the warm-up.
      assert.ok(firstMs < 2_000, `first /health took ${Math.round(firstMs)} ms`);

      let slowest = 0;
      for (let i = 0; i < 20; i++) {
        const t = performance.now();
        assert.equal((await fetch(`${url}/health`)).status, 200);
        slowest = Math.max(slowest, performance.now() - t);
        assert.equal((await fetch(`${url}/ready`)).status, 503, "ready before the warm-up ended");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      assert.ok(slowest < 2_000, `a /health during the warm-up took ${Math.round(slowest)} ms`);
      console.log(
        `first /health after listening: ${firstMs.toFixed(1)} ms; slowest during warm-up: ${slowest.toFixed(1)} ms`,
      );

      process.kill(server.pid, "SIGTERM");
      const exit = await exitWithin(server, 5_000);
      assert.deepEqual(exit, { code: 0, signal: null }, `still running 5 s after SIGTERM: ${server.logs()}`);
    } finally {
      await server.stop(0);
    }
  });

  it("exits promptly on SIGTERM with a FIFO as MODEL_PATH", async () => {
    await withFifoServer(async (server) => {
      process.kill(server.pid, "SIGTERM");
      const exit = await exitWithin(server, 5_000);
      assert.ok(exit !== null, `still running 5 s after SIGTERM: ${server.logs()}`);
      // The refusal and the signal race, so how it ended varies (a signal that lands while the process is exiting
      // after the refusal ends it by the signal); that it ended is the point. The next test reads the refusal.
    });
  });

  it("names a FIFO as MODEL_PATH in its error when left to boot", async () => {
    await withFifoServer(async (server, fifo) => {
      const exit = await exitWithin(server, 10_000);
      assert.deepEqual(exit, { code: 1, signal: null }, server.logs());
      assert.match(server.logs(), new RegExp(`MODEL_PATH ${fifo} is a FIFO, not a regular file`));
    });
  });
});
