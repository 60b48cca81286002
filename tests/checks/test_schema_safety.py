"""Policy JSON Schemas: local references only, no loops, bounded, regexes in RE2."""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import jsonschema
import pytest
import referencing.exceptions

from checker.checks import safe_validator as safe_validator_module
from checker.checks.json_schema import assert_valid_schema
from checker.checks.safe_validator import UnsafeRegexes, regex_engine_problem, safe_validator
from checker.checks.schema_safety import schema_problem
from checker.policy.where import where_predicate


def _chain(length: int) -> dict[str, Any]:
    """``d0 -> d1 -> ... -> dN``: each definition holds a reference to the next."""
    defs: dict[str, Any] = {f"d{i}": {"not": {"$ref": f"#/$defs/d{i + 1}"}} for i in range(length)}
    defs[f"d{length}"] = True
    return {"$ref": "#/$defs/d0", "$defs": defs}


def _doubling(levels: int) -> dict[str, Any]:
    """Each definition uses the next twice: 2**levels subschemas once references are followed."""
    defs: dict[str, Any] = {
        f"d{i}": {"allOf": [{"$ref": f"#/$defs/d{i + 1}"}, {"$ref": f"#/$defs/d{i + 1}"}]}
        for i in range(levels)
    }
    defs[f"d{levels}"] = {"type": "string"}
    return {"$ref": "#/$defs/d0", "$defs": defs}


OUTSIDE = (
    "points outside this schema; policy schemas may only refer to their own parts "
    "('#', '#/$defs/NAME' or '#ANCHOR'), never to a file or a URL"
)
LOOP = (
    "this $ref leads back to a schema that contains it (a reference loop); recursive "
    "schemas are not supported in policies"
)

REFUSED = [
    ("file", {"properties": {"a": {"$ref": "file:///etc/passwd"}}}, "/properties/a/$ref"),
    ("http", {"$ref": "http://127.0.0.1:9/schema.json"}, "/$ref"),
    ("relative", {"$ref": "other.json#/x"}, "/$ref"),
    ("urn", {"allOf": [{"$ref": "urn:x"}]}, "/allOf/0/$ref"),
]


@pytest.mark.parametrize(("schema", "where"), [c[1:] for c in REFUSED], ids=[c[0] for c in REFUSED])
def test_references_outside_the_schema_are_refused(schema: dict[str, Any], where: str) -> None:
    problem = schema_problem(schema)
    assert problem == f"at {where}: $ref {schema_reference(schema)!r} {OUTSIDE}"


def schema_reference(schema: Any) -> str:
    if isinstance(schema, dict):
        if "$ref" in schema:
            return str(schema["$ref"])
        for value in schema.values():
            found = schema_reference(value)
            if found:
                return found
    if isinstance(schema, list):
        for value in schema:
            found = schema_reference(value)
            if found:
                return found
    return ""


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        ({"$ref": "#"}, f"at /$ref: {LOOP}"),
        ({"$defs": {"x": {"$ref": "#/$defs/x"}}, "$ref": "#/$defs/x"}, f"at /$defs/x/$ref: {LOOP}"),
        (
            {"$defs": {"a": {"$ref": "#/$defs/b"}, "b": {"not": {"$ref": "#/$defs/a"}}}},
            f"at /$defs/a/$ref: {LOOP}",
        ),
        (
            {"$defs": {"node": {"properties": {"child": {"$ref": "#/$defs/node"}}}}},
            f"at /$defs/node/properties/child/$ref: {LOOP}",
        ),
        (
            {"$ref": "#/$defs/missing"},
            "at /$ref: $ref '#/$defs/missing' points to nothing in this schema",
        ),
        ({"$ref": "#nowhere"}, "at /$ref: $ref '#nowhere': no $anchor 'nowhere' here"),
        (
            {"$defs": {"x": {"$id": "http://example.com/x", "$ref": "#"}}},
            "at /$defs/x/$id: a nested $id is not supported in policy schemas "
            "(it would make references inside it point outside this schema)",
        ),
        (
            {"$dynamicRef": "#meta"},
            "at /$dynamicRef: $dynamicRef is not supported in policy schemas; use $ref",
        ),
        (
            _doubling(20),
            "at /$defs/d8: with its $refs followed, the schema holds more than 10,000 "
            "subschemas (the limit)",
        ),
        (
            _chain(200),
            "at /$defs/d135/not: with its $refs followed, the schema nests more than 128 levels "
            "deep (the limit)",
        ),
    ],
)
def test_loops_dangling_references_and_expansions_are_refused(
    schema: dict[str, Any], expected: str
) -> None:
    assert schema_problem(schema) == expected


def test_local_references_and_anchors_are_followed() -> None:
    schema = {
        "$defs": {
            "owned": {"required": ["owner"]},
            "named": {"$anchor": "named", "type": "object"},
        },
        "allOf": [{"$ref": "#/$defs/owned"}, {"$ref": "#named"}, {"$ref": "#/$defs/owned"}],
    }
    assert schema_problem(schema) is None
    validator = safe_validator(schema)
    assert validator.is_valid({"owner": "x"}) and not validator.is_valid({"tier": "low"})


