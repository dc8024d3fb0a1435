#!/usr/bin/env python3
"""LightGBM's side of the evaluator benchmark: Booster.predict from Python, one thread, numpy float64 input.

Usage: lightgbm_side.py MODEL ROWS_JSON --single-calls N --batch-repeats K
Prints one JSON object: single-row latency samples (ns) and batch timings (ns) over all rows.
"""
import argparse
import json
import time

import lightgbm as lgb
import numpy as np


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("rows")
    ap.add_argument("--single-calls", type=int, default=5000)
    ap.add_argument("--batch-repeats", type=int, default=5)
    args = ap.parse_args()

    booster = lgb.Booster(model_file=args.model, params={"num_threads": 1})
    with open(args.rows) as fh:
        X = np.asarray(json.load(fh), dtype=np.float64)
    singles = [X[i : i + 1] for i in range(len(X))]

    # Warm-up, then single-row calls cycling through the rows.
    for i in range(200):
        booster.predict(singles[i % len(singles)], num_threads=1)
    single_ns = []
    for i in range(args.single_calls):
        row = singles[i % len(singles)]
        t0 = time.perf_counter_ns()
        booster.predict(row, num_threads=1)
        single_ns.append(time.perf_counter_ns() - t0)

    booster.predict(X, num_threads=1)
    batch_ns = []
    for _ in range(args.batch_repeats):
        t0 = time.perf_counter_ns()
        booster.predict(X, num_threads=1)
        batch_ns.append(time.perf_counter_ns() - t0)

    print(json.dumps({"lightgbm": lgb.__version__, "numpy": np.__version__, "rows": len(X),
                      "single_ns": single_ns, "batch_ns": batch_ns}))


if __name__ == "__main__":
    main()
