/**
 * The reference point of the profile harness: our model behind the smallest Express 5 route that does the
 * endpoint's work (app.post, the body read in the handler, JSON.parse, predict, res.writeHead/end). No
 * validation messages, no error catalog, no tracing: what Express plus the model cost, so that the endpoint's
 * time over this is what our own request path adds.
 *
 * Env: PORT, MODEL_PATH (defaults to the bundled model).
 */
import * as fs from "node:fs";
import express from "express";
import { loadPredictor } from "../../src/evaluator/load";
import { warmUp } from "../../src/evaluator/warm-up";
import { DEFAULT_MODEL_PATH } from "../../src/config/config";

const predictor = loadPredictor(fs.readFileSync(process.env.MODEL_PATH ?? DEFAULT_MODEL_PATH, "utf8"));
warmUp(predictor, 30_000, 10_000);
const F = predictor.numFeatures;

const app = express();
app.post("/inference", (req, res) => {
  let text = "";
  req.setEncoding("utf8");
  req.on("data", (chunk: string) => (text += chunk));
  req.on("end", () => {
    const data = (JSON.parse(text) as { data: number[] }).data;
    const row = new Float64Array(F);
    for (let i = 0; i < F; i++) row[i] = data[i];
    const body = JSON.stringify({ prediction: predictor.predict(row, { output: "value" }).values[0] });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
  });
});
app.get("/ready", (_req, res) => {
  res.writeHead(200, { "content-type": "application/json" });
  res.end('{"status":"ready"}');
});
const server = app.listen(Number(process.env.PORT ?? 3200), "127.0.0.1");
server.keepAliveTimeout = 65_000;
process.on("SIGTERM", () => process.exit(0));
