/**
 * HTTP over a raw socket, for what fetch cannot send (malformed requests, bodies longer than their
 * Content-Length, uploads the server answers early): writes the bytes, reads until the server closes or a
 * whole response has arrived, and parses the first response's status and JSON body.
 */
import * as net from "node:net";

export interface RawAnswer {
  readonly status: number;
  readonly headers: string;
  readonly json: unknown;
  /** Everything the server sent. */
  readonly text: string;
}

/** Sends `head` then `body` (written in 64 KiB pieces, stopping quietly if the server closes). */
export function rawExchange(port: number, head: string, body = "", timeoutMs = 5000): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms; got ${JSON.stringify(received)}`));
    }, timeoutMs);
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      try {
        resolve(parseFirstResponse(received));
      } catch (error) {
        reject(error as Error);
      }
    };
    socket.on("data", (chunk: Buffer) => {
      received += chunk.toString("latin1");
      if (complete(received)) finish();
    });
    socket.on("end", finish);
    socket.on("error", () => (received === "" ? undefined : finish()));
    socket.write(head, "latin1");
    let sent = 0;
    const pump = (): void => {
      while (sent < body.length && !socket.destroyed) {
        const piece = body.slice(sent, sent + 65536);
        sent += piece.length;
        if (!socket.write(piece, "latin1")) {
          socket.once("drain", pump);
          return;
        }
      }
    };
    pump();
  });
}

function complete(text: string): boolean {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) return false;
  const length = /\r\ncontent-length: *(\d+)/i.exec(text.slice(0, end));
  return length !== null && text.length >= end + 4 + Number(length[1]);
}

export function parseFirstResponse(text: string): RawAnswer {
  const end = text.indexOf("\r\n\r\n");
  if (end < 0) throw new Error(`not an HTTP response: ${JSON.stringify(text.slice(0, 200))}`);
  const headers = text.slice(0, end);
  const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]);
  const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headers)?.[1] ?? 0);
  const body = text.slice(end + 4, end + 4 + length);
  return { status, headers, json: body === "" ? null : (JSON.parse(body) as unknown), text };
}

/** Writes `bytes` and collects everything the server sends until it closes the connection. */
export function rawUntilClose(port: number, bytes: string, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1");
    let received = "";
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the server did not close within ${timeoutMs} ms; got ${JSON.stringify(received)}`));
    }, timeoutMs);
    socket.on("data", (chunk: Buffer) => (received += chunk.toString("latin1")));
    socket.on("close", () => {
      clearTimeout(timer);
      resolve(received);
    });
    socket.on("error", () => undefined);
    socket.write(bytes, "latin1");
  });
}

/** The responses in `text`, in order. */
export function parseResponses(text: string): RawAnswer[] {
  const answers: RawAnswer[] = [];
  let rest = text;
  while (rest.startsWith("HTTP/1.1 ")) {
    const answer = parseFirstResponse(rest);
    answers.push(answer);
    const end = rest.indexOf("\r\n\r\n") + 4;
    const length = Number(/\r\ncontent-length: *(\d+)/i.exec(answer.headers)?.[1] ?? 0);
    rest = rest.slice(end + length);
  }
  return answers;
}
