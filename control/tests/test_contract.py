"""The error catalog of both services (contract/errors.json) is the control's: every error it can raise has
the catalog's code and status, and the catalog has nothing the control cannot name."""

from __future__ import annotations

import inspect
import json

import pytest

from app import errors

# One call of every error constructor in app/errors.py (by its name), with representative arguments.
EXAMPLES: dict[str, errors.ApiError] = {
    "bad_request": errors.bad_request("x"),
    "invalid_json": errors.invalid_json(),
    "invalid_request": errors.invalid_request("x"),
    "unsupported_output": errors.unsupported_output("x"),
    "not_found": errors.not_found("GET", "/x"),
    "method_not_allowed": errors.method_not_allowed("GET", "/x", "POST"),
    "request_timeout": errors.request_timeout("x"),
    "payload_too_large": errors.payload_too_large(1),
    "too_many_rows": errors.too_many_rows(2, 1),
    "too_many_values": errors.too_many_values(2, 3, "leaf", 1),
    "uri_too_long": errors.uri_too_long(1),
    "unsupported_media_type": errors.unsupported_media_type(None),
    "time_budget_exceeded": errors.time_budget_exceeded(2, 1),
    "time_budget_spent": errors.time_budget_spent(2, 1, 3, 1),
    "headers_too_large": errors.headers_too_large(1),
    "internal": errors.internal(),
    "not_implemented": errors.not_implemented("BREW"),
    "not_ready": errors.not_ready(),
}


def catalog() -> dict[str, int]:
    entries = json.loads(errors.CATALOG_PATH.read_text())["errors"]
    return {e["code"]: e["status"] for e in entries}


def test_every_constructor_is_exercised_here() -> None:
    constructors = {
        name
        for name, f in inspect.getmembers(errors, inspect.isfunction)
        if f.__module__ == errors.__name__ and inspect.signature(f).return_annotation == "ApiError"
    }
    assert constructors == set(EXAMPLES)


@pytest.mark.parametrize("constructor", sorted(EXAMPLES))
def test_each_error_has_a_code_of_the_catalog_with_its_status(constructor: str) -> None:
    error = EXAMPLES[constructor]
    assert error.status == catalog()[error.code]


def test_each_constructor_is_named_after_its_code() -> None:
    assert all(name == e.code or name.startswith(e.code.rsplit("_", 1)[0]) for name, e in EXAMPLES.items())


def test_the_control_can_name_every_code_of_the_catalog() -> None:
    assert set(catalog()) == {error.code for error in EXAMPLES.values()}


def test_a_code_outside_the_catalog_cannot_be_raised() -> None:
    with pytest.raises(KeyError):
        errors.ApiError("internal_error", "the old name")
