"""A parsed file: plain data plus a way to find where any part of it is written."""

from __future__ import annotations

import bisect
from collections.abc import Collection
from dataclasses import dataclass
from itertools import repeat
from typing import Any, Protocol, runtime_checkable

from checker.core.location import Location, Pointer


class Locator(Protocol):
    """Finds the (1-based line, column) at which a pointer's key or item is written."""

    def locate(self, pointer: Pointer) -> tuple[int, int]: ...


@runtime_checkable
class BatchLocator(Locator, Protocol):
    """A locator that finds many pointers at once faster than one by one."""

    def locate_keys(self, parent: Pointer, keys: Collection[str]) -> dict[str, tuple[int, int]]: ...


@dataclass(frozen=True)
class Document:
    """One parsed file. ``data`` is JSON-like (dicts, lists, scalars)."""

    path: str
    data: Any
    locator: Locator
    #: The parser's ``vouch`` accepted the data (see :mod:`checker.loading.json_source`):
    #: for a manifest, it is known to be a valid manifest file.
    vouched: bool = False

    def location(self, pointer: Pointer) -> Location:
        line, column = self.locator.locate(pointer)
        return Location(self.path, line, column)

    def key_locations(self, parent: Pointer, keys: Collection[str]) -> dict[str, Location]:
        """The location of each ``(*parent, key)``, by key, as :meth:`location` finds it,
        found together."""
        locator = self.locator
        if isinstance(locator, BatchLocator):
            found = locator.locate_keys(parent, keys)
        else:
            found = {key: locator.locate((*parent, key)) for key in keys}
        # Location((path, line, column)) built in C: tuple.__new__ is what its __new__ calls.
        places = map(tuple.__new__, repeat(Location), map((self.path,).__add__, found.values()))
        return dict(zip(found, places, strict=True))


class LineIndex:
    """Turns a character offset into a line and column, built only when first needed."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts: list[int] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        if self._starts is None:
            starts = [0]
            find = self._text.find
            index = find("\n")
            while index != -1:
                starts.append(index + 1)
                index = find("\n", index + 1)
            self._starts = starts
        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1
