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

# Plain in block context and read back as a string: starts with a letter or "_" (or a
# count like "2 x ", which no number, date or boolean pattern matches), then characters
# that are no indicator anywhere but at the start, no ": " nor " #", no trailing space.
# Everything else asks PyYAML's analysis.
_INNER = r'-A-Za-z0-9_./()>,;=+\[\]"'
_SURELY_PLAIN = re.compile(rf"(?:[0-9]+ x )?[A-Za-z_](?:[{_INNER} ]*[{_INNER}])?")
#: Words the YAML 1.1 resolver reads as booleans or null (the rest of the pattern above
#: never resolves to a number or timestamp: those start with a digit, sign or dot).
_NOT_STRINGS = frozenset(
    ("yes", "Yes", "YES", "no", "No", "NO", "true", "True", "TRUE", "false", "False",
     "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL")
)  # fmt: skip
_PRINTABLE = re.compile(r"[\x20-\x7e]+")
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
        #: A string as written when nothing folds it: plain, or single-quoted.
        self._written: dict[str, str] = {}
        #: The same for keys, which are checked once to be ones PyYAML writes as `key:`.
        self._keys: dict[str, str] = {}
        self._analyzer = Emitter(io.StringIO(), allow_unicode=True)
        self._resolver = Resolver()

    def mapping(self, data: dict[str, Any], indent: int, first: str | None) -> None:
        out = self.out
        written = self._written
        width = self.width
        pad = " " * indent
        keys = self._keys
        try:
            items = sorted(data.items())  # keys are unique: values are never compared
        except TypeError:
            raise _Unsupported from None  # keys of mixed types
        for key, value in items:
            # Keys are never folded.
            head = f"{pad if first is None else first}{keys.get(key) or self.key(key)}:"
            first = None
            kind = type(value)
            if kind is str:
                text = written.get(value) or self.written(value)
                if len(head) + 1 + len(text) > width and " " in value:
                    text = _fold(value, len(head) + 1, indent + 2, width, quoted=text[0] == "'")
                out.append(f"{head} {text}\n")
            elif kind is dict:
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
                out.append(f"{head} {_other(value)}\n")

    def sequence(self, items: list[Any], indent: int) -> None:
        out = self.out
        dash = " " * indent + "- "
        for item in items:
            kind = type(item)
            if kind is str:
                text = self._written.get(item) or self.written(item)
                if indent + 2 + len(text) > self.width and " " in item:
                    text = _fold(item, indent + 2, indent + 2, self.width, quoted=text[0] == "'")
                out.append(f"{dash}{text}\n")
            elif kind is dict:
                if item:
                    self.mapping(item, indent + 2, dash)
                else:
                    out.append(dash + "{}\n")
            elif kind is list:
                raise _Unsupported
            else:
                out.append(f"{dash}{_other(item)}\n")

    def key(self, text: Any) -> str:
        if type(text) is not str or not text or len(text) >= _SIMPLE_KEY_LIMIT:
            raise _Unsupported  # PyYAML writes the long and empty ones as `? key`
        result = self._keys[text] = self._written.get(text) or self.written(text)
        return result

    def written(self, text: str) -> str:
        result = self._written[text] = (
            text if self._style(text) == "plain" else "'" + text.replace("'", "''") + "'"
        )
        return result

    def _style(self, text: str) -> str:
        if _SURELY_PLAIN.fullmatch(text) and text not in _NOT_STRINGS:
            return "plain"
        if not text:
            return "single"
        if _PRINTABLE.fullmatch(text) and (": " in text or " #" in text):
            # Printable ASCII on one line may always be single-quoted, and ": " or " #"
            # rule out plain in block context.
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


def _other(value: Any) -> str:
    """A scalar that is not a string, as PyYAML's safe representer writes it."""
    kind = type(value)
    if kind is bool:
        return "true" if value else "false"
    if kind is int:
        return str(value)
    if value is None:
        return "null"
    raise _Unsupported


def _fold(text: str, column: int, indent: int, width: int, *, quoted: bool) -> str:
    """PyYAML's ``write_plain`` / ``write_single_quoted`` for a one-line string.

    A single space is turned into a line break (then ``indent`` spaces) when the line
    is already past ``width``; longer runs of spaces never are, nor (quoted) a space
    at either end of the text. Escaping quotes changes no space, so it is done first.
    """
    if quoted:
        text = text.replace("'", "''")
        column += 1
    parts: list[str] = ["'"] if quoted else []
    end = len(text)
    start = 0  # where the current output line's part of ``text`` starts
    space = text.find(" ")
    while space != -1:
        after = space + 1
        while after < end and text[after] == " ":
            after += 1
        edge = quoted and (space == 0 or after == end)
        if after - space == 1 and column + (space - start) > width and not edge:
            parts.append(text[start:space])
            parts.append("\n" + " " * indent)
            column, start = indent, after
        space = text.find(" ", after)
    parts.append(text[start:])
    if quoted:
        parts.append("'")
    return "".join(parts)
