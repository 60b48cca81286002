"""Configuration: ``[tool.resilint]`` in pyproject.toml, or resilint.toml / .resilint.toml.

Found by walking up from the working directory (the first directory holding one
wins); ``--config FILE`` overrides the search; command-line flags override the file.
Paths in a config file are relative to the directory that holds it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.core.errors import ConfigError, InputError
from checker.core.findings import Severity
from checker.core.location import Pointer
from checker.core.model import DEFAULT_TIERS
from checker.loading.document import Document
from checker.loading.files import display_path, read_text
from checker.loading.problems import problems_from_validation
from checker.loading.toml_source import TomlLocator, load_toml_text

CONFIG_NAMES = ("pyproject.toml", "resilint.toml", ".resilint.toml")


class ConfigFile(BaseModel):
    """The keys docs/commands.md lists; anything else is a typo and an error."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    manifests: list[str] = Field(default_factory=lambda: ["."])
    policies: list[str] = Field(default_factory=lambda: ["builtin:baseline"])
    disable: list[str] = []
    enable: list[str] = []
    severity: dict[str, Severity] = {}
    fail_on: Severity = "low"
    tiers: list[str] = Field(default_factory=lambda: list(DEFAULT_TIERS), min_length=1)
    waivers: str | None = None
    baseline: str | None = None
    format: str | list[str] | None = None
    #: Where the html report links a manifest line: ``{path}`` (repo-relative), ``{line}``.
    source_url: str | None = None


@dataclass(frozen=True)
class Config:
    """The configuration in effect, with paths resolved against ``base``."""

    values: ConfigFile = field(default_factory=ConfigFile)
    base: Path = field(default_factory=Path.cwd)
    source: Path | None = None

    def resolve(self, path: str) -> Path:
        return Path(path) if Path(path).is_absolute() else self.base / path

    @property
    def manifest_paths(self) -> list[Path]:
        return [self.resolve(p) for p in self.values.manifests]


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start``."""
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            if name == "pyproject.toml" and not _has_tool_section(candidate):
                continue
            return candidate
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return "[tool.resilint" in text


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """The config from ``explicit``, or the one found by walking up, or the defaults."""
    path = explicit if explicit is not None else find_config(start or Path.cwd())
    if path is None:
        return Config(base=start or Path.cwd())
    shown = display_path(path)
    try:
        text = read_text(path, shown)
        data: Any = load_toml_text(text, shown)
    except InputError as error:
        raise ConfigError(error.problems) from None
    base: Pointer = ()
    if path.name == "pyproject.toml":
        data = data.get("tool", {}).get("resilint", {})
        base = ("tool", "resilint")
    document = Document(shown, data, TomlLocator(text))
    try:
        values = ConfigFile.model_validate(data)
    except ValidationError as error:
        located = Document(shown, data, _Prefixed(document, base))
        keys: Sequence[str] = tuple(ConfigFile.model_fields)
        raise ConfigError(
            problems_from_validation(error, located, lambda pointer: keys if not pointer else ())
        ) from None
    return Config(values=values, base=path.resolve().parent, source=path)


class _Prefixed:
    """Locates config keys inside ``[tool.resilint]`` of a pyproject.toml."""

    def __init__(self, document: Document, prefix: Pointer) -> None:
        self._document = document
        self._prefix = prefix

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        return self._document.locator.locate(self._prefix + pointer)
