"""Writes bench/http/inputs.json: the request rows the HTTP benchmark sends.

`seed`: the seed notebook's inputs, make_regression(n_samples=100, n_features=20, n_informative=15, noise=0.1,
random_state=5), so the seed protocol sends exactly what the seed sent. The rows-per-request runs (up to 1,000
rows) cycle through the same 100 rows: the work per row does not depend on which rows they are enough to matter,
and the file stays small.

Run once with the project's venv (`.venv/bin/python bench/http/make_inputs.py`), then
`prettier --write bench/http/inputs.json`; the JSON is committed so the harness needs no Python to run.
"""

from __future__ import annotations

import json
from pathlib import Path

from sklearn.datasets import make_regression


def rows(n_samples: int) -> list[list[float]]:
    x, _ = make_regression(n_samples=n_samples, n_features=20, n_informative=15, noise=0.1, random_state=5)
    return [[float(v) for v in row] for row in x]


def main() -> None:
    out = Path(__file__).with_name("inputs.json")
    doc = {
        "generator": "sklearn.datasets.make_regression(n_features=20, n_informative=15, noise=0.1, random_state=5)",
        "seed": rows(100),
    }
    out.write_text(json.dumps(doc) + "\n")
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
