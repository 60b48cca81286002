"""Validation errors in the project's own words: no pydantic wording reaches a user.

pydantic says "Input should be a valid string" and, for a value that may take several
forms (``tier: critical``, ``tier: [critical, high]``, ``tier: {at_least: high}``),
one error per form, each under a type tag (``tier.str``, ``tier.'list[str]'``,
``tier.AtLeast``). Here each error becomes one sentence about the value as written,
and the forms of a value become one problem: about the form the value has (a mapping
is judged as ``{at_least: ...}``, a list as a list), or, when it has none of them,
one "expected ..., got ..." (docs/decisions.md, "Messages").
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from pydantic_core import ErrorDetails

_QUOTED = re.compile(r"'([^']*)'")
#: Type tags pydantic puts in an error's location for each form of a union.
_SCALAR_TAGS = {
    "str": "a name",
    "int": "a whole number",
    "bool": "true or false",
    "float": "a number",
}
_TAG = re.compile(r"^(str|int|bool|float|dict\[.*\]|list\[.*\]|[A-Z][A-Za-z0-9]*)$")


def describe(item: ErrorDetails) -> str:
    """One pydantic error as a phrase: ``must be a whole number``."""
    kind = item["type"]
    ctx: Mapping[str, Any] = item.get("ctx") or {}
    message = item["msg"]
    if kind in ("string_type", "string_sub_type"):
        return "must be text"
    if kind in ("int_type", "int_parsing", "int_from_float"):
        return "must be a whole number"
    if kind in ("float_type", "float_parsing"):
        return "must be a number"
    if kind in ("bool_type", "bool_parsing"):
        return "must be true or false"
    if kind in ("list_type", "tuple_type", "set_type"):
        return "must be a list"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return "must be a mapping"
    if kind == "literal_error":
        return "must be one of " + ", ".join(_QUOTED.findall(str(ctx.get("expected", ""))))
    if kind in ("less_than_equal", "less_than"):
        bound = ctx.get("le", ctx.get("lt"))
        return f"must be at most {bound}" if kind == "less_than_equal" else f"must be below {bound}"
    if kind in ("greater_than_equal", "greater_than"):
        bound = ctx.get("ge", ctx.get("gt"))
        return (
            f"must be at least {bound}"
            if kind == "greater_than_equal"
            else (f"must be above {bound}")
        )
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        return f"must hold at least {least} item" + ("s" if least != 1 else "")
    if kind == "too_long":
        return f"must hold at most {ctx.get('max_length')} items"
    if kind == "value_error":
        return message.removeprefix("Value error, ")
    if kind == "assertion_error":
        return message.removeprefix("Assertion failed, ")
    return message[:1].lower() + message[1:]


def is_union_tag(part: Any, value: Any) -> bool:
    """Whether ``part`` of an error's location names a form of a union, not a key of
    ``value`` (the input at that place)."""
    if not isinstance(part, str) or not _TAG.match(part):
        return False
    return not (isinstance(value, dict) and part in value)


def form_words(tag: str) -> str:
    """``list[str]`` -> ``a list of names``: a union's form as a person says it."""
    if tag in _SCALAR_TAGS:
        return _SCALAR_TAGS[tag]
    if tag.startswith("list["):
        inner = form_words(tag[5:-1])
        return "a list of " + (inner[2:] + "s" if inner.startswith("a ") else inner)
    return "a mapping"


def chosen_form(tags: Iterable[str], value: Any) -> str | None:
    """The form a value has among a union's (a mapping, a list, or a scalar), if any."""
    tags = list(tags)
    scalar = {str: "str", bool: "bool", int: "int", float: "float"}.get(type(value))
    if scalar is not None and scalar in tags:
        return scalar
    if isinstance(value, dict):
        wanted = [t for t in tags if not (t in _SCALAR_TAGS or t.startswith("list["))]
    elif isinstance(value, list):
        wanted = [t for t in tags if t.startswith("list[")]
    else:
        return None
    return wanted[0] if len(wanted) == 1 else None


def expected(tags: Sequence[str]) -> str:
    words = list(dict.fromkeys(form_words(tag) for tag in tags))
    return ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]
