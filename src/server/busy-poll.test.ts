/**
 * Busy polling seen from the event loop's own accounting (performance.eventLoopUtilization: time not spent
 * waiting in the poll): after a response to back-to-back requests the loop stays busy for the budget, and once
 * requests come sparsely, or with a budget of 0, it waits idle. Real HTTP on loopback; a 20 ms budget makes the
 * windows wide enough to read.
 */
import * as assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import { after, describe, it } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { busyPollAfterResponses } from "./busy-poll";

const BUDGET_US = 20_000;

async function serve(us: number): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => res.end("ok"));
  busyPollAfterResponses(server, us);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

/** The share of the next `ms` the event loop spent working (1: never waited for I/O). */
async function busyShare(ms: number): Promise<number> {
  const start = performance.eventLoopUtilization();
  await sleep(ms);
  return performance.eventLoopUtilization(start).utilization;
}

describe("busy polling after a response", () => {
  const servers: Server[] = [];
  after(() => servers.forEach((s) => s.close()));

  it("keeps the event loop polling for the budget after answering back-to-back requests", async () => {
    const { server, url } = await serve(BUDGET_US);
    servers.push(server);
    for (let i = 0; i < 3; i++) await (await fetch(url)).text();
    assert.ok((await busyShare(10)) > 0.8, "the loop polled instead of waiting");
    await sleep(30);
    assert.ok((await busyShare(20)) < 0.3, "and waits again once the budget is spent");
  });

  it("stops polling once requests come sparsely, and never polls with a budget of 0", async () => {
    const { server, url } = await serve(BUDGET_US);
    servers.push(server);
    // Each 60 ms after the last answer: later than twice the budget, so not "soon".
    for (let i = 0; i < 8; i++) {
      await (await fetch(url)).text();
      await sleep(60);
    }
    await (await fetch(url)).text();
    assert.ok((await busyShare(10)) < 0.3, "sparse traffic is not polled for");

    const never = await serve(0);
    servers.push(never.server);
    for (let i = 0; i < 3; i++) await (await fetch(never.url)).text();
    assert.ok((await busyShare(10)) < 0.3, "BUSY_POLL_US=0 never polls");
  });
});