REGEXES = [
    ("(a)\\1", "a backreference"),
    ("(?=a)b", "a lookahead (?= or (?!"),
    ("(?<!a)b", "a lookbehind (?<= or (?<!"),
    ("(?>a)", "an atomic group (?>...)"),
    ("a++", "a possessive quantifier"),
]


@pytest.mark.parametrize(("pattern", "construct"), REGEXES)
def test_regexes_re2_cannot_run_are_refused_with_the_construct_named(
    pattern: str, construct: str
) -> None:
    message = (
        f"pattern {pattern!r} uses {construct}, which RE2 does not support "
        "(policy regexes run with RE2, in time linear in the text)"
    )
    assert schema_problem({"properties": {"a": {"pattern": pattern}}}) == (
        f"at /properties/a/pattern: {message}"
    )
    assert schema_problem({"patternProperties": {pattern: True}}) == (
        f"at /patternProperties/{pattern.replace('~', '~0').replace('/', '~1')}: {message}"
    )


def test_assert_valid_schema_reports_safety_problems_for_pydantic() -> None:
    with pytest.raises(ValueError, match=r"^not a JSON Schema resilint can run safely at /\$ref:"):
        assert_valid_schema({"$ref": "file:///etc/passwd"})
    with pytest.raises(ValueError, match=r"^unknown \$schema 'http://127.0.0.1:9/meta'"):
        assert_valid_schema({"$schema": "http://127.0.0.1:9/meta"})


def test_the_validator_never_retrieves_anything_even_unchecked() -> None:
    # Built without the static check: the registry itself refuses, nothing is fetched.
    validator = safe_validator({"$ref": "http://127.0.0.1:9/never.json"})
    with pytest.raises(referencing.exceptions.Unresolvable):
        validator.is_valid({})


def test_every_regex_path_of_jsonschema_runs_with_re2() -> None:
    # RE2's $ matches only at the very end; Python's also before a final newline.
    backtracking = "^(a+)+$"
    validator = safe_validator(
        {
            "properties": {"owner": {"pattern": backtracking}},
            "patternProperties": {"^x$": {"type": "integer"}},
            "additionalProperties": False,
        }
    )
    assert not validator.is_valid({"owner": "a" * 40 + "!"})  # 2**40 steps in Python's re
    assert validator.is_valid({"owner": "a" * 40, "x": 1})
    assert not validator.is_valid({"owner": "aa", "x\n": 1})  # additionalProperties: re2
    unevaluated = safe_validator(
        {"patternProperties": {"^x$": True}, "unevaluatedProperties": False}
    )
    assert unevaluated.is_valid({"x": 1}) and not unevaluated.is_valid({"x\n": 1})
    # The modules re-pointed at RE2 still only ever call re.search, as resilint also
    # checks at run time on the jsonschema installed (next test).
    assert regex_engine_problem() is None
    for module in safe_validator_module._regex_modules():
        assert set(re.findall(r"\bre\.(\w+)", inspect.getsource(module))) <= {"search"}


