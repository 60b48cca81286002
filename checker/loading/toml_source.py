"""TOML: parsed by tomllib/tomli; positions come from a light scan of table headers and keys."""

from __future__ import annotations

import re
import sys
from typing import Any

from checker.core.errors import InputError
from checker.core.location import Location, Pointer
from checker.loading import limits
from checker.loading.document import Document
from checker.loading.toml_positions import end_of_document_error, item_position

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)")
_KEY_PART = re.compile(r"""\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*""")


def load_toml_text(text: str, path: str) -> dict[str, Any]:
    """Parse TOML within the limits of docs/limits.md; every failure is an InputError."""
    _prescan(text, path)
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _POSITION.search(message)
        line, column = (int(match[1]), int(match[2])) if match else (1, 1)
        if match is None and "end of document" in message:
            # Where what the file leaves open begins, not line 1.
            line, column = end_of_document_error(text)
            message = message.replace("(at end of document)", "(the file ends before it)")
        message = _POSITION.sub("", message).strip()
        raise InputError(f"invalid TOML: {message}", Location(path, line, column)) from None
    except RecursionError:
        raise InputError(limits.too_deep(), _first_line(text, path, _deep_offset(text))) from None
    except ValueError:  # int() refuses 4,300 digits and more, with no position
        match = _LONG_DIGITS.search(text)
        raise InputError(
            limits.int_too_long(), _first_line(text, path, match.start() if match else 0)
        ) from None
    locator = TomlLocator(text)
    limits.check_data(data, lambda pointer: Location(path, *locator.locate(pointer)))
    return data


#: One part of a dotted key, and a run of more than the limit of them.
_PART = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\\n]|\\.)*"|'[^'\n]*')"""
_MANY_PARTS = re.compile(rf"(?:{_PART}[ \t]*\.[ \t]*){{{limits.MAX_TOML_KEY_PARTS}}}{_PART}")
_LONG_DIGITS = re.compile(f"[0-9_]{{{limits.MAX_INT_DIGITS + 1},}}")


def _prescan(text: str, path: str) -> None:
    """Refuse, before parsing, what Python's TOML parser would take too long over."""
    if len(text) > limits.MAX_TOML_BYTES:
        raise InputError(
            f"TOML file of {len(text) / 1_048_576:.1f} MiB, above the limit of "
            f"{limits.MAX_TOML_BYTES // 1_048_576} MiB for TOML (Python's TOML parser is slow "
            "on large files): write large manifests as JSON or YAML",
            Location(path),
        )
    # A key of N parts has N - 1 dots on its line (keys never span lines): only lines
    # with that many dots are looked at closely.
    for number, line in enumerate(text.splitlines(), start=1):
        if line.count(".") < limits.MAX_TOML_KEY_PARTS:
            continue
        match = _MANY_PARTS.search(line)
        if match is not None:
            raise InputError(
                f"a dotted key or table header of more than {limits.MAX_TOML_KEY_PARTS} "
                "parts (the limit for one key)",
                Location(path, number, match.start() + 1),
            )


def _deep_offset(text: str) -> int:
    """Roughly where brackets first nest past the limit (quoted strings skipped)."""
    depth = 0
    for match in re.finditer(r""""(?:[^"\\\n]|\\.)*"|'[^'\n]*'|[][{}]""", text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > limits.MAX_DEPTH:
                return match.start()
        elif token in ("]", "}"):
            depth -= 1
    return 0


def _first_line(text: str, path: str, offset: int) -> Location:
    line = text.count("\n", 0, offset) + 1
    return Location(path, line, offset - (text.rfind("\n", 0, offset) + 1) + 1)


def parse_toml(text: str, path: str) -> Document:
    return Document(path, load_toml_text(text, path), TomlLocator(text))


def _parse_key(text: str) -> tuple[list[str], int] | None:
    """Parse a dotted key at the start of ``text``: (parts, characters consumed)."""
    parts: list[str] = []
    position = 0
    while True:
        match = _KEY_PART.match(text, position)
        if match is None:
            return None
        parts.append(next(group for group in match.groups() if group is not None))
        position = match.end()
        if position < len(text) and text[position] == ".":
            position += 1
            continue
        return parts, position


class TomlLocator:
    """Records the line of every table header and ``key =`` line, on first use."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._positions: dict[Pointer, tuple[int, int]] | None = None

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        positions = self._positions
        if positions is None:
            positions = self._positions = self._scan()
        for length in range(len(pointer), 0, -1):
            found = positions.get(tuple(pointer[:length]))
            if found is not None:
                if length == len(pointer) - 1 and isinstance(pointer[-1], int):
                    # An item of an array: where it is written, on its own line if it is.
                    return item_position(self._text, *found, pointer[-1]) or found
                return found
        return 1, 1

    def _scan(self) -> dict[Pointer, tuple[int, int]]:
        positions: dict[Pointer, tuple[int, int]] = {}
        table: tuple[str | int, ...] = ()
        array_counts: dict[tuple[str | int, ...], int] = {}
        in_multiline: str | None = None
        for number, line in enumerate(self._text.splitlines(), start=1):
            stripped = line.strip()
            if in_multiline:
                if stripped.count(in_multiline) % 2 == 1:
                    in_multiline = None
                continue
            indent = len(line) - len(line.lstrip())
            if stripped.startswith("[["):
                parsed = _parse_key(stripped[2:])
                if parsed:
                    base = tuple(parsed[0])
                    count = array_counts.get(base, 0)
                    array_counts[base] = count + 1
                    table = (*base, count)
                    positions.setdefault(base, (number, indent + 1))
                    positions.setdefault(table, (number, indent + 1))
            elif stripped.startswith("["):
                parsed = _parse_key(stripped[1:])
                if parsed:
                    table = tuple(parsed[0])
                    # [services.auth] also marks where the services table first appears.
                    # Longest first, stopping at a known prefix (whose own prefixes are
                    # known too): linear in the header, not quadratic.
                    for length in range(len(table), 0, -1):
                        if table[:length] in positions:
                            break
                        positions[table[:length]] = (number, indent + 1)
            elif stripped and not stripped.startswith("#"):
                parsed = _parse_key(stripped)
                if parsed and stripped[parsed[1] : parsed[1] + 1] == "=":
                    positions.setdefault((*table, *parsed[0]), (number, indent + 1))
                    for quote in ('"""', "'''"):
                        if stripped.count(quote) % 2 == 1:
                            in_multiline = quote
        return positions
