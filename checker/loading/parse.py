"""Read one file of any supported format into a :class:`Document`."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from checker.core.errors import InputError
from checker.core.location import Location
from checker.loading.document import Document
from checker.loading.files import display_path, read_text
from checker.loading.json_source import Vouch, parse_json
from checker.loading.toml_source import parse_toml
from checker.loading.yaml_source import parse_yaml

#: File suffix -> parser of its text (unknown suffixes are refused; no suffix is YAML).
PARSERS: dict[str, Callable[[str, str], Document]] = {
    ".json": parse_json,
    ".toml": parse_toml,
    ".yaml": parse_yaml,
    ".yml": parse_yaml,
    "": parse_yaml,
}


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while millions of acyclic objects are built.

    Parsing a large file creates a node or value per scalar; each collection pass
    re-scans all of them for nothing (a 100,000-service YAML file takes ten times
    longer with the collector on). Reference counting still frees everything.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def parse_file(path: Path, shown: str | None = None, vouch: Vouch | None = None) -> Document:
    """Parse a YAML, TOML or JSON file; the suffix decides. ``vouch``: see
    :func:`~checker.loading.json_source.parse_json` (JSON only)."""
    shown = shown or display_path(path)
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        raise InputError(
            f"unsupported file type {path.suffix!r}: expected .yaml, .yml, .toml or .json",
            Location(shown),
        )
    text = read_text(path, shown)
    with gc_paused():
        if parser is parse_json and vouch is not None:
            return parse_json(text, shown, vouch)
        return parser(text, shown)
