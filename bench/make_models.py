#!/usr/bin/env python3
"""Write the models and input rows the evaluator benchmark needs.

Usage: .venv/bin/python bench/make_models.py OUTDIR [--rows 10000]

OUTDIR/seed/model.txt        copy of model/model.txt (500 trees x 31 leaves, 20 features; see model/README.md)
OUTDIR/seed/rows.json        rows of make_regression(n_features=20, n_informative=15, noise=0.1, random_state=5)
OUTDIR/binary/model.txt      binary classifier: make_classification, 20 features, 300 trees, 31 leaves
OUTDIR/binary/rows.json      held-out rows of the same make_classification draw
OUTDIR/multiclass_cat/model.txt  5-class softmax model, 3 integer categorical columns (30-60 categories)
                                 + 12 numeric ones, 120 iterations (600 trees), 31 leaves
OUTDIR/multiclass_cat/rows.json  held-out rows of the same distribution

rows.json is a JSON list of lists of float64, written with repr() (exact round trip), no NaN.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time

import lightgbm as lgb
import numpy as np
from sklearn.datasets import make_classification, make_regression

HERE = os.path.dirname(os.path.abspath(__file__))
SEED_MODEL = os.path.join(HERE, "..", "model", "model.txt")
N_TRAIN = 10_000


def write_rows(path: str, X: np.ndarray) -> None:
    X = np.asarray(X, dtype=np.float64)
    assert np.isfinite(X).all()
    with open(path, "w") as fh:
        json.dump([[float(v) for v in row] for row in X.tolist()], fh, allow_nan=False)


def seed(outdir: str, n_rows: int) -> None:
    d = os.path.join(outdir, "seed")
    os.makedirs(d, exist_ok=True)
    if not os.path.exists(SEED_MODEL):
        raise SystemExit(f"{SEED_MODEL} is missing: run model/train.py first")
    shutil.copyfile(SEED_MODEL, os.path.join(d, "model.txt"))
    X, _ = make_regression(n_samples=n_rows, n_features=20, n_informative=15, noise=0.1, random_state=5)
    write_rows(os.path.join(d, "rows.json"), X)


def binary(outdir: str, n_rows: int, threads: int) -> None:
    d = os.path.join(outdir, "binary")
    os.makedirs(d, exist_ok=True)
    X, y = make_classification(n_samples=N_TRAIN + n_rows, n_features=20, n_informative=12, n_redundant=4,
                               n_classes=2, flip_y=0.05, random_state=11)
    params = dict(objective="binary", num_leaves=31, learning_rate=0.05, verbose=-1, num_threads=threads,
                  seed=11, deterministic=True, force_col_wise=True)
    booster = lgb.train(params, lgb.Dataset(X[:N_TRAIN], y[:N_TRAIN]), num_boost_round=300)
    booster.save_model(os.path.join(d, "model.txt"))
    write_rows(os.path.join(d, "rows.json"), X[N_TRAIN:])


def multiclass_cat(outdir: str, n_rows: int, threads: int) -> None:
    d = os.path.join(outdir, "multiclass_cat")
    os.makedirs(d, exist_ok=True)
    rng = np.random.default_rng(12)
    n = N_TRAIN + n_rows
    n_classes = 5
    num, _ = make_classification(n_samples=n, n_features=12, n_informative=8, n_redundant=2, n_classes=n_classes,
                                 n_clusters_per_class=1, random_state=12)
    n_cats = (30, 45, 60)
    cats = [rng.integers(0, k, size=n) for k in n_cats]
    score = num[:, :n_classes] * 1.0
    for k, c in zip(n_cats, cats, strict=True):
        score += rng.normal(size=(k, n_classes))[c]  # per-category class effect
    y = np.argmax(score + rng.gumbel(size=score.shape), axis=1)
    X = np.column_stack([cats[0], num[:, :4], cats[1], num[:, 4:8], cats[2], num[:, 8:]]).astype(np.float64)
    cat_idx = [0, 5, 10]
    params = dict(objective="multiclass", num_class=n_classes, num_leaves=31, learning_rate=0.1, verbose=-1,
                  num_threads=threads, seed=12, deterministic=True, force_col_wise=True, cat_smooth=5.0,
                  min_data_per_group=20)
    ds = lgb.Dataset(X[:N_TRAIN], y[:N_TRAIN], categorical_feature=cat_idx)
    booster = lgb.train(params, ds, num_boost_round=120)
    booster.save_model(os.path.join(d, "model.txt"))
    write_rows(os.path.join(d, "rows.json"), X[N_TRAIN:])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir")
    ap.add_argument("--rows", type=int, default=10_000)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)
    for name, fn in (("binary", lambda: binary(args.outdir, args.rows, args.threads)),
                     ("multiclass_cat", lambda: multiclass_cat(args.outdir, args.rows, args.threads)),
                     ("seed", lambda: seed(args.outdir, args.rows))):
        t0 = time.perf_counter()
        fn()
        print(f"{name}: {time.perf_counter() - t0:.1f}s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
