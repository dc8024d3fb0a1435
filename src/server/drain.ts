/**
 * Shutdown that drains instead of resetting. On SIGTERM the server keeps accepting for ACCEPT_MS, so
 * connections already in the kernel's backlog and requests already sent on open connections are read and
 * answered (with `Connection: close`, so keep-alive clients let go). Then it stops listening, closes the
 * connections that are idle, finishes the requests in flight, and `onClosed` runs. Whatever is still open
 * after `timeoutMs` is dropped.
 */
import type { Server } from "node:http";

export const ACCEPT_MS = 250;

export function closeGracefully(server: Server, timeoutMs: number, onClosed: () => void): void {
  // A listener added only now: one on every request was measured as a cost on the seed protocol.
  server.on("request", (_req, res) => res.setHeader("Connection", "close"));
  const deadline = setTimeout(() => server.closeAllConnections(), timeoutMs);
  deadline.unref();
  // setImmediate after the timer: the event loop reads pending sockets (poll) before closing (check).
  setTimeout(() => setImmediate(() => server.close(onClosed)), Math.min(ACCEPT_MS, timeoutMs));
}
