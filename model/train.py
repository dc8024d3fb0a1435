#!/usr/bin/env python3
"""Train the bundled seed model: a 500-tree LightGBM regressor on make_regression data.

Reproduces the fiber-endpoints seed model (make_regression(n_features=20, n_informative=15,
noise=0.1, random_state=5) + LGBMRegressor(n_estimators=500) with default parameters),
with a smaller default N so training fits in a couple of minutes on 2 cores.

Usage: .venv/bin/python model/train.py [--n-samples N] [--n-jobs J] [--out model/model.txt]
"""
import argparse
import os
import platform
import sys
import time

import lightgbm
import numpy as np
import sklearn
from sklearn.datasets import make_regression


def main() -> int:
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n-samples", type=int, default=1_000_000, help="rows of training data (seed used 5,000,000)")
    ap.add_argument("--n-jobs", type=int, default=2, help="training threads (does not change the model's semantics)")
    ap.add_argument("--out", default=os.path.join(here, "model.txt"))
    args = ap.parse_args()

    t0 = time.perf_counter()
    X, y = make_regression(n_samples=args.n_samples, n_features=20, n_informative=15, noise=0.1, random_state=5)
    t1 = time.perf_counter()
    model = lightgbm.LGBMRegressor(n_estimators=500, n_jobs=args.n_jobs, verbose=-1)
    model.fit(X, y)
    t2 = time.perf_counter()
    model.booster_.save_model(args.out)

    booster = model.booster_
    dump = booster.dump_model()
    trees = dump["tree_info"]
    leaves = sorted({t["num_leaves"] for t in trees})
    print(f"data {t1 - t0:.1f}s, training {t2 - t1:.1f}s, N={args.n_samples}, trees={len(trees)}, leaves per tree={leaves}")
    print(f"python {platform.python_version()}, lightgbm {lightgbm.__version__}, numpy {np.__version__}, "
          f"scikit-learn {sklearn.__version__}")
    print(f"feature names: {booster.feature_name()[0]}..{booster.feature_name()[-1]}")
    assert len(trees) == 500, len(trees)
    assert booster.feature_name() == [f"Column_{i}" for i in range(20)]
    return 0


if __name__ == "__main__":
    sys.exit(main())
