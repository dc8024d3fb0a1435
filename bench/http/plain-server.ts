/**
 * The benchmark's own node:http servers (floor-server.ts, bare-server.ts): the endpoint's keep-alive timeout and
 * busy polling (BUSY_POLL_US, 50 µs by default, as the endpoint), PORT and HOST from the environment, and a clean
 * stop on SIGTERM/SIGINT. With the endpoint's polling they stay floors for it: each rung of the ladder adds one
 * layer of work, not a different way of waiting for the next request.
 */
import * as http from "node:http";
import { busyPollAfterResponses, DEFAULT_BUSY_POLL_US } from "../../src/server/busy-poll";

export function servePlain(handler: http.RequestListener, defaultPort: number): http.Server {
  const server = http.createServer(handler);
  // Same keep-alive timeout as the TypeScript endpoint, so idle keep-alive connections behave alike.
  server.keepAliveTimeout = 65_000;
  busyPollAfterResponses(server, Number(process.env.BUSY_POLL_US ?? DEFAULT_BUSY_POLL_US));
  server.listen(Number(process.env.PORT ?? defaultPort), process.env.HOST ?? "127.0.0.1");
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return server;
}
