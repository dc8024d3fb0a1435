/**
 * The floor: a plain node:http server that reads the whole request body and answers a constant, no parsing,
 * no model. Measured by the same client in every run, its latency and throughput are what the client and the
 * loopback cost by themselves, so every endpoint's figures can be read as time beyond this floor, and its
 * throughput is the ceiling the load generator can reach.
 *
 * Env: PORT (default 3100), HOST (default 127.0.0.1). GET /ready answers 200.
 */
import * as http from "node:http";

const RESPONSE = Buffer.from('{"prediction":0.0}');
const READY = Buffer.from('{"status":"ready"}');

const server = http.createServer((req, res) => {
  // Read (and drop) the body like an endpoint must before it can answer.
  req.on("data", () => undefined);
  req.on("end", () => {
    res.writeHead(200, { "content-type": "application/json", "content-length": RESPONSE.length });
    res.end(req.method === "GET" ? READY : RESPONSE);
  });
});
// Same keep-alive timeout as the TypeScript endpoint, so idle keep-alive connections behave alike.
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT ?? 3100), process.env.HOST ?? "127.0.0.1");

const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
