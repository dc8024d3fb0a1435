/**
 * The two HTTP clients every measurement uses.
 *
 * - keep-alive: an undici `Pool` of `maxSockets` persistent connections, one request at a time on each (no
 *   pipelining), like a pooled production client or python `requests.Session`. undici is the HTTP/1.1 client
 *   inside Node's own `fetch`; called directly it needs less client CPU per call than node:http, which keeps
 *   the load generator further from being the limit (the floor rows of every run show how far it can drive).
 * - fresh: node:http with `agent: false` and `Connection: close`, a new TCP connection per call, which is what
 *   the seed's notebook did (`requests.post` without a session opens a connection for every call).
 *
 * Both give the two endpoints exactly the same bytes; a call is "ok" only with a 2xx status.
 */
import * as http from "node:http";
import { Pool } from "undici";

export type ClientKind = "keepalive" | "fresh";

export interface CallResult {
  ok: boolean;
  status: number;
  body: string;
  /** Set when the request failed below HTTP (refused, reset, timeout). */
  error?: string;
}

export interface Client {
  readonly kind: ClientKind;
  post(path: string, body: string, headers?: Record<string, string>): Promise<CallResult>;
  close(): void;
}

const TIMEOUT_MS = 30_000;

export function createClient(baseUrl: string, kind: ClientKind, maxSockets = 1): Client {
  return kind === "keepalive" ? keepAliveClient(baseUrl, maxSockets) : freshClient(baseUrl);
}

function keepAliveClient(baseUrl: string, connections: number): Client {
  const pool = new Pool(new URL(baseUrl).origin, {
    connections,
    pipelining: 1,
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
    keepAliveTimeout: 60_000,
  });
  return {
    kind: "keepalive",
    async post(path, body, headers = {}) {
      try {
        const res = await pool.request({
          path,
          method: "POST",
          body,
          headers: { "content-type": "application/json", ...headers },
        });
        const text = await res.body.text();
        return { ok: res.statusCode >= 200 && res.statusCode < 300, status: res.statusCode, body: text };
      } catch (error) {
        return { ok: false, status: 0, body: "", error: (error as Error).message };
      }
    },
    close() {
      void pool.destroy();
    },
  };
}

function freshClient(baseUrl: string): Client {
  const url = new URL(baseUrl);
  return {
    kind: "fresh",
    post(path, body, headers = {}) {
      return new Promise((resolve) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port || 80,
            method: "POST",
            agent: false,
            path,
            headers: {
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
              connection: "close",
              ...headers,
            },
          },
          (res) => {
            let text = "";
            res.setEncoding("utf8");
            res.on("data", (chunk: string) => (text += chunk));
            res.on("end", () => {
              const status = res.statusCode ?? 0;
              resolve({ ok: status >= 200 && status < 300, status, body: text });
            });
            res.on("error", (error) =>
              resolve({ ok: false, status: res.statusCode ?? 0, body: text, error: error.message }),
            );
          },
        );
        req.setTimeout(TIMEOUT_MS, () => req.destroy(new Error("timeout after 30 s")));
        req.on("error", (error) => resolve({ ok: false, status: 0, body: "", error: error.message }));
        req.end(body);
      });
    },
    close() {},
  };
}

/** Nanosecond clock for latencies; returns milliseconds as a float. */
export function elapsedMs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}
