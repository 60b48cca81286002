"""The JSON fast path reads exactly what the exact path reads, and reports the same errors.

:func:`parse_json` parses with a plain ``json.loads`` and trusts the result after one
look (a limits survey, and counting colons against keys for duplicate keys); anything
doubtful goes through :func:`_parse_exactly`, the loader as it always was. Random
texts, written the way tools and people write JSON (indented or not, escaped or not,
keys repeated, colons and braces inside strings, integers too long, lone surrogates),
must load to the same data or fail with the same message at the same place both ways.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.errors import InputError
from checker.loading import limits
from checker.loading.json_source import _parse_exactly, parse_json

#: Keys: short, so that objects often repeat one; with colons, braces, quotes, escapes.
KEYS = st.sampled_from(["a", "b", "x:y", "{", "}", 'q"', "\\", "é", "\U0001f600", ""])
STRINGS = st.one_of(
    KEYS,
    st.text(alphabet=st.sampled_from('ab:{}[]"\\/é \n'), max_size=6),
    st.just("\ud800"),  # written as a lone surrogate escape
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**25), 10**25),
    st.floats(allow_nan=False, allow_infinity=False),
    STRINGS,
)


def _pairs(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(st.tuples(KEYS, children), max_size=4).map(lambda pairs: ("object", pairs))


VALUES = st.recursive(
    SCALARS, lambda children: st.one_of(st.lists(children, max_size=4), _pairs(children))
)


def _write(value: Any, style: dict[str, Any]) -> str:
    """JSON text for ``value``, where ("object", pairs) may repeat a key."""
    space = style["space"]
    if isinstance(value, tuple):
        members = [
            f"{_string(key, style)}{space}:{space}{_write(item, style)}" for key, item in value[1]
        ]
        return "{" + f",{style['newline']}".join(members) + "}"
    if isinstance(value, list):
        return "[" + f",{style['newline']}".join(_write(item, style) for item in value) + "]"
    if isinstance(value, str):
        return _string(value, style)
    return json.dumps(value)


def _string(text: str, style: dict[str, Any]) -> str:
    # A file holds UTF-8, never a raw surrogate: those are always written as escapes.
    raw = style["ascii"] or limits.has_lone_surrogate(text)
    written = json.dumps(text, ensure_ascii=raw)
    if style["escape_colons"]:
        written = written.replace(":", "\\u003a")
    if style["escape_slashes"]:
        written = written.replace("/", "\\/")
    return written


STYLES = st.fixed_dictionaries(
    {
        "space": st.sampled_from(["", " "]),
        "newline": st.sampled_from(["", "\n", "\n  "]),
        "ascii": st.booleans(),
        "escape_colons": st.booleans(),
        "escape_slashes": st.booleans(),
    }
)


def _outcome(parse: Any, text: str) -> tuple[str, Any]:
    try:
        return "data", parse(text, "m.json").data
    except InputError as error:
        return "error", str(error)


@settings(max_examples=1500, deadline=None)
@given(VALUES, STYLES)
def test_the_fast_path_reads_what_the_exact_path_reads(value: Any, style: dict[str, Any]) -> None:
    text = _write(value, style)
    assert _outcome(parse_json, text) == _outcome(_parse_exactly, text), text


@pytest.mark.parametrize(
    "text",
    [
        '{"a": 1, "a": 2}',
        '{"a:b": 1, "a": 2, "a": 3}',  # a colon in a key: colons outnumber keys anyway
        '{"a": "x\\u003ay", "b": {"c": 1, "c": 2}}',  # an escaped colon
        '{"a": "x\\u003ay", "b": {"c": 1, "d": 2}}',
        '{"a": "\\\\u003a", "b": 1}',  # not an escape: a backslash, then u003a
        "123456789012345678901",  # a top-level integer over the limit: the stand-in
        "[" + "9" * 5000 + "]",
        '{"a": [1, 2, {"b": "\\ud800"}]}',
        '{"a": NaN}',
        '{"a": 1,}',
        "[" * 100_000,
    ],
)
def test_doubtful_files_read_as_the_exact_path_reads_them(text: str) -> None:
    assert _outcome(parse_json, text) == _outcome(_parse_exactly, text)


def test_a_repeated_key_is_an_error_where_it_is_repeated() -> None:
    with pytest.raises(InputError) as caught:
        parse_json('{"x:y": "a:b",\n "x:y": 2}', "m.json")
    assert str(caught.value) == (
        "m.json:2:2: duplicate key 'x:y' (first defined at line 1, column 2)"
    )


def test_survey_counts_keys_and_mappings_and_stops_at_a_limit() -> None:
    data = {"a": {"b": [1, {"c": "d"}]}, "e": {}}
    assert limits.survey(data) == limits.Survey(True, 4, 4)
    assert not limits.survey({"a": [10**20]}).ok
    assert limits.survey({"a": [10**20]}, ints=False).ok
    assert not limits.survey({"a": "\ud800"}).ok
    assert limits.survey({"a": "\ud800"}, strings=False).ok
    assert not limits.survey({"k" * 1025: 1}, ints=False, strings=False).ok
    nested: Any = 1
    for _ in range(limits.MAX_DEPTH):
        nested = [nested]
    assert limits.survey(nested).ok
    assert not limits.survey([nested]).ok
    assert limits.survey(10**30).ok  # a top-level scalar is not checked (as check_data)


def test_every_string_holds_keys_and_string_values_at_every_depth() -> None:
    data = {"a": ["b", {"c": "d", "e": 1}], "f": None}
    assert sorted(limits.every_string(data)) == ["a", "b", "c", "d", "e", "f"]
