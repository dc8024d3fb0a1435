#!/usr/bin/env python3
"""LightGBM's Booster.predict from Python (one thread, numpy float64) in the peer protocol of c/harness.c:
  exact MODEL ROWS.bin NCOL WIDTH RAW OUT.bin
  speed MODEL ROWS.bin NCOL WIDTH SINGLE_CALLS BATCH_ROWS BATCH_REPEATS RAMP_CALLS
"""
import json
import sys
import time

import lightgbm as lgb
import numpy as np


def main(argv: list[str]) -> int:
    mode, model, rows_file, ncol, width = argv[1], argv[2], argv[3], int(argv[4]), int(argv[5])
    X = np.fromfile(rows_file, dtype=np.float64).reshape(-1, ncol)
    if mode == "exact":
        booster = lgb.Booster(model_file=model, params={"num_threads": 1})
        out = np.asarray(booster.predict(X, raw_score=argv[6] == "1", num_threads=1), dtype=np.float64)
        out.reshape(len(X), width).tofile(argv[7])
        return 0
    single, batch_rows, repeats, ramp = (int(v) for v in argv[6:10])
    singles = [X[i : i + 1] for i in range(len(X))]
    batch = X[:batch_rows]
    t0 = time.perf_counter_ns()
    booster = lgb.Booster(model_file=model, params={"num_threads": 1})
    load_ns = time.perf_counter_ns() - t0
    t0 = time.perf_counter_ns()
    booster.predict(singles[0], num_threads=1)
    first_ns = time.perf_counter_ns() - t0

    def timed_calls(count: int) -> list[int]:
        ns = []
        for i in range(count):
            t = time.perf_counter_ns()
            booster.predict(singles[i % len(singles)], num_threads=1)
            ns.append(time.perf_counter_ns() - t)
        return ns

    ramp_ns = timed_calls(ramp)
    single_ns = timed_calls(single)
    booster.predict(batch, num_threads=1)
    batch_ns = []
    for _ in range(repeats):
        t = time.perf_counter_ns()
        out = booster.predict(batch, num_threads=1)
        batch_ns.append(time.perf_counter_ns() - t)
    print(json.dumps({"loadNs": load_ns, "firstCallNs": first_ns, "rampNs": ramp_ns, "singleNs": single_ns,
                      "batchNs": batch_ns, "check": float(np.ravel(out)[0])}), flush=True)
    sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
