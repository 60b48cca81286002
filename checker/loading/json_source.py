"""JSON: parsed at C speed; positions are found lazily, only when something must be reported."""

from __future__ import annotations

import json
from typing import Any

from checker.errors import InputError
from checker.loading.document import Document, LineIndex
from checker.location import Location, Pointer

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


def parse_json(text: str, path: str) -> Document:
    locator = JsonLocator(text)
    try:
        data = json.loads(text, object_pairs_hook=_unique_pairs, parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        where = Location(path, error.lineno, error.colno)
        raise InputError(f"invalid JSON: {error.msg}", where) from None
    except _DuplicateKeyError as error:
        first, second = locator.find_duplicate(error.key)
        earlier = f" (first defined at line {first[0]}, column {first[1]})" if first else ""
        raise InputError(
            f"duplicate key {error.key!r}{earlier}", Location(path, *(second or (1, 1)))
        ) from None
    except (ValueError, RecursionError) as error:
        raise InputError(f"invalid JSON: {error}", Location(path)) from None
    return Document(path, data, locator)


def _skip_ws(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


class JsonLocator:
    """Maps pointers to positions by scanning only the containers on the pointer's way.

    Each container's key offsets are scanned once and cached, so locating every entity
    of a large file costs about one extra parse, and locating none costs nothing.
    """

    def __init__(self, text: str) -> None:
        self._text = text
        self._lines = LineIndex(text)
        self._containers: dict[
            int, tuple[dict[str | int, tuple[int, int]], list[tuple[str, int]]]
        ] = {}

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        offset = _skip_ws(self._text, 0)
        found = offset
        for part in pointer:
            members = self._members(offset)
            if members is None:
                break
            entry = members[0].get(part if isinstance(part, int) else str(part))
            if entry is None:
                break
            found, offset = entry
        return self._lines.position(found)

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

    def _members(
        self, offset: int
    ) -> tuple[dict[str | int, tuple[int, int]], list[tuple[str, int]]] | None:
        cached = self._containers.get(offset)
        if cached is not None:
            return cached
        text = self._text
        if offset >= len(text) or text[offset] not in "{[":
            return None
        index: dict[str | int, tuple[int, int]] = {}
        order: list[tuple[str, int]] = []
        closing = "}" if text[offset] == "{" else "]"
        position = _skip_ws(text, offset + 1)
        item = 0
        try:
            while position < len(text) and text[position] != closing:
                start = position
                if closing == "}":
                    name, position = _decoder.raw_decode(text, position)
                    position = _skip_ws(text, position) + 1  # the colon
                    position = _skip_ws(text, position)
                    order.append((name, start))
                    index.setdefault(name, (start, position))
                else:
                    index[item] = (start, start)
                    item += 1
                position = self._skip_value(position)
                position = _skip_ws(text, position)
                if position < len(text) and text[position] == ",":
                    position = _skip_ws(text, position + 1)
        except ValueError:
            pass  # a malformed tail: what was indexed so far still helps
        self._containers[offset] = (index, order)
        return index, order

    def _skip_value(self, position: int) -> int:
        # raw_decode builds and drops the value, but at C speed: far cheaper than scanning.
        _, end = _decoder.raw_decode(self._text, position)
        return int(end)
