/**
 * A hostile but legitimate client, in-process over loopback: badly encoded paths, OIP values that do not fit
 * their datatype, a 413 answered before the body is read, clients that hang up. Every error is a JSON 4xx
 * naming what is wrong, and the server keeps serving.
 */
import * as assert from "node:assert/strict";
import * as net from "node:net";
import { after, before, describe, it } from "node:test";
import { listenInProcess, type InProcessServer } from "./in-process";
import { post } from "../support/server";
import { rawExchange } from "./raw-http";

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
});