@pytest.fixture
def untrusted_jsonschema(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """A jsonschema whose keyword module matches with ``re.match`` too, as a future
    version might: resilint decides again, and its validators are built again."""
    real_source = inspect.getsource

    def source(module: Any) -> str:
        text = real_source(module)
        if module.__name__.startswith("jsonschema._") and "re.search" in text:
            text += "\n\ndef newer(pattern, text):\n    return re.match(pattern, text)\n"
        return text

    monkeypatch.setattr(inspect, "getsource", source)
    monkeypatch.setattr(safe_validator_module, "_EXTENDED", {})
    regex_engine_problem.cache_clear()
    yield
    regex_engine_problem.cache_clear()  # the next test reads the real source again


@pytest.mark.usefixtures("untrusted_jsonschema")
def test_a_jsonschema_that_matches_regexes_otherwise_is_not_trusted_with_them() -> None:
    problem = regex_engine_problem()
    assert problem is not None
    assert re.fullmatch(
        r"this jsonschema \(\d+\.\d+\S*\) matches regexes in a way resilint cannot make "
        r"safe \(RE2 instead of backtracking\) \(jsonschema\._\w+ uses re\.match, re\.search\); "
        r"install a jsonschema resilint supports \(see docs/policy\.md\) or remove the regex "
        r"from the schema",
        problem,
    )
    # A schema with a regex is refused where the regex is; one without is not affected.
    assert schema_problem({"properties": {"owner": {"pattern": "^a"}}}) == (
        f"at /properties/owner/pattern: {problem}"
    )
    assert schema_problem({"patternProperties": {"^x": True}}) == (
        f"at /patternProperties/^x: {problem}"
    )
    with pytest.raises(ValueError, match="not a JSON Schema resilint can run safely at /pattern"):
        assert_valid_schema({"pattern": "^a"})
    assert schema_problem({"properties": {"owner": {"minLength": 2}}}) is None
    assert safe_validator({"properties": {"owner": {"minLength": 2}}}).is_valid({"owner": "ab"})
    # Built without that check, the validator refuses to match rather than backtrack.
    backtracking = safe_validator({"properties": {"owner": {"pattern": "^(a+)+$"}}})
    with pytest.raises(UnsafeRegexes):
        backtracking.is_valid({"owner": "a" * 40 + "!"})
    by_names = safe_validator({"patternProperties": {"^x": True}, "additionalProperties": False})
    with pytest.raises(UnsafeRegexes):
        by_names.is_valid({"x": 1})
    assert backtracking.is_valid({"owner": 1})  # no string: nothing is matched


def test_unique_items_is_linear_and_exact() -> None:
    validator = safe_validator({"uniqueItems": True})
    assert validator.is_valid([{"n": i} for i in range(20_000)])  # jsonschema: 2 * 10**8 pairs
    assert not validator.is_valid([{"a": [1, {"b": 2}]}, {"a": [1.0, {"b": 2}]}])
    assert validator.is_valid([1, True]) and validator.is_valid([0, False])
    assert validator.is_valid([{"a": 1, "b": 2}, {"a": 1}])
    assert not validator.is_valid([{"a": 1, "b": 2}, {"b": 2, "a": 1}])


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (date(2020, 1, 1), "datetime.date(2020, 1, 1) is not a JSON value (YAML reads it as date)"),
        (b"hi", "b'hi' is not a JSON value (YAML reads it as bytes)"),
        (float("nan"), "nan is not a JSON number"),
        (float("inf"), "inf is not a JSON number"),
    ],
)
def test_only_json_values(value: Any, expected: str) -> None:
    # Dates, bytes and NaN from YAML: no JSON Schema holds them, no JSON report prints them.
    assert schema_problem({"properties": {"a": {"enum": ["x", value]}}}) == (
        f"at /properties/a/enum/1: {expected}" + ("; quote it" if "value" in expected else "")
    )


def test_enum_is_hashed_exact_and_quoted_briefly() -> None:
    options: list[Any] = [f"team-{i}" for i in range(100_000)]
    options += [1, {"a": [1, 2]}, False]
    validator = safe_validator({"enum": options})
    # 10,000 values against 100,000 options: 10**9 comparisons for jsonschema's enum.
    assert all(validator.is_valid(f"team-{i * 10}") for i in range(10_000))
    assert validator.is_valid(1.0) and validator.is_valid({"a": [1.0, 2]})
    assert validator.is_valid(False) and not validator.is_valid(0)
    assert not validator.is_valid(True) and not validator.is_valid({"a": [2, 1]})
    [error] = validator.iter_errors("nobody")
    assert error.message == (
        "'nobody' is not one of ['team-0', 'team-1', 'team-2', 'team-3', 'team-4', ...]"
    )
    where = where_predicate({"properties": {"owner": {"enum": options}}})
    assert where({"owner": "team-99999"}) and not where({"owner": "team-100000"})
    assert where({"owner": 1.0}) and not where({"owner": True})


def test_maps_of_property_names_are_looked_up_from_the_entity_side() -> None:
    names = {f"p{i}": {"type": "string"} for i in range(100_000)}
    schema: dict[str, Any] = {
        "properties": {**names, "owner": {"type": "string"}, "tier": {"enum": ["low"]}},
        "dependentRequired": {**{f"p{i}": ["rto"] for i in range(100_000)}, "owner": ["tier"]},
    }
    validator = safe_validator(schema)
    plain = jsonschema.Draft202012Validator(schema)
    # 10,000 entities against 100,000 names each: 10**9 steps for the plain keywords.
    for i in range(10_000):
        assert validator.is_valid({"owner": "x", "rto": "1h", "tier": "low", f"p{i}": "s"})
    entity = {"p7": 2, "owner": 3, "p3": "ok"}
    found = [(list(e.path), e.message) for e in validator.iter_errors(entity)]
    assert found == [(list(e.path), e.message) for e in plain.iter_errors(entity)]
    assert found == [
        (["p7"], "2 is not of type 'string'"),
        (["owner"], "3 is not of type 'string'"),
        ([], "'rto' is a dependency of 'p3'"),
        ([], "'rto' is a dependency of 'p7'"),
        ([], "'tier' is a dependency of 'owner'"),
    ]


def test_pattern_properties_are_bounded_and_compiled_as_jsonschema_joins_them() -> None:
    many = {f"^p{i}$": True for i in range(257)}
    assert schema_problem({"patternProperties": many}) == (
        "at /patternProperties: 257 patterns, above the limit of 256 (each is matched "
        "against every property of every entity)"
    )
    joined = {"^(a": True, "b)$": True}  # each invalid alone: refused one by one first
    assert (
        schema_problem({"patternProperties": joined, "additionalProperties": False}) or ""
    ).startswith("at /patternProperties/^(a: pattern '^(a' is not a regular expression RE2 accepts")
