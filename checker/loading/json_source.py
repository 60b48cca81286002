"""JSON: parsed at C speed; positions are found lazily, only when something must be reported."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from itertools import repeat
from typing import Any

from checker.core.errors import InputError
from checker.core.location import Location
from checker.loading import limits
from checker.loading.document import Document, LineIndex
from checker.loading.json_positions import JsonLocator

__all__ = ["JsonLocator", "Vouch", "parse_export", "parse_json"]

_WHITESPACE = " \t\r\n"


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _unique_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKeyError(key)
            seen.add(key)
    return result


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON")


#: A surrogate escape (``\ud800``: maybe unpaired) in the text.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
#: How a colon inside a string may be written without a colon character.
_ESCAPED_COLONS = ("\\u003a", "\\u003A")

#: Given a file's parsed data, its limits survey (:func:`limits.survey`, strings aside)
#: when the caller can take it at a glance, else None. For a manifest, validating it
#: finds the survey on the way (:func:`checker.manifest.fast.survey`): a valid manifest
#: nests 6 deep at most and holds long keys and large numbers only in a few places.
Vouch = Callable[[Any], "limits.Survey | None"]


def _bounded_int(digits: str) -> int:
    """An integer, or a stand-in over the limit that :func:`limits.check_data` reports
    at its place (``int()`` itself refuses 4,300 digits, with no position)."""
    return int(digits) if len(digits.lstrip("-")) <= limits.MAX_INT_DIGITS else limits.INT_LIMIT


def parse_json(text: str, path: str, vouch: Vouch | None = None) -> Document:
    """Parse JSON within the limits of docs/limits.md; every failure is an InputError.

    The common case, a file with nothing wrong, takes one plain ``json.loads`` (C
    speed, no Python called per object) and one look at the result. Anything unusual
    (a syntax error, a key written twice, a value over a limit) is parsed again by
    :func:`_parse_exactly`, which says what is wrong and where; so what is reported
    never depends on which way a file went. With ``vouch``, a file it vouches for is
    not walked for its limits at all (the document is then marked ``vouched``).
    """
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # a JSONDecodeError, or int() refusing 4,300 digits
        return _parse_exactly(text, path)
    # A backslash is found at memchr speed, and most files have none at all.
    escapes = "\\" in text and "\\u" in text
    surrogates = escapes and _SURROGATE_ESCAPE.search(text) is not None
    shape = vouch(data) if vouch is not None and not surrogates else None
    vouched = shape is not None
    if shape is None:
        shape = limits.survey(data, ints=True, strings=surrogates)
    if (
        not shape.ok
        or (type(data) is int and not -limits.INT_LIMIT < data < limits.INT_LIMIT)
        or _may_repeat_keys(text, data, shape.keys, escapes)
    ):
        return _parse_exactly(text, path)
    locator = JsonLocator(text, data, shape.mappings, shape.deep_keys, shape.plain_below)
    return Document(path, data, locator, vouched)


#: Each byte of a text as ``0`` for a digit and a space for anything else: a run of more
#: digits than an integer may have is then one ``bytes.find`` (a regex for the run
#: costs five times as much on a large export: it starts a match at every digit).
_DIGITS_ONLY = bytes(0x30 if 0x30 <= byte <= 0x39 else 0x20 for byte in range(256))
_TOO_MANY_DIGITS = b"0" * (limits.MAX_INT_DIGITS + 1)
#: The text is mapped a megabyte at a time: mapped whole, its two copies (the UTF-8
#: bytes, then the digit map) cost more in fresh pages of memory than the scan itself
#: (35 ms against 16 ms for a 19 MiB Terraform plan).
SCAN_CHUNK = 1 << 20


def has_long_digit_run(text: str, chunk: int = SCAN_CHUNK) -> bool:
    """Whether ``text`` holds a run of more digits than an integer may have."""
    # Each piece reaches that many characters into the next minus one, so that a run
    # that starts in a piece is seen whole in it.
    reach = chunk + len(_TOO_MANY_DIGITS) - 1
    for start in range(0, len(text), chunk):
        piece = text[start : start + reach].encode("utf-8", "surrogatepass")
        if piece.translate(_DIGITS_ONLY).find(_TOO_MANY_DIGITS) != -1:
            return True
    return False


def parse_export(text: str, path: str) -> Document:
    """JSON that another tool wrote (a NetBox export, a Terraform plan), read for an
    importer: held to the limits on scalars, at the speed of ``json.loads``.

    Such a file may be hundreds of megabytes, and an importer reads only the fields it
    knows, so it is not walked for the limits on nesting and key length
    (docs/limits.md, "Importer inputs"); what the importer writes is held to every
    limit (:func:`checker.importers.common.render_manifest`). The limits on scalars
    hold as for every file, since an importer copies names, numbers and keys into the
    manifest: two scans of the text at C speed say whether any integer may be over the
    limit or any string hold a lone surrogate, and only then is the data walked for
    the first such value, reported at its place. A text ``json.loads`` refuses is
    reported by the manifest reader's own parse, with its line and column. A key
    written twice keeps its last value, as ``json.loads`` does (these tools never
    write one twice).
    """
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):  # invalid JSON, or int() refusing 4,300 digits
        _parse_exactly(text, path)  # raises an InputError with the line and column
        raise  # pragma: no cover - what json.loads refuses, the exact parse refuses too
    locator = JsonLocator(text)
    locator.data = data
    document = Document(path, data, locator)
    # The regex alone: it finds each backslash at memchr speed, where ``"\\u" in text``
    # takes three times as long on a large text without one.
    if _SURROGATE_ESCAPE.search(text) is not None or has_long_digit_run(text):
        limits.check_scalars(data, document.location)
    return document


def _may_repeat_keys(text: str, data: Any, keys: int, escapes: bool) -> bool:
    """Whether some object of ``text`` may hold a key twice, which ``json.loads`` allows
    (the last one wins) and resilint does not.

    Each key is followed by one colon, and a colon outside a string is always such a
    separator: with no colon inside a string, the file's colons number its keys, and
    the parsed mappings hold as many entries unless a key was repeated (one count,
    instead of a Python hook called for every object during the parse). Colons inside
    strings are counted in the parsed strings, and subtracted; ``\\u003a`` (a colon
    written as an escape) may make that count too high, never too low.
    """
    colons = text.count(":")
    if colons == keys:
        return False
    written = sum(map(str.count, limits.every_string(data), repeat(":")))
    escaped = sum(map(text.count, _ESCAPED_COLONS)) if escapes else 0
    # Separators number at least the keys, and at most ``colons - written + escaped``.
    return colons - written + escaped != keys


def _parse_exactly(text: str, path: str) -> Document:
    """Parse with every check at its place: duplicate keys as each object is built,
    integers as they are read; then the limits, with positions."""
    locator = JsonLocator(text)
    long_digits = has_long_digit_run(text)
    try:
        data = json.loads(
            text,
            object_pairs_hook=_unique_pairs,
            parse_constant=_reject_constant,
            parse_int=_bounded_int if long_digits else None,
        )
    except RecursionError:
        raise InputError(limits.too_deep(), _deep_place(text, path)) from None
    except json.JSONDecodeError as error:
        where = Location(path, error.lineno, error.colno)
        raise InputError(f"invalid JSON: {error.msg}", where) from None
    except _DuplicateKeyError as error:
        first, second = locator.find_duplicate(error.key)
        earlier = f" (first defined at line {first[0]}, column {first[1]})" if first else ""
        raise InputError(
            f"duplicate key {error.key!r}{earlier}", Location(path, *(second or (1, 1)))
        ) from None
    except ValueError as error:
        raise InputError(f"invalid JSON: {error}", Location(path)) from None
    locator.data = data
    document = Document(path, data, locator)
    scalars = long_digits or _SURROGATE_ESCAPE.search(text) is not None
    limits.check_data(data, document.location, scalars=scalars)
    return document


_BRACKET_OR_STRING = re.compile(r'"(?:[^"\\]|\\.)*"|[][{}]')


def _deep_place(text: str, path: str) -> Location:
    """Where the nesting first goes past the limit (strings skipped)."""
    depth = 0
    for match in _BRACKET_OR_STRING.finditer(text):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limits.MAX_DEPTH:
                return Location(path, *LineIndex(text).position(match.start()))
        elif token in "]}":
            depth -= 1
    return Location(path)
