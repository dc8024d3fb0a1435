/** The cost ladder and the multi-core scaling as Markdown: for latest.md, and printed by the CLI. */
import { f, int, table } from "./markdown-format";
import type { BenchResult, Ladder } from "./result";

const VARIANT = { keepalive: "keep-alive", fresh: "a fresh connection per call" } as const;

export function ladderTable(ladder: Ladder): string {
  // Older results (before the Go floor) have no own-floor figures: their table keeps its three columns.
  const own = ladder.rungs.some((rung) => typeof rung.beyondOwnFloorUs === "number");
  const rows = ladder.rungs.map((rung) => [
    rung.rung,
    f(rung.perCallUs, 0),
    rung.target.startsWith("floor") ? "–" : f(rung.beyondFloorUs, 0),
    ...(own ? [typeof rung.beyondOwnFloorUs === "number" ? f(rung.beyondOwnFloorUs, 0) : "–"] : []),
    String(rung.errors),
  ]);
  const ratios = Object.entries(ladder.ratios)
    .map(([name, value]) => `${name} ${value === null ? "– (not measured)" : `${f(value, 2)}×`}`)
    .join("; ");
  const head = [
    "rung",
    "µs per call",
    "µs beyond the floor",
    ...(own ? ["µs beyond its runtime's floor"] : []),
  ];
  return `${table([...head, "errors"], rows)}\nRatios: ${ratios}.\n`;
}

export function ladderSection(r: BenchResult): string[] {
  if (r.ladder.length === 0) return [];
  const out = ["## The cost ladder (the seed's protocol, per call)", ""];
  out.push(
    `Each rung answered ${r.profile.seed.samples} samples × ${r.profile.seed.calls} synchronous single-row calls ` +
      "in one run, interleaved, from the same client; per call = median over samples of the sample's time / calls. " +
      (r.settings.pinning
        ? `Servers pinned to CPU ${r.settings.pinning.serverCpus}, client on CPU ${r.settings.pinning.clientCpus}.`
        : "No pinning."),
    "",
  );
  for (const s of r.skipped) out.push(`The ${s.role} rungs are missing: ${s.reason}.`, "");
  for (const ladder of r.ladder) {
    if (ladder.serverCpuBusy) {
      out.push(
        `### With ${VARIANT[ladder.variant]}, the servers' CPU kept busy at idle priority`,
        "",
        "A busy loop under SCHED_IDLE on the servers' CPU (bench/http/busy-cpu.ts): the servers preempt it at " +
          "once, but the CPU never goes idle between two calls, so this run leaves out the cost of waking an idle " +
          "CPU, as a server under load does. The Go runtime avoids part of that cost by itself, spinning a while " +
          "before it parks.",
        "",
        ladderTable(ladder),
      );
    } else out.push(`### With ${VARIANT[ladder.variant]}`, "", ladderTable(ladder));
  }
  return out;
}

export function scalingSection(r: BenchResult): string[] {
  const s = r.scaling;
  if (!s) return [];
  const out = [
    `## Multi-core scaling (closed loop, concurrency ${s.concurrency}, untraced)`,
    "",
    `${s.note}.`,
    "",
  ];
  out.push(
    table(
      ["endpoint", "one worker req/s", "all cores req/s", "all / one"],
      s.rows.map((row) => [
        row.role,
        int(row.oneWorkerRps),
        int(row.allCoresRps),
        row.scaling === null ? "–" : `${f(row.scaling, 2)}×`,
      ]),
    ),
    `ours / Go: one worker ${f(s.tsOverGo.oneWorker, 2)}×, all cores ${f(s.tsOverGo.allCores, 2)}×.`,
    "",
  );
  return out;
}
