"""Read one file of any supported format into a :class:`Document`."""

from __future__ import annotations

from pathlib import Path

from checker.core.errors import InputError
from checker.core.location import Location
from checker.loading.document import Document
from checker.loading.files import display_path, read_text


def parse_file(path: Path, shown: str | None = None) -> Document:
    """Parse a YAML, TOML or JSON file; the suffix decides (unknown suffixes are read as YAML)."""
    shown = shown or display_path(path)
    text = read_text(path, shown)
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
