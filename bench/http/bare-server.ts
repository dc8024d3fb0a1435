/**
 * The "bare" rung of the cost ladder: our parse → predict → serialize behind a plain node:http handler, with no
 * Express and no telemetry. It reads the body, parses it with the endpoint's own request parser
 * (src/server/inference-request.ts), predicts with the evaluator, and answers the JSON the endpoint answers. Its
 * time beyond the floor is what the model work costs over HTTP; the endpoint's time beyond it is what Express,
 * the error handling and the telemetry cost.
 *
 * Env: PORT, HOST (default 127.0.0.1), MODEL_PATH, BUSY_POLL_US (plain-server.ts); warms the evaluator up
 * (WARMUP_ROWS, default 30,000) before GET /ready answers. A request the parser refuses gets a 400 with its message.
 */
import * as fs from "node:fs";
import * as http from "node:http";
import { servePlain } from "./plain-server";
import { loadPredictor } from "../../src/evaluator/load";
import { toRows } from "../../src/evaluator/rows-out";
import { warmUp } from "../../src/evaluator/warm-up";
import { parseInferenceRequest, type FeatureSchema } from "../../src/server/inference-request";

const predictor = loadPredictor(fs.readFileSync(process.env.MODEL_PATH ?? "model/model.txt", "utf8"));
const schema: FeatureSchema = {
  numFeatures: predictor.numFeatures,
  columns: new Map(predictor.model.header.featureNames.map((name, i) => [name, i])),
};
warmUp(predictor, Number(process.env.WARMUP_ROWS ?? 30_000), 10_000);

function answer(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

function infer(raw: string): unknown {
  const request = parseInferenceRequest(JSON.parse(raw) as unknown, schema);
  const rows = toRows(predictor.predict(request.rows, request.options), request.options.output);
  return request.single ? { prediction: rows[0] } : { predictions: rows };
}

servePlain((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    if (req.method === "GET") return answer(res, 200, { status: "ready" });
    try {
      answer(res, 200, infer(Buffer.concat(chunks).toString("utf8")));
    } catch (error) {
      answer(res, 400, { error: (error as Error).message });
    }
  });
}, 3101);
