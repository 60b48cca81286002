"""Read one file of any supported format into a :class:`Document`."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from checker.core.errors import InputError
from checker.core.location import Location
from checker.loading.document import Document
from checker.loading.files import display_path, read_text


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


def parse_file(path: Path, shown: str | None = None) -> Document:
    """Parse a YAML, TOML or JSON file; the suffix decides (unknown suffixes are read as YAML)."""
    shown = shown or display_path(path)
    text = read_text(path, shown)
    with gc_paused():
        return _parse_text(text, path, shown)


def _parse_text(text: str, path: Path, shown: str) -> Document:
    suffix = path.suffix.lower()
    if suffix == ".json":
        from checker.loading.json_source import parse_json

        return parse_json(text, shown)
    if suffix == ".toml":
        from checker.loading.toml_source import parse_toml

        return parse_toml(text, shown)
    if suffix not in (".yaml", ".yml", ""):
        raise InputError(
            f"unsupported file type {suffix!r}: expected .yaml, .yml, .toml or .json",
            Location(shown),
        )
    from checker.loading.yaml_source import parse_yaml

    return parse_yaml(text, shown)
