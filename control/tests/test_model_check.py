"""Broken model files are refused before LightGBM reads them, naming the tree and the key; fed to LightGBM itself
they hang, crash or abort it (shown here in a child process), and `python -m app` exits non-zero instead."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from app.model_check import ModelFormatError, check_model_text
from tests.test_server_process import CONTROL_DIR, START_TIMEOUT, free_port

Mutation = Callable[[str], str]


def in_tree(tree: int, key: str, change: Callable[[list[str]], list[str]]) -> Mutation:
    """Changes the values of `key` in tree `tree`, dropping tree_sizes (LightGBM then reads trees one by one)."""

    def mutate(text: str) -> str:
        text = re.sub(r"^tree_sizes=.*\n", "", text, flags=re.M)
        block = text.index(f"\nTree={tree}\n")
        start = text.index(f"\n{key}=", block) + len(key) + 2
        end = text.index("\n", start)
        return text[:start] + " ".join(change(text[start:end].split())) + text[end:]

    return mutate


def without_line(tree: int, key: str) -> Mutation:
    def mutate(text: str) -> str:
        text = re.sub(r"^tree_sizes=.*\n", "", text, flags=re.M)
        block = text.index(f"\nTree={tree}\n")
        start = text.index(f"\n{key}=", block) + 1
        return text[:start] + text[text.index("\n", start) + 1 :]

    return mutate


def cut_in_tree(tree: int) -> Mutation:
    return lambda text: text[: text.index(f"\nTree={tree}\n") + 40]


def replace_first(values: list[str], value: str) -> list[str]:
    return [value, *values[1:]]


BROKEN: dict[str, tuple[Mutation, str]] = {
    "a cycle in child indices": (
        in_tree(1, "left_child", lambda v: replace_first(v, "0")),
        r"tree 1, key left_child \(line \d+\): node 0 points at node 0, which is out of range or reached twice",
    ),
    "a child index out of range": (
        in_tree(2, "right_child", lambda v: replace_first(v, "999")),
        r"tree 2, key right_child \(line \d+\): node 0 points at node 999, which is out of range or reached twice",
    ),
    "a truncated file": (
        cut_in_tree(5),
        r'the file ends in tree 5 without an "end of trees" line: it is cut short',
    ),
    "a missing key": (without_line(3, "threshold"), r'tree 3, key threshold \(line \d+\): no "threshold" line'),
    "a number that does not parse": (
        in_tree(4, "leaf_value", lambda v: replace_first(v, "1.5.3")),
        r"tree 4, key leaf_value \(line \d+\): '1\.5\.3' is not a number",
    ),
    "a list of the wrong length": (
        in_tree(0, "threshold", lambda v: v[:-1]),
        r"tree 0, key threshold \(line \d+\): has 13 values; expected 14",
    ),
    "a split on a feature the model does not have": (
        in_tree(6, "split_feature", lambda v: replace_first(v, "20")),
        r"tree 6, key split_feature \(line \d+\): node 0 splits on feature 20, outside 0\.\.19",
    ),
    # LightGBM aborts on this one (std::terminate) where the TypeScript parser accepts it.
    "windows line endings under LightGBM's tree sizes": (
        lambda text: text.replace("\n", "\r\n"),
        r"the header, key tree_sizes \(line \d+\): tree 0 is \d+ bytes long, not \d+",
    ),
    "tree sizes that do not match the blocks": (
        lambda text: text.replace("\nnum_leaves=15\n", "\nnum_leaves=15 \n", 1),
        r"the header, key tree_sizes \(line \d+\): tree 0 is \d+ bytes long, not \d+",
    ),
}


def test_what_lightgbm_itself_refuses_is_a_model_load_error_naming_the_file(model_text: str, tmp_path: Path) -> None:
    from app.model import ModelLoadError, load_model

    path = tmp_path / "model.txt"
    for broken in (
        model_text.replace("objective=regression", "objective=regresion", 1),
        model_text.replace("pandas_categorical:null", "pandas_categorical:{not json", 1),
    ):
        path.write_text(broken)
        with pytest.raises(ModelLoadError, match=f"^cannot load the model file {re.escape(str(path))}: "):
            load_model(path, "model")


@pytest.fixture(scope="module")
def model_text(regression_model_path: Path) -> str:
    return regression_model_path.read_text()


def test_a_model_lightgbm_wrote_passes(model_text: str) -> None:
    summary = check_model_text(model_text)
    assert (summary.num_trees, summary.linear_trees) == (20, ())


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_a_broken_model_is_refused_naming_the_tree_and_key(model_text: str, case: str) -> None:
    mutate, message = BROKEN[case]
    with pytest.raises(ModelFormatError, match="^" + message + "$"):
        check_model_text(mutate(model_text))


@pytest.mark.parametrize("case", ["a cycle in child indices", "a child index out of range", "a truncated file"])
def test_the_same_file_refused_at_boot_exits_non_zero_with_the_tree_and_key_in_a_json_log_line(
    model_text: str, tmp_path: Path, case: str
) -> None:
    mutate, message = BROKEN[case]
    path = tmp_path / "model.txt"
    path.write_text(mutate(model_text))
    env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    env.update({"MODEL_PATH": str(path), "OTEL_SDK_DISABLED": "true", "PORT": str(free_port()), "HOST": "127.0.0.1"})
    result = subprocess.run(
        [sys.executable, "-m", "app"], cwd=CONTROL_DIR, env=env, capture_output=True, timeout=START_TIMEOUT
    )
    assert result.returncode != 0
    lines = [json.loads(line) for line in result.stderr.decode().splitlines() if line.startswith("{")]
    refused = [line for line in lines if line["msg"] == "the model was refused"]
    assert len(refused) == 1 and refused[0]["level"] == "error"
    assert re.search(message, refused[0]["error"]), refused[0]["error"]
