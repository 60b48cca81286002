"""``select.where``: a JSON Schema an entity's document must satisfy.

Selecting among 100,000 services calls the schema once per candidate, and a
jsonschema validator costs tens of microseconds per call even for
``{required: [backups]}``. Schemas built only from the common structural keywords
below are therefore compiled to plain predicates; anything else is validated by
jsonschema itself. The tests hold both to the same answers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.core.errors import PolicyError
from checker.core.linear_regex import compile_regex

Predicate = Callable[[Any], bool]

#: Keywords that only annotate and never change the verdict.
_ANNOTATIONS = frozenset(
    {"$schema", "$id", "$comment", "title", "description", "examples", "default"}
)
_TYPES: dict[str, Predicate] = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "integer": lambda v: (
        (isinstance(v, int) and not isinstance(v, bool))
        or (isinstance(v, float) and v.is_integer())
    ),
}


class Unsupported(Exception):
    """The schema uses a keyword this compiler leaves to jsonschema."""


def json_equal(a: Any, b: Any) -> bool:
    """Equality as JSON Schema defines it: ``true`` is not ``1``, ``1.0`` is ``1``."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, (dict, list)) or isinstance(b, (dict, list)):
        return False
    return bool(a == b) and isinstance(a, str) == isinstance(b, str)


def _compile(schema: Any) -> Predicate:
    if schema is True:
        return lambda value: True
    if schema is False:
        return lambda value: False
    if not isinstance(schema, dict):
        raise Unsupported(schema)
    tests: list[Predicate] = []
    for keyword, argument in schema.items():
        if keyword in _ANNOTATIONS:
            continue
        tests.append(_keyword(keyword, argument))
    if not tests:
        return lambda value: True
    if len(tests) == 1:
        return tests[0]
    return lambda value: all(test(value) for test in tests)


def _keyword(keyword: str, argument: Any) -> Predicate:
    if keyword == "type":
        names = [argument] if isinstance(argument, str) else argument
        if not isinstance(names, list) or not all(n in _TYPES for n in names):
            raise Unsupported(keyword)
        checks = [_TYPES[n] for n in names]
        return lambda value: any(check(value) for check in checks)
    if keyword == "required" and isinstance(argument, list):
        keys = list(argument)
        return lambda value: not isinstance(value, dict) or all(k in value for k in keys)
    if keyword == "properties" and isinstance(argument, dict):
        named = {name: _compile(sub) for name, sub in argument.items()}
        # From the entity's side: a few keys, whatever the number of names.
        return lambda value: (
            not isinstance(value, dict)
            or all(named[name](item) for name, item in value.items() if name in named)
        )
    if keyword in ("anyOf", "allOf", "oneOf") and isinstance(argument, list) and argument:
        subs = [_compile(sub) for sub in argument]
        if keyword == "anyOf":
            return lambda value: any(test(value) for test in subs)
        if keyword == "allOf":
            return lambda value: all(test(value) for test in subs)
        return lambda value: sum(1 for test in subs if test(value)) == 1
    if keyword == "not":
        sub = _compile(argument)
        return lambda value: not sub(value)
    if keyword == "const":
        return lambda value: json_equal(value, argument)
    if keyword == "enum" and isinstance(argument, list):
        from checker.checks.safe_validator import enum_matcher

        return enum_matcher(argument)  # hashed: 100,000 options cost one lookup
    if keyword == "pattern" and isinstance(argument, str):
        regex = compile_regex(argument)  # RE2: linear time, whatever the pattern
        return lambda value: not isinstance(value, str) or regex.search(value) is not None
    raise Unsupported(keyword)


def where_predicate(schema: dict[str, Any]) -> Predicate:
    """A predicate for ``schema``: compiled when possible, else jsonschema's (made safe:
    local references only, regexes in RE2; see :mod:`checker.checks.safe_validator`)."""
    try:
        return _compile(schema)
    except RecursionError:
        raise PolicyError("select.where is nested too deeply to compile") from None
    except Unsupported:
        from checker.checks.safe_validator import safe_validator

        validator = safe_validator(schema)
        return lambda value: bool(validator.is_valid(value))
