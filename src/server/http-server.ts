/**
 * The http.Server around the app, set up the same way by main.ts and the tests: Node's own timeouts, and a
 * JSON answer from the catalog for what Node's parser rejects before Express sees a request (malformed
 * framing, unknown methods, oversized request lines or headers, timeouts) and for CONNECT, which Node would
 * otherwise drop without a word.
 */
import {
  createServer,
  STATUS_CODES,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Duplex } from "node:stream";
import type { Express } from "express";
import { ApiError } from "./api-error";
import { expressMessages } from "./express-messages";

export interface ServerTimeouts {
  /** The whole request head must arrive within this (slowloris), ms. */
  readonly headersTimeoutMs: number;
  /** The whole request, head and body, must arrive within this, ms. */
  readonly requestTimeoutMs: number;
}

/** After an error answer, how long the client has to read it before the socket is dropped. */
const CLOSE_GRACE_MS = 2_000;
/** A request line longer than this, when Node reports oversized headers, is answered 414 rather than 431. */
const LONG_REQUEST_LINE = 8 * 1024;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** An http.Server for the app (not listening yet), with the timeouts and the JSON answers below. */
export function createHttpServer(app: Express, timeouts: ServerTimeouts): Server {
  const server = createServer(
    {
      ...expressMessages(app),
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      // How often Node checks those two timeouts (30 s by default, which would let them overrun by as much).
      connectionsCheckingInterval: Math.min(1_000, timeouts.headersTimeoutMs),
    },
    app,
  );
  configureServer(server, timeouts);
  return server;
}

function configureServer(server: Server, timeouts: ServerTimeouts): void {
  server.on("clientError", (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Duplex) => {
    const apiError = parserError(error, timeouts);
    if (apiError === undefined || !socket.writable) {
      socket.destroy();
      return;
    }
    answerAndClose(socket, apiError);
  });
  server.on("connect", (req: IncomingMessage, socket: Duplex) => {
    answerAndClose(socket, new ApiError("not_implemented", `the method ${req.method} is not implemented`));
  });
}

/** The catalog error for what Node's parser (llhttp) rejected; undefined when the client has gone. */
export function parserError(
  error: NodeJS.ErrnoException & { rawPacket?: Buffer },
  timeouts: Pick<ServerTimeouts, "requestTimeoutMs">,
): ApiError | undefined {
  switch (error.code) {
    case "ECONNRESET":
    case "EPIPE":
      return undefined;
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return new ApiError(
        "request_timeout",
        `the request did not arrive within REQUEST_TIMEOUT_MS (${timeouts.requestTimeoutMs} ms)`,
      );
    case "HPE_HEADER_OVERFLOW":
      return requestLine(error.rawPacket).length > LONG_REQUEST_LINE
        ? new ApiError("uri_too_long", "the request line is longer than the server accepts")
        : new ApiError("headers_too_large", "the request headers are larger than the server accepts");
    case "HPE_INVALID_METHOD": {
      const method = methodAt(error.rawPacket, (error as { bytesParsed?: number }).bytesParsed ?? 0);
      if (TOKEN.test(method))
        return new ApiError("not_implemented", `the method ${method} is not implemented`);
      break;
    }
  }
  const reason = (error as { reason?: unknown }).reason;
  return new ApiError(
    "bad_request",
    `the request is malformed (${error.code ?? "unknown"}${typeof reason === "string" ? `: ${reason}` : ""})`,
  );
}

/** The method token of the request line around `at` (a chunk may start with a previous, valid request). */
function methodAt(raw: Buffer | undefined, at: number): string {
  if (raw === undefined) return "";
  const text = raw.toString("latin1");
  const start = text.lastIndexOf("\n", Math.max(0, at - 1)) + 1;
  return text.slice(start).split(/[ \r\n]/)[0];
}

function requestLine(raw: Buffer | undefined): string {
  if (raw === undefined) return "";
  const text = raw.toString("latin1");
  const end = text.indexOf("\r\n");
  return end < 0 ? text : text.slice(0, end);
}

/**
 * Writes the error as a complete HTTP response and closes: after the answer in progress on this socket, if
 * there is one (a pipelined request whose body ran past its Content-Length must not lose the first answer).
 * The rest of what the client sends is read and discarded until it closes or CLOSE_GRACE_MS passes.
 */
function answerAndClose(socket: Duplex, error: ApiError): void {
  const body = JSON.stringify({ error: { code: error.code, message: error.message } });
  const head =
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ""}\r\n` +
    "Content-Type: application/json; charset=utf-8\r\n" +
    `Content-Length: ${Buffer.byteLength(body)}\r\n` +
    "Connection: close\r\n\r\n";
  let written = false;
  const write = (): void => {
    if (written || socket.destroyed) return;
    written = true;
    socket.end(head + body);
    socket.resume();
    setTimeout(() => socket.destroy(), CLOSE_GRACE_MS).unref();
  };
  // The response being written on this socket, if any (Node's own field; there is no public accessor). If
  // its request is complete, the error is in what came after it: answer that first. If not, the error is in
  // its own body (a bad chunk): the app will see the request aborted, and this is the answer.
  const inProgress = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
  if (inProgress?.req.complete === true && !inProgress.writableFinished) {
    inProgress.once("finish", write);
    inProgress.once("close", write);
  } else write();
}
