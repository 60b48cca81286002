"""Block YAML for plain data, byte for byte what PyYAML's safe dumper writes, ~20x faster.

An import of 100,000 objects writes tens of thousands of entities; PyYAML's emitter
(pure Python, one event per node) took 0.7 ms per entity, more than parsing the input
and mapping it together. This writer covers what manifests hold: dicts with string
keys (sorted), lists, strings, integers, booleans and null, written in block style
with PyYAML's indentation and its line folding at the given width. Each string gets
the style PyYAML would choose (plain, else single-quoted), from a quick test for the
common case and PyYAML's own analysis otherwise. Anything else (floats, lists in
lists, double-quoted or multi-line strings, keys of 123 characters or more) returns
``None`` so the caller dumps with PyYAML; a property test holds the two to the same
output (docs/importing.md).
"""

from __future__ import annotations

import io
import re
from typing import Any

import yaml
from yaml.emitter import Emitter
from yaml.resolver import Resolver

# Plain in block context and read back as a string: starts with a letter or "_", then
# characters that are no indicator anywhere but at the start, no ": " nor " #", no
# trailing space. Everything else asks PyYAML's analysis.
_INNER = r'-A-Za-z0-9_./()>,;=+\[\]"'
_SURELY_PLAIN = re.compile(rf"[A-Za-z_](?:[{_INNER} ]*[{_INNER}])?")
#: Words the YAML 1.1 resolver reads as booleans or null (the rest of the pattern above
#: never resolves to a number or timestamp: those start with a digit, sign or dot).
_NOT_STRINGS = frozenset(
    ("yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
     "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL")
)  # fmt: skip
_SPACES = re.compile(r"( +)")
_STR_TAG = "tag:yaml.org,2002:str"
#: PyYAML writes a key as ``? key`` from 128 characters, its tag (``!!str``) included.
_SIMPLE_KEY_LIMIT = 128 - len("!!str")


class _Unsupported(Exception):
    """Something only PyYAML should write."""


def dump_block_yaml(data: dict[str, Any], width: int = 100) -> str | None:
    """``yaml.dump(data, Dumper=SafeDumper-without-aliases, sort_keys=True,
    default_flow_style=False, allow_unicode=True, width=width)``, or ``None``."""
    if type(data) is not dict or not data:
        return None
    writer = _Writer(width)
    try:
        writer.mapping(data, 0, None)
    except _Unsupported:
        return None
    return "".join(writer.out)


class _Writer:
    def __init__(self, width: int) -> None:
        self.width = width
        self.out: list[str] = []
        self._styles: dict[str, str] = {}
        self._analyzer = Emitter(io.StringIO(), allow_unicode=True)
        self._resolver = Resolver()

    def mapping(self, data: dict[str, Any], indent: int, first: str | None) -> None:
        out = self.out
        pad = " " * indent
        for key in sorted(data):
            if type(key) is not str:
                raise _Unsupported
            head = f"{first if first is not None else pad}{self.key(key)}:"
            first = None
            value = data[key]
            kind = type(value)
            if kind is dict:
                if value:
                    out.append(head + "\n")
                    self.mapping(value, indent + 2, None)
                else:
                    out.append(head + " {}\n")
            elif kind is list:
                if value:
                    out.append(head + "\n")
                    self.sequence(value, indent)
                else:
                    out.append(head + " []\n")
            else:
                out.append(f"{head} {self.scalar(value, len(head) + 1, indent + 2)}\n")

    def sequence(self, items: list[Any], indent: int) -> None:
        out = self.out
        dash = " " * indent + "- "
        for item in items:
            kind = type(item)
            if kind is dict:
                if item:
                    self.mapping(item, indent + 2, dash)
                else:
                    out.append(dash + "{}\n")
            elif kind is list:
                raise _Unsupported
            else:
                out.append(f"{dash}{self.scalar(item, indent + 2, indent + 2)}\n")

    def key(self, text: str) -> str:
        if not text or len(text) >= _SIMPLE_KEY_LIMIT:
            raise _Unsupported  # PyYAML writes these as `? key`
        # Keys are never folded.
        return text if self.style(text) == "plain" else "'" + text.replace("'", "''") + "'"

    def scalar(self, value: Any, column: int, indent: int) -> str:
        kind = type(value)
        if kind is str:
            return self.string(value, column, indent)
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return str(value)
        if value is None:
            return "null"
        raise _Unsupported

    def string(self, text: str, column: int, indent: int) -> str:
        if self.style(text) == "plain":
            if column + len(text) <= self.width or " " not in text:
                return text
            return _fold(text, column, indent, self.width, quoted=False)
        quoted = text.replace("'", "''")
        if column + len(quoted) + 2 <= self.width or " " not in text:
            return f"'{quoted}'"
        return _fold(text, column, indent, self.width, quoted=True)

    def style(self, text: str) -> str:
        style = self._styles.get(text)
        if style is None:
            style = self._styles[text] = self._choose(text)
        return style

    def _choose(self, text: str) -> str:
        if _SURELY_PLAIN.fullmatch(text) and text not in _NOT_STRINGS:
            return "plain"
        if not text:
            return "single"
        # What PyYAML's serializer and Emitter.choose_scalar_style decide in block context.
        analysis = self._analyzer.analyze_scalar(text)
        if analysis.multiline:
            raise _Unsupported
        tag = self._resolver.resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
        implicit = tag == _STR_TAG
        if implicit and analysis.allow_block_plain:
            return "plain"
        if analysis.allow_single_quoted:
            return "single"
        raise _Unsupported


def _fold(text: str, column: int, indent: int, width: int, *, quoted: bool) -> str:
    """PyYAML's ``write_plain`` / ``write_single_quoted`` for a one-line string.

    A single space is turned into a line break (then ``indent`` spaces) when the line
    is already past ``width``; longer runs of spaces never are, nor (quoted) a space
    at either end of the text.
    """
    parts: list[str] = []
    if quoted:
        parts.append("'")
        column += 1
    position = 0
    for token in _SPACES.split(text):
        if not token:
            continue
        if token[0] == " ":
            at_end = position + len(token) == len(text)
            edge = quoted and (position == 0 or at_end)
            if len(token) == 1 and column > width and not edge:
                parts.append("\n" + " " * indent)
                column = indent
            else:
                parts.append(token)
                column += len(token)
        else:
            written = token.replace("'", "''") if quoted else token
            parts.append(written)
            column += len(written)
        position += len(token)
    if quoted:
        parts.append("'")
    return "".join(parts)
