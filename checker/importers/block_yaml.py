"""Block YAML for imported manifests, byte-identical to PyYAML's, about 30x faster.

:func:`checker.importers.common.render_manifest` writes with ``yaml.dump`` (safe
dumper, block style, sorted keys, ``width=100``, ``allow_unicode``). PyYAML's pure
Python emitter needs over ten seconds for 30,000 imported hosts, which alone would
break the importers' budget (an import takes at most 3x a plain parse of its input,
docs/importing.md). Imported manifests are plain trees of dicts, lists, strings, ints
and booleans, so this writes them directly, asking PyYAML only how to quote the odd
string (once per distinct string). Whatever it cannot prove it writes exactly as
PyYAML would (a float, a non-string key, a string long enough to be folded) makes
:func:`dump_block_yaml` return ``None``, and the caller falls back to ``yaml.dump``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import yaml

#: The line width render_manifest asks PyYAML for: plain or quoted scalars with spaces
#: are folded at a space once the line is past it.
WIDTH = 100
#: Strings PyYAML writes plain in any block context, provided its resolver reads them
#: back as strings (``yes``, ``0x1f``, ``1e3``, ``2021-01-01`` are not).
_SAFE_PLAIN = re.compile(r"[A-Za-z0-9_./][A-Za-z0-9_./ -]*[A-Za-z0-9_./-]|[A-Za-z0-9_./]")
_STR_TAG = "tag:yaml.org,2002:str"
#: PyYAML writes a key as a complex key (``? key``) when the key and its tag (``!!str``,
#: counted though never written) reach 128 characters.
_SIMPLE_KEY_LIMIT = 128 - len("!!str")
_resolver = yaml.resolver.Resolver()
#: First characters for which PyYAML has implicit resolvers (``y`` for yes, digits...).
#: A ``None`` key would mean patterns tried on every string: then always ask.
_IMPLICIT_FIRST = _resolver.yaml_implicit_resolvers
_ASK_ALWAYS = None in _IMPLICIT_FIRST


class _Unsupported(Exception):
    """Something this writer does not reproduce exactly; the caller uses PyYAML."""


def dump_block_yaml(data: Mapping[str, Any], dumper: type[yaml.SafeDumper]) -> str | None:
    """``yaml.dump(data, Dumper=dumper, sort_keys=True, default_flow_style=False,
    allow_unicode=True, width=100)``, or ``None`` when it must be asked for."""
    writer = _Writer(dumper)
    try:
        if not data:
            return "{}\n"
        writer.mapping(data, 0, "")
    except (_Unsupported, TypeError):  # TypeError: keys that do not sort
        return None
    return "".join(writer.out)


class _Writer:
    """Writes lines into ``out``. Hot: one call per mapping or sequence, no more."""

    def __init__(self, dumper: type[yaml.SafeDumper]) -> None:
        self.out: list[str] = []
        self._dumper = dumper
        #: Strings as written, for those that can never be folded (no space, not
        #: double-quoted); the others, in ``_folding``, are checked against the width.
        self._values: dict[str, str] = {}
        self._folding: dict[str, str] = {}
        self._keys: dict[str, str] = {}

    def mapping(self, mapping: Mapping[Any, Any], indent: int, first_pad: str) -> None:
        """A non-empty block mapping; its first line starts with ``first_pad``."""
        write = self.out.append
        keys = self._keys
        values = self._values
        pad = " " * indent
        lead = first_pad
        for key in sorted(mapping):
            text = keys.get(key) or self._key(key)
            value = mapping[key]
            kind = type(value)
            if kind is str:
                rendered = values.get(value) or self._string(value, indent + len(text) + 2)
                write(f"{lead}{text}: {rendered}\n")
            elif kind is dict:
                if value:
                    write(f"{lead}{text}:\n")
                    self.mapping(value, indent + 2, pad + "  ")
                else:
                    write(f"{lead}{text}: {{}}\n")
            elif kind is list:
                if value:
                    # A sequence inside a mapping is "indentless": items at the key's column.
                    write(f"{lead}{text}:\n")
                    self.sequence(value, indent, pad)
                else:
                    write(f"{lead}{text}: []\n")
            else:
                write(f"{lead}{text}: {self._scalar(value, indent + len(text) + 2)}\n")
            lead = pad

    def sequence(self, items: list[Any], indent: int, first_pad: str) -> None:
        write = self.out.append
        values = self._values
        pad = " " * indent
        lead = first_pad + "- "
        for item in items:
            kind = type(item)
            if kind is str:
                write(f"{lead}{values.get(item) or self._string(item, indent + 2)}\n")
            elif kind is dict:
                if item:
                    write(lead)
                    self.mapping(item, indent + 2, "")
                else:
                    write(f"{lead}{{}}\n")
            elif kind is list:
                if item:
                    write(lead)
                    self.sequence(item, indent + 2, "")
                else:
                    write(f"{lead}[]\n")
            else:
                write(f"{lead}{self._scalar(item, indent + 2)}\n")
            lead = pad + "- "

    def _string(self, value: str, column: int) -> str:
        """A string not yet known never to fold: render it once, check it every time."""
        text = self._folding.get(value)
        if text is None:
            text = self._render(value, as_key=False)
            if " " in text or text.startswith('"'):
                self._folding[value] = text
            else:
                self._values[value] = text
                return text
        # A scalar with a space (or double-quoted) is folded past the width: leave
        # those few to PyYAML.
        if column + len(text) > WIDTH:
            raise _Unsupported
        return text

    def _scalar(self, value: Any, column: int) -> str:
        kind = type(value)
        if kind is str:
            return self._values.get(value) or self._string(value, column)
        if kind is bool:
            return "true" if value else "false"
        if kind is int:
            return str(value)
        if value is None:
            return "null"
        raise _Unsupported

    def _key(self, key: Any) -> str:
        if type(key) is not str or len(key) >= _SIMPLE_KEY_LIMIT:
            raise _Unsupported  # long keys are written as complex keys, "? ..."
        text = self._keys[key] = self._render(key, as_key=True)
        return text

    def _render(self, text: str, *, as_key: bool) -> str:
        if _SAFE_PLAIN.fullmatch(text) and _plain_is_string(text):
            return text
        return _ask_pyyaml(text, as_key, self._dumper)


def _plain_is_string(text: str) -> bool:
    # The resolver only tries patterns registered for the first character (most ids
    # start with none of them); asking it costs more than the rest of a line.
    if not _ASK_ALWAYS and text[0] not in _IMPLICIT_FIRST:
        return True
    resolve: Callable[..., str] = _resolver.resolve
    return resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG


def _ask_pyyaml(text: str, as_key: bool, dumper: type[yaml.SafeDumper]) -> str:
    """How PyYAML writes ``text`` as a simple key or a block value (never folded here)."""
    dump: Callable[..., str] = yaml.dump
    if as_key:
        written = dump({text: 0}, Dumper=dumper, allow_unicode=True, width=WIDTH)
        rendered, sep, rest = written.rpartition(": 0\n")
        if not sep or rest or rendered.startswith("? ") or "\n" in rendered:
            raise _Unsupported
        return rendered
    written = dump({"k": text}, Dumper=dumper, allow_unicode=True, width=1 << 30)
    rendered = written[len("k: ") : -1]
    if not written.startswith("k: ") or "\n" in rendered:
        raise _Unsupported
    return rendered
