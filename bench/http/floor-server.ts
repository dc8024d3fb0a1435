/**
 * The floor: a plain node:http server that reads the whole request body and answers a constant, no parsing,
 * no model. Measured by the same client in every run, its latency and throughput are what the client and the
 * loopback cost by themselves, so every endpoint's figures can be read as time beyond this floor, and its
 * throughput is the ceiling the load generator can reach.
 *
 * Env: PORT (default 3100), HOST (default 127.0.0.1), BUSY_POLL_US (plain-server.ts). GET /ready answers 200.
 */
import { servePlain } from "./plain-server";

const RESPONSE = Buffer.from('{"prediction":0.0}');
const READY = Buffer.from('{"status":"ready"}');

servePlain((req, res) => {
  // Read (and drop) the body like an endpoint must before it can answer.
  req.on("data", () => undefined);
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": RESPONSE.length });
    res.end(req.method === "GET" ? READY : RESPONSE);
  });
}, 3100);
