"""A quick yes for the plain JSON Schemas that policies are mostly made of.

Checking a policy's schema against its draft's metaschema takes jsonschema, whose
import (with referencing, attrs and rpds) costs more than checking a small manifest.
Most policy schemas (the built-in packs' ``select.where`` among them) use only a few
structural keywords, each with an argument of the plain shape, and for those the
answer is known without it: such a schema, without ``$schema``, is valid under draft
2020-12, the draft jsonschema then uses. Anything else (another keyword, another
shape, ``$schema``, ``pattern`` with its regex format) is left to jsonschema.
tests/checks/test_schema_plain.py holds :func:`is_plain` to jsonschema on generated
schemas: it never says yes where jsonschema would say no.
"""

from __future__ import annotations

from typing import Any

#: Draft 2020-12's ``simpleTypes``.
_TYPES = frozenset({"array", "boolean", "integer", "null", "number", "object", "string"})
#: Keywords whose argument is one subschema, a non-empty list of them, or a map of them.
_ONE = frozenset({"not"})
_MANY = frozenset({"anyOf", "allOf", "oneOf"})
_MAP = frozenset({"properties"})
#: Keywords whose argument the metaschema takes whatever it is.
_ANY = frozenset({"const", "default"})
#: Keywords whose argument is a string, or a list of anything.
_TEXT = frozenset({"title", "description", "$comment"})
_LIST = frozenset({"enum", "examples"})


def is_plain(schema: Any) -> bool:
    """Whether ``schema`` is made only of the keywords above, with plain arguments (and
    so is a valid draft 2020-12 schema)."""
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, bool):
            continue
        if not isinstance(node, dict):
            return False
        for keyword, argument in node.items():
            if keyword in _ANY:
                continue
            if keyword in _ONE:
                stack.append(argument)
            elif keyword in _MANY:
                if not isinstance(argument, list) or not argument:
                    return False
                stack.extend(argument)
            elif keyword in _MAP:
                if not isinstance(argument, dict):
                    return False
                stack.extend(argument.values())
            elif keyword == "type":
                if not _is_type(argument):
                    return False
            elif keyword == "required":
                if not _is_unique_strings(argument):
                    return False
            elif keyword in _TEXT:
                if not isinstance(argument, str):
                    return False
            elif keyword not in _LIST or not isinstance(argument, list):
                return False
    return True


def _is_type(argument: Any) -> bool:
    if isinstance(argument, str):
        return argument in _TYPES
    return (
        _is_unique_strings(argument) and bool(argument) and all(name in _TYPES for name in argument)
    )


def _is_unique_strings(argument: Any) -> bool:
    return (
        isinstance(argument, list)
        and all(isinstance(item, str) for item in argument)
        and len(set(argument)) == len(argument)
    )
