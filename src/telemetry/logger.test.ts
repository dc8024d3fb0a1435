import * as assert from "node:assert/strict";
import { Writable } from "node:stream";
import { describe, it } from "node:test";
import { createLogger } from "./logger";

/** A destination that keeps the lines written to it. */
function capture(): { stream: Writable; lines: () => Record<string, unknown>[] } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  const lines = () =>
    text
      .split("\n")
      .filter((l) => l !== "")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { stream, lines };
}

describe("the logger", () => {
  it("writes one JSON object per event with a level word, an ISO-8601 time, the service and the message", () => {
    const { stream, lines } = capture();
    const logger = createLogger({ level: "info", format: "json", service: "ts-endpoint" }, stream);
    logger.info({ model: { version: "sha256:0123456789abcdef" } }, "model loaded");
    logger.debug("not at info");
    logger.error("bad");
    const [loaded, bad, ...rest] = lines();
    assert.deepEqual(rest, []);
    assert.equal(loaded.level, "info");
    assert.equal(loaded.msg, "model loaded");
    assert.equal(loaded.service, "ts-endpoint");
    assert.deepEqual(loaded.model, { version: "sha256:0123456789abcdef" });
    assert.equal(new Date(loaded.time as string).toISOString(), loaded.time);
    assert.equal(bad.level, "error");
    assert.equal("trace_id" in loaded, false, "no span, no trace_id");
  });
});
