"""Validation of `POST /inference` bodies: parsed JSON in, a float64 matrix and the prediction options out.

Every rejection is an `invalid_request` whose message names the problem and the place (`data[3][7]`,
`data[0].Column_2`). Missing values (`null`, or a name absent from a named row) become NaN.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import orjson

from .errors import invalid_json, invalid_request, too_many_rows
from .model import OUTPUTS, Output

FIELDS = ("data", "output", "start_iteration", "num_iteration")
_FIELD_SET = frozenset(FIELDS)
_NUMBER_TYPES = frozenset({float, int, type(None)})
_OUTPUT_BY_NAME: dict[str, Output] = {name: name for name in OUTPUTS}
_MAX_SAFE_INTEGER = 2**53 - 1  # the integers JSON numbers hold exactly; the TypeScript side takes the same
# application/json or application/<anything>+json, with or without parameters (as the TypeScript side).
JSON_MEDIA_TYPE = re.compile(r"^application/(?:[\w.+-]+\+)?json\s*(?:;|$)", re.IGNORECASE)


@dataclass(slots=True)  # not frozen: a frozen __init__ costs microseconds per request
class InferenceRequest:
    rows: np.ndarray  # float64, shape (n, num_features)
    single: bool  # `data` was one row: answer {"prediction": ...} rather than {"predictions": [...]}
    output: Output
    start_iteration: int
    num_iteration: int  # <= 0 means all iterations


def parse_json(body: bytes) -> Any:
    try:
        return orjson.loads(body)
    except orjson.JSONDecodeError:
        pass
    # orjson rejects a few documents that JavaScript's JSON.parse accepts (numbers beyond the double range,
    # lone surrogate escapes); the standard library takes them, minus its NaN/Infinity extensions.
    try:
        return json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        raise invalid_json() from None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def parse_inference(payload: Any, feature_index: Mapping[str, int], max_rows: int) -> InferenceRequest:
    if type(payload) is not dict:
        raise invalid_request(f"the request body must be a JSON object, not {_describe(payload)}")
    if not payload.keys() <= _FIELD_SET:
        unknown = next(k for k in payload if k not in _FIELD_SET)
        raise invalid_request(f'unknown field "{unknown}"; the fields are {", ".join(FIELDS)}')

    requested = payload.get("output")
    output: Output | None = (
        "value" if requested is None else _OUTPUT_BY_NAME.get(requested) if type(requested) is str else None
    )
    if output is None:
        raise invalid_request(f"output must be one of {', '.join(OUTPUTS)}")

    start_iteration = _integer(payload.get("start_iteration"), 0)
    if start_iteration is None or start_iteration < 0:
        raise invalid_request("start_iteration must be an integer >= 0")
    num_iteration = _integer(payload.get("num_iteration"), 0)
    if num_iteration is None:
        raise invalid_request("num_iteration must be an integer")

    data = payload.get("data")
    if type(data) is list and len(data) > max_rows and type(data[0]) in (list, dict):
        raise too_many_rows(len(data), max_rows)
    rows, single = _rows(data, feature_index)
    return InferenceRequest(rows, single, output, start_iteration, num_iteration)


def _integer(value: Any, default: int) -> int | None:
    """An integer option: absent/null gives the default; a float is accepted when integral (JSON has one number
    type); anything else, or beyond the safe-integer range (1e300), gives None."""
    t = type(value)
    if value is None:
        return default
    if t is float and value.is_integer():
        value = int(value)
    elif t is not int:
        return None
    return int(value) if -_MAX_SAFE_INTEGER <= value <= _MAX_SAFE_INTEGER else None


def _rows(data: Any, feature_index: Mapping[str, int]) -> tuple[np.ndarray, bool]:
    width = len(feature_index)
    t = type(data)
    if data is None:
        raise invalid_request("data is missing")
    if t is dict:
        return _matrix([_named_row(data, "data", feature_index)]), True
    if t is not list:
        raise invalid_request(f"data must be an array or an object, not {_describe(data)}")
    if not data:
        raise invalid_request("data is empty")

    first = type(data[0])
    if first is not list and first is not dict:  # one row of values
        if len(data) != width:
            raise invalid_request(f"data has {len(data)} values; the model expects {width}")
        if not _NUMBER_TYPES.issuperset(map(type, data)):
            _raise_bad_value(data, "data")
        return _matrix([data]), True

    rows: list[Sequence[Any]] = []
    for i, row in enumerate(data):
        t = type(row)
        if t is list:
            if len(row) != width:
                raise invalid_request(f"data[{i}] has {len(row)} values; the model expects {width}")
            if not _NUMBER_TYPES.issuperset(map(type, row)):
                _raise_bad_value(row, f"data[{i}]")
            rows.append(row)
        elif t is dict:
            rows.append(_named_row(row, f"data[{i}]", feature_index))
        else:
            raise invalid_request(f"data[{i}] is {_describe(row)}; a row must be an array or an object")
    return _matrix(rows), False


def _named_row(row: dict[str, Any], where: str, feature_index: Mapping[str, int]) -> list[Any]:
    values: list[Any] = [None] * len(feature_index)
    for name, value in row.items():
        i = feature_index.get(name)
        if i is None:
            raise invalid_request(f'{where} has an unknown feature "{name}"')
        if type(value) not in _NUMBER_TYPES:
            raise invalid_request(f"{where}.{name} is {_describe(value)}")
        values[i] = value
    return values


def _raise_bad_value(row: Sequence[Any], where: str) -> None:
    for j, value in enumerate(row):
        if type(value) not in _NUMBER_TYPES:
            raise invalid_request(f"{where}[{j}] is {_describe(value)}")


def _matrix(rows: list[Sequence[Any]]) -> np.ndarray:
    """Rows of numbers and None (all of them checked) as a float64 matrix, None becoming NaN."""
    try:
        return np.array(rows, dtype=np.float64)
    except OverflowError:  # an integer beyond the double range: JSON.parse would make it +-Infinity
        return np.array([[_to_float(v) for v in row] for row in rows], dtype=np.float64)


def _to_float(value: Any) -> float:
    if value is None:
        return math.nan
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def _describe(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
