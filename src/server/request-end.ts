/**
 * One place to observe a request's end: `onRequestEnd(res, fn)` runs `fn` when the response closes (after it
 * finished, or when the client went away first: check `res.writableFinished`). However many observers a
 * request has (the server span, metrics, the access log), the response gets one 'close' listener.
 */
import type { ServerResponse } from "node:http";

const OBSERVERS = Symbol("requestEndObservers");
type Observed = ServerResponse & { [OBSERVERS]?: (() => void)[] };

export function onRequestEnd(res: ServerResponse, observer: () => void): void {
  const observed = res as Observed;
  const list = observed[OBSERVERS];
  if (list !== undefined) {
    list.push(observer);
    return;
  }
  const observers = [observer];
  observed[OBSERVERS] = observers;
  res.once("close", () => {
    for (const fn of observers) fn();
  });
}
