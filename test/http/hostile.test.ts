/**
 * A hostile but legitimate client, in-process over loopback: badly encoded paths, OIP values that do not fit
 * their datatype, a 413 answered before the body is read, clients that hang up. Every error is a JSON 4xx
 * naming what is wrong, and the server keeps serving.
 */
import * as assert from "node:assert/strict";
import * as net from "node:net";
import { after, before, describe, it } from "node:test";
import { DEFAULT_LIMITS } from "../../src/server/request-limits";
import { listenInProcess, seedModel, type InProcessServer } from "./in-process";
import { post } from "../support/server";
import { parseResponses, rawExchange, rawUntilClose } from "./raw-http";

const F = 20;
const ROW = Array.from({ length: F }, (_, i) => i / 3);

describe("a hostile client", () => {
  let server: InProcessServer;
  before(async () => {
    server = await listenInProcess({ maxBodyBytes: 64 * 1024 });
  });
  after(() => server.close());

  it("gets 400 bad_request, not a 500, for a path that is not valid percent-encoding", async () => {
    const res = await post(`${server.url}/v2/models/%zz/infer`, { inputs: [] });
    assert.equal(res.status, 400);
    assert.match((res.body as { error: string }).error, /not valid percent-encoding/);
    assert.deepEqual(server.logs, []);
  });

  describe("OIP datatypes", () => {
    const infer = (datatype: string, data: unknown[]) =>
      post(`${server.url}/v2/models/model/infer`, { inputs: [{ name: "x", shape: [1, F], datatype, data }] });
    const withValue = (v: unknown) => ROW.map((_, i) => (i === 5 ? v : i));

    for (const [datatype, value] of [
      ["INT64", 1.7],
      ["INT8", 128],
      ["INT32", -2147483649],
      ["UINT8", -5],
      ["UINT8", 300],
      ["UINT64", -1],
    ] as const) {
      it(`refuses ${value} as ${datatype}`, async () => {
        const res = await infer(datatype, withValue(value));
        assert.equal(res.status, 400);
        assert.deepEqual(res.body, {
          error: `inputs[0].data[5] is ${value}, which is not a ${datatype} value`,
        });
      });
    }

    it("accepts integers in range for integer types and any number for FP16, FP32, FP64", async () => {
      for (const [datatype, data] of [
        ["UINT8", ROW.map((_, i) => i * 12)],
        ["INT8", ROW.map((_, i) => -i)],
        ["INT64", ROW.map((_, i) => i * 1e12)],
        ["FP16", ROW],
        ["FP32", ROW],
      ] as const) {
        assert.equal((await infer(datatype, data)).status, 200, datatype);
      }
    });

    for (const datatype of ["BOOL", "BYTES"]) {
      it(`refuses ${datatype} tensors with a message naming the datatype`, async () => {
        const res = await infer(
          datatype,
          ROW.map(() => 1),
        );
        assert.equal(res.status, 400);
        assert.match(
          (res.body as { error: string }).error,
          new RegExp(`datatype ${datatype} is not supported`),
        );
      });
    }
  });

  it("lets the client read an early 413 while it is still sending its body", async () => {
    const body = "x".repeat(1024 * 1024);
    const answer = await rawExchange(
      server.port,
      `POST /inference HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
      body,
    );
    assert.equal(answer.status, 413);
    assert.equal((answer.json as { error: { code: string } }).error.code, "payload_too_large");
  });

  it("logs a client that hangs up mid-body as one quiet line, without a stack", async () => {
    const socket = net.connect(server.port, "127.0.0.1");
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write(
      "POST /inference HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{",
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.resetAndDestroy();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(server.logs.length, 1, server.logs.join("\n"));
    assert.match(server.logs[0], /^client closed the connection before the answer \(POST \/inference\)$/);
    assert.equal((await post(`${server.url}/inference`, { data: ROW })).status, 200);
  });

  it("answers 408 request_timeout in JSON to a client whose headers do not arrive in time", async () => {
    const answer = await rawExchange(server.port, "GET /health HTTP/1.1\r\nHost: x\r\n", "", 8000);
    assert.equal(answer.status, 408);
    assert.equal((answer.json as { error: { code: string } }).error.code, "request_timeout");
  });

  it("keeps the answer to a request whose body runs past its Content-Length, then refuses the rest", async () => {
    const body = JSON.stringify({ data: ROW });
    const text = await rawUntilClose(
      server.port,
      `POST /inference HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}]]]`,
    );
    const [first, second] = parseResponses(text);
    assert.equal(first.status, 200);
    assert.deepEqual(first.json, {
      prediction: seedModel().predict(Float64Array.from(ROW), 1, { output: "value" }).values[0],
    });
    assert.equal(second.status, 400);
    assert.equal((second.json as { error: { code: string } }).error.code, "bad_request");
  });
});

describe("a client that does not read its answer", () => {
  it("is dropped after WRITE_TIMEOUT_MS, so its answer is not held in memory", async () => {
    const limits = { ...DEFAULT_LIMITS, maxOutputValues: 10_000_000, writeTimeoutMs: 2000 };
    const server = await listenInProcess({ limits });
    try {
      const request = (body: string) =>
        `POST /inference HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
      const socket = net.connect(server.port, "127.0.0.1");
      socket.on("error", () => undefined);
      // A small request read in full first: the large one is the second on a keep-alive connection.
      socket.write(request(JSON.stringify({ data: ROW })));
      await new Promise((resolve) => socket.once("data", resolve));
      socket.pause();
      socket.write(
        request(JSON.stringify({ output: "leaf", data: Array.from({ length: 5000 }, () => ({})) })),
      );
      const connections = () =>
        new Promise<number>((resolve) => server.server.getConnections((_, n) => resolve(n)));
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(await connections(), 1, "the answer is being written");
      const deadline = Date.now() + 10_000;
      while ((await connections()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      assert.equal(await connections(), 0, "the server let go of the connection");
      socket.destroy();
    } finally {
      await server.close();
    }
  });
});

