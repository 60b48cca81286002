"""The compiled ``where`` predicates agree with jsonschema."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.checks.safe_validator import safe_validator
from checker.policy.where import Unsupported, _compile, where_predicate

values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-2, 2),
        st.sampled_from([1.0, 1.5]),
        st.sampled_from(["a", "b", "backups", "", "a\n"]),
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
        st.builds(lambda p: {"pattern": p}, st.sampled_from(["^a", "b$", "^$", "a|ck", "^a$"])),
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
    # Both run patterns with RE2, whose $ (like ECMA-262's) never matches before a
    # final newline: "a\n" does not match "^a$".
    expected = safe_validator(schema if isinstance(schema, dict) else {"allOf": [schema]})
    assert _compile(schema)(value) == expected.is_valid(value)


def test_unsupported_keywords_fall_back_to_jsonschema() -> None:
    schema = {"properties": {"tier": {"minLength": 4}}}
    try:
        _compile(schema)
    except Unsupported:
        pass
    else:  # pragma: no cover
        raise AssertionError("minLength should not be compiled")
    predicate = where_predicate(schema)
    assert predicate({"tier": "critical"}) and not predicate({"tier": "low"})


def test_patterns_run_in_linear_time_and_anchor_at_the_very_end() -> None:
    predicate = where_predicate({"properties": {"owner": {"pattern": "^(a+)+$"}}})
    assert not predicate({"owner": "a" * 40 + "!"})  # backtracking re: 2**40 steps
    assert predicate({"owner": "a" * 40})
    assert not where_predicate({"properties": {"owner": {"pattern": "^a$"}}})({"owner": "a\n"})
