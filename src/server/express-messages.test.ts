import * as assert from "node:assert/strict";
import { IncomingMessage, ServerResponse, createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { describe, it } from "node:test";
import express from "express";
import { expressMessages } from "./express-messages";

describe("requests and responses born with the Express app's prototypes", () => {
  it("reach the app already with app.request and app.response, still node:http's messages, and Express works", async () => {
    const app = express();
    app.get("/x", (req, res) => {
      res.json({ header: req.get("x-test") });
    });
    const server: Server = createServer(expressMessages(app), app);
    const seen: boolean[] = [];
    server.prependListener("request", (req: IncomingMessage, res: ServerResponse) => {
      seen.push(Object.getPrototypeOf(req) === app.request && Object.getPrototypeOf(res) === app.response);
      seen.push(req instanceof IncomingMessage && res instanceof ServerResponse);
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/x`, { headers: { "x-test": "yes" } });
      assert.deepEqual(await res.json(), { header: "yes" });
      assert.deepEqual(seen, [true, true]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
