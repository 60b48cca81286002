"""Read one file of any supported format into a :class:`Document`."""

from __future__ import annotations

import gc
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from checker.core.errors import InputError
from checker.core.location import Location
from checker.loading.document import Document
from checker.loading.files import display_path, read_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from checker.loading.json_source import Vouch

#: File suffix -> "module:function" parsing its text (unknown suffixes are refused; no
#: suffix is YAML). Imported on first use: a run reads one or two of the formats, and
#: PyYAML alone takes longer to import than a small manifest takes to check.
PARSERS: dict[str, str] = {
    ".json": "checker.loading.json_source:parse_json",
    ".toml": "checker.loading.toml_source:parse_toml",
    ".yaml": "checker.loading.yaml_source:parse_yaml",
    ".yml": "checker.loading.yaml_source:parse_yaml",
    "": "checker.loading.yaml_source:parse_yaml",
}


def parser_for(suffix: str) -> Callable[[str, str], Document]:
    """The parser of files with ``suffix`` (a key of :data:`PARSERS`)."""
    module, _, name = PARSERS[suffix].partition(":")
    parser: Callable[[str, str], Document] = getattr(importlib.import_module(module), name)
    return parser


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
    suffix = path.suffix.lower()
    if suffix not in PARSERS:
        raise InputError(
            f"unsupported file type {path.suffix!r}: expected .yaml, .yml, .toml or .json",
            Location(shown),
        )
    text = read_text(path, shown)
    parser = parser_for(suffix)
    with gc_paused():
        if vouch is not None and suffix == ".json":
            from checker.loading.json_source import parse_json  # loaded by parser_for

            return parse_json(text, shown, vouch)
        return parser(text, shown)
