#!/usr/bin/env python3
"""Turns LightGBM model.txt files into one peer's artifact (run with the peers' own .venv).

Usage: prepare.py PEER < jobs.json     jobs: [{"model": "...model.txt", "outdir": "...", "raw": false}, ...]
Prints a JSON list, one entry per job: {"artifact": path, "seconds": s} or {"error": "why it failed"}.
PEER is one of lleaves, tl2cgen, m2cgen, onnx (the modules beside this file). An artifact already in outdir
is reused (seconds then says what it took when it was made).
"""
from __future__ import annotations

import importlib
import json
import os
import sys
import time
import traceback


def run(peer: str, job: dict) -> dict:
    module = importlib.import_module(f"{peer}_peer")
    stamp = os.path.join(job["outdir"], "prepared.json")
    if os.path.exists(stamp):
        with open(stamp) as fh:
            return json.load(fh)
    os.makedirs(job["outdir"], exist_ok=True)
    t0 = time.perf_counter()
    try:
        artifact = module.prepare(job["model"], job["outdir"], bool(job.get("raw")))
    except Exception as e:  # the reason is the result: a peer that refuses a model says why
        last = traceback.extract_tb(e.__traceback__)[-1]
        return {"error": f"{type(e).__name__}: {str(e).strip()[:300]} ({os.path.basename(last.filename)}:{last.lineno})"}
    result = {"artifact": artifact, "seconds": time.perf_counter() - t0}
    with open(stamp, "w") as fh:
        json.dump(result, fh)
    return result


def main() -> int:
    sys.setrecursionlimit(100_000)
    peer = sys.argv[1]
    jobs = json.load(sys.stdin)
    # The generators log to stdout (tl2cgen's C++ does): keep fd 1 for the answer alone.
    answer = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)
    answer.write(json.dumps([run(peer, job) for job in jobs]) + "\n")
    answer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
