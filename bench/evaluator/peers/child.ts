/**
 * The Node side of the peer protocol (the same as c/harness.c and python/child.py):
 *   ENGINE exact ARTIFACT ROWS.bin NCOL WIDTH RAW OUT.bin
 *   ENGINE speed ARTIFACT ROWS.bin NCOL WIDTH SINGLE_CALLS BATCH_ROWS BATCH_REPEATS RAMP_CALLS
 * speed: load, first call, RAMP_CALLS single-row calls timed one by one from the start, SINGLE_CALLS more,
 * then BATCH_REPEATS batches (after one untimed); prints one JSON line of nanoseconds, then waits for stdin
 * to close so the runner can read this process's RSS from /proc.
 */
import * as fs from "node:fs";
import { loadChildEngine } from "./child-engines";

function readRows(file: string): Float64Array {
  const bytes = fs.readFileSync(file);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

const now = () => process.hrtime.bigint();

async function exact(engine: string, args: string[]): Promise<void> {
  const [artifact, rowsFile, ncol, width, raw, outFile] = args;
  const rows = readRows(rowsFile);
  const n = rows.length / Number(ncol);
  const e = await loadChildEngine(engine, artifact, Number(ncol), Number(width), raw === "1");
  const out = new Float64Array(n * Number(width));
  await e.predictBatch(rows, n, out);
  fs.writeFileSync(outFile, out);
}

async function speed(engine: string, args: string[]): Promise<void> {
  const [artifact, rowsFile] = args;
  const [ncol, width, single, batchRowsWanted, repeats, ramp] = args.slice(2).map(Number);
  const rows = readRows(rowsFile);
  const n = rows.length / ncol;
  const batchRows = Math.min(batchRowsWanted, n);
  const singles = Array.from({ length: n }, (_, r) => rows.slice(r * ncol, (r + 1) * ncol));
  const out = new Float64Array(batchRows * width);
  const one = new Float64Array(width);
  let t0 = now();
  const e = await loadChildEngine(engine, artifact, ncol, width, false);
  const loadNs = Number(now() - t0);
  t0 = now();
  await e.predictRow(singles[0], one);
  const firstCallNs = Number(now() - t0);
  const timeCalls = async (count: number) => {
    const ns: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = now();
      await e.predictRow(singles[i % n], one);
      ns.push(Number(now() - t));
    }
    return ns;
  };
  const rampNs = await timeCalls(ramp);
  const singleNs = await timeCalls(single);
  const batch = rows.subarray(0, batchRows * ncol);
  await e.predictBatch(batch, batchRows, out);
  const batchNs: number[] = [];
  for (let k = 0; k < repeats; k++) {
    t0 = now();
    await e.predictBatch(batch, batchRows, out);
    batchNs.push(Number(now() - t0));
  }
  process.stdout.write(
    JSON.stringify({ loadNs, firstCallNs, rampNs, singleNs, batchNs, check: out[0] }) + "\n",
  );
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on("end", resolve));
}

const [engine, mode, ...rest] = process.argv.slice(2);
(mode === "exact" ? exact(engine, rest) : speed(engine, rest)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(3);
});
