"""JSON positions (the fast key index, and its exact fallback), and reading exports."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.errors import InputError
from checker.core.location import Location
from checker.loading import limits
from checker.loading.json_positions import JsonLocator
from checker.loading.json_source import has_long_digit_run, parse_export, parse_json


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


# Keys as manifests write them, and keys that can fool a search: one that ends with
# another after an escaped quote (`"q\\"a"` holds `"a"`), braces, a backslash. Small
# sets, so that keys nested deeper reuse the names of the keys asked for.
KEYS = st.sampled_from(["a", "b", "r1/f1", "x:y", 'q"a', 'x\\"b', "{", "}", "\\"])
PLAIN_KEYS = st.sampled_from(["a", "b", "r1/f1", "x:y"])
LEAVES = st.one_of(st.integers(0, 3), st.sampled_from(["a", "b", ':"', "x\\y"]))
BRACES = st.sampled_from(["{", "}}", "[", "a}"])


def _documents(keys: st.SearchStrategy[str], leaves: st.SearchStrategy[Any]) -> Any:
    return st.dictionaries(
        keys,
        st.recursive(
            leaves,
            lambda children: st.one_of(
                st.lists(children, max_size=3), st.dictionaries(keys, children, max_size=5)
            ),
            max_leaves=30,
        ),
        max_size=6,
    )


DOCUMENTS = st.one_of(
    _documents(PLAIN_KEYS, LEAVES),  # what the sweep handles
    _documents(KEYS, LEAVES),
    _documents(PLAIN_KEYS, st.one_of(LEAVES, BRACES)),
)


def _objects(value: Any, pointer: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    """The pointer of every object in ``value``, and the object."""
    if isinstance(value, dict):
        yield pointer, value
        for key, item in value.items():
            yield from _objects(item, (*pointer, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _objects(item, (*pointer, index))


@settings(max_examples=1000, deadline=None)
@given(DOCUMENTS, st.sampled_from([None, 0, 2]), st.booleans(), st.data())
def test_keys_located_together_are_where_each_is_located_alone(
    data: Any, indent: int | None, ascii_only: bool, draw: st.DataObject
) -> None:
    text = json.dumps(data, indent=indent, ensure_ascii=ascii_only)
    exact = JsonLocator(text)  # no parsed data: always the exact scan
    for parent, found in _objects(data):
        names = st.sampled_from([*found, "a", "b", "missing"])
        keys = draw.draw(st.lists(names, max_size=8))
        locator: Any = parse_json(text, "m.json").locator
        together = locator.locate_keys(parent, keys)
        alone = parse_json(text, "m.json").locator
        assert together == {key: alone.locate((*parent, key)) for key in keys}
        assert together == {key: exact.locate((*parent, key)) for key in keys}


def _deep_keys(value: Any, depth: int = 1) -> set[str]:
    """Keys of every mapping at ``depth`` 3 or more (the top level is depth 1)."""
    found: set[str] = set()
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else []
    if isinstance(value, dict) and depth >= 3:
        found.update(value)
    for item in items:
        found |= _deep_keys(item, depth + 1)
    return found


@settings(max_examples=1000, deadline=None)
@given(DOCUMENTS, st.sampled_from([None, 0, 2]), st.data())
def test_keys_found_without_counting_where_no_nested_key_is_asked_for(
    data: Any, indent: int | None, draw: st.DataObject
) -> None:
    # What a parser that knows the nested keys (a vouched manifest) tells the locator.
    text = json.dumps(data, indent=indent)
    survey = limits.survey(data)
    exact = JsonLocator(text)
    for parent, found in _objects(data):
        keys = draw.draw(st.lists(st.sampled_from([*found, "a", "b", "missing"]), max_size=8))
        told = JsonLocator(text, data, survey.mappings, frozenset(_deep_keys(data)))
        assert told.locate_keys(parent, keys) == {k: exact.locate((*parent, k)) for k in keys}


def test_a_key_nested_in_an_earlier_value_is_not_taken_for_the_one_asked_for() -> None:
    # The text between "a" and the nested "b" balances its braces only because a
    # string holds one: the fast index must not trust its brace count then.
    text = '{"s": {"a": {"x": "}", "b": 1}, "b": 2}}'
    assert _positions(text, [("s", "b")]) == [(1, 33)] == _exact(text, [("s", "b")])
    locator: Any = parse_json(text, "m.json").locator
    assert locator.locate_keys(("s",), ["b", "a"]) == {"b": (1, 33), "a": (1, 8)}


@pytest.mark.parametrize(
    "data",
    [
        {'q"a': 1, "a": 2},  # "q\"a": ends with the needle "a":
        {"s": {'q"a': 1, "a": 2}},
        {"s": {"t": {'q"a': 1}, "a": 2}},
        {"s": {"t": {"a": 1}, "a": 2}},  # a nested "a" first
        {"t": {"a": 1}, "a": 2},
    ],
)
def test_a_key_is_not_found_inside_another_whatever_the_locator_is_told(data: Any) -> None:
    text = json.dumps(data)
    survey = limits.survey(data)
    for deep in (None, frozenset(_deep_keys(data))):
        for parent, found in _objects(data):
            for keys in (list(found), *([key] for key in found)):
                told = JsonLocator(text, data, survey.mappings, deep)
                exact = JsonLocator(text)
                assert told.locate_keys(parent, keys) == {
                    key: exact.locate((*parent, key)) for key in keys
                }, (parent, keys, deep)


# parse_export: JSON other tools write, read for an importer (docs/limits.md,
# "Importer inputs"): the limits on scalars hold, at their place; nesting and key
# length are left to what the importer writes.


def _refused(text: str) -> InputError:
    with pytest.raises(InputError) as raised:
        parse_export(text, "export.json")
    return raised.value


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        # A value of a mapping is placed at its key, as in every report.
        ('{"pk": 123456789012345678901}', (1, 2), "an integer of more than 20 digits"),
        ('{"rows": [1,\n  -123456789012345678901]}', (2, 3), "an integer of more than 20"),
        # Past what int() itself parses (4,300 digits): a ValueError from json.loads.
        ('[{"pk": ' + "9" * 5000 + "}]", (1, 3), "an integer of more than 20 digits"),
        ('{"name": "a\\ud800"}', (1, 2), "lone UTF-16 surrogate"),
        ('{"ok": "x",\n "\\udfff": 1}', (2, 2), "lone UTF-16 surrogate"),
        ('{"a": 1,}', (1, 9), "invalid JSON"),
        ('{"a": NaN}', None, "NaN is not valid JSON"),
        ("[" * 5000 + "]" * 5000, (1, 65), "nested more than 64 levels deep"),
    ],
)
def test_an_export_is_refused_at_the_place_of_a_scalar_over_a_limit(
    text: str, where: tuple[int, int] | None, message: str
) -> None:
    (problem,) = _refused(text).problems
    assert message in problem.message
    assert problem.location is not None and problem.location.path == "export.json"
    if where is not None:
        assert (problem.location.line, problem.location.column) == where


@pytest.mark.parametrize(
    "data",
    [
        {"serial": "1234567890123456789012345", "pk": 10**20 - 1, "low": -(10**20) + 1},
        {"name": "caf\u00e9 \U0001f600", "escaped": "\ud83d\ude00"},  # a surrogate pair
        {"deep": json.loads("[" * 200 + "]" * 200)},  # exports are not held to 64 levels
        {"k" * 5000: "a key longer than a manifest key may be"},
        # A run of digits in a string makes the data walked: nesting and key length
        # still are not limits there.
        {"k" * 5000: json.loads("[" * 200 + "]" * 200), "n": "9" * 30},
        [],
        7,
    ],
)
def test_an_export_within_the_scalar_limits_reads_as_json_loads_reads_it(data: Any) -> None:
    for text in (json.dumps(data), json.dumps(data, ensure_ascii=False, indent=2)):
        document = parse_export(text, "export.json")
        assert document.data == json.loads(text)
        assert document.path == "export.json"


_FILLER = st.text(alphabet=st.sampled_from(' "x\u00e9\ud800\\'), max_size=6)


@settings(max_examples=300, deadline=None)
@given(
    parts=st.lists(st.tuples(_FILLER, st.integers(min_value=0, max_value=24)), max_size=8),
    chunk=st.integers(min_value=1, max_value=40),
)
def test_the_digit_scan_finds_a_long_run_wherever_its_pieces_are_cut(
    parts: list[tuple[str, int]], chunk: int
) -> None:
    # Runs of up to 24 digits between other characters (a non-ASCII one and a lone
    # surrogate among them), and pieces small enough to cut a run anywhere.
    text = "".join(filler + "7" * run for filler, run in parts)
    too_long = re.search(f"[0-9]{{{limits.MAX_INT_DIGITS + 1}}}", text) is not None
    assert has_long_digit_run(text, chunk) is too_long
    assert has_long_digit_run(text) is too_long


def test_an_export_keeps_the_last_of_a_key_written_twice_and_locates_parts() -> None:
    document = parse_export('{"a": 1,\n "b": {"c": [2, 3]},\n "a": 4}', "export.json")
    assert document.data == {"a": 4, "b": {"c": [2, 3]}}
    assert document.location(("b", "c", 1)) == Location("export.json", 2, 17)
