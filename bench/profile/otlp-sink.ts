/**
 * A do-nothing OTLP/HTTP receiver for the profile harness: accepts every export with 200 and an empty protobuf
 * body (a full ExportTraceServiceResponse), counts the bytes, and drops them. The traced variants' spans go here
 * rather than to Jaeger, so the server pays exactly what export costs it and nothing runs beside it but this.
 *
 * Env: PORT (required). Prints "received <n> bytes in <k> batches" on SIGTERM.
 */
import * as http from "node:http";

let bytes = 0;
let batches = 0;
const server = http.createServer((req, res) => {
  req.on("data", (chunk: Buffer) => (bytes += chunk.length));
  req.on("end", () => {
    batches++;
    res.writeHead(200, { "content-type": "application/x-protobuf", "content-length": 0 });
    res.end();
  });
});
server.listen(Number(process.env.PORT), "127.0.0.1");
process.on("SIGTERM", () => {
  process.stderr.write(`otlp-sink: received ${bytes} bytes in ${batches} batches\n`);
  process.exit(0);
});
