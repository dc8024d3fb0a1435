/**
 * test/contract/bad-requests.json against the TypeScript endpoint, in-process on loopback with the default
 * limits: every case gets its status and a JSON error body with its code, and the server keeps serving.
 */
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { after, before, describe, it } from "node:test";
import { REPO_ROOT } from "../../scripts/lib/paths";
import { listenInProcess, type InProcessServer } from "./in-process";
import { rawExchange, type RawAnswer } from "./raw-http";

interface BadRequest {
  readonly name: string;
  readonly method?: string;
  readonly path?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  readonly bodyText?: string;
  readonly raw?: string;
  readonly oip?: boolean;
  readonly status: number;
  readonly code: string | null;
}

const { cases } = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, "test", "contract", "bad-requests.json"), "utf8"),
) as { cases: BadRequest[] };

/** `{{TEXT*N}}` → TEXT repeated N times. */
export function expand(text: string): string {
  return text.replace(/\{\{(.*?)\*(\d+)\}\}/gs, (_, unit: string, n: string) => unit.repeat(Number(n)));
}

/** The case as bytes on a socket: raw as given, or an HTTP/1.1 request with a Content-Length. */
export function requestBytes(c: BadRequest): { head: string; body: string } {
  if (c.raw !== undefined) return { head: expand(c.raw), body: "" };
  const body =
    c.bodyText !== undefined ? expand(c.bodyText) : c.body === undefined ? "" : JSON.stringify(c.body);
  const headers = Object.entries({ host: "localhost", ...c.headers })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join("");
  const length = c.method === "GET" ? "" : `content-length: ${Buffer.byteLength(body)}\r\n`;
  return { head: `${c.method} ${c.path} HTTP/1.1\r\n${headers}${length}connection: close\r\n\r\n`, body };
}

describe("the bad-request matrix", () => {
  let server: InProcessServer;
  before(async () => {
    server = await listenInProcess();
  });
  after(() => server.close());

  for (const c of cases) {
    it(`answers ${c.name} with ${c.status} ${c.code ?? ""}`, async () => {
      const { head, body } = requestBytes(c);
      const answer: RawAnswer = await rawExchange(server.port, head, body, 15_000);
      assert.equal(answer.status, c.status, answer.text.slice(0, 300));
      assert.match(answer.headers, /\r\ncontent-type: application\/json/i);
      if (c.code === null) assert.equal(typeof (answer.json as { error: unknown }).error, "string");
      else assert.equal((answer.json as { error: { code: string } }).error.code, c.code);
    });
  }

  it("keeps serving after all of them, without logging a bug", async () => {
    const res = await fetch(`${server.url}/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      server.logs.filter((l) => l.includes("unexpected")),
      [],
    );
  });
});
