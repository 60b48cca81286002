"""JSON Schemas from policies, made safe to run on anyone's input (see docs/policy.md).

A policy's ``select.where`` and its ``schema`` checks are JSON Schemas, and policies
may arrive in pull requests from anyone. Left to itself, jsonschema would fetch a
``$ref`` over the network (with no timeout) or read it from a local file, recurse
forever on a ``$ref`` that leads back to itself, and run ``pattern`` through
Python's backtracking ``re``. So, before a schema is used:

* :func:`schema_problem` checks it statically: every ``$ref`` points inside the
  schema itself (``#``, ``#/json/pointer`` or ``#anchor``) and resolves; no chain
  of references leads back to where it started; expanded through its references the
  schema stays small and shallow; every regex compiles with RE2.
* :mod:`checker.checks.safe_validator` builds the validator that runs it: nothing
  retrieved, regexes in RE2, no keyword whose cost grows with the schema's size.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any
from urllib.parse import unquote

from checker.core.linear_regex import RegexError, compile_regex
from checker.core.location import Pointer, pointer_to_str

#: Subschemas a schema may reach through its references and nesting, counted as if
#: each reference were copied in place: bounds the work per validated value.
MAX_EXPANDED_SUBSCHEMAS = 10_000
#: How deep the schema nests once its references are followed (jsonschema recurses).
MAX_EXPANDED_DEPTH = 128
#: Regexes in one ``patternProperties``.
MAX_PATTERN_PROPERTIES = 256

#: Keywords whose value is one subschema, a list of them, or a map of them (all drafts).
_ONE = frozenset(
    {
        "not",
        "if",
        "then",
        "else",
        "contains",
        "propertyNames",
        "additionalProperties",
        "additionalItems",
        "unevaluatedItems",
        "unevaluatedProperties",
        "contentSchema",
        "items",
    }
)
_MANY = frozenset({"allOf", "anyOf", "oneOf", "prefixItems", "items"})
_MAP = frozenset(
    {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "dependencies"}
)
_UNSUPPORTED = {
    "$dynamicRef": "$dynamicRef is not supported in policy schemas; use $ref",
    "$recursiveRef": "$recursiveRef is not supported in policy schemas; use $ref",
}


class _Problem(Exception):
    def __init__(self, pointer: Pointer, message: str) -> None:
        super().__init__(message)
        self.pointer = pointer
        self.message = message


def schema_problem(schema: Any) -> str | None:
    """What makes ``schema`` unsafe to run, with its place in the schema; None if nothing."""
    if not isinstance(schema, dict):
        return None
    try:
        _check_json(schema)
        nodes = _Nodes(schema)
        _check_expansion(nodes)
    except _Problem as problem:
        return f"at {pointer_to_str(problem.pointer) or '/'}: {problem.message}"
    return None


def _check_json(schema: Any) -> None:
    """Only JSON values: YAML can also give dates, bytes, sets and NaN, which no JSON
    Schema holds and no JSON report can print."""
    stack: list[tuple[Pointer, Any]] = [((), schema)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, dict):
            stack.extend(reversed([((*pointer, key), item) for key, item in value.items()]))
        elif isinstance(value, list):
            stack.extend(reversed([((*pointer, index), item) for index, item in enumerate(value)]))
        elif isinstance(value, float) and not math.isfinite(value):
            raise _Problem(pointer, f"{value!r} is not a JSON number")
        elif value is not None and not isinstance(value, (str, int, float)):
            raise _Problem(
                pointer,
                f"{value!r} is not a JSON value (YAML reads it as {type(value).__name__}); "
                "quote it",
            )


def _subschemas(schema: dict[str, Any], pointer: Pointer) -> Iterator[tuple[Pointer, Any]]:
    """The subschemas a schema holds directly, with their pointers."""
    for keyword, value in schema.items():
        if keyword in _ONE and isinstance(value, (dict, bool)):
            yield (*pointer, keyword), value
        elif keyword in _MANY and isinstance(value, list):
            for index, item in enumerate(value):
                yield (*pointer, keyword, index), item
        elif keyword in _MAP and isinstance(value, dict):
            for name, item in value.items():
                if isinstance(item, (dict, bool)):  # dependencies may map to key lists
                    yield (*pointer, keyword, name), item


class _Nodes:
    """Every subschema (by identity) with its pointer, its children and its reference."""

    def __init__(self, root: dict[str, Any]) -> None:
        self.root = root
        declared = str(root.get("$schema"))
        self.legacy_ids = "draft-03" in declared or "draft-04" in declared
        self.pointer: dict[int, Pointer] = {}
        self.children: dict[int, list[Any]] = {}
        self.ref: dict[int, tuple[Pointer, Any]] = {}
        anchors: dict[str, Any] = {}
        refs: list[tuple[Pointer, Any, str]] = []
        self._walk((), root, anchors, refs)
        while refs:  # resolved once every anchor is known
            pointer, node, reference = refs.pop()
            target_pointer, target = self._resolve(reference, anchors, (*pointer, "$ref"))
            self.ref[id(node)] = ((*pointer, "$ref"), target)
            # A reference into a keyword the walk does not know: that schema runs too.
            self._walk(target_pointer, target, anchors, refs)

    def _walk(
        self,
        pointer: Pointer,
        root: Any,
        anchors: dict[str, Any],
        refs: list[tuple[Pointer, Any, str]],
    ) -> None:
        stack: list[tuple[Pointer, Any]] = [(pointer, root)]
        while stack:
            pointer, node = stack.pop()
            if not isinstance(node, dict) or id(node) in self.pointer:
                continue
            self.pointer[id(node)] = pointer
            self._look_at(node, pointer, anchors, refs)
            children = list(_subschemas(node, pointer))
            self.children[id(node)] = [child for _, child in children if isinstance(child, dict)]
            stack.extend(reversed(children))

    def _look_at(
        self,
        node: dict[str, Any],
        pointer: Pointer,
        anchors: dict[str, Any],
        refs: list[tuple[Pointer, Any, str]],
    ) -> None:
        for keyword, message in _UNSUPPORTED.items():
            if keyword in node:
                raise _Problem((*pointer, keyword), message)
        for keyword in ("$id", "id") if self.legacy_ids else ("$id",):
            value = node.get(keyword)
            if not isinstance(value, str):
                continue
            if value.startswith("#"):
                anchors[value[1:]] = node
            elif pointer:
                raise _Problem(
                    (*pointer, keyword),
                    f"a nested {keyword} is not supported in policy schemas (it would make "
                    "references inside it point outside this schema)",
                )
        for keyword in ("$anchor", "$dynamicAnchor"):
            if isinstance(node.get(keyword), str):
                anchors[node[keyword]] = node
        reference = node.get("$ref")
        if isinstance(reference, str):
            refs.append((pointer, node, reference))
        pattern = node.get("pattern")
        if isinstance(pattern, str):
            _compile(pattern, (*pointer, "pattern"))
        patterns = node.get("patternProperties")
        if isinstance(patterns, dict):
            if len(patterns) > MAX_PATTERN_PROPERTIES:
                raise _Problem(
                    (*pointer, "patternProperties"),
                    f"{len(patterns):,} patterns, above the limit of {MAX_PATTERN_PROPERTIES} "
                    "(each is matched against every property of every entity)",
                )
            for name in patterns:
                _compile(name, (*pointer, "patternProperties", name))
            if len(patterns) > 1 and "additionalProperties" in node:
                # jsonschema matches them joined into one regex for additionalProperties.
                _compile("|".join(patterns), (*pointer, "patternProperties"))

    def _resolve(
        self, reference: str, anchors: dict[str, Any], pointer: Pointer
    ) -> tuple[Pointer, Any]:
        if not reference.startswith("#"):
            raise _Problem(
                pointer,
                f"$ref {reference!r} points outside this schema; policy schemas may only "
                "refer to their own parts ('#', '#/$defs/NAME' or '#ANCHOR'), never to a "
                "file or a URL",
            )
        fragment = unquote(reference[1:])
        if fragment and not fragment.startswith("/"):
            if fragment not in anchors:
                raise _Problem(pointer, f"$ref {reference!r}: no $anchor {fragment!r} here")
            target = anchors[fragment]
            return self.pointer.get(id(target), ()), target
        node: Any = self.root
        path: list[str | int] = []
        for part in fragment.split("/")[1:]:
            part = part.replace("~1", "/").replace("~0", "~")
            if isinstance(node, dict) and part in node:
                node = node[part]
                path.append(part)
            elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
                path.append(int(part))
            else:
                raise _Problem(pointer, f"$ref {reference!r} points to nothing in this schema")
        if not isinstance(node, (dict, bool)):
            raise _Problem(pointer, f"$ref {reference!r} points to something that is no schema")
        return tuple(path), node


def _compile(pattern: str, pointer: Pointer) -> None:
    try:
        compile_regex(pattern)
    except RegexError as error:
        raise _Problem(pointer, str(error)) from None
    from checker.checks.safe_validator import regex_engine_problem  # imports jsonschema

    problem = regex_engine_problem()
    if problem is not None:
        raise _Problem(pointer, problem)


def _check_expansion(nodes: _Nodes) -> None:
    """No reference cycle; bounded size and depth with references followed (one pass).

    Depth first over children and references, with each subschema's expanded size and
    depth memoised: a reference reached again while its own expansion is in progress
    is a cycle (nesting alone cannot loop: the schema is a tree).
    """
    size: dict[int, int] = {}
    depth: dict[int, int] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(nodes.root, False)]
    while stack:
        node, finished = stack.pop()
        key = id(node)
        edges = list(nodes.children.get(key, ()))
        reference = nodes.ref.get(key)
        if reference is not None and isinstance(reference[1], dict):
            edges.append(reference[1])
        if finished:
            active.discard(key)
            size[key] = 1 + sum(size[id(edge)] for edge in edges)
            depth[key] = 1 + max((depth[id(edge)] for edge in edges), default=0)
            if size[key] > MAX_EXPANDED_SUBSCHEMAS:
                raise _Problem(
                    nodes.pointer.get(key, ()),
                    f"with its $refs followed, the schema holds more than "
                    f"{MAX_EXPANDED_SUBSCHEMAS:,} subschemas (the limit)",
                )
            if depth[key] > MAX_EXPANDED_DEPTH:
                raise _Problem(
                    nodes.pointer.get(key, ()),
                    f"with its $refs followed, the schema nests more than "
                    f"{MAX_EXPANDED_DEPTH} levels deep (the limit)",
                )
            continue
        if key in size:
            continue
        active.add(key)
        stack.append((node, True))
        for edge in edges:
            if id(edge) in active:
                where = reference[0] if reference is not None else nodes.pointer.get(key, ())
                raise _Problem(
                    where,
                    "this $ref leads back to a schema that contains it (a reference loop); "
                    "recursive schemas are not supported in policies",
                )
            if id(edge) not in size:
                stack.append((edge, False))