describe("a large request", () => {
  it("does not stall other clients: they are served while it runs", async () => {
    const server = await listenInProcess();
    try {
      // Compile the contrib path first, so the large request is evaluated at its steady pace.
      await post(`${server.url}/inference`, { output: "contrib", data: [ROW, ROW] });
      const large = post(`${server.url}/inference`, {
        output: "contrib",
        data: Array.from({ length: 100 }, (_, r) => ROW.map((v) => v + r)),
      }).then((res) => ({ res, at: performance.now() }));
      await new Promise((resolve) => setTimeout(resolve, 100));
      const latencies: number[] = [];
      const servedAt: number[] = [];
      for (let i = 0; i < 10; i++) {
        const start = performance.now();
        assert.equal((await post(`${server.url}/inference`, { data: ROW })).status, 200);
        servedAt.push(performance.now());
        latencies.push(servedAt[i] - start);
      }
      const { res, at } = await large;
      assert.equal(res.status, 200);
      assert.equal((res.body as { predictions: unknown[] }).predictions.length, 100);
      assert.ok(
        servedAt.every((t) => t < at),
        "every small request was answered before the large one",
      );
      // A correctness bound, not a benchmark: the median, since a loaded 2-core machine can delay any one call.
      const median = [...latencies].sort((a, b) => a - b)[5];
      assert.ok(median < 100, `small requests took ${latencies.map(Math.round).join(", ")} ms`);
    } finally {
      await server.close();
    }
  });
});

describe("the time budget", () => {
  it("stops a request that runs past MAX_INFERENCE_MS between slices, with 422 naming the limit", async () => {
    const server = await listenInProcess({ limits: { ...DEFAULT_LIMITS, maxInferenceMs: 200 } });
    try {
      // About 197 ms by the optimistic estimate, so it starts; contrib is slower than that in practice.
      const rows = Math.floor(200 / seedModel().costMs.contrib);
      const res = await post(`${server.url}/inference`, {
        output: "contrib",
        data: Array.from({ length: rows }, () => ROW),
      });
      assert.equal(res.status, 422);
      const { error } = res.body as { error: { code: string; message: string } };
      assert.equal(error.code, "time_budget_exceeded");
      assert.match(error.message, /ran out of time after \d+ rows; the limit is 200 ms \(MAX_INFERENCE_MS\)/);
    } finally {
      await server.close();
    }
  });
});
