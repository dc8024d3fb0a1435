/**
 * The speed table: each engine in its own process on one benchmark model, sides alternating over rounds (the
 * order reverses every round). Per engine: single row (median µs per call after the ramp), batch (rows/s,
 * median over repeats), artifact preparation (compile) and load time, first call, time to full speed and
 * pauses, RSS after warm-up (from /proc by pid). Each figure is the median over rounds.
 */
import { median } from "../../machine";
import { runSpeed, type SpeedSample, type SpeedSettings } from "./child-process";
import type { Peer } from "./peers";

export const RAMP_BLOCK = 500; // calls per block when looking for full speed
const FULL_SPEED_SLACK = 1.25; // a block is at full speed when its median call is within 1.25x the steady median
const PAUSE_NS = 10e6;

export interface SpeedFigures {
  prepareS: number;
  loadMs: number;
  firstCallMs: number;
  /** From the start of the load to the first ramp block after which every block runs at full speed; null: never. */
  fullSpeedMs: number | null;
  /** Single calls over 10 ms after the first call (ramp and measured calls), and the longest. */
  pauses: number;
  longestCallMs: number;
  singleUs: number;
  batchRowsPerS: number;
  rssMiB: number;
}

export interface SpeedSide {
  peer: string;
  figures: SpeedFigures;
  rounds: SpeedFigures[];
}

function fullSpeedMs(s: SpeedSample, steadyNs: number): number | null {
  const blocks: number[][] = [];
  for (let i = 0; i + RAMP_BLOCK <= s.rampNs.length; i += RAMP_BLOCK) {
    blocks.push(s.rampNs.slice(i, i + RAMP_BLOCK));
  }
  let first = blocks.length;
  while (first > 0 && median(blocks[first - 1]) <= FULL_SPEED_SLACK * steadyNs) first--;
  if (first === blocks.length) return null;
  const before = blocks.slice(0, first).reduce((sum, b) => sum + b.reduce((a, x) => a + x, 0), 0);
  return (s.loadNs + s.firstCallNs + before) / 1e6;
}

export function figures(s: SpeedSample, batchRows: number, prepareS: number): SpeedFigures {
  const steadyNs = median(s.singleNs);
  const calls = [...s.rampNs, ...s.singleNs];
  return {
    prepareS,
    loadMs: s.loadNs / 1e6,
    firstCallMs: s.firstCallNs / 1e6,
    fullSpeedMs: fullSpeedMs(s, steadyNs),
    pauses: calls.filter((ns) => ns > PAUSE_NS).length,
    longestCallMs: Math.max(...calls) / 1e6,
    singleUs: steadyNs / 1e3,
    batchRowsPerS: batchRows / (median(s.batchNs) / 1e9),
    rssMiB: s.rssKiB / 1024,
  };
}

function medianFigures(rounds: SpeedFigures[]): SpeedFigures {
  const m = (pick: (f: SpeedFigures) => number) => median(rounds.map(pick));
  const reached = rounds.map((f) => f.fullSpeedMs).filter((x): x is number => x !== null);
  return {
    prepareS: m((f) => f.prepareS),
    loadMs: m((f) => f.loadMs),
    firstCallMs: m((f) => f.firstCallMs),
    fullSpeedMs: reached.length * 2 > rounds.length ? median(reached) : null,
    pauses: m((f) => f.pauses),
    longestCallMs: m((f) => f.longestCallMs),
    singleUs: m((f) => f.singleUs),
    batchRowsPerS: m((f) => f.batchRowsPerS),
    rssMiB: m((f) => f.rssMiB),
  };
}

export interface SpeedJob {
  peer: Peer;
  artifact: string;
  prepareS: number;
}

/** Runs every job once per round, alternating the order, and returns each engine's figures. */
export async function speed(
  jobs: readonly SpeedJob[],
  model: { rowsFile: string; ncol: number; width: number },
  settings: SpeedSettings & { rounds: number },
  log: (line: string) => void,
): Promise<SpeedSide[]> {
  const perPeer = new Map<string, SpeedFigures[]>(jobs.map((j) => [j.peer.name, []]));
  for (let r = 0; r < settings.rounds; r++) {
    const order = r % 2 === 0 ? jobs : [...jobs].reverse();
    for (const job of order) {
      const sample = await runSpeed(
        job.peer,
        job.artifact,
        model.rowsFile,
        model.ncol,
        model.width,
        settings,
      );
      const f = figures(sample, settings.batchRows, job.prepareS);
      perPeer.get(job.peer.name)!.push(f);
      log(
        `  round ${r + 1}/${settings.rounds} ${job.peer.name}: ${f.singleUs.toFixed(1)} µs/row single, ${Math.round(f.batchRowsPerS)} rows/s batch`,
      );
    }
  }
  return jobs.map((j) => {
    const rounds = perPeer.get(j.peer.name)!;
    return { peer: j.peer.name, figures: medianFigures(rounds), rounds };
  });
}
