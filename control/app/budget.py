"""Bounded work per request: the cost of a request estimated before LightGBM runs it.

`Booster.predict` cannot be interrupted once it runs, so MAX_INFERENCE_MS is enforced in two steps:
- up front: at start-up the cost of one more row through one tree is measured on this model for each output
  kind (the slope between a 1-row and an n-row call, each the fastest of a few trials). A request whose
  rows x trees x that cost is more than twice the budget is clearly over it: 422 before anything runs.
- while it runs: a large request is evaluated in slices of about CHUNK_MS, and when the time spent passes the
  budget before the last slice, the rest is not started: 422 again. So a request overruns the budget by at most
  one slice, whatever the data or the machine make of the estimate.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

from . import errors
from .model import OUTPUTS, Model, Output

# Rows of the larger calibration call: contributions cost about 100 times a value per row, so fewer rows.
_TRIAL_ROWS: Mapping[Output, int] = {"value": 256, "raw": 256, "leaf": 256, "contrib": 16}
_TRIALS = 3
CLEARLY_OVER = 2.0  # refuse up front above this multiple of the budget; the slices enforce the rest
CHUNK_MS = 50.0  # estimated time per slice of a large request


@dataclass(frozen=True, slots=True)
class CostModel:
    ms_per_row_tree: Mapping[Output, float]

    def estimate_ms(self, rows: int, output: Output, trees: int) -> float:
        return rows * trees * self.ms_per_row_tree[output]


def refuse_if_clearly_over(estimate_ms: float, budget_ms: int) -> None:
    if estimate_ms > CLEARLY_OVER * budget_ms:
        raise errors.time_budget_exceeded(estimate_ms, budget_ms)


def predict_in_slices(
    predict: Callable[[np.ndarray], np.ndarray], rows: np.ndarray, estimate_ms: float, budget_ms: int
) -> np.ndarray:
    """`predict` over slices of `rows`, stopping with 422 once the budget is spent (rows are independent, so
    the concatenated slices are exactly the one call's answer)."""
    n = len(rows)
    size = max(1, int(n * CHUNK_MS / estimate_ms)) if estimate_ms > 0 else n
    start = time.perf_counter()
    parts = []
    for first in range(0, n, size):
        spent_ms = (time.perf_counter() - start) * 1000
        if spent_ms > budget_ms:
            raise errors.time_budget_spent(spent_ms, first, n, budget_ms)
        parts.append(predict(rows[first : first + size]))
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


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
