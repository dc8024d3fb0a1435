"""Structural checks of a LightGBM model.txt before LightGBM reads it.

LightGBM's loader trusts the file: a cycle in the child indices makes prediction loop forever, an index out of
range reads outside its arrays (a segfault), and a file cut short can abort the process. So the file is
checked here first, and every rule names the tree, the key and the line that breaks it: header keys, one
block per tree whose byte sizes match `tree_sizes`, list lengths against `num_leaves` and `num_cat`, numbers
that parse, feature and child indices in range, and every node and leaf reached exactly once from the root.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Valid decision_type bytes: bit 0 categorical, bit 1 default-left, bits 2-3 the missing type (0, 1 or 2).
_VALID_DECISION_TYPES = frozenset(dt for dt in range(16) if (dt >> 2) & 3 != 3)
# Optional list keys of a tree with splits and the length each must have ("internal" = num_leaves - 1).
_OPTIONAL_LISTS = {
    "split_gain": "internal",
    "decision_type": "internal",
    "internal_value": "internal",
    "internal_weight": "internal",
    "internal_count": "internal",
    "leaf_weight": "leaves",
    "leaf_count": "leaves",
}


class ModelFormatError(ValueError):
    """The model file breaks a rule; the message names the tree (if any), the key and the line."""


@dataclass(frozen=True, slots=True)
class ModelSummary:
    num_trees: int
    linear_trees: tuple[int, ...]  # indices of trees trained with linear_tree=true


@dataclass(slots=True)
class _Entry:
    value: str
    line: int


class _Block:
    """The key=value lines of the header or of one tree, with error helpers that name where they are."""

    def __init__(self, where: str, line: int, entries: dict[str, _Entry]) -> None:
        self.where = where  # "the header" or "tree 3"
        self.line = line
        self.entries = entries

    def fail(self, key: str, detail: str, line: int | None = None) -> ModelFormatError:
        at = self.entries[key].line if line is None and key in self.entries else (line or self.line)
        return ModelFormatError(f"{self.where}, key {key} (line {at}): {detail}")

    def has(self, key: str) -> bool:
        return key in self.entries

    def require(self, key: str) -> _Entry:
        entry = self.entries.get(key)
        if entry is None:
            raise self.fail(key, f'no "{key}" line', self.line)
        return entry

    def integer(self, key: str, minimum: int | None = None) -> int:
        value: int = _parse(self, key, self.require(key).value.strip(), int)
        if minimum is not None and value < minimum:
            raise self.fail(key, f"must be at least {minimum}, got {value}")
        return value

    def ints(self, key: str, length: int) -> list[int]:
        return self._list(key, length, int)

    def doubles(self, key: str, length: int) -> list[float]:
        return self._list(key, length, float)

    def _list(self, key: str, length: int, kind: Callable[[str], int | float]) -> list[Any]:
        tokens = self.require(key).value.split()
        if len(tokens) != length:
            raise self.fail(key, f"has {len(tokens)} values; expected {length}")
        return [_parse(self, key, token, kind) for token in tokens]


def _parse(block: _Block, key: str, token: str, kind: Callable[[str], int | float]) -> Any:
    try:
        return kind(token)
    except ValueError:
        what = "an integer" if kind is int else "a number"
        raise block.fail(key, f"{token[:40]!r} is not {what}") from None


def check_model_text(text: str) -> ModelSummary:
    """Checks the whole file; raises ModelFormatError naming the first rule broken."""
    lines = text.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("Tree=")]
    end = next((i for i, line in enumerate(lines) if line.strip() == "end of trees"), None)
    header = _Block("the header", 1, _entries(lines, 0, starts[0] if starts else len(lines)))
    header.require("num_class")
    header.integer("num_class", 1)
    max_feature_idx = header.integer("max_feature_idx", 0)
    names = header.require("feature_names").value.split()
    if len(names) != max_feature_idx + 1:
        raise header.fail("feature_names", f"has {len(names)} names; max_feature_idx={max_feature_idx} means more")
    if header.has("num_tree_per_iteration"):
        header.integer("num_tree_per_iteration", 1)
    if end is None:
        where = f"in tree {len(starts) - 1}" if starts else "in the header"
        raise ModelFormatError(f'the file ends {where} without an "end of trees" line: it is cut short')
    starts = [i for i in starts if i < end]
    _check_tree_sizes(header, lines, starts, end)

    linear: list[int] = []
    for index, first in enumerate(starts):
        label = lines[first][len("Tree=") :].strip()
        if label != str(index):
            raise ModelFormatError(f"line {first + 1}: tree {index} is labelled Tree={label[:20]}")
        last = starts[index + 1] if index + 1 < len(starts) else end
        block = _Block(f"tree {index}", first + 1, _entries(lines, first + 1, last))
        if _check_tree(block, max_feature_idx):
            linear.append(index)
    return ModelSummary(num_trees=len(starts), linear_trees=tuple(linear))


def _entries(lines: list[str], start: int, stop: int) -> dict[str, _Entry]:
    entries: dict[str, _Entry] = {}
    for i in range(start, stop):
        key, sep, value = lines[i].partition("=")
        if sep:
            entries[key.strip()] = _Entry(value, i + 1)
    return entries


def _check_tree_sizes(header: _Block, lines: list[str], starts: list[int], end: int) -> None:
    """LightGBM cuts the trees out of the file by these byte sizes: they must match the blocks."""
    if not header.has("tree_sizes"):
        return
    sizes = header.ints("tree_sizes", len(starts))
    offsets = [0]
    for line in lines[: end + 1]:
        offsets.append(offsets[-1] + len(line.encode("utf-8")) + 1)
    bounds = [*starts, end]
    for i, size in enumerate(sizes):
        actual = offsets[bounds[i + 1]] - offsets[bounds[i]]
        if size != actual:
            raise header.fail("tree_sizes", f"tree {i} is {actual} bytes long, not {size}")


def _check_tree(t: _Block, max_feature_idx: int) -> bool:
    """Checks one tree block; returns whether it is a linear tree."""
    num_leaves = t.integer("num_leaves", 1)
    num_cat = t.integer("num_cat", 0)
    is_linear = t.has("is_linear") and t.integer("is_linear") != 0
    t.doubles("leaf_value", num_leaves)
    if t.has("shrinkage"):
        _parse(t, "shrinkage", t.require("shrinkage").value.strip(), float)
    if is_linear:
        _check_linear(t, num_leaves, max_feature_idx)
    if num_leaves == 1:
        return is_linear
    internal = num_leaves - 1
    lengths = {"internal": internal, "leaves": num_leaves}
    split_feature = t.ints("split_feature", internal)
    threshold = t.doubles("threshold", internal)
    left = t.ints("left_child", internal)
    right = t.ints("right_child", internal)
    for key, length in _OPTIONAL_LISTS.items():
        if t.has(key):
            (t.ints if key == "decision_type" else t.doubles)(key, lengths[length])
    decision_type = t.ints("decision_type", internal) if t.has("decision_type") else [0] * internal
    for node in range(internal):
        if decision_type[node] not in _VALID_DECISION_TYPES:
            raise t.fail("decision_type", f"node {node} has decision_type {decision_type[node]}")
        if not 0 <= split_feature[node] <= max_feature_idx:
            raise t.fail(
                "split_feature", f"node {node} splits on feature {split_feature[node]}, outside 0..{max_feature_idx}"
            )
        if decision_type[node] & 1:
            cat = threshold[node]
            if not (math.isfinite(cat) and cat.is_integer() and 0 <= cat < num_cat):
                raise t.fail("threshold", f"categorical node {node} names bitset {cat}; the tree has {num_cat}")
    if num_cat > 0:
        bounds = t.ints("cat_boundaries", num_cat + 1)
        if bounds[0] != 0 or any(b < a for a, b in itertools.pairwise(bounds)):
            raise t.fail("cat_boundaries", "must start at 0 and never decrease")
        words = t.ints("cat_threshold", bounds[-1])
        if any(not 0 <= w <= 0xFFFFFFFF for w in words):
            raise t.fail("cat_threshold", "holds a value that is not a 32-bit word")
    _check_reachability(t, internal, num_leaves, left, right)
    return is_linear


def _check_reachability(t: _Block, internal: int, num_leaves: int, left: list[int], right: list[int]) -> None:
    """Every internal node and every leaf is reached exactly once from the root: no cycle, nothing shared."""
    seen_node = [False] * internal
    seen_leaf = [False] * num_leaves
    seen_node[0] = True
    stack = [0]
    while stack:
        node = stack.pop()
        for key, child in (("left_child", left[node]), ("right_child", right[node])):
            if child >= 0:
                if child >= internal or seen_node[child]:
                    raise t.fail(key, f"node {node} points at node {child}, which is out of range or reached twice")
                seen_node[child] = True
                stack.append(child)
            else:
                leaf = ~child
                if leaf >= num_leaves or seen_leaf[leaf]:
                    raise t.fail(key, f"node {node} points at leaf {leaf}, which is out of range or reached twice")
                seen_leaf[leaf] = True
    if not all(seen_node) or not all(seen_leaf):
        raise t.fail("left_child", "some nodes or leaves cannot be reached from the root")


def _check_linear(t: _Block, num_leaves: int, max_feature_idx: int) -> None:
    t.doubles("leaf_const", num_leaves)
    counts = t.ints("num_features", num_leaves)
    if any(c < 0 for c in counts):
        raise t.fail("num_features", "holds a negative count")
    total = sum(counts)
    if total or t.has("leaf_features"):
        features = t.ints("leaf_features", total)
        if any(not 0 <= f <= max_feature_idx for f in features):
            raise t.fail("leaf_features", f"holds a feature outside 0..{max_feature_idx}")
    if total or t.has("leaf_coeff"):
        t.doubles("leaf_coeff", total)
