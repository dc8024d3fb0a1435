/**
 * The benchmark's own node:http servers (floor-server.ts, bare-server.ts): the endpoint's keep-alive timeout,
 * PORT and HOST from the environment, and a clean stop on SIGTERM/SIGINT.
 */
import * as http from "node:http";

export function servePlain(handler: http.RequestListener, defaultPort: number): http.Server {
  const server = http.createServer(handler);
  // Same keep-alive timeout as the TypeScript endpoint, so idle keep-alive connections behave alike.
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT ?? defaultPort), process.env.HOST ?? "127.0.0.1");
  const stop = () => {
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  return server;
}
