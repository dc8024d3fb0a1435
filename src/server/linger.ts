/**
 * A lingering close for errors answered before the body has been read (413 on Content-Length, a body over
 * the limit, 415 before reading): the rest of the body is read and discarded, so the client is not reset
 * while it still sends and can read the answer. The connection stays usable if the body ends within
 * LINGER_MAX_BYTES and LINGER_MAX_MS; past either bound the server half-closes (FIN after the answer), and
 * drops the socket a moment later.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

export const LINGER_MAX_BYTES = 16 * 1024 * 1024;
export const LINGER_MAX_MS = 5_000;
/** After the half-close, how long the client has to read the answer and close its side. */
const CLOSE_GRACE_MS = 2_000;

export function lingerAfterEarlyAnswer(req: IncomingMessage, res: ServerResponse): void {
  const socket = req.socket;
  let discarded = 0;
  const stop = (): void => {
    clearTimeout(timer);
    req.off("data", discard);
    if (!res.headersSent) res.setHeader("Connection", "close");
    if (!res.writableFinished) {
      res.once("finish", () => halfClose(req));
      return;
    }
    halfClose(req);
  };
  const discard = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > LINGER_MAX_BYTES) stop();
  };
  const timer = setTimeout(stop, LINGER_MAX_MS);
  timer.unref();
  req.on("data", discard);
  req.once("end", () => {
    clearTimeout(timer);
    req.off("data", discard);
  });
  socket.once("close", () => clearTimeout(timer));
}

function halfClose(req: IncomingMessage): void {
  const socket = req.socket;
  if (socket.destroyed) return;
  socket.end();
  // Keep reading (and discarding) until the client closes or the grace period ends.
  req.resume();
  setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
}
