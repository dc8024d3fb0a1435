/**
 * Busy polling after a response (BUSY_POLL_US): for up to that many microseconds after a response goes out, the
 * event loop keeps polling for I/O without blocking (a chain of setImmediate callbacks keeps libuv's poll timeout
 * at zero), so the next request on a kept-alive connection is read at once, instead of after the CPU has gone
 * idle and been woken again. On a virtual machine, waking a halted virtual CPU costs tens of microseconds per
 * call; the Go runtime avoids most of that by spinning a while before it parks, and Linux's own busy polling
 * (net.core.busy_read, SO_BUSY_POLL; 50 µs is its documented value) trades CPU for the same latency.
 *
 * Adaptive, so that it costs CPU only where it pays: it polls after a response only while most recent requests
 * arrived soon after the response before them (within twice the budget; a moving average over about eight
 * requests). Back-to-back calls, as a client calling in a loop makes, are polled for; sparse traffic is not, so a
 * server that sees a request every millisecond does not spin 50 µs for each. Polling also stops at the budget,
 * so a server without requests sleeps. Measured on the seed protocol and under load: README, configuration.
 */
import type { Server } from "node:http";
import { performance } from "node:perf_hooks";

/** BUSY_POLL_US when unset: Linux's documented busy_read value. */
export const DEFAULT_BUSY_POLL_US = 50;

/** Weight of the newest request in the moving share of requests that came soon after a response. */
const WEIGHT = 1 / 8;

export function busyPollAfterResponses(server: Server, us: number): void {
  if (us <= 0) return;
  const budgetMs = us / 1000;
  const soonMs = 2 * budgetMs;
  let lastFinish = -Infinity;
  /** Moving share of requests that arrived within `soonMs` of the last response (starts hopeful). */
  let soonShare = 1;
  let until = 0;
  let polling = false;
  const poll = (): void => {
    if (performance.now() < until) setImmediate(poll);
    else polling = false;
  };
  const finished = (): void => {
    lastFinish = performance.now();
    if (soonShare < 0.5) return;
    until = lastFinish + budgetMs;
    if (!polling) {
      polling = true;
      setImmediate(poll);
    }
  };
  // Before the app: the gap is taken at arrival, and the listener is on before any answer can finish.
  server.prependListener("request", (_req, res) => {
    const soon = performance.now() - lastFinish <= soonMs ? 1 : 0;
    soonShare += WEIGHT * (soon - soonShare);
    res.once("finish", finished);
  });
}
