"""What one input file may cost: the limits every loader enforces (see docs/limits.md).

resilint reads files that arrive in pull requests from anyone, so a file must not be
able to make a run take minutes or gigabytes, or crash it, however it is written.
Each limit is far above what a real manifest, policy or config file needs, and each
is reported as an :class:`InputError` at the file and line that breaks it.

The loaders check what their parser cannot be trusted with before parsing (TOML's
dotted keys, YAML's node count) and the parsed data after it, with
:func:`check_data`: one walk over the containers, scalars only when the text says a
scalar could break a limit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any, NamedTuple

from checker.core.errors import InputError
from checker.core.location import Location, Pointer

#: Lists and mappings inside each other. Real manifests nest about 6 deep and policy
#: schemas rarely above 15; recursive code downstream (JSON Schema validation, pydantic,
#: renderers) stays far from Python's recursion limit.
MAX_DEPTH = 64
#: Characters in one mapping key (an id, a label name, a rule id).
MAX_KEY_LENGTH = 1024
#: Decimal digits of an integer (2**64 has 20). Python refuses to print integers of more
#: than 4,300 digits, and sums of replica counts must stay printable.
MAX_INT_DIGITS = 20
#: Parts of one TOML dotted key or table header (``[services.auth.labels]`` has 3):
#: Python's TOML parser takes time quadratic in this number for each key.
MAX_TOML_KEY_PARTS = 32
#: A TOML file's size. Python's TOML parser reads about three megabytes a second on
#: a manifest made of table headers: 8 MiB (some 70,000 services) stays within a few
#: seconds; larger manifests belong in JSON or YAML, read at C speed.
MAX_TOML_BYTES = 8 * 1024 * 1024
#: Parser events of one YAML file (about one per scalar, list and mapping, aliases
#: expanded): the node tree costs some 400 bytes and 2 microseconds an event. A
#: 100,000-service manifest has about 2.4 million.
MAX_YAML_EVENTS = 3_000_000

#: The smallest integer too large to accept.
INT_LIMIT = 10**MAX_INT_DIGITS

Locate = Callable[[Pointer], Location]


def too_deep() -> str:
    return f"nested more than {MAX_DEPTH} levels deep (the limit for one input)"


def key_too_long(length: int) -> str:
    return f"a key of {length:,} characters, above the limit of {MAX_KEY_LENGTH:,}"


def int_too_long() -> str:
    return f"an integer of more than {MAX_INT_DIGITS} digits (the limit for one input)"


def lone_surrogate() -> str:
    return (
        "a string holds a lone UTF-16 surrogate (an unpaired \\ud800-\\udfff escape), "
        "which is not a character"
    )


def has_lone_surrogate(text: str) -> bool:
    """Whether ``text`` holds a surrogate code point (only escapes can produce one)."""
    if text.isascii():
        return False
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _scalar_problem(value: Any) -> str | None:
    kind = type(value)
    if kind is int and not -INT_LIMIT < value < INT_LIMIT:
        return int_too_long()
    if kind is str and has_lone_surrogate(value):
        return lone_surrogate()
    return None


def _key_problem(key: Any, scalars: bool, containers: bool = True) -> str | None:
    if type(key) is not str:
        return None
    if containers and len(key) > MAX_KEY_LENGTH:
        return key_too_long(len(key))
    if scalars and has_lone_surrogate(key):
        return lone_surrogate()
    return None


def check_data(data: Any, locate: Locate, scalars: bool = True) -> None:
    """Raise InputError at the first place where parsed ``data`` breaks a limit.

    Containers are always checked (depth, key length); scalars (integer size, lone
    surrogates) only with ``scalars``, which a loader leaves off when a cheap look at
    the text has shown that no scalar can break a limit. The first walk only looks;
    the place is found by a second walk, with pointers, only when something is wrong.
    """
    if _breaks_limits(data, scalars):
        found = find_problem(data, scalars)
        pointer, message = found if found is not None else ((), too_deep())
        raise InputError(message, locate(pointer))


def check_scalars(data: Any, locate: Locate) -> None:
    """Raise InputError at the first integer over the limit or lone surrogate of parsed
    ``data`` (in keys too), in document order. Nesting and key length are not looked
    at: this is for exports other tools write, read only where an importer looks
    (:func:`checker.loading.json_source.parse_export`)."""
    found = find_problem(data, scalars=True, containers=False)
    if found is not None:
        raise InputError(found[1], locate(found[0]))


class Survey(NamedTuple):
    """What one walk over parsed data found (see :func:`survey`)."""

    #: Nothing breaks a limit: nesting, key lengths, and the scalars that were asked for.
    ok: bool
    #: Entries of all mappings together (a key written twice in a JSON object is one);
    #: counted only when ``ok``.
    keys: int = 0
    #: How many mappings there are (in JSON each is written with one ``{``); only when ``ok``.
    mappings: int = 0
    #: When known, every key of the mappings nested three levels deep or more (in the
    #: values of the values of the top-level mapping): a JSON locator then knows which
    #: keys it cannot mistake for a nested one (:mod:`checker.loading.json_source`).
    deep_keys: frozenset[str] | None = None
    #: No key of a mapping two levels deep holds a quote or a backslash (when known).
    plain_below: bool | None = None


_FAILED = Survey(False)


def survey(data: Any, ints: bool = True, strings: bool = True, depth: int = MAX_DEPTH) -> Survey:
    """One pass over ``data``, level by level: whether it keeps every limit, and its size.

    Containers are always checked (nesting within ``depth``, key length); integers with
    ``ints`` and strings (lone surrogates) with ``strings``, below the top level only. A plain loop:
    the walk is bound by memory, not by the interpreter, and C-level passes (``map``,
    ``compress``) over each level, which touch every value several times, measured
    slower than touching each value once here.
    """
    level = [data]
    levels = keys = mappings = 0
    while level:
        levels += 1
        if levels > depth:  # below the first level, only containers are kept
            return _FAILED
        below: list[Any] = []
        add = below.append
        for node in level:
            if type(node) is dict:
                if node:
                    if max(map(len, node)) > MAX_KEY_LENGTH:
                        return _FAILED
                    if strings and any(_key_problem(k, True) for k in node):
                        return _FAILED
                    keys += len(node)
                mappings += 1
                values: Any = node.values()
            elif type(node) is list:
                values = node
            else:
                continue
            for value in values:
                kind = type(value)
                if kind is dict or kind is list:
                    add(value)
                elif kind is int:
                    if ints and not -INT_LIMIT < value < INT_LIMIT:
                        return _FAILED
                elif kind is str and strings and has_lone_surrogate(value):
                    return _FAILED
        level = below
    return Survey(True, keys, mappings)


def every_string(data: Any, values: bool = True) -> Iterator[str]:
    """Every string in ``data``, keys included (only keys without ``values``), in no
    particular order."""
    level = [data]
    while level:
        below: list[Any] = []
        add = below.append
        for node in level:
            if type(node) is dict:
                yield from node
                items: Any = node.values()
            elif type(node) is list:
                items = node
            else:
                continue
            for item in items:
                kind = type(item)
                if kind is dict or kind is list:
                    add(item)
                elif kind is str and values:
                    yield item
        level = below


def _breaks_limits(data: Any, scalars: bool) -> bool:
    return not survey(data, ints=scalars, strings=scalars).ok


def find_problem(
    data: Any, scalars: bool = True, containers: bool = True
) -> tuple[Pointer, str] | None:
    """The first problem in document order, with its pointer, if there is one (depth
    first, no recursion): nesting and key length with ``containers``, integer size and
    lone surrogates with ``scalars``."""
    stack: list[tuple[Pointer, Any]] = [((), data)]
    while stack:
        pointer, node = stack.pop()
        if containers and len(pointer) >= MAX_DEPTH and type(node) in (dict, list):
            return pointer, too_deep()
        if type(node) is dict:
            for key in node:
                problem = _key_problem(key, scalars, containers)
                if problem is not None:
                    return (*pointer, key), problem
            items: list[tuple[Pointer, Any]] = [((*pointer, k), v) for k, v in node.items()]
        elif type(node) is list:
            items = [((*pointer, i), v) for i, v in enumerate(node)]
        else:
            problem = _scalar_problem(node) if scalars else None
            if problem is not None:
                return pointer, problem
            continue
        stack.extend(reversed(items))
    return None
