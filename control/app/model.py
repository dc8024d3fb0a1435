"""Loading a LightGBM model.txt once, describing it, and predicting with LightGBM itself.

Nothing here knows about HTTP or telemetry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, cast

import lightgbm
import numpy as np

from .model_check import ModelFormatError, check_model_text

Output = Literal["value", "raw", "leaf", "contrib"]
OUTPUTS: tuple[Output, ...] = ("value", "raw", "leaf", "contrib")

# Booster.predict flags per output kind.
_OUTPUT_FLAGS: Mapping[Output, Mapping[str, bool]] = {
    "value": {},
    "raw": {"raw_score": True},
    "leaf": {"pred_leaf": True},
    "contrib": {"pred_contrib": True},
}


class ModelLoadError(RuntimeError):
    """The model file cannot be read or parsed; the message names the file."""


@dataclass(frozen=True, slots=True)
class Model:
    booster: lightgbm.Booster = field(repr=False)
    name: str
    version: str  # "sha256:" + the first 16 hex characters of the file's sha256
    objective: str | None  # the file's objective line as written, e.g. "regression" or "multiclass num_class:3"
    feature_names: tuple[str, ...]
    num_trees: int
    num_iterations: int
    num_classes: int  # trees per iteration
    feature_index: Mapping[str, int] = field(repr=False)
    linear_trees: tuple[int, ...] = ()  # trees trained with linear_tree=true: LightGBM has no contrib for them

    @property
    def num_features(self) -> int:
        return len(self.feature_names)

    @property
    def outputs(self) -> dict[str, dict[str, Any]]:
        """Values per row of each output kind when every iteration is used, and what they are."""
        k = self.num_classes
        return {
            "value": {"width": k, "returns": "the objective's transform of the raw score"},
            "raw": {"width": k, "returns": "sum of the trees' outputs, no transform"},
            "leaf": {"width": self.num_trees, "returns": "leaf index reached in each tree, in model order"},
            "contrib": {
                "width": None if self.linear_trees else k * (self.num_features + 1),
                "returns": "not available for linear trees"
                if self.linear_trees
                else "SHAP value per feature then the expected value, per class",
            },
        }

    def width(self, output: Output, trees_used: int) -> int:
        """Values per row of `output` when `trees_used` trees take part."""
        if output == "leaf":
            return trees_used
        if output == "contrib":
            return self.num_classes * (self.num_features + 1)
        return self.num_classes

    def trees_used(self, start_iteration: int, num_iteration: int) -> int:
        """How many trees LightGBM evaluates for this iteration range (clamped as `predict` clamps it)."""
        start = min(start_iteration, self.num_iterations)
        left = self.num_iterations - start
        return (min(num_iteration, left) if num_iteration > 0 else left) * self.num_classes

    def describe(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "objective": self.objective,
            "num_features": self.num_features,
            "feature_names": list(self.feature_names),
            "num_trees": self.num_trees,
            "num_iterations": self.num_iterations,
            "num_classes": self.num_classes,
            "outputs": self.outputs,
        }

    def predict(self, rows: np.ndarray, output: Output, start_iteration: int, num_iteration: int) -> np.ndarray:
        """LightGBM's prediction for a float64 (n, num_features) array: shape (n,) or (n, width).

        `num_iteration <= 0` means every iteration from `start_iteration` on. Both are clamped to the model's
        iteration count first, which is what LightGBM does itself, so huge values cannot overflow a C int.
        """
        total = self.num_iterations
        start = min(start_iteration, total)
        num = min(num_iteration, total) if num_iteration > 0 else -1
        # num_threads is a prediction parameter: LightGBM 4.x ignores `params` given with `model_file`.
        result = self.booster.predict(
            rows, start_iteration=start, num_iteration=num, num_threads=1, **_OUTPUT_FLAGS[output]
        )
        return cast(np.ndarray, result)  # a list only for sparse input, which this module never passes


def load_model(path: Path, name: str) -> Model:
    """Reads, checks and loads the model. A file that breaks LightGBM's format is refused here, naming the tree
    and key, before LightGBM sees it (LightGBM's loader would hang, crash or abort on some of them)."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ModelLoadError(f"cannot read the model file {path}: {exc.strerror or exc}") from exc
    try:
        summary = check_model_text(content.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ModelLoadError(f"the model file {path} is not UTF-8 text (byte {exc.start})") from None
    except ModelFormatError as exc:
        raise ModelLoadError(f"the model file {path} is malformed: {exc}") from None
    try:
        booster = lightgbm.Booster(model_file=str(path))
    except (lightgbm.basic.LightGBMError, ValueError) as exc:  # ValueError: a pandas_categorical line not JSON
        raise ModelLoadError(f"cannot load the model file {path}: {exc}") from exc
    names = tuple(booster.feature_name())
    return Model(
        booster=booster,
        name=name,
        version="sha256:" + hashlib.sha256(content).hexdigest()[:16],
        objective=_objective_line(content),
        feature_names=names,
        num_trees=booster.num_trees(),
        num_iterations=booster.current_iteration(),
        num_classes=booster.num_model_per_iteration(),
        feature_index={n: i for i, n in enumerate(names)},
        linear_trees=summary.linear_trees,
    )


def _objective_line(content: bytes) -> str | None:
    """The value of the header's `objective=` line, as written (the header ends at the first `Tree=`)."""
    for line in content.splitlines():
        if line.startswith(b"Tree="):
            break
        if line.startswith(b"objective="):
            return line[len(b"objective=") :].decode("utf-8", "replace").strip()
    return None
