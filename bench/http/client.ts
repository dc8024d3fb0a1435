/**
 * The two HTTP clients every measurement uses, on node:http so nothing sits between the socket and the clock.
 *
 * - keep-alive: one `http.Agent({ keepAlive: true })`; connections are reused across calls, like a pooled
 *   production client or python `requests.Session`.
 * - fresh: `agent: false` and `Connection: close`, a new TCP connection per call, which is what the seed's
 *   notebook did (`requests.post` without a session opens a connection for every call).
 *
 * Both give the two endpoints exactly the same bytes; a call is "ok" only with a 2xx status.
 */
import * as http from "node:http";

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

export function createClient(baseUrl: string, kind: ClientKind, maxSockets = 1): Client {
  const url = new URL(baseUrl);
  const agent = kind === "keepalive" ? new http.Agent({ keepAlive: true, maxSockets }) : undefined;
  const base: http.RequestOptions = {
    host: url.hostname,
    port: url.port || 80,
    method: "POST",
    agent: agent ?? false,
  };
  return {
    kind,
    post(path, body, headers = {}) {
      return new Promise((resolve) => {
        const req = http.request(
          {
            ...base,
            path,
            headers: {
              "content-type": "application/json",
              "content-length": Buffer.byteLength(body),
              ...(kind === "fresh" ? { connection: "close" } : {}),
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
        req.setTimeout(30_000, () => req.destroy(new Error("timeout after 30 s")));
        req.on("error", (error) => resolve({ ok: false, status: 0, body: "", error: error.message }));
        req.end(body);
      });
    },
    close() {
      agent?.destroy();
    },
  };
}

/** Nanosecond clock for latencies; returns milliseconds as a float. */
export function elapsedMs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}
