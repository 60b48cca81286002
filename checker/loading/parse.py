"""Read one file of any supported format into a :class:`Document`."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from checker.core.errors import InputError
from checker.core.location import Location
from checker.loading.document import Document
from checker.loading.files import display_path, read_text
from checker.loading.json_source import parse_json
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


def parse_file(path: Path, shown: str | None = None) -> Document:
    """Parse a YAML, TOML or JSON file; the suffix decides."""
    shown = shown or display_path(path)
    parser = PARSERS.get(path.suffix.lower())
    if parser is None:
        raise InputError(
            f"unsupported file type {path.suffix!r}: expected .yaml, .yml, .toml or .json",
            Location(shown),
        )
    return parser(read_text(path, shown), shown)
