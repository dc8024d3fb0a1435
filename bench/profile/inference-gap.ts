/**
 * Inference time as the server sees it, against the same call in a hot loop (issue 10.3). Runs the endpoint's
 * app in this process (pinned to CPU 0), traced into an in-memory exporter, drives it with drive.js from a
 * client process pinned to CPU 1 (sequential keep-alive single-row calls, the seed protocol), and prints the
 * median and p90 of: the evaluator call timed with performance.now() inside the server, the `model-inference`
 * span's duration, and the same evaluator call on the same rows in a hot loop afterwards, back to back and with
 * unrelated work (a JSON parse, 4 MiB of memory touched) between calls.
 *
 *   node dist/bench/profile/inference-gap.js [calls=20000]
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import type { AddressInfo } from "node:net";
import * as path from "node:path";
import { InMemorySpanExporter, SimpleSpanProcessor } from "@opentelemetry/sdk-trace-base";
import { NodeTracerProvider } from "@opentelemetry/sdk-trace-node";
import { DEFAULT_MODEL_PATH } from "../../src/config/config";
import { warmUp } from "../../src/evaluator/warm-up";
import { createApp } from "../../src/server/app";
import { ModelSlot } from "../../src/server/model-slot";
import { ServedModel } from "../../src/server/served-model";
import { SPAN_MODEL_INFERENCE, TRACER_NAME } from "../../src/telemetry/names";
import { enableServerSpans } from "../../src/telemetry/server-spans";
import { seedRows } from "../http/inputs";

const quantile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(q * (xs.length - 1))];
const line = (what: string, us: number[]): string =>
  `${what.padEnd(44)} ${quantile(us, 0.5).toFixed(2).padStart(7)} ${quantile(us, 0.9).toFixed(2).padStart(7)}   (${us.length})`;

async function main(): Promise<void> {
  const calls = Number(process.argv[2] ?? "20000");
  execFileSync("taskset", ["-a", "-cp", "0", String(process.pid)], { stdio: "ignore" });
  const exporter = new InMemorySpanExporter();
  const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  provider.register();
  enableServerSpans(provider.getTracer(TRACER_NAME));

  const model = ServedModel.fromText(fs.readFileSync(DEFAULT_MODEL_PATH, "utf8"), "model");
  warmUp(model.predictor, 30_000, 10_000);
  const predictor = model.predictor;
  const predict = predictor.predict.bind(predictor);
  const inServer: number[] = [];
  predictor.predict = (rows, options) => {
    const t0 = performance.now();
    const out = predict(rows, options);
    inServer.push((performance.now() - t0) * 1000);
    return out;
  };
  const slot = new ModelSlot();
  slot.set(model);
  const server = createApp({ slot, maxBodyBytes: 1 << 20, serverVersion: "gap", log: () => {} }).listen(
    0,
    "127.0.0.1",
  );
  await new Promise((resolve) => server.once("listening", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = spawn(
    "taskset",
    ["-c", "1", process.execPath, path.join(__dirname, "drive.js"), url, String(calls)],
    {
      stdio: ["ignore", "pipe", "inherit"],
    },
  );
  client.stdout.on("data", (chunk: Buffer) => process.stdout.write(`client: ${chunk.toString()}`));
  await new Promise((resolve) => client.once("exit", resolve));
  server.close();
  const spans = exporter
    .getFinishedSpans()
    .filter((s) => s.name === SPAN_MODEL_INFERENCE)
    .map((s) => s.duration[0] * 1e6 + s.duration[1] / 1e3);

  // The same rows through the same predictor, back to back.
  predictor.predict = predict;
  const rows = seedRows().map((r) => Float64Array.from(r));
  const hot: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    predict(rows[i % rows.length], { output: "value" });
    hot.push((performance.now() - t0) * 1000);
  }
  // The same again with other work between the calls, as a server has: it evicts the evaluator's code and
  // data from the caches and retrains the branch predictor, like the HTTP work around a request does.
  const between: number[] = [];
  const other = JSON.stringify(
    Array.from({ length: 2000 }, (_, i) => ({ id: i, name: `n${i}`, v: [i, i / 3] })),
  );
  const scratch = new Float64Array(1 << 19);
  for (let i = 0; i < calls; i++) {
    JSON.parse(other);
    for (let k = 0; k < scratch.length; k += 8) scratch[k] += k;
    const t0 = performance.now();
    predict(rows[i % rows.length], { output: "value" });
    between.push((performance.now() - t0) * 1000);
  }
  const skip = Math.floor(calls / 10); // the first tenth warms the request path
  console.log(`${"µs per call".padEnd(44)}  median     p90   (calls)`);
  console.log(line("evaluator call inside the server", inServer.slice(skip)));
  console.log(line("model-inference span duration", spans.slice(skip)));
  console.log(line("evaluator call in a hot loop (same rows)", hot.slice(skip)));
  console.log(line("... with a JSON parse and 4 MiB touched between calls", between.slice(skip)));
  await provider.shutdown();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
