"""Executes notebooks/benchmark.ipynb headless with nbclient, so the notebook cannot rot.

    .venv/bin/python bench/run_notebook.py                 # tiny profile, outputs to a temporary folder
    .venv/bin/python bench/run_notebook.py --profile quick --out bench/results --images images --save

The notebook runs the benchmark harness through its CLI (`npm run bench`, or the compiled CLI directly with
--no-build) with BENCH_PROFILE, BENCH_OUT_DIR and BENCH_IMAGES_DIR taken from the options here. The kernel is
"python3" of the interpreter running this script (the project's venv, which has ipykernel). With --save the
executed notebook, outputs included, is written back in place.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK = ROOT / "notebooks" / "benchmark.ipynb"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", default="tiny", choices=["tiny", "quick", "full"])
    parser.add_argument("--targets", default="local")
    parser.add_argument("--out", help="results folder (default: a temporary folder)")
    parser.add_argument("--images", help="plots folder (default: <out>/images)")
    parser.add_argument("--no-build", action="store_true", help="run dist/bench/http/cli.js without building")
    parser.add_argument("--save", action="store_true", help="write the executed notebook back in place")
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    args = parser.parse_args()

    out = Path(args.out) if args.out else Path(tempfile.mkdtemp(prefix="bench-notebook-"))
    images = Path(args.images) if args.images else out / "images"
    os.environ.update(
        BENCH_PROFILE=args.profile,
        BENCH_TARGETS=args.targets,
        BENCH_OUT_DIR=str(out.resolve()),
        BENCH_IMAGES_DIR=str(images.resolve()),
        BENCH_NOTEBOOK_RUN="1",
    )
    if args.no_build:
        os.environ["BENCH_NO_BUILD"] = "1"
    # The notebook runs `node`/`npm`: prefer the project's Node (node_modules/.bin), as npm scripts do.
    os.environ["PATH"] = f"{ROOT / 'node_modules' / '.bin'}{os.pathsep}{os.environ.get('PATH', '')}"

    nb = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        nb, timeout=args.timeout, kernel_name="python3", resources={"metadata": {"path": str(ROOT / "notebooks")}}
    )
    client.execute()
    if args.save:
        nbformat.write(nb, NOTEBOOK)
    print(f"executed {NOTEBOOK.relative_to(ROOT)} ({args.profile}); results in {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
