"""Draws the HTTP benchmark's figures from its JSON: `python bench/plots.py bench/results/<time>.json images/`.

Everything comes from the JSON the harness wrote (bench/http/harness.ts); nothing is typed in. Figures:
  latency_distributions.png  sequential single-row latency per target (tracing on/off), and the seed samples
  time_split.png             inference / server overhead / transport+client, medians from Jaeger
  throughput.png             throughput and p99 against concurrency (closed loop)
  rows_per_request.png       predictions per second and per server CPU-second against rows per request
  memory.png                 server RSS at start-up, at rest and at peak
  trace_<target>.png         the median trace (by server-span duration) per endpoint, Gantt style
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

COLORS = {
    "floor": "#888888",
    "go-floor": "#98df8a",
    "bare": "#9467bd",
    "ts": "#1f77b4",
    "go": "#2ca02c",
    "control": "#d62728",
}


def role(target: str) -> str:
    # "go-floor" before "go": the Go floor is a floor, drawn in a paler green.
    for r in ("floor", "go-floor", "bare", "ts", "go", "control"):
        if target.startswith(r):
            return r
    return "ts"


def style(target: str) -> dict:
    """Colour by endpoint; dashed when traced; thinner for all-cores runs."""
    return {
        "color": COLORS[role(target)],
        "linestyle": "--" if target.endswith("-traced") and not target.endswith("untraced") else "-",
        "linewidth": 1.2 if "-all" in target else 2.0,
    }


def subtitle(r: dict) -> str:
    m = r["machine"]
    # Only the load before the run tells of other work: the benchmark itself keeps 2 cores busy.
    load = r["settings"]["loadAverage"]["start"][0]
    busy = "  BUSY MACHINE: figures are noise" if load > 0.75 * m["cores"] else ""
    return (
        f"{r['profile']['name']} profile, {m['cpu']} ({m['cores']} cores), commit {m['commit']}, "
        f"{r['startedAt'][:19]}, load average at start {load:.1f}{busy}"
    )


def save(fig, out: Path, name: str) -> None:
    fig.tight_layout()
    fig.savefig(out / name, dpi=110)
    plt.close(fig)
    print(f"wrote {out / name}")


def latency_distributions(r: dict, out: Path) -> None:
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5))
    for target, values in r["latency"]["latenciesMs"].items():
        if not values:
            continue
        xs = sorted(values)
        ys = [(i + 1) / len(xs) for i in range(len(xs))]
        ax1.plot(xs, ys, label=target, **style(target))
    ax1.set_xscale("log")
    ax1.set_xlabel("latency (ms, log scale)")
    ax1.set_ylabel("fraction of requests at or below")
    ax1.set_title("Sequential single-row requests (keep-alive), CDF")
    ax1.grid(True, which="both", alpha=0.3)
    ax1.legend(fontsize=8)

    scale = 100 / r["profile"]["seed"]["calls"]
    labels, data, colors = [], [], []
    for run in r["seed"]["runs"]:
        for target, seconds in run["seconds"].items():
            labels.append(f"{target}\n({run['variant']})")
            data.append([s * scale for s in seconds])
            colors.append(COLORS[role(target)])
    if data:
        box = ax2.boxplot(data, patch_artist=True, showfliers=True)
        for patch, c in zip(box["boxes"], colors, strict=True):
            patch.set_facecolor(c)
            patch.set_alpha(0.5)
        ax2.set_xticks(range(1, len(labels) + 1), labels, rotation=60, ha="right", fontsize=7)
        ax2.axhline(0.261, color=COLORS["control"], linestyle=":", linewidth=1, label="seed FastAPI mean 0.261 s")
        ax2.axhline(0.086, color="#2ca02c", linestyle=":", linewidth=1, label="seed Fiber mean 0.086 s")
        ax2.set_yscale("log")
        ax2.set_ylabel("seconds per 100 calls (log scale)")
        ax2.set_title("The seed's protocol: one box per endpoint and client")
        ax2.legend(fontsize=7)
    fig.suptitle(subtitle(r), fontsize=9)
    save(fig, out, "latency_distributions.png")


def time_split(r: dict, out: Path) -> None:
    splits = list(r["traceSplit"].values())
    if not splits:
        return
    fig, ax = plt.subplots(figsize=(9, 2 + 0.9 * len(splits)))
    parts = [
        ("inference", "inference (model-inference span)", "#2ca02c"),
        ("serverOverhead", "server overhead (server span - inference)", "#ff7f0e"),
        ("transportClient", "transport and client (client - server span)", "#9467bd"),
    ]
    names = [s["target"] for s in splits]
    left = [0.0] * len(splits)
    for key, label, color in parts:
        widths = [max(0.0, s["medianMs"][key]) for s in splits]
        ax.barh(names, widths, left=left, color=color, label=label)
        for i, (x, w) in enumerate(zip(left, widths, strict=True)):
            if w > 0.08 * max(s["medianMs"]["client"] for s in splits):
                ax.text(x + w / 2, i, f"{w:.3f}", ha="center", va="center", fontsize=8, color="white")
        left = [a + b for a, b in zip(left, widths, strict=True)]
    for i, s in enumerate(splits):
        ax.text(
            left[i], i, f"  client median {s['medianMs']['client']:.3f} ms (n={s['matched']})", va="center", fontsize=8
        )
    ax.set_xlabel("milliseconds (medians of each part over all traced requests)")
    ax.set_title("Where a single-row request's time goes (from Jaeger span durations)")
    ax.set_xlim(0, max(left) * 1.6)
    ax.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.35), ncol=3)
    fig.suptitle(subtitle(r), fontsize=9)
    save(fig, out, "time_split.png")


def throughput(r: dict, out: Path) -> None:
    runs = r["load"]
    if not runs:
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5))
    for target in dict.fromkeys(x["target"] for x in runs):
        mine = sorted((x for x in runs if x["target"] == target), key=lambda x: x["concurrency"])
        cs = [x["concurrency"] for x in mine]
        ax1.plot(cs, [x["result"]["throughputRps"] for x in mine], marker="o", label=target, **style(target))
        ax2.plot(cs, [x["result"]["latency"]["p99Ms"] for x in mine], marker="o", label=target, **style(target))
    for ax in (ax1, ax2):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("concurrency (closed loop)")
        ax.grid(True, which="both", alpha=0.3)
    ax1.set_yscale("log")
    ax1.set_ylabel("requests per second (log scale)")
    ax1.set_title("Throughput (the floor is the client's ceiling)")
    ax2.set_yscale("log")
    ax2.set_ylabel("p99 latency, ms (log scale)")
    ax2.set_title("p99 latency at each concurrency")
    ax1.legend(fontsize=7)
    fig.suptitle(subtitle(r), fontsize=9)
    save(fig, out, "throughput.png")


def rows_per_request(r: dict, out: Path) -> None:
    runs = r["rows"]
    if not runs:
        return
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(13, 5))
    for target in dict.fromkeys(x["target"] for x in runs):
        if role(target) in ("floor", "go-floor"):
            continue  # the floors make no predictions
        mine = sorted((x for x in runs if x["target"] == target), key=lambda x: x["rows"])
        rows = [x["rows"] for x in mine]
        ax1.plot(rows, [x["predictionsPerS"] for x in mine], marker="o", label=target, **style(target))
        per_cpu = [x["server"]["predictionsPerCpuS"] if x["server"] else None for x in mine]
        if all(v is not None for v in per_cpu):
            ax2.plot(rows, per_cpu, marker="o", label=target, **style(target))
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("rows per request (log scale)")
        ax.grid(True, which="both", alpha=0.3)
        ax.legend(fontsize=8)
    ax1.set_ylabel("predictions per second")
    ax1.set_title(f"Predictions per second (concurrency {r['profile']['rows']['concurrency']})")
    ax2.set_ylabel("predictions per server CPU-second")
    ax2.set_title("Predictions per CPU-second of the server")
    fig.suptitle(subtitle(r), fontsize=9)
    save(fig, out, "rows_per_request.png")


def memory(r: dict, out: Path) -> None:
    mem = r["memory"]
    if not mem:
        return
    fig, ax = plt.subplots(figsize=(12, 5))
    width = 0.27
    xs = range(len(mem))
    for k, (key, label, alpha) in enumerate(
        [("startupKiB", "after start-up", 0.35), ("restKiB", "at rest", 0.6), ("peakKiB", "peak under load", 1.0)]
    ):
        ax.bar(
            [x + (k - 1) * width for x in xs],
            [m[key] / 1024 for m in mem],
            width,
            label=label,
            alpha=alpha,
            color=[COLORS[role(m["target"])] for m in mem],
            edgecolor="black",
            linewidth=0.5,
        )
    ax.set_xticks(
        list(xs), [f"{m['target']}\n({m['processes']} proc)" for m in mem], rotation=30, ha="right", fontsize=8
    )
    ax.set_ylabel("RSS of the server and its workers (MiB)")
    ax.set_title("Server memory, sampled by pid (bars: start-up, rest, peak)")
    ax.legend(fontsize=8)
    fig.suptitle(subtitle(r), fontsize=9)
    save(fig, out, "memory.png")


def traces(r: dict, out: Path) -> None:
    for target, split in r["traceSplit"].items():
        rep = split.get("representative")
        if not rep:
            continue
        fig, ax = plt.subplots(figsize=(10, 3.0))
        client = rep["clientMs"]
        server = next((s for s in rep["spans"] if s["kind"] == "SERVER"), None)
        if server is None:
            plt.close(fig)
            continue
        # The client's clock and the server's are not compared: the server span is drawn centred in the client
        # latency (transport split evenly both ways), and children at their offset within it.
        shift = max(0.0, (client - server["durationMs"]) / 2)
        bars = [("client (measured)", 0.0, client, "#9467bd")]
        for s in rep["spans"]:
            start = shift + max(0.0, s["offsetMs"])
            end = (
                min(start + s["durationMs"], shift + server["durationMs"])
                if s is not server
                else start + s["durationMs"]
            )
            start = max(shift, end - s["durationMs"]) if s is not server else start
            color = "#ff7f0e" if s["kind"] == "SERVER" else "#2ca02c"
            bars.append((f"{s['name']} ({s['kind'].lower()})", start, s["durationMs"], color))
        for i, (_label, start, dur, color) in enumerate(bars):
            ax.barh(i, dur, left=start, color=color, height=0.6)
            ax.text(start + dur, i, f"  {dur:.3f} ms", va="center", fontsize=8)
        ax.set_yticks(range(len(bars)), [b[0] for b in bars], fontsize=8)
        ax.invert_yaxis()
        ax.set_xlim(0, client * 1.35)
        ax.set_xlabel("milliseconds (durations exact; positions of server spans within the client time approximate)")
        ax.set_title(
            f"{target}: the median trace by server-span duration of {split['matched']} (trace {rep['traceId'][:12]}…)",
            fontsize=9,
        )
        fig.suptitle(subtitle(r), fontsize=8)
        save(fig, out, f"trace_{target}.png")


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: plots.py RESULT.json OUT_DIR", file=sys.stderr)
        return 2
    result = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    if result["profile"].get("seedOnly"):
        print("seed profile: the cost ladder is a table (latest.md); no plots drawn")
        return 0
    for draw in (latency_distributions, time_split, throughput, rows_per_request, memory, traces):
        draw(result, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
