"""The compiled ``where`` predicates agree with jsonschema."""

from __future__ import annotations

from typing import Any

import jsonschema
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.policy.where import Unsupported, _compile, where_predicate

values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-2, 2),
        st.sampled_from([1.0, 1.5]),
        st.sampled_from(["a", "b", "backups", ""]),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b", "backups", "labels"]), inner, max_size=3),
    ),
    max_leaves=8,
)
type_names = st.sampled_from(["object", "array", "string", "boolean", "null", "number", "integer"])
schemas = st.recursive(
    st.one_of(
        st.booleans(),
        st.builds(lambda t: {"type": t}, st.one_of(type_names, st.lists(type_names, max_size=2))),
        st.builds(
            lambda r: {"required": r}, st.lists(st.sampled_from(["a", "b", "backups"]), max_size=2)
        ),
        st.builds(lambda c: {"const": c}, values),
        st.builds(lambda e: {"enum": e}, st.lists(values, min_size=1, max_size=3)),
    ),
    lambda inner: st.one_of(
        st.builds(lambda s: {"not": s}, inner),
        st.builds(
            lambda k, s: {k: s},
            st.sampled_from(["anyOf", "allOf", "oneOf"]),
            st.lists(inner, min_size=1, max_size=3),
        ),
        st.builds(
            lambda p: {"properties": p},
            st.dictionaries(st.sampled_from(["a", "labels"]), inner, max_size=2),
        ),
        st.builds(
            lambda a, b: {**a, **b} if isinstance(a, dict) and isinstance(b, dict) else a,
            inner,
            inner,
        ),
    ),
    max_leaves=6,
)


@settings(max_examples=3000, deadline=None)
@given(schemas, values)
def test_compiled_predicates_agree_with_jsonschema(schema: Any, value: Any) -> None:
    expected = jsonschema.Draft202012Validator(schema).is_valid(value)
    assert _compile(schema)(value) == expected


def test_unsupported_keywords_fall_back_to_jsonschema() -> None:
    schema = {"properties": {"tier": {"pattern": "^crit"}}}
    try:
        _compile(schema)
    except Unsupported:
        pass
    else:  # pragma: no cover
        raise AssertionError("pattern should not be compiled")
    predicate = where_predicate(schema)
    assert predicate({"tier": "critical"}) and not predicate({"tier": "low"})
