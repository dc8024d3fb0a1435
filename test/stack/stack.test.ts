/**
 * `npm start` without Docker: Jaeger, the FastAPI control and the TypeScript endpoint come up on the ports it
 * is given, both endpoints answer the same, both services' spans reach Jaeger, and SIGTERM stops all three.
 */
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { describe, it } from "node:test";
import { isAlive as alive } from "../../scripts/lib/launcher";
import { listServices } from "../support/jaeger";
import { REPO_ROOT } from "../support/paths";
import { freePort, post } from "../support/server";

describe("the stack without Docker", { timeout: 300_000 }, () => {
  it("starts three services, serves both endpoints into Jaeger and stops them all on SIGTERM", async () => {
    const ports = {
      TS_PORT: await freePort(),
      CONTROL_PORT: await freePort(),
      JAEGER_QUERY_HTTP_PORT: await freePort(),
    };
    const env = {
      ...process.env,
      ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])),
      JAEGER_OTLP_HTTP_PORT: String(await freePort()),
      JAEGER_OTLP_GRPC_PORT: String(await freePort()),
      JAEGER_QUERY_GRPC_PORT: String(await freePort()),
      PROMETHEUS_PORT: String(await freePort()),
      OTEL_BSP_SCHEDULE_DELAY: "200",
    };
    const stack = spawn(process.execPath, [path.join(REPO_ROOT, "dist", "scripts", "stack", "start.js")], {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    stack.stdout.on("data", (c: Buffer) => (output += c.toString()));
    stack.stderr.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((r) => stack.once("exit", (code) => r(code)));
    try {
      const deadline = Date.now() + 180_000;
      while (!output.includes("Ctrl-C stops all")) {
        assert.equal(stack.exitCode, null, `the stack exited early:\n${output}`);
        assert.ok(Date.now() < deadline, `the stack was not ready in time:\n${output}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      for (const [name, port] of Object.entries(ports))
        assert.match(output, new RegExp(`localhost:${port}`), name);

      const row = Array.from({ length: 20 }, (_, i) => (i === 4 ? null : i / 2 - 3));
      const ts = await post(`http://127.0.0.1:${ports.TS_PORT}/inference`, { data: row });
      const control = await post(`http://127.0.0.1:${ports.CONTROL_PORT}/inference`, { data: row });
      assert.equal(ts.status, 200);
      assert.equal(control.status, 200);
      const a = (ts.body as { prediction: number }).prediction;
      const b = (control.body as { prediction: number }).prediction;
      assert.ok(Math.abs(a - b) <= 1e-12 * Math.abs(b), `ts ${a} vs control ${b}`);

      const query = `http://127.0.0.1:${ports.JAEGER_QUERY_HTTP_PORT}`;
      const until = Date.now() + 30_000;
      let services: string[] = [];
      while (Date.now() < until) {
        services = await listServices(query);
        if (services.includes("ts-endpoint") && services.includes("fastapi-control")) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      assert.ok(
        services.includes("ts-endpoint") && services.includes("fastapi-control"),
        `services in Jaeger: ${services.join(", ")}`,
      );
    } finally {
      stack.kill("SIGTERM");
    }
    assert.equal(await exited, 0, output);
    assert.match(output, /\[stack\] stopped/);
    for (const port of Object.values(ports)) {
      await assert.rejects(fetch(`http://127.0.0.1:${port}/`), `port ${port} is closed`);
    }
    assert.ok(!alive(stack.pid as number));
  });
});
