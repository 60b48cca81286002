"""The quick yes for plain schemas never says yes where jsonschema says no."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.schema_plain import is_plain

values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-2, 2),
        st.sampled_from([1.5, "", "a", "object", "string", "array"]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "b"]), inner)
    ),
    max_leaves=6,
)
type_names = st.sampled_from(["object", "array", "string", "integer", "null", "Object", "int"])
#: Right arguments mostly, now and then a wrong one (duplicates, empty lists, numbers).
arguments = {
    "type": st.one_of(type_names, st.lists(type_names, max_size=3), values),
    "required": st.one_of(st.lists(st.sampled_from(["a", "b", "labels"]), max_size=3), values),
    "const": values,
    "default": values,
    "enum": st.one_of(st.lists(values, max_size=3), values),
    "examples": st.one_of(st.lists(values, max_size=2), values),
    "title": st.one_of(st.just("t"), values),
    "description": st.one_of(st.just("d"), values),
    "$comment": st.one_of(st.just("c"), values),
    "minLength": st.one_of(st.integers(-1, 2), values),
    "pattern": st.sampled_from(["^a", "(", "a{2}"]),
    "$schema": st.sampled_from(["https://json-schema.org/draft/2020-12/schema", "x"]),
}


def _keyword(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[tuple[str, Any]]:
    return st.one_of(
        *(st.tuples(st.just(name), argument) for name, argument in arguments.items()),
        st.tuples(st.just("not"), st.one_of(inner, values)),
        st.tuples(
            st.sampled_from(["anyOf", "allOf", "oneOf"]),
            st.one_of(st.lists(inner, max_size=3), values),
        ),
        st.tuples(
            st.just("properties"),
            st.one_of(st.dictionaries(st.sampled_from(["a", "labels"]), inner), values),
        ),
    )


schemas = st.recursive(
    st.one_of(st.booleans(), st.just({})),
    lambda inner: st.lists(_keyword(inner), max_size=3).map(dict),
    max_leaves=8,
)


def _valid(schema: Any) -> bool:
    try:
        jsonschema.Draft202012Validator.check_schema(schema)
    except jsonschema.SchemaError:
        return False
    return jsonschema.validators.validator_for(schema) is jsonschema.Draft202012Validator


@settings(max_examples=3000, deadline=None)
@given(schemas)
def test_a_plain_schema_is_a_valid_one(schema: Any) -> None:
    if is_plain(schema):
        assert _valid(schema), schema


@pytest.mark.parametrize(
    "schema",
    [
        {"anyOf": [{"required": ["backups"]}, {"properties": {"labels": {"required": ["data"]}}}]},
        {"type": ["string", "null"], "title": "t", "enum": [1, "a", None]},
        {"not": {"const": {"a": [1]}}, "required": [], "properties": {}},
        {"oneOf": [True, False], "$comment": "c", "default": None, "examples": []},
    ],
)
def test_the_common_shapes_are_plain(schema: Any) -> None:
    assert is_plain(schema)
    assert _valid(schema)


@pytest.mark.parametrize(
    "schema",
    [
        {"required": ["a", "a"]},
        {"type": []},
        {"type": "Object"},
        {"anyOf": []},
        {"properties": []},
        {"pattern": "^a"},
        {"$schema": "https://json-schema.org/draft/2020-12/schema"},
        {"title": 1},
        {"enum": "a"},
    ],
)
def test_anything_else_is_left_to_jsonschema(schema: Any) -> None:
    assert not is_plain(schema)
