#!/usr/bin/env python3
"""Generate LightGBM parity fixtures with the REAL lightgbm package.

Usage: .venv/bin/python test/parity/generate.py OUTDIR

For every case in CASES it trains a small seeded model, saves it with ``booster.save_model``,
reloads it from that file (so the ground truth is what LightGBM computes from the very text the
TypeScript evaluator reads), builds ordinary + edge-case input rows and records
``booster.predict`` for value / raw / leaf / contrib outputs and several iteration ranges.

Writes OUTDIR/<case>/model.txt, OUTDIR/<case>/case.json and OUTDIR/manifest.json.
See test/parity/README.md for the format.
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import sys
import time
from collections.abc import Callable
from typing import Any

import lightgbm as lgb
import numpy as np
import pandas as pd

THREADS = 1
N_RANDOM_ROWS = 40
MAX_THRESHOLDS = 60  # numeric split thresholds probed per case (each with one ulp either side)

F32_ZERO_THRESHOLD = float(np.float32(1e-35))  # kZeroThreshold as a double: 1.0000000180025095e-35
assert F32_ZERO_THRESHOLD == 1.0000000180025095e-35

NUMERIC_EDGES: list[float] = [
    math.nan, 0.0, -0.0,
    1e-35, -1e-35,
    F32_ZERO_THRESHOLD, float(np.nextafter(F32_ZERO_THRESHOLD, 0.0)), float(np.nextafter(F32_ZERO_THRESHOLD, 1.0)),
    -F32_ZERO_THRESHOLD, float(np.nextafter(-F32_ZERO_THRESHOLD, 0.0)), float(np.nextafter(-F32_ZERO_THRESHOLD, -1.0)),
    5e-324, -5e-324, 1e-300,
    math.inf, -math.inf, 1e300, -1e300, 1.7976931348623157e308, -1.7976931348623157e308,
    3.4028234663852886e38, 1.5, -1.5,
]

CATEGORICAL_EDGES: list[float] = [
    math.nan, 0.0, -0.0, 1e-35, -1e-35, 0.5, 0.999, -1.0, -3.0, -0.6, 2.7, 1.2, 31.0, 32.0, 33.0, 63.0, 64.0, 95.0, 96.0,
    1000.0, 1e10, -1e10, 2.0**31, 2.0**31 - 1, 2.0**31 - 0.5, -(2.0**31), -(2.0**31) - 1, 2.0**32, 2.0**32 + 1.0,
    2.0**53, math.inf, -math.inf, 1e300, -1e300,
]


# --------------------------------------------------------------------------------------------
# data helpers
# --------------------------------------------------------------------------------------------

def numeric_matrix(rng: np.random.Generator, n: int, f: int, nan_frac: float = 0.1, zero_frac: float = 0.1) -> np.ndarray:
    X = rng.normal(size=(n, f))
    X[rng.random((n, f)) < zero_frac] = 0.0
    X[rng.random((n, f)) < nan_frac] = np.nan
    return X


def signal(X: np.ndarray) -> np.ndarray:
    """A deterministic nonlinear signal that depends on NaN-ness and zero-ness too."""
    Z = np.nan_to_num(X, nan=0.0)
    s = 1.5 * Z[:, 0] + np.where(Z[:, 1] > 0.3, 1.0, -0.5) + 0.8 * np.sin(2 * Z[:, 2])
    if X.shape[1] > 3:
        s += 0.7 * np.isnan(X[:, 3]) - 0.6 * (X[:, 3] == 0.0) + 0.3 * Z[:, 3] ** 2
    if X.shape[1] > 4:
        s += 0.5 * Z[:, 4] * Z[:, 0]
    return s


def base_params(**kw: Any) -> dict:
    p = dict(verbose=-1, num_threads=THREADS, seed=7, deterministic=True, force_col_wise=True,
             num_leaves=15, learning_rate=0.2, min_data_in_leaf=10)
    p.update(kw)
    return p


# --------------------------------------------------------------------------------------------
# case builders: each returns a dict with
#   booster, sample (random rows from the data distribution), categorical (feature indices),
#   description, optional save_num_iteration, optional cat_values (known categories per feature)
# --------------------------------------------------------------------------------------------

def simple_case(objective: str, label_fn: Callable[[np.ndarray, np.random.Generator], np.ndarray], description: str,
                rounds: int = 12, f: int = 5, n: int = 800, seed: int = 1, dataset_kw: dict | None = None, **params):
    def build():
        rng = np.random.default_rng(seed)
        X = numeric_matrix(rng, n + N_RANDOM_ROWS, f)
        y = label_fn(X, rng)
        Xtr, ytr = X[:n], y[:n]
        ds = lgb.Dataset(Xtr, ytr, **(dataset_kw or {}))
        booster = lgb.train(base_params(objective=objective, **params), ds, num_boost_round=rounds)
        return dict(booster=booster, sample=X[n:], categorical=[], description=description)
    return build


def lbl_reg(X, rng):
    return signal(X) * 3 + rng.normal(size=len(X)) * 0.3


def lbl_pos(X, rng):
    return np.exp(0.4 * signal(X) + rng.normal(size=len(X)) * 0.1) + 0.05


def lbl_count(X, rng):
    return rng.poisson(np.exp(0.5 * signal(X))).astype(float)


def lbl_tweedie(X, rng):
    lam = np.exp(0.4 * signal(X))
    counts = rng.poisson(lam * 0.6)
    return np.array([rng.gamma(2.0, 1.0, size=c).sum() for c in counts])


def lbl_binary(X, rng):
    p = 1 / (1 + np.exp(-signal(X)))
    return (rng.random(len(X)) < p).astype(float)


def lbl_prob(X, rng):
    return np.clip(1 / (1 + np.exp(-signal(X))) + rng.normal(size=len(X)) * 0.05, 0, 1)


def lbl_multi(X, rng):
    s = signal(X) + rng.normal(size=len(X)) * 0.5
    return np.digitize(s, [-0.8, 0.8]).astype(float)


def group_sizes(n: int, size: int = 20) -> list[int]:
    return [size] * (n // size) + ([n % size] if n % size else [])


def ranking_case(objective: str, description: str, **params):
    def build():
        rng = np.random.default_rng(11)
        n = 800
        X = numeric_matrix(rng, n + N_RANDOM_ROWS, 5)
        s = signal(X) + rng.normal(size=len(X)) * 0.4
        rel = np.digitize(s, [-1.0, 0.0, 1.0]).astype(float)
        ds = lgb.Dataset(X[:n], rel[:n], group=group_sizes(n))
        booster = lgb.train(base_params(objective=objective, **params), ds, num_boost_round=10)
        return dict(booster=booster, sample=X[n:], categorical=[], description=description)
    return build


def missing_none_default_right():
    """No CPU training path in LightGBM writes decision_type 0 (missing None always gets default_left=true:
    FeatureHistogram only runs the REVERSE scan for MissingType::None). To still cover it we take a real
    use_missing=false model, clear the default-left bit on every other numeric node, let lightgbm load that
    text and re-save it; the ground truth is what lightgbm predicts from the re-saved file."""
    built = simple_case("regression", lbl_reg, "", rounds=8, seed=4, use_missing=False)()
    text = built["booster"].model_to_string()
    counter = [0]

    def flip(m: re.Match) -> str:
        vals = []
        for v in m.group(1).split(" "):
            if v == "2":
                counter[0] += 1
                vals.append("0" if counter[0] % 2 else "2")
            else:
                vals.append(v)
        return "decision_type=" + " ".join(vals)

    edited = re.sub(r"^decision_type=(.+)$", flip, text, flags=re.M)
    assert edited != text
    booster = lgb.Booster(model_str=edited)
    built.update(booster=booster, description=(
        "use_missing=false regression whose model text was edited so every other numeric node has "
        "decision_type=0 (missing None, default right) — LightGBM's CPU trainer never writes 0 itself; "
        "with missing None NaN is treated as 0.0 and the default bit must be ignored"))
    return built


def categorical_data(rng: np.random.Generator, n: int, n_cats: tuple[int, ...], n_num: int, cat_nan: tuple[float, ...]):
    cols, effects = [], []
    for k, (nc, nanf) in enumerate(zip(n_cats, cat_nan)):
        c = rng.integers(0, nc, size=n).astype(float)
        c[rng.random(n) < nanf] = np.nan
        cols.append(c)
        effects.append(rng.normal(size=nc) * 2.0)
    num = numeric_matrix(rng, n, n_num)
    X = np.column_stack(cols + [num])
    s = np.zeros(n)
    for k, c in enumerate(cols):
        e = np.where(np.isnan(c), 1.5, effects[k][np.nan_to_num(c, nan=0).astype(int)])
        s += e
    s += signal(np.column_stack([num, np.zeros((n, max(0, 3 - n_num)))]))
    return X, s


def cat_many():
    rng = np.random.default_rng(21)
    n = 1500
    X, s = categorical_data(rng, n + N_RANDOM_ROWS, (70, 45), 3, (0.0, 0.08))
    y = s + rng.normal(size=len(s)) * 0.2
    ds = lgb.Dataset(X[:n], y[:n], categorical_feature=[0, 1])
    params = base_params(objective="regression", max_cat_to_onehot=2, max_cat_threshold=64, cat_smooth=1.0,
                         cat_l2=1.0, min_data_per_group=5, min_data_in_leaf=5)
    booster = lgb.train(params, ds, num_boost_round=12)
    return dict(booster=booster, sample=X[n:], categorical=[0, 1], cat_values={0: 70, 1: 45},
                description="regression with categorical feature 0 (70 categories, no NaN: decision_type 1) and 1 "
                            "(45 categories + NaN: decision_type 9), max_cat_to_onehot=2 so bitsets span several "
                            "32-bit words; plus 3 numeric features")


def cat_onehot():
    rng = np.random.default_rng(22)
    n = 1000
    X, s = categorical_data(rng, n + N_RANDOM_ROWS, (6, 5), 2, (0.0, 0.1))
    y = s + rng.normal(size=len(s)) * 0.2
    ds = lgb.Dataset(X[:n], y[:n], categorical_feature=[0, 1])
    booster = lgb.train(base_params(objective="regression", max_cat_to_onehot=8), ds, num_boost_round=10)
    return dict(booster=booster, sample=X[n:], categorical=[0, 1], cat_values={0: 6, 1: 5},
                description="regression with two small categorical features split one-hot (max_cat_to_onehot=8): "
                            "each categorical split has a single category on the left")


def multiclass_cat():
    rng = np.random.default_rng(23)
    n = 1500
    X, s = categorical_data(rng, n + N_RANDOM_ROWS, (40, 12), 3, (0.05, 0.0))
    s = s + rng.normal(size=len(s)) * 0.5
    y = np.digitize(s, np.quantile(s, [0.33, 0.66])).astype(float)
    ds = lgb.Dataset(X[:n], y[:n], categorical_feature=[0, 1])
    params = base_params(objective="multiclass", num_class=3, max_cat_to_onehot=4, cat_smooth=1.0,
                         min_data_per_group=5)
    booster = lgb.train(params, ds, num_boost_round=8)
    return dict(booster=booster, sample=X[n:], categorical=[0, 1], cat_values={0: 40, 1: 12},
                description="multiclass (3 classes) with categorical features of 40 (with NaN) and 12 categories")


def pandas_categorical():
    rng = np.random.default_rng(24)
    n = 1000
    colors = ["red", "green", "blue", "cyan", "magenta", "yellow", "black"]
    sizes = [f"s{i:02d}" for i in range(36)]
    color = rng.choice(colors, size=n + N_RANDOM_ROWS)
    size = rng.choice(sizes, size=n + N_RANDOM_ROWS)
    num = numeric_matrix(rng, n + N_RANDOM_ROWS, 3)
    df = pd.DataFrame({
        "color": pd.Categorical(color, categories=colors),
        "x0": num[:, 0],
        "size": pd.Categorical(size, categories=sizes),
        "x1": num[:, 1],
        "x2": num[:, 2],
    })
    ce = dict(zip(colors, rng.normal(size=len(colors)) * 2))
    se = dict(zip(sizes, rng.normal(size=len(sizes)) * 2))
    y = (np.array([ce[c] for c in color]) + np.array([se[s] for s in size]) + signal(num)
         + rng.normal(size=len(color)) * 0.2)
    ds = lgb.Dataset(df.iloc[:n], y[:n])  # categorical_feature='auto' picks up the category dtype
    booster = lgb.train(base_params(objective="regression", max_cat_to_onehot=4, cat_smooth=1.0), ds, num_boost_round=10)
    codes = np.column_stack([df["color"].cat.codes.to_numpy().astype(float), num[:, 0],
                             df["size"].cat.codes.to_numpy().astype(float), num[:, 1], num[:, 2]])
    return dict(booster=booster, sample=codes[n:], categorical=[0, 2], cat_values={0: len(colors), 2: len(sizes)},
                description="trained from a pandas DataFrame with category-dtype columns 'color' (7) and 'size' (36), "
                            "so the model ends with a non-null pandas_categorical line; inputs are the integer "
                            "category codes as float64 (predictions from a numpy array, not a DataFrame)")


def linear_tree():
    rng = np.random.default_rng(31)
    n = 1000
    X = numeric_matrix(rng, n + N_RANDOM_ROWS, 4, nan_frac=0.08, zero_frac=0.05)
    Z = np.nan_to_num(X)
    y = np.where(Z[:, 0] > 0, 2.0 * Z[:, 1] + 1.0, -1.5 * Z[:, 2]) + 0.5 * Z[:, 3] + rng.normal(size=len(X)) * 0.1
    ds = lgb.Dataset(X[:n], y[:n])
    booster = lgb.train(base_params(objective="regression", linear_tree=True, linear_lambda=0.01, num_leaves=6),
                        ds, num_boost_round=8)
    return dict(booster=booster, sample=X[n:], categorical=[], description=(
        "linear_tree=True regression on data with NaNs (rows with a NaN in one of a leaf's linear features fall "
        "back to leaf_value); contrib is refused by LightGBM"))


def linear_binary_single_leaf():
    rng = np.random.default_rng(32)
    n = 1000
    X = numeric_matrix(rng, n + N_RANDOM_ROWS, 4, nan_frac=0.1, zero_frac=0.05)
    Z = np.nan_to_num(X)
    s = 2 * Z[:, 0] + Z[:, 1]
    y = (s > 0).astype(float)
    y[rng.random(len(y)) < 0.02] = 2.0
    ds = lgb.Dataset(X[:n], y[:n])
    params = base_params(objective="multiclass", num_class=3, linear_tree=True, num_leaves=4,
                         min_sum_hessian_in_leaf=25)
    booster = lgb.train(params, ds, num_boost_round=6)
    return dict(booster=booster, sample=X[n:], categorical=[], description=(
        "linear_tree=True multiclass where the rare class 2 can never split (min_sum_hessian_in_leaf): "
        "its trees are single-leaf linear trees (is_linear=1, num_leaves=1, num_features=0)"))


def rf_case(objective: str, label_fn, description: str, **extra):
    def build():
        rng = np.random.default_rng(41)
        n = 1000
        X = numeric_matrix(rng, n + N_RANDOM_ROWS, 5)
        y = label_fn(X, rng)
        ds = lgb.Dataset(X[:n], y[:n])
        params = base_params(objective=objective, boosting="rf", bagging_fraction=0.6, bagging_freq=1,
                             feature_fraction=0.8, learning_rate=1.0, **extra)
        booster = lgb.train(params, ds, num_boost_round=10)
        return dict(booster=booster, sample=X[n:], categorical=[], description=description)
    return build


def dart():
    rng = np.random.default_rng(51)
    n = 800
    X = numeric_matrix(rng, n + N_RANDOM_ROWS, 5)
    y = lbl_reg(X, rng)
    params = base_params(objective="regression", boosting="dart", drop_rate=0.5, skip_drop=0.0, max_drop=5,
                         drop_seed=3)
    booster = lgb.train(params, lgb.Dataset(X[:n], y[:n]), num_boost_round=15)
    return dict(booster=booster, sample=X[n:], categorical=[], description=(
        "boosting=dart regression (drop_rate=0.5): trees are stored already normalised"))


def saved_fewer_iterations():
    built = simple_case("binary", lbl_binary, "", rounds=20, seed=61)()
    built.update(save_num_iteration=7, description=(
        "binary model trained for 20 iterations but saved with save_model(num_iteration=7)"))
    return built


def single_leaf_multiclass():
    rng = np.random.default_rng(71)
    n = 1000
    X = numeric_matrix(rng, n + N_RANDOM_ROWS, 4)
    s = signal(X)
    y = (s > 0).astype(float)
    y[rng.random(len(y)) < 0.02] = 2.0
    params = base_params(objective="multiclass", num_class=3, num_leaves=6, min_sum_hessian_in_leaf=25)
    booster = lgb.train(params, lgb.Dataset(X[:n], y[:n]), num_boost_round=6)
    return dict(booster=booster, sample=X[n:], categorical=[], description=(
        "multiclass where the rare class 2 cannot split: its trees are single-leaf (num_leaves=1, empty split "
        "arrays); the first one carries the boost-from-average constant"))


def single_leaf_constant():
    rng = np.random.default_rng(72)
    n = 300
    X = numeric_matrix(rng, n + N_RANDOM_ROWS, 3)
    y = np.full(n, 3.25)
    booster = lgb.train(base_params(objective="regression"), lgb.Dataset(X[:n], y), num_boost_round=5)
    return dict(booster=booster, sample=X[n:], categorical=[], description=(
        "constant label: LightGBM keeps only one single-leaf tree holding the average and stops training"))


CASES: dict[str, Callable[[], dict]] = {
    # ---- objectives -------------------------------------------------------------------------
    "regression": simple_case("regression", lbl_reg, "L2 regression on data with NaNs and zeros (missing type NaN)"),
    "regression_sqrt": simple_case("regression", lbl_reg, "L2 regression with reg_sqrt=True (output is sign(x)*x^2)",
                                   seed=2, reg_sqrt=True),
    "regression_l1": simple_case("regression_l1", lbl_reg, "L1 regression", seed=3),
    "huber": simple_case("huber", lbl_reg, "huber loss (alpha=1.5)", seed=5, alpha=1.5),
    "fair": simple_case("fair", lbl_reg, "fair loss (fair_c=0.8)", seed=6, fair_c=0.8),
    "quantile": simple_case("quantile", lbl_reg, "quantile regression alpha=0.7", seed=7, alpha=0.7),
    "mape": simple_case("mape", lbl_pos, "MAPE regression on positive labels", seed=8),
    "poisson": simple_case("poisson", lbl_count, "poisson regression (exp output)", seed=9),
    "gamma": simple_case("gamma", lbl_pos, "gamma regression (exp output)", seed=10),
    "tweedie": simple_case("tweedie", lbl_tweedie, "tweedie regression variance_power=1.3 (exp output)", seed=11,
                           tweedie_variance_power=1.3),
    "binary": simple_case("binary", lbl_binary, "binary logloss, sigmoid=1", seed=12),
    "binary_sigmoid": simple_case("binary", lbl_binary, "binary with sigmoid=0.7", seed=13, sigmoid=0.7),
    "multiclass": simple_case("multiclass", lbl_multi, "multiclass softmax, 3 classes", seed=14, num_class=3),
    "multiclassova": simple_case("multiclassova", lbl_multi, "multiclassova (one-vs-all sigmoids, not normalised), "
                                 "3 classes, sigmoid=1.3", seed=15, num_class=3, sigmoid=1.3),
    "cross_entropy": simple_case("cross_entropy", lbl_prob, "cross_entropy (xentropy) on labels in [0,1]", seed=16),
    "cross_entropy_lambda": simple_case("cross_entropy_lambda", lbl_prob,
                                        "cross_entropy_lambda (xentlambda): output log1p(exp(x))", seed=17),
    "lambdarank": ranking_case("lambdarank", "lambdarank with query groups of 20 (raw output)"),
    "rank_xendcg": ranking_case("rank_xendcg", "rank_xendcg with query groups of 20 (raw output)"),
    # ---- missing value handling ----------------------------------------------------------------
    "missing_nan": simple_case("regression", lbl_reg, "missing type NaN (default use_missing=true, data with NaNs "
                               "and zeros): decision_type 8 and 10", seed=18, n=1200, rounds=10,
                               ),
    "missing_zero": simple_case("regression", lbl_reg, "zero_as_missing=True: missing type Zero, decision_type 4 and "
                                "6; NaN is treated as 0 which is missing", seed=19, zero_as_missing=True),
    "missing_none": simple_case("regression", lbl_reg, "use_missing=False: missing type None (decision_type 2); NaN "
                                "is treated as 0.0", seed=20, use_missing=False),
    "missing_none_default_right": missing_none_default_right,
    # ---- categorical -------------------------------------------------------------------------
    "categorical_many": cat_many,
    "categorical_onehot": cat_onehot,
    "multiclass_categorical": multiclass_cat,
    "pandas_categorical": pandas_categorical,
    # ---- linear trees ------------------------------------------------------------------------
    "linear_tree": linear_tree,
    "linear_single_leaf": linear_binary_single_leaf,
    # ---- boosting variants -------------------------------------------------------------------
    "rf": rf_case("regression", lbl_reg, "boosting=rf regression with bagging (average_output)"),
    "rf_binary": rf_case("binary", lbl_binary, "boosting=rf binary with bagging (average_output, then sigmoid)"),
    "dart": dart,
    # ---- model shapes ------------------------------------------------------------------------
    "saved_fewer_iterations": saved_fewer_iterations,
    "single_leaf_multiclass": single_leaf_multiclass,
    "single_leaf_constant": single_leaf_constant,
    "wide_long_lines": simple_case("regression", lbl_reg, "600 features: feature_names and feature_infos lines of "
                                   "about 20 KB (very long lines)", seed=81, f=600, n=400, rounds=4),
}


# --------------------------------------------------------------------------------------------
# model text inspection
# --------------------------------------------------------------------------------------------

def parse_model_text(text: str) -> dict:
    header, _, rest = text.partition("\nTree=")
    info: dict[str, Any] = {"trees": []}
    for line in header.splitlines():
        if "=" in line:
            k, _, v = line.partition("=")
            info[k] = v
        elif line.strip():
            info[line.strip()] = True
    body = "Tree=" + rest.split("end of trees")[0]
    for block in body.split("Tree=")[1:]:
        t: dict[str, str] = {}
        for line in block.splitlines()[1:]:
            if "=" in line:
                k, _, v = line.partition("=")
                t[k] = v
        info["trees"].append(t)
    m = re.search(r"\npandas_categorical:(.*)\n?$", text)
    info["pandas_categorical"] = m.group(1) if m else None
    return info


def nums(s: str) -> list[str]:
    return s.split()


def model_facts(info: dict) -> dict:
    dts: set[int] = set()
    max_words = 0
    linear = False
    linear_single_leaf = False
    single_leaf = False
    thresholds: dict[tuple[int, float], None] = {}
    for t in info["trees"]:
        nl = int(t["num_leaves"])
        single_leaf |= nl == 1
        if t.get("is_linear") == "1":
            linear = True
            linear_single_leaf |= nl == 1
        if nl <= 1:
            continue
        feats = [int(v) for v in nums(t["split_feature"])]
        thr = [float(v) for v in nums(t["threshold"])]
        dt = [int(v) for v in nums(t["decision_type"])]
        dts.update(dt)
        for fi, th, d in zip(feats, thr, dt):
            if not d & 1:
                thresholds.setdefault((fi, th), None)
        if int(t.get("num_cat", "0")) > 0:
            b = [int(v) for v in nums(t["cat_boundaries"])]
            max_words = max(max_words, max(b2 - b1 for b1, b2 in zip(b, b[1:])))
    return dict(decision_types=dts, max_bitset_words=max_words, linear=linear, linear_single_leaf=linear_single_leaf,
                single_leaf=single_leaf, thresholds=list(thresholds))


# --------------------------------------------------------------------------------------------
# rows and predictions
# --------------------------------------------------------------------------------------------

def build_rows(built: dict, facts: dict, num_features: int) -> np.ndarray:
    sample = np.asarray(built["sample"], dtype=np.float64)
    cat = set(built.get("categorical", []))
    cat_values: dict[int, int] = built.get("cat_values", {})
    rows: list[np.ndarray] = [r for r in sample[:N_RANDOM_ROWS]]
    base = sample[:8]
    k = 0

    def with_value(f: int, v: float) -> np.ndarray:
        nonlocal k
        r = base[k % len(base)].copy()
        k += 1
        r[f] = v
        return r

    # every feature set to every edge value, the others ordinary (for wide models, only the features the
    # trees split on: an unused feature cannot change a prediction, and the file would grow with features^2)
    used = {f for f, _ in facts["thresholds"]} | cat
    for f in range(num_features) if num_features <= 50 else sorted(used):
        edges = list(CATEGORICAL_EDGES) if f in cat else list(NUMERIC_EDGES)
        if f in cat:
            nc = cat_values.get(f, 0)
            edges += [float(c) for c in range(nc)] + [float(nc), float(nc + 1), float(nc + 40)]
        for v in edges:
            rows.append(with_value(f, v))
    # all features at the same edge value
    for v in NUMERIC_EDGES + [2.7, -0.6, 1e10, 2.0**31]:
        rows.append(np.full(num_features, v, dtype=np.float64))
    # numeric split thresholds exactly, and one ulp either side
    thr = facts["thresholds"]
    if len(thr) > MAX_THRESHOLDS:
        # always keep the tiny (+-kZeroThreshold-like) thresholds, sample the rest deterministically
        tiny = [i for i, (_, t) in enumerate(thr) if abs(t) <= 1e-30]
        rest = [i for i in range(len(thr)) if i not in set(tiny)]
        n_rest = max(MAX_THRESHOLDS - len(tiny), 0)
        pick = list(np.random.default_rng(99).choice(rest, size=min(n_rest, len(rest)), replace=False))
        thr = [thr[i] for i in sorted(tiny + [int(i) for i in pick])]
    for f, t in thr:
        for v in (t, float(np.nextafter(t, -np.inf)), float(np.nextafter(t, np.inf))):
            rows.append(with_value(f, v))
    # a few rows with several features missing at once
    for j in range(4):
        r = base[j].copy()
        r[j % num_features::2] = np.nan
        rows.append(r)
    X = np.asarray(rows, dtype=np.float64)
    assert X.shape[1] == num_features
    return X


def enc(v: Any) -> Any:
    if isinstance(v, (np.integer, int)) and not isinstance(v, bool):
        return int(v)
    f = float(v)
    if math.isnan(f):
        return "nan"
    if math.isinf(f):
        return "inf" if f > 0 else "-inf"
    return f


def enc_matrix(a: np.ndarray) -> list[list[Any]]:
    a = np.asarray(a)
    if a.ndim == 1:
        a = a.reshape(-1, 1)
    if np.issubdtype(a.dtype, np.integer):
        return [[int(x) for x in row] for row in a.tolist()]
    return [[enc(x) for x in row] for row in a.tolist()]


def prediction_specs(total_iters: int) -> list[dict]:
    specs = [dict(output=o, start_iteration=0, num_iteration=None) for o in ("value", "raw", "leaf", "contrib")]
    if total_iters >= 3:
        specs += [
            dict(output="value", start_iteration=1, num_iteration=2),
            dict(output="raw", start_iteration=1, num_iteration=2),
            dict(output="leaf", start_iteration=1, num_iteration=2),
            dict(output="contrib", start_iteration=1, num_iteration=2),
            dict(output="value", start_iteration=2, num_iteration=None),
            dict(output="raw", start_iteration=0, num_iteration=1),
        ]
    else:
        specs += [dict(output="value", start_iteration=0, num_iteration=1)]
    specs += [
        dict(output="value", start_iteration=0, num_iteration=total_iters + 10),  # more than the model has
        dict(output="raw", start_iteration=max(total_iters - 1, 0), num_iteration=5),
        dict(output="value", start_iteration=1, num_iteration=0),  # <= 0 means "all the rest"
        dict(output="raw", start_iteration=0, num_iteration=-1),
        # start past the end: zero iterations used (raw 0; rf value is 0/0 = NaN; leaf rows are empty)
        dict(output="value", start_iteration=total_iters + 2, num_iteration=None),
        dict(output="raw", start_iteration=total_iters + 2, num_iteration=None),
        dict(output="leaf", start_iteration=total_iters + 2, num_iteration=None),
    ]
    return specs


def predict(booster: lgb.Booster, X: np.ndarray, spec: dict) -> np.ndarray:
    kw: dict[str, Any] = {"start_iteration": spec["start_iteration"]}
    if spec["num_iteration"] is not None:
        kw["num_iteration"] = spec["num_iteration"]
    out = spec["output"]
    if out == "raw":
        kw["raw_score"] = True
    elif out == "leaf":
        kw["pred_leaf"] = True
    elif out == "contrib":
        kw["pred_contrib"] = True
    return booster.predict(X, **kw)


def dec(v: Any) -> float:
    return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}[v] if isinstance(v, str) else float(v)


def same_bits(a: np.ndarray, b: np.ndarray) -> bool:
    a = np.ascontiguousarray(a, dtype=np.float64)
    b = np.ascontiguousarray(b, dtype=np.float64)
    return a.shape == b.shape and bool((a.view(np.uint64) == b.view(np.uint64)).all() or
                                       ((a.view(np.uint64) == b.view(np.uint64)) | (np.isnan(a) & np.isnan(b))).all())


def check_round_trip(path: str, X: np.ndarray, booster: lgb.Booster) -> None:
    """Re-read case.json: rows must be bit-identical (incl. -0.0) and re-predicting from them must reproduce
    every stored value bit for bit."""
    with open(path) as fh:
        case = json.load(fh)
    Xr = np.array([[dec(v) for v in row] for row in case["rows"]], dtype=np.float64)
    assert same_bits(Xr, X), path
    for spec in case["predictions"]:
        got = np.asarray(predict(booster, Xr, spec), dtype=np.float64).reshape(len(Xr), -1)
        want = np.array([[dec(v) for v in row] for row in spec["values"]], dtype=np.float64).reshape(len(Xr), -1)
        assert same_bits(got, want), (path, spec["output"], spec["start_iteration"], spec["num_iteration"])


def run_case(name: str, builder: Callable[[], dict], outdir: str) -> tuple[dict, dict]:
    t0 = time.perf_counter()
    built = builder()
    case_dir = os.path.join(outdir, name)
    os.makedirs(case_dir, exist_ok=True)
    model_path = os.path.join(case_dir, "model.txt")
    save_kw = {}
    if built.get("save_num_iteration") is not None:
        save_kw["num_iteration"] = built["save_num_iteration"]
    built["booster"].save_model(model_path, **save_kw)
    booster = lgb.Booster(model_file=model_path)  # ground truth comes from the file itself
    with open(model_path) as fh:
        text = fh.read()
    info = parse_model_text(text)
    facts = model_facts(info)
    num_features = int(info["max_feature_idx"]) + 1
    num_class = int(info["num_class"])
    k = int(info.get("num_tree_per_iteration", num_class))
    total_iters = len(info["trees"]) // k
    assert booster.num_trees() == len(info["trees"])
    X = build_rows(built, facts, num_features)

    predictions, unsupported = [], []
    for spec in prediction_specs(total_iters):
        try:
            values = predict(booster, X, spec)
        except lgb.basic.LightGBMError as e:
            msg = str(e)
            if spec["output"] == "contrib" and facts["linear"]:
                if not any(u["output"] == "contrib" for u in unsupported):
                    unsupported.append({"output": "contrib", "error": msg})
                continue
            raise
        values = np.asarray(values)
        if values.ndim == 1:
            values = values.reshape(-1, 1)
        assert values.shape[0] == X.shape[0]
        predictions.append(dict(spec, values=enc_matrix(values)))
    if facts["linear"]:
        assert unsupported, f"{name}: expected LightGBM to refuse contrib for a linear model"

    objective = info.get("objective", "")
    case = {
        "name": name,
        "description": built["description"],
        "model": "model.txt",
        "num_features": num_features,
        "num_class": num_class,
        "objective": objective,
        "rows": enc_matrix(X),
        "predictions": predictions,
        "unsupported": unsupported,
    }
    with open(os.path.join(case_dir, "case.json"), "w") as fh:
        json.dump(case, fh, allow_nan=False)
    check_round_trip(os.path.join(case_dir, "case.json"), X, booster)
    facts["pandas_categorical"] = info["pandas_categorical"]
    facts["average_output"] = "average_output" in info
    facts["seconds"] = time.perf_counter() - t0
    facts["rows"] = len(X)
    facts["trees"] = len(info["trees"])
    return case, facts


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    outdir = argv[1]
    t0 = time.perf_counter()
    os.makedirs(outdir, exist_ok=True)
    all_dt: set[int] = set()
    summary = {}
    for name, builder in CASES.items():
        if os.path.isdir(os.path.join(outdir, name)):
            shutil.rmtree(os.path.join(outdir, name))
        _, facts = run_case(name, builder, outdir)
        all_dt |= facts["decision_types"]
        summary[name] = facts
        print(f"{name:28s} trees={facts['trees']:3d} rows={facts['rows']:4d} dt={sorted(facts['decision_types'])} "
              f"{facts['seconds']:.2f}s", flush=True)

    # coverage the matrix promises
    missing_dt = {0, 2, 4, 6, 8, 10, 1, 9} - all_dt
    assert not missing_dt, f"decision_type values never produced: {sorted(missing_dt)}"
    assert summary["categorical_many"]["max_bitset_words"] >= 2, "categorical bitsets do not span several words"
    assert summary["categorical_onehot"]["max_bitset_words"] >= 1
    assert summary["linear_tree"]["linear"]
    assert summary["linear_single_leaf"]["linear_single_leaf"], "no single-leaf linear tree"
    assert summary["single_leaf_multiclass"]["single_leaf"] and summary["single_leaf_constant"]["single_leaf"]
    assert summary["rf"]["average_output"] and summary["rf_binary"]["average_output"]
    pc = summary["pandas_categorical"]["pandas_categorical"]
    assert pc not in (None, "null", "[]"), pc
    assert summary["saved_fewer_iterations"]["trees"] == 7

    manifest = {"lightgbm_version": lgb.__version__, "numpy_version": np.__version__,
                "cases": list(CASES), "decision_types_seen": sorted(all_dt)}
    with open(os.path.join(outdir, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1)
    print(f"{len(CASES)} cases, decision types {sorted(all_dt)}, {time.perf_counter() - t0:.1f}s total")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
