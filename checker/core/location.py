"""Where something is in a source file: the one value type every finding and error carries."""

from __future__ import annotations

from typing import NamedTuple

#: A path into a parsed document, e.g. ``("services", "auth", "depends_on", 0)``.
Pointer = tuple["str | int", ...]


class Location(NamedTuple):
    """A 1-based line and column in a file, as editors and CI annotations count them."""

    path: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}"


def pointer_to_str(pointer: Pointer) -> str:
    """Render a pointer as an RFC 6901 JSON pointer (``/services/auth/depends_on/0``)."""
    parts = (str(p).replace("~", "~0").replace("/", "~1") for p in pointer)
    return "".join("/" + p for p in parts)
