/**
 * A client that asks for a large answer and does not read it would hold the answer's memory for as long as
 * its connection lasts. After an answer is sent, if part of it is still buffered (the socket did not take it
 * at once, as it does small ones), the connection is dropped unless the answer is flushed within `ms`.
 * Small answers cost one property read.
 */
import type { ServerResponse } from "node:http";

export function guardSlowReader(res: ServerResponse, ms: number): void {
  if (res.writableLength === 0 || res.writableFinished) return;
  const socket = res.socket;
  const timer = setTimeout(() => socket?.destroy(), ms);
  timer.unref();
  const clear = (): void => clearTimeout(timer);
  res.once("finish", clear);
  res.once("close", clear);
}
