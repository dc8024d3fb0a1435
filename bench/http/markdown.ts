/**
 * latest.md: the tables of one run, generated from its JSON alone (never typed by hand), so they can be redrawn
 * from a saved result (`npm run bench -- --report bench/results/<timestamp>.json`).
 */
import type { BenchResult } from "./result";
import { f, int, mib, table } from "./markdown-format";
import { ladderSection, scalingSection } from "./markdown-ladder";
import { summaryConcurrency } from "./scaling";

export function renderMarkdown(r: BenchResult, jsonName: string): string {
  const out: string[] = [];
  const m = r.machine;
  out.push(`# HTTP benchmark: ${r.profile.name} profile, ${r.startedAt}`, "");
  out.push(
    `Generated from \`${jsonName}\` by bench/http/markdown.ts. Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ` +
      `${m.os}; commit ${m.commit}. Versions: ${Object.entries(r.versions)
        .map(([k, v]) => `${k} ${v ?? "?"}`)
        .join(", ")}. Load average at start ${r.settings.loadAverage.start.join(" ")}, at end ` +
      `${r.settings.loadAverage.end.join(" ")}. ` +
      (r.settings.pinning
        ? `Single-worker servers pinned to CPU ${r.settings.pinning.serverCpus}, their client to CPU ${r.settings.pinning.clientCpus}; for the all-cores servers see the scaling section.`
        : "No pinning."),
    "",
  );
  const busy = machineBusy(r);
  if (busy) out.push(`**${busy}**`, "");
  if (r.notes.length) out.push(...r.notes.map((n) => `- ${n}`), "");
  for (const s of r.skipped) out.push(`- **${s.role} skipped**: ${s.reason}`);
  if (r.skipped.length) out.push("");
  out.push(
    `Same work on every side: ${r.sanity.rows} rows, max |ts − control| = ${r.sanity.maxAbsDiff ?? "–"}` +
      (r.sanity.goMaxAbsDiff !== null ? `, max |go − ts| = ${r.sanity.goMaxAbsDiff}` : "") +
      `. Total errors in the run: ${String(r.summary.totalErrors)}.`,
    "",
  );
  out.push(...ladderSection(r));

  out.push("## The seed's protocol", "");
  out.push(
    `${r.profile.seed.samples} samples × ${r.profile.seed.calls} synchronous single-row calls per endpoint, interleaved. ` +
      "Seconds per 100 calls scaled from the calls per sample. The seed reported FastAPI 0.261 s, Fiber 0.086 s (mean, fresh connections, traced).",
    "",
  );
  const scale = 100 / r.profile.seed.calls;
  const seedRows: string[][] = [];
  for (const s of r.seed.summaries) {
    for (const [id, v] of Object.entries(s.perTarget)) {
      seedRows.push([
        s.variant,
        s.pair,
        id,
        f(v.meanS * scale, 4),
        f(v.medianS * scale, 4),
        f((s.beyondFloorMedianS?.[id] ?? NaN) * scale, 4),
        String(v.errors),
      ]);
    }
    seedRows.push([
      s.variant,
      s.pair,
      "**ratio control/ts**",
      `**${f(s.ratioControlOverTs?.mean, 2)}×**`,
      `**${f(s.ratioControlOverTs?.median, 2)}×**`,
      `sym. diff ${f(s.symmetricPercentDiff, 1)}%`,
      "",
    ]);
  }
  out.push(
    table(
      ["client", "pair", "target", "mean s/100", "median s/100", "median beyond floor", "errors"],
      dedupe(seedRows),
    ),
  );

  if (r.profile.seedOnly) return finish(out, r);

  out.push("## Single-row latency, sequential keep-alive (tracing on vs off)", "");
  out.push(
    table(
      ["target", "n", "p50 ms", "p95 ms", "p99 ms", "mean ms", "errors"],
      Object.entries(r.latency.summary).map(([id, s]) => [
        id,
        String(s.count),
        f(s.p50Ms),
        f(s.p95Ms),
        f(s.p99Ms),
        f(s.meanMs),
        String(s.errors),
      ]),
    ),
  );
  if (r.latency.tracingCost.length) {
    out.push(
      r.latency.tracingCost
        .map((t) => `Tracing costs ${t.role} ${f(t.p50Pct, 1)}% at p50 and ${f(t.p99Pct, 1)}% at p99.`)
        .join(" "),
      "",
    );
  }

  out.push("## Time split from Jaeger (medians over all traced requests)", "");
  if (Object.keys(r.traceSplit).length === 0) out.push("Not measured in this run (see the notes above).", "");
  else
    out.push(
      table(
        [
          "target",
          "matched",
          "client ms",
          "server span ms",
          "inference ms",
          "server overhead ms",
          "transport+client ms",
        ],
        Object.values(r.traceSplit).map((s) => [
          s.target,
          `${s.matched}/${s.requests}`,
          f(s.medianMs.client),
          f(s.medianMs.server),
          f(s.medianMs.inference),
          f(s.medianMs.serverOverhead),
          f(s.medianMs.transportClient),
        ]),
      ),
    );

  out.push("## Throughput (closed loop, single-row requests)", "");
  out.push(
    "Requests per second, p50 / p99 ms at each concurrency level; errors in the last column. " +
      "Closed-loop latencies hide queueing: see the open-loop table for latency at a fixed rate.",
    "",
  );
  const levels = r.profile.load.levels;
  const ids = [...new Set(r.load.map((x) => x.target))];
  out.push(
    table(
      ["target", ...levels.map((l) => `c=${l}`), "errors", "max client CPU"],
      ids.map((id) => {
        const runs = r.load.filter((x) => x.target === id);
        return [
          id,
          ...levels.map((l) => {
            const x = runs.find((run) => run.concurrency === l);
            return x
              ? `${int(x.result.throughputRps)} (${f(x.result.latency.p50Ms, 2)} / ${f(x.result.latency.p99Ms, 2)})`
              : "–";
          }),
          String(runs.reduce((s, x) => s + x.result.errors, 0)),
          `${f(Math.max(...runs.map((x) => x.result.clientCpuCores)), 2)} cores`,
        ];
      }),
    ),
  );

  out.push(...scalingSection(r));

  const cSummary = summaryConcurrency(levels);
  const costRows = r.load.filter((x) => x.concurrency === cSummary && x.server);
  if (costRows.length) {
    out.push(`## Server CPU and memory (concurrency ${cSummary})`, "");
    out.push(
      table(
        [
          "target",
          "CPU s per 1,000 predictions",
          "predictions per CPU-s",
          "RSS startup MiB",
          "RSS at rest MiB",
          "RSS peak MiB",
          "processes",
        ],
        costRows.map((x) => {
          const mem = r.memory.find((mm) => mm.target === x.target);
          return [
            x.target,
            f(x.server!.cpuSPer1000Predictions, 4),
            int(x.server!.predictionsPerCpuS),
            mem ? mib(mem.startupKiB) : "–",
            mem ? mib(mem.restKiB) : "–",
            mem ? mib(mem.peakKiB) : "–",
            mem ? String(mem.processes) : "–",
          ];
        }),
      ),
    );
  }

  out.push(`## Rows per request (closed loop, concurrency ${r.profile.rows.concurrency})`, "");
  const rowIds = [...new Set(r.rows.map((x) => x.target))];
  out.push(
    table(
      ["target", ...r.profile.rows.sizes.map((n) => `${n} rows: pred/s (pred/CPU-s)`)],
      rowIds.map((id) => [
        id,
        ...r.profile.rows.sizes.map((n) => {
          const x = r.rows.find((run) => run.target === id && run.rows === n);
          return x ? `${int(x.predictionsPerS)} (${int(x.server?.predictionsPerCpuS)})` : "–";
        }),
      ]),
    ),
  );

  if (r.openLoop.length) {
    out.push("## Open loop (same offered rate to each endpoint; latency from the scheduled send time)", "");
    out.push(
      table(
        ["target", "rate req/s", "achieved req/s", "p50 ms", "p95 ms", "p99 ms", "errors"],
        r.openLoop.map((x) => [
          x.target,
          `${int(x.ratePerSecond)} (${Math.round(x.fraction * 100)}% of control capacity)`,
          int(x.result.throughputRps),
          f(x.result.latency.p50Ms),
          f(x.result.latency.p95Ms),
          f(x.result.latency.p99Ms),
          String(x.result.errors),
        ]),
      ),
    );
  }

  return finish(out, r);
}

function finish(out: string[], r: BenchResult): string {
  out.push("## Summary figures", "", "```json", JSON.stringify(r.summary, null, 2), "```", "");
  return out.join("\n");
}

/**
 * A warning when other work competed for the machine: the 1-minute load average when the run started above
 * 75 % of the cores. Only the start counts: during and after the run the benchmark's own client, servers and
 * Jaeger keep a 2-core machine busy, so the load at the end says nothing about other work.
 */
export function machineBusy(r: BenchResult): string | null {
  const before = r.settings.loadAverage.start[0] ?? 0;
  if (before <= 0.75 * r.machine.cores) return null;
  return (
    `The machine was busy with other work when this run started (1-minute load average ${before.toFixed(1)} on ` +
    `${r.machine.cores} cores): treat every figure as noise; rerun on a quiet machine before quoting anything.`
  );
}

/** Floor rows repeat once per pair; keep the first. */
function dedupe(rows: string[][]): string[][] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const key = row.join("|");
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
