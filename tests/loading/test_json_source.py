"""JSON positions: the fast key index, and its exact fallback."""

from __future__ import annotations

import json

import pytest

from checker.loading.json_source import JsonLocator, parse_json


def _positions(text: str, pointers: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    document = parse_json(text, "m.json")
    return [document.locator.locate(p) for p in pointers]


def _exact(text: str, pointers: list[tuple[str, ...]]) -> list[tuple[int, int]]:
    locator = JsonLocator(text)  # no parsed data: always the exact scan
    return [locator.locate(p) for p in pointers]


CASES = {
    "indented": json.dumps(
        {"version": 1, "services": {"a": {"tier": "low"}, "b": {"tier": "low"}}}, indent=2
    ),
    "compact": '{"services":{"a":{"tier":"low"},"b":{"tier":"low"}}}',
    # "b" appears first as a nested key inside "a": the search must not stop there.
    "nested-key-named-like-an-entity": (
        '{"services": {\n"a": {"meta": {"b": 1}, "tier": "low"},\n"b": {"tier": "low"}}}'
    ),
    # "b" appears first as a value (a dependency) before its own key.
    "value-before-key": '{"services": {\n"a": {"depends_on": ["b"]},\n"b": {}}}',
    "escaped-slash": '{"services": {"pangyo\\/db": {}, "b": {}}}',
    "braces-in-strings": '{"services": {"a": {"owner": "}}"}, "b": {}}}',
}


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_fast_index_agrees_with_the_exact_scan(text: str) -> None:
    data = json.loads(text)
    pointers = [("services", key) for key in data["services"]]
    pointers += [("services", key, "tier") for key in data["services"]]
    assert _positions(text, pointers) == _exact(text, pointers)


def test_positions_are_one_based_lines_and_columns() -> None:
    text = CASES["nested-key-named-like-an-entity"]
    assert _positions(text, [("services", "b"), ("services", "a", "tier")]) == [(3, 1), (2, 25)]


def test_a_missing_pointer_points_at_the_deepest_part_found() -> None:
    assert _positions(CASES["compact"], [("services", "zzz", "tier")]) == [(1, 2)]
