/**
 * Clients that hang up mid-request are normal on the internet, not bugs: they get no answer (there is no one
 * to read it) and, instead of a stack per disconnect, one quiet log line at most every `intervalMs` with the
 * count since the last line, so a client cannot flood the log.
 */
import type { IncomingMessage } from "node:http";

const GONE_CODES = new Set(["ECONNRESET", "ECONNABORTED", "EPIPE", "ERR_STREAM_PREMATURE_CLOSE"]);

/** True when `error` only says that the client closed its connection before the request was answered. */
export function isClientGone(error: unknown, req: IncomingMessage): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (typeof code === "string" && GONE_CODES.has(code)) || req.socket.destroyed;
}

export class QuietLog {
  private count = 0;
  private last = -Infinity;

  constructor(
    private readonly log: (message: string) => void,
    private readonly intervalMs = 10_000,
  ) {}

  clientGone(method: string, url: string): void {
    this.count++;
    const now = performance.now();
    if (now - this.last < this.intervalMs) return;
    this.last = now;
    const what = this.count === 1 ? `${method} ${url}` : `${this.count} requests, the last ${method} ${url}`;
    this.log(`client closed the connection before the answer (${what})`);
    this.count = 0;
  }
}
