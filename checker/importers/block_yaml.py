"""Block-style YAML for plain data, byte for byte what PyYAML writes, many times faster.

An imported manifest can hold tens of thousands of entities, and PyYAML's pure-Python
emitter spends about a millisecond on each (docs/importing.md). The layout of block
YAML for dicts, lists and scalars is simple; what is not simple is how each scalar
must be written (plain, quoted, escaped). So this module lays out the lines itself and
lets PyYAML decide the scalars it cannot show to be plain, all in one call.

It declines (returns ``None``) whenever PyYAML could do something it does not imitate:
an empty or multi-line string, a list directly inside a list, a line longer than the
width (where PyYAML may fold), any other type. The caller then uses PyYAML itself. A
property test holds the two to the same bytes (tests/importers/test_block_yaml.py).
"""

from __future__ import annotations

import re
from typing import Any

import yaml

#: Strings PyYAML writes plain in block context: a letter, then id-like characters,
#: no ``:`` at the end (it would read as a key), and none of YAML 1.1's words that
#: resolve to booleans or null (which it quotes).
_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9._/:-]*\Z")
_RESOLVED_WORDS = frozenset(
    {"yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE"}
    | {"on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL"}
)
_LINE_BREAKS = re.compile("[\n\r\x85\u2028\u2029]")


class _Declined(Exception):
    """The data holds something PyYAML may write differently from this module."""


def dump_block(data: dict[str, Any], dumper: type[yaml.SafeDumper], width: int) -> str | None:
    """``yaml.dump(data, Dumper=dumper, sort_keys=True, default_flow_style=False,
    allow_unicode=True, width=width)``, or ``None`` when that cannot be shown equal."""
    if not data:
        return None
    unusual: set[str] = set()
    try:
        _collect(data, unusual)
        written = _represent(unusual, dumper)
        lines: list[str] = []
        _mapping(data, "", "", lines, written)
    except _Declined:
        return None
    if any(len(line) > width for line in lines):
        return None
    lines.append("")
    return "\n".join(lines)


def _collect(data: Any, unusual: set[str]) -> None:
    """Check every value's type; gather the strings that may not be written plain."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not isinstance(key, str):
                raise _Declined
            _string(key, unusual)
            _collect(value, unusual)
    elif isinstance(data, list):
        for item in data:
            if isinstance(item, list):
                raise _Declined
            _collect(item, unusual)
    elif isinstance(data, str):
        _string(data, unusual)
    elif data is not None and not isinstance(data, int):  # bool is an int
        raise _Declined


def _string(text: str, unusual: set[str]) -> None:
    if _PLAIN.match(text) and not text.endswith(":") and text not in _RESOLVED_WORDS:
        return
    if not text or _LINE_BREAKS.search(text):
        raise _Declined
    unusual.add(text)


def _represent(strings: set[str], dumper: type[yaml.SafeDumper]) -> dict[str, str]:
    """How PyYAML writes each string: one list, one call, one line per item.

    A scalar's style does not depend on where it stands (for non-empty single-line
    strings, keys and values alike), and with no width limit nothing is folded.
    """
    if not strings:
        return {}
    ordered = sorted(strings)
    text = yaml.dump(
        ordered, Dumper=dumper, default_flow_style=False, allow_unicode=True, width=1 << 30
    )
    lines = text.splitlines()
    if len(lines) != len(ordered) or not all(line.startswith("- ") for line in lines):
        raise _Declined
    return {original: line[2:] for original, line in zip(ordered, lines, strict=True)}


def _scalar(value: Any, written: dict[str, str]) -> str:
    if isinstance(value, str):
        return written.get(value, value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _mapping(
    data: dict[str, Any], indent: str, first: str, lines: list[str], written: dict[str, str]
) -> None:
    """Keys sorted; the first line may start with a list item's ``- `` (``first``)."""
    prefix = first or indent
    for key in sorted(data):
        value = data[key]
        shown = written.get(key, key)
        if isinstance(value, dict):
            if value:
                lines.append(f"{prefix}{shown}:")
                _mapping(value, indent + "  ", "", lines, written)
            else:
                lines.append(f"{prefix}{shown}: {{}}")
        elif isinstance(value, list):
            if value:
                lines.append(f"{prefix}{shown}:")
                _sequence(value, indent, lines, written)  # PyYAML does not indent these
            else:
                lines.append(f"{prefix}{shown}: []")
        else:
            lines.append(f"{prefix}{shown}: {_scalar(value, written)}")
        prefix = indent


def _sequence(items: list[Any], indent: str, lines: list[str], written: dict[str, str]) -> None:
    for item in items:
        if isinstance(item, dict):
            if item:
                _mapping(item, indent + "  ", indent + "- ", lines, written)
            else:
                lines.append(f"{indent}- {{}}")
        else:
            lines.append(f"{indent}- {_scalar(item, written)}")
