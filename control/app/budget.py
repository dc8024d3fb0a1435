"""Bounded work per request: the cost of a request estimated before LightGBM runs it.

`Booster.predict` cannot be interrupted once it runs, so MAX_INFERENCE_MS is enforced up front: at start-up
the cost of one more row through one tree is measured on this model for each output kind (the slope between a
1-row and an n-row call, each the fastest of a few trials, so the estimate errs low and only requests clearly
over the budget are refused), and a request whose rows x trees x that cost exceeds the budget is refused with
422 before it starts. A request under the estimate runs to completion, however long the machine makes it.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from .model import OUTPUTS, Model, Output

# Rows of the larger calibration call: contributions cost about 100 times a value per row, so fewer rows.
_TRIAL_ROWS: Mapping[Output, int] = {"value": 256, "raw": 256, "leaf": 256, "contrib": 16}
_TRIALS = 3


@dataclass(frozen=True, slots=True)
class CostModel:
    ms_per_row_tree: Mapping[Output, float]

    def estimate_ms(self, rows: int, output: Output, trees: int) -> float:
        return rows * trees * self.ms_per_row_tree[output]


def calibrate(model: Model) -> CostModel:
    """Times LightGBM on this model, per output kind (skipping contrib where the model cannot produce it)."""
    rng = np.random.default_rng(0)
    costs: dict[Output, float] = {}
    for output in OUTPUTS:
        if output == "contrib" and model.linear_trees:
            costs[output] = 0.0
            continue
        n = _TRIAL_ROWS[output]
        rows = rng.normal(size=(n, model.num_features))
        rows[::5] = np.nan
        extra_rows_s = _fastest(model, rows, output) - _fastest(model, rows[:1], output)
        costs[output] = max(extra_rows_s, 0.0) * 1000 / ((n - 1) * max(model.num_trees, 1))
    return CostModel(costs)


def _fastest(model: Model, rows: np.ndarray, output: Output) -> float:
    best = float("inf")
    for _ in range(_TRIALS):
        start = time.perf_counter()
        model.predict(rows, output, 0, 0)
        best = min(best, time.perf_counter() - start)
    return best
