/** Runs one engine's child process in the peer protocol; for speed, reads its RSS from /proc by pid. */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import type { Peer } from "./peers";

export interface SpeedSample {
  loadNs: number;
  firstCallNs: number;
  rampNs: number[];
  singleNs: number[];
  batchNs: number[];
  rssKiB: number;
}

export interface SpeedSettings {
  singleCalls: number;
  batchRows: number;
  batchRepeats: number;
  rampCalls: number;
}

/** Predicts every row of rowsFile with the engine's batch call; returns nrow * width values. */
export function runExact(
  peer: Peer,
  artifact: string,
  rowsFile: string,
  ncol: number,
  width: number,
  raw: boolean,
): Float64Array {
  const [command, args] = peer.command();
  const outFile = `${rowsFile}.${peer.name}${raw ? ".raw" : ""}.out`;
  fs.rmSync(outFile, { force: true });
  execFileSync(
    command,
    [...args, "exact", artifact, rowsFile, String(ncol), String(width), raw ? "1" : "0", outFile],
    {
      stdio: ["ignore", "ignore", "pipe"],
      timeout: 300_000,
    },
  );
  const bytes = fs.readFileSync(outFile);
  return new Float64Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
}

function rssKiB(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN);
}

export function runSpeed(
  peer: Peer,
  artifact: string,
  rowsFile: string,
  ncol: number,
  width: number,
  s: SpeedSettings,
): Promise<SpeedSample> {
  const [command, args] = peer.command();
  const numbers = [ncol, width, s.singleCalls, s.batchRows, s.batchRepeats, s.rampCalls].map(String);
  const child = spawn(command, [...args, "speed", artifact, rowsFile, ...numbers], {
    stdio: ["pipe", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let stdout = "";
    let stderr = "";
    let sample: SpeedSample | null = null;
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.on("data", (d: Buffer) => {
      stdout += d.toString();
      if (sample || !stdout.includes("\n")) return;
      // The child has finished and waits: its RSS now is the RSS after warm-up and the batches.
      sample = {
        ...(JSON.parse(stdout.slice(0, stdout.indexOf("\n"))) as Omit<SpeedSample, "rssKiB">),
        rssKiB: rssKiB(child.pid!),
      };
      child.stdin.end();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      if (sample && code === 0) resolve(sample);
      else reject(new Error(`${peer.name} exited with ${code}: ${stderr.trim().slice(-500)}`));
    });
  });
}
