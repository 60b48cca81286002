"""Where a pointer is written in a JSON text, found without a second parse.

:class:`JsonLocator` searches for keys in the text, in the order the parsed data
lists them, and checks by counting braces that a key found is not one of a nested
object; it falls back to scanning the containers on a pointer's way with the json
module's C scanner when a search cannot be trusted.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Iterable
from itertools import repeat
from typing import Any

from checker.core.location import Pointer
from checker.loading import limits
from checker.loading.document import LineIndex

_decoder = json.JSONDecoder()
_WHITESPACE_RUN = re.compile(r"[ \t\r\n]*")
_scanstring = json.decoder.scanstring  # type: ignore[attr-defined]
#: Text searched for a key before the rest of the file (under 30,000 characters, where
#: CPython's str.find uses its plain search, with no set-up per needle).
_WINDOW = 20_000
#: A container's members: key or index -> (key offset, value offset), and keys in order.
_Members = tuple[dict[str | int, tuple[int, int]], list[tuple[str, int]]]


def _skip_ws(text: str, index: int) -> int:
    return _WHITESPACE_RUN.match(text, index).end()  # type: ignore[union-attr]


def _quoted(keys: Iterable[str]) -> bool:
    """Whether some key holds a quote or a backslash."""
    names = "".join(keys)
    return '"' in names or "\\" in names


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
    :meth:`locate_keys` finds many keys of one object in a single forward sweep.

    With ``deep_keys`` (every key of the mappings 3 levels deep or more, which the
    parser may know: see :class:`~checker.loading.limits.Survey`), a key that is not
    among them cannot be mistaken for a nested one, and is found without counting;
    ``plain_below`` says that no key 2 levels deep holds a quote (else it is looked at).
    """

    def __init__(
        self,
        text: str,
        data: Any = None,
        mappings: int | None = None,
        deep_keys: frozenset[str] | None = None,
        plain_below: bool | None = None,
    ) -> None:
        self._text = text
        self._lines = LineIndex(text)
        self._containers: dict[int, _Members] = {}
        #: The parsed document, when known: it lets large objects be indexed quickly.
        self.data: Any = data
        #: How many mappings ``data`` holds, when the parser counted them.
        self._mappings = mappings
        self._braces_exact: bool | None = None
        #: Every key of the mappings 3 levels deep or more, when the parser knows them
        #: (a key that holds a quote could end with another key's needle: not trusted).
        self._deep_keys = deep_keys if deep_keys is not None and not _quoted(deep_keys) else None
        #: No key of a mapping 2 levels deep holds a quote (None: not known yet).
        self._plain_below = plain_below

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

    def locate_keys(self, parent: Pointer, keys: Collection[str]) -> dict[str, tuple[int, int]]:
        """What :meth:`locate` returns for each ``(*parent, key)``, by key, found together.

        The keys of one large object (every entity with a finding) are found in one
        forward sweep, in text order, each searched for from where the previous one
        was found: one pass over the object instead of indexing all of its keys. Any
        doubt about the sweep, or a key it does not find, falls back to :meth:`locate`.
        """
        wanted = keys if isinstance(keys, set) else set(keys)
        swept = self._sweep(parent, wanted)
        if swept is None:
            return {key: self.locate((*parent, key)) for key in wanted}
        order, offsets = swept
        found = dict(zip(order, self._positions(offsets), strict=True))
        if len(found) < len(wanted):
            found.update((key, self.locate((*parent, key))) for key in wanted - found.keys())
        return found

    def _sweep(self, parent: Pointer, wanted: set[str]) -> tuple[list[str], list[int]] | None:
        """The ``wanted`` keys of the object at ``parent`` that it holds, in text order,
        and the offset of each; None when a sweep cannot be trusted.

        Each key is searched for from the previous one on. A candidate counts if a colon
        follows it and it is not a key of an object nested in some value in between:
        either no nested key can be one asked for (:meth:`_trusted`), or the text
        before the candidate, since the previous key's colon, balances its braces.
        Braces are counted exactly only when no string of the file holds one (the
        file's braces then number its mappings); and a key of the object itself that
        holds a quote could end with the needle: then no sweep. So each key is found
        where :meth:`_object_members_fast` finds it, without its cost for the keys not
        asked for.
        """
        offset, value = self._value(parent)
        text = self._text
        trusted = self._trusted(len(parent) + 1, wanted)
        if (
            offset is None
            or offset in self._containers  # indexed already: locate() is quicker
            or type(value) is not dict
            or not text.startswith("{", offset)
            or not (trusted or (self._no_braces_in_strings() and not _quoted(value)))
        ):
            return None
        order = list(filter(wanted.__contains__, value))  # in text order, at C speed
        offsets: list[int] = []
        add = offsets.append
        find = text.find
        if trusted:
            # No candidate can be nested: each key's first "key": from the previous
            # one on is the one (a key written "key" : has no sweep). Searched for in a
            # window first: str.find preprocesses the needle for long haystacks only.
            start = offset
            for key in order:
                needle = f'"{key}":'
                found = find(needle, start, start + _WINDOW)
                if found == -1:
                    found = find(needle, start)
                    if found == -1:
                        return None
                add(found)
                start = found
            return order, offsets
        count, startswith = text.count, text.startswith
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

    def _value(self, parent: Pointer) -> tuple[int | None, Any]:
        """The offset of the value at ``parent`` and the value (None: not found), found
        by searching for each key where no nested key can be mistaken for it."""
        text = self._text
        offset = _skip_ws(text, 0)
        value = self.data
        for depth, part in enumerate(parent, 1):
            if not (
                type(value) is dict
                and type(part) is str
                and part in value
                and text.startswith("{", offset)
                and self._trusted(depth, {part})
            ):
                _, found, value = self._walk(parent)
                return found, value
            key = text.find(f'"{part}":', offset)
            if key == -1:
                _, found, value = self._walk(parent)
                return found, value
            offset = _skip_ws(text, key + len(part) + 3)
            value = value[part]
        return offset, value

    def _trusted(self, depth: int, wanted: set[str]) -> bool:
        """Whether no key of a mapping nested in a mapping at ``depth`` (1 is the top)
        can be taken for one of ``wanted``: none is one of them, and none nor the
        mapping's own keys hold a quote (one could end with a needle)."""
        deep = self._deep_keys
        if deep is None or not wanted.isdisjoint(deep):
            return False
        if depth > 2:
            return True
        data = self.data
        values = data.values() if type(data) is dict else data if type(data) is list else ()
        second = [value for value in values if type(value) is dict]  # level 2
        if self._plain_below is None:
            self._plain_below = not any(map(_quoted, second))
        if depth == 2:
            return self._plain_below
        return (
            self._plain_below
            and type(data) is dict
            and not _quoted(data)
            and not any(key in level for level in second for key in wanted)
        )

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
            return list(zip(repeat(1), map((1).__add__, offsets)))
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
