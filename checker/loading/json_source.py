"""JSON: parsed at C speed; positions are found lazily, only when something must be reported."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from itertools import repeat
from typing import Any

from checker.core.errors import InputError
from checker.core.location import Location, Pointer
from checker.loading import limits
from checker.loading.document import Document, LineIndex

_decoder = json.JSONDecoder()
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


#: A surrogate escape (``\ud800``: maybe unpaired) in the text, and long runs of digits.
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")
_LONG_DIGITS = re.compile(f"[0-9]{{{limits.MAX_INT_DIGITS + 1},}}")
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
    escapes = "\\u" in text
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
    return Document(path, data, JsonLocator(text, data, shape.mappings), vouched)


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
    long_digits = _LONG_DIGITS.search(text) is not None
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


_WHITESPACE_RUN = re.compile(r"[ \t\r\n]*")
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
#: A container's members: key or index -> (key offset, value offset), and keys in order.
_Members = tuple[dict[str | int, tuple[int, int]], list[tuple[str, int]]]


def _skip_ws(text: str, index: int) -> int:
    return _WHITESPACE_RUN.match(text, index).end()  # type: ignore[union-attr]


def _key_at(text: str, needle: str, found: int) -> tuple[int, int]:
    """The first ``needle`` from ``found`` on that a colon follows, and that colon's offset
    (``found`` -1: none)."""
    while found != -1:
        colon = _skip_ws(text, found + len(needle))
        if text.startswith(":", colon):
            return found, colon
        found = text.find(needle, found + 1)
    return -1, -1


class JsonLocator:
    """Maps pointers to positions by scanning only the containers on the pointer's way.

    Each container's key offsets are scanned once and cached, so locating every entity
    of a large file costs about one extra parse, and locating none costs nothing.
    :meth:`locate_many` finds many keys of one object in a single forward sweep.
    """

    def __init__(self, text: str, data: Any = None, mappings: int | None = None) -> None:
        self._text = text
        self._lines = LineIndex(text)
        self._containers: dict[int, _Members] = {}
        #: The parsed document, when known: it lets large objects be indexed quickly.
        self.data: Any = data
        #: How many mappings ``data`` holds, when the parser counted them.
        self._mappings = mappings
        self._braces_exact: bool | None = None

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        return self._lines.position(self._walk(pointer)[0])

    def _walk(self, pointer: Pointer) -> tuple[int, int | None, Any]:
        """The offset of the deepest part of ``pointer`` found; if every part was found,
        the offset of the value it names, and that value (None if not known)."""
        offset = _skip_ws(self._text, 0)
        found = offset
        value = self.data
        for part in pointer:
            members = self._containers.get(offset)
            if members is None and isinstance(value, dict):
                members = self._object_members_fast(offset, value)
                if members is not None:
                    self._containers[offset] = members
            if members is None:
                members = self._members(offset)
            if members is None:
                return found, None, None
            value = value.get(part) if isinstance(value, dict) else None
            entry = members[0].get(part if isinstance(part, int) else str(part))
            if entry is None:
                return found, None, None
            found, offset = entry
        return found, offset, value

    def locate_keys(self, parent: Pointer, keys: Sequence[str]) -> list[tuple[int, int]]:
        """What :meth:`locate` returns for each ``(*parent, key)``, found together.

        The keys of one large object (every entity with a finding) are found in one
        forward sweep, in text order, each searched for from where the previous one
        was found: one pass over the object instead of indexing all of its keys. Any
        doubt about the sweep, or a key it does not find, falls back to :meth:`locate`.
        """
        wanted = set(keys)
        swept = self._sweep(parent, wanted)
        if swept is None:
            return [self.locate((*parent, key)) for key in keys]
        order, offsets = swept
        found = dict(zip(order, self._positions(offsets), strict=True))
        if len(found) == len(wanted):
            return list(map(found.__getitem__, keys))
        return [found.get(key) or self.locate((*parent, key)) for key in keys]

    def _sweep(self, parent: Pointer, wanted: set[str]) -> tuple[list[str], list[int]] | None:
        """The ``wanted`` keys of the object at ``parent`` that it holds, in text order,
        and the offset of each; None when a sweep cannot be trusted.

        Each key is searched for after the previous one's colon. A candidate counts if a
        colon follows it and the text before it, since that colon, balances its braces:
        else it is a key of an object nested in some value in between. Braces are
        counted exactly only when no string of the file holds one (the file's braces
        then number its mappings), and a key can be mistaken for the tail of another
        only when some key holds a quote: either way, no sweep. So each key is found
        where :meth:`_object_members_fast` finds it, without its cost for the keys not
        asked for.
        """
        _, offset, value = self._walk(parent)
        text = self._text
        if (
            offset is None
            or offset in self._containers  # indexed already: locate() is quicker
            or type(value) is not dict
            or not text.startswith("{", offset)
            or not self._no_braces_in_strings()
        ):
            return None
        names = "".join(value)
        if '"' in names or "\\" in names:
            return None
        find, count, startswith = text.find, text.count, text.startswith
        order = list(filter(wanted.__contains__, value))  # in text order, at C speed
        offsets: list[int] = []
        add = offsets.append
        start = offset + 1
        for key in order:
            needle = f'"{key}"'
            found = find(needle, start)
            colon = found + len(needle)
            if found == -1 or not startswith(":", colon):
                found, colon = _key_at(text, needle, found)  # whitespace before the colon
            if found == -1 or count("{", start, found) != count("}", start, found):
                return None
            add(found)
            start = colon + 1  # whitespace holds no brace nor key
        return order, offsets

    def _no_braces_in_strings(self) -> bool:
        if self._braces_exact is None:
            mappings = self._mappings
            if mappings is None and self.data is not None:
                shape = limits.survey(self.data, ints=False, strings=False)
                mappings = shape.mappings if shape.ok else None
            count = self._text.count
            self._braces_exact = mappings is not None and count("{") == mappings == count("}")
        return self._braces_exact

    def _positions(self, offsets: list[int]) -> list[tuple[int, int]]:
        """Line and column of each offset (increasing): the lines between two offsets
        are counted in C, instead of indexing every line of the file."""
        text = self._text
        if not offsets or text.find("\n", 0, offsets[-1]) == -1:  # all on line 1
            return [(1, offset + 1) for offset in offsets]
        positions = []
        line, line_start, previous = 1, 0, 0
        for offset in offsets:
            newlines = text.count("\n", previous, offset)
            if newlines:
                line += newlines
                line_start = text.rfind("\n", previous, offset) + 1
            positions.append((line, offset - line_start + 1))
            previous = offset
        return positions

    def find_duplicate(self, key: str) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
        """Locate the first container holding ``key`` twice: (first, second) positions."""
        stack = [_skip_ws(self._text, 0)]
        while stack:
            members = self._members(stack.pop())
            if members is None:
                continue
            index, order = members
            firsts: dict[str, int] = {}
            for name, key_offset in order:
                if name == key and name in firsts:
                    return self._lines.position(firsts[name]), self._lines.position(key_offset)
                firsts.setdefault(name, key_offset)
            stack.extend(value for _, value in index.values())
        return None, None

    def _object_members_fast(self, offset: int, value: dict[str, Any]) -> _Members | None:
        """Index a large object by searching for its keys in order, at C speed.

        The keys of a parsed object come in text order, so each is searched for after
        the previous one. A candidate counts only if a colon follows it and the text
        since the previous key balances its brackets (else it is nested in the previous
        value); anything unexpected (escaped characters, a nested key of the same name,
        a brace inside a string, which would make the count lie) falls back to the
        exact scan.
        """
        if not self._no_braces_in_strings():  # brace counts cannot be trusted
            return self._members(offset)
        text = self._text
        index: dict[str | int, tuple[int, int]] = {}
        order: list[tuple[str, int]] = []
        start = offset + 1
        count = text.count
        for key in value:
            needle = f'"{key}"'
            found = text.find(needle, start)
            while found != -1:
                colon = _skip_ws(text, found + len(needle))
                if colon < len(text) and text[colon] == ":":
                    break
                found = text.find(needle, found + 1)
            if (
                found == -1
                or "\\" in key
                or '"' in key
                or count("{", start, found) != count("}", start, found)
                or count("[", start, found) != count("]", start, found)
            ):
                return self._members(offset)
            value_start = _skip_ws(text, colon + 1)
            index[key] = (found, value_start)
            order.append((key, found))
            start = value_start
        return index, order

    def _members(self, offset: int) -> _Members | None:
        cached = self._containers.get(offset)
        if cached is not None:
            return cached
        text = self._text
        if offset >= len(text) or text[offset] not in "{[":
            return None
        index: dict[str | int, tuple[int, int]] = {}
        order: list[tuple[str, int]] = []
        closing = "}" if text[offset] == "{" else "]"
        # The json module's C scanners: indexing a container costs about one parse of
        # it, once, and only for containers on the way to a reported pointer.
        scan_value = _decoder.scan_once  # type: ignore[attr-defined]
        position = _skip_ws(text, offset + 1)
        item = 0
        try:
            while text[position] != closing:
                start = position
                if closing == "}":
                    name, position = _scanstring(text, position + 1)
                    position = _skip_ws(text, _skip_ws(text, position) + 1)  # past the colon
                    order.append((name, start))
                    index.setdefault(name, (start, position))
                else:
                    index[item] = (start, start)
                    item += 1
                position = _skip_ws(text, scan_value(text, position)[1])
                if text[position] == ",":
                    position = _skip_ws(text, position + 1)
        except (ValueError, IndexError, StopIteration):
            pass  # a malformed tail: what was indexed so far still helps
        self._containers[offset] = (index, order)
        return index, order
