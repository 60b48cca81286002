"""Configuration: ``[tool.resilint]`` in pyproject.toml, or resilint.toml / .resilint.toml.

Found by walking up from the paths being checked (their deepest common folder; the
working directory when none is given), the first folder holding one winning;
``--config FILE`` overrides the search; command-line flags override the file. Paths
in a config file are relative to the folder that holds it (docs/commands.md,
"Configuration").
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from checker.core.errors import ConfigError, InputError, Problem
from checker.core.findings import SeverityName
from checker.core.location import Location, Pointer
from checker.core.model import DEFAULT_TIERS
from checker.loading.discovery import DEFAULT_INCLUDE, Selection
from checker.loading.document import Document
from checker.loading.files import display_path, read_text, real_path
from checker.loading.globs import pattern_problem
from checker.loading.toml_source import TomlLocator, load_toml_text

CONFIG_NAMES = ("pyproject.toml", "resilint.toml", ".resilint.toml")


class ConfigFile(BaseModel):
    """The keys docs/commands.md lists; anything else is a typo and an error."""

    # Built on first use: a run without a config file never validates one.
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    manifests: list[str] = Field(default_factory=lambda: ["."])
    include: list[str] = Field(default_factory=lambda: list(DEFAULT_INCLUDE))
    exclude: list[str] = []
    policies: list[str] = Field(default_factory=lambda: ["builtin:baseline"])
    disable: list[str] = []
    enable: list[str] = []
    severity: dict[str, SeverityName] = {}
    fail_on: SeverityName = "low"
    tiers: list[str] = Field(default_factory=lambda: list(DEFAULT_TIERS), min_length=1)
    pack_tiers: dict[str, str | list[str]] = {}
    waivers: str | None = None
    baseline: str | None = None
    format: str | list[str] | None = None
    #: Where the html report links a manifest line: ``{path}`` (repo-relative), ``{line}``.
    source_url: str | None = None

    @field_validator("include", "exclude")
    @classmethod
    def _usable_patterns(cls, patterns: list[str]) -> list[str]:
        for pattern in patterns:
            problem = pattern_problem(pattern)
            if problem is not None:
                raise ValueError(problem)
        return patterns

    @field_validator("manifests", "policies", "waivers", "baseline", "format")
    @classmethod
    def _no_nul(cls, value: str | list[str] | None) -> str | list[str] | None:
        # A path with a NUL character cannot name a file: say so here, at its line.
        values = value if isinstance(value, list) else [value]
        if any(item is not None and "\x00" in item for item in values):
            raise ValueError("a path cannot contain a NUL character")
        return value


@dataclass(frozen=True)
class Config:
    """The configuration in effect, with paths resolved against ``base``."""

    values: ConfigFile = field(default_factory=ConfigFile)
    base: Path = field(default_factory=Path.cwd)
    source: Path | None = None
    #: The config file as parsed, to say where a value is written.
    document: Document | None = field(default=None, compare=False, repr=False)

    def where(self, *pointer: str | int) -> Location | None:
        """Where a key (or an item of a list) is written in the config file, if there is one."""
        if self.document is None:
            return None
        return self.document.location(pointer)

    def resolve(self, path: str) -> Path:
        return Path(path) if Path(path).is_absolute() else self.base / path

    @property
    def manifest_paths(self) -> list[Path]:
        return [self.resolve(p) for p in self.values.manifests]

    @property
    def selection(self) -> Selection:
        """What a walk takes: ``include`` and ``exclude``, relative to the config's folder."""
        return Selection.of(self.values.include, self.values.exclude, self.base)


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start``.

    A resilint.toml or .resilint.toml that is there but cannot be read (not a regular
    file, no permission) is still the config: loading it then fails with exit 2, so the
    settings it holds are never silently dropped. A pyproject.toml counts only when it
    holds a ``tool.resilint`` table.
    """
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if not os.path.lexists(candidate):
                continue
            if name == "pyproject.toml" and not _has_tool_section(candidate):
                continue
            return candidate
    return None


def _has_tool_section(path: Path) -> bool:
    try:
        text = read_text(path, str(path))
    except InputError:
        return False  # another tool's file that cannot be read: not resilint's business
    if "resilint" not in text:
        return False
    try:
        data = load_toml_text(text, str(path))
    except InputError:
        return True  # broken, and it mentions resilint: loading it reports where
    tool = data.get("tool")
    return not isinstance(tool, dict) or "resilint" in tool


def load_config(explicit: Path | None = None, start: Path | None = None) -> Config:
    """The config from ``explicit``, or the one found by walking up, or the defaults."""
    config, problems = read_config(explicit, start)
    if problems:
        raise ConfigError(problems)
    return config


def read_config(
    explicit: Path | None = None, start: Path | None = None
) -> tuple[Config, list[Problem]]:
    """The config in effect and every problem with it.

    A key with a wrong value is reported and left at its default, so that the rest of
    the run (policies, manifests) can still report its own problems in the same go.
    """
    path = explicit if explicit is not None else find_config(start or Path.cwd())
    if path is None:
        return Config(base=Path.cwd()), []
    shown = display_path(path)
    fallback = Config(base=real_path(path).parent, source=path)
    try:
        text = read_text(path, shown)
        data: Any = load_toml_text(text, shown)
        base: Pointer = ()
        locator = TomlLocator(text)
        if path.name == "pyproject.toml":
            base = ("tool", "resilint")
            data = _tool_table(data, shown, locator)
    except InputError as error:
        return fallback, list(error.problems)
    document = Document(shown, data, locator)
    located = Document(shown, data, _Prefixed(document, base))
    problems: list[Problem] = []
    try:
        values = ConfigFile.model_validate(data)
    except ValidationError as error:
        from checker.loading.problems import problems_from_validation  # lazy: errors only

        keys: Sequence[str] = tuple(ConfigFile.model_fields)
        problems.extend(
            problems_from_validation(error, located, lambda pointer: keys if not pointer else ())
        )
        # What is wrong takes its default; what is right still counts.
        wrong = {e["loc"][0] for e in error.errors() if e["loc"]}
        kept = {k: v for k, v in data.items() if k not in wrong and k in ConfigFile.model_fields}
        try:
            values = ConfigFile.model_validate(kept)
        except ValidationError:  # pragma: no cover - each kept key validated on its own
            values = ConfigFile()
    config = Config(values=values, base=real_path(path).parent, source=path, document=located)
    outside = paths_outside(config, located)
    if outside:
        # Nothing outside the repository is read, not even to report more problems.
        return Config(base=config.base, source=path, document=located), [*problems, *outside]
    return config, problems


def repository_of(directory: Path) -> Path:
    """The git work tree holding ``directory`` (a ``.git`` dir or file), else ``directory``."""
    for candidate in (directory, *directory.parents):
        if (candidate / ".git").exists():
            return candidate
    return directory


def paths_outside(config: Config, located: Document) -> list[Problem]:
    """Paths the config names that lead out of its repository (docs/security.md).

    A config file arrives with the code it checks, so it may name only files inside
    that code: a pull request cannot make the gate read ``/etc`` or a runner's home
    directory, nor write a report over a file elsewhere. Paths given on the command
    line are not limited.
    """
    boundary = os.path.realpath(repository_of(config.base))
    values = config.values
    named: list[tuple[Pointer, str, Path]] = [
        *((("manifests", i), p, config.resolve(p)) for i, p in enumerate(values.manifests)),
        *(
            (("policies", i), p, config.resolve(p))
            for i, p in enumerate(values.policies)
            if not p.startswith("builtin:")
        ),
        *((("waivers",), p, config.resolve(p)) for p in [values.waivers] if p),
        *((("baseline",), p, config.resolve(p)) for p in [values.baseline] if p),
    ]
    formats = [values.format] if isinstance(values.format, str) else values.format or []
    for index, spec in enumerate(formats):
        target = spec.partition("=")[2]
        pointer: Pointer = ("format",) if isinstance(values.format, str) else ("format", index)
        if target:  # like -f NAME=PATH, relative to the working directory
            named.append((pointer, target, Path(target)))
    problems = []
    for pointer, value, path in named:
        resolved = os.path.realpath(path)
        if os.path.commonpath([boundary, resolved]) != boundary:
            message = (
                f"{pointer[0]}: {value!r} leads outside the repository "
                f"{display_path(Path(boundary))!r}: a config file names only paths inside it "
                "(give this one on the command line instead)"
            )
            problems.append(Problem(message, located.location(pointer)))
    return problems


def _tool_table(data: dict[str, Any], shown: str, locator: TomlLocator) -> Any:
    """``[tool.resilint]`` of a pyproject.toml; ``tool`` or ``resilint`` not a table is an error."""
    table: Any = data
    for depth, key in enumerate(("tool", "resilint"), start=1):
        table = table.get(key, {})
        if not isinstance(table, dict):
            pointer = ("tool", "resilint")[:depth]
            line, column = locator.locate(pointer)
            raise ConfigError(
                f"{'.'.join(pointer)} must be a table, got {type(table).__name__} {_short(table)}",
                Location(shown, line, column),
            )
    return table


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class _Prefixed:
    """Locates config keys inside ``[tool.resilint]`` of a pyproject.toml."""

    def __init__(self, document: Document, prefix: Pointer) -> None:
        self._document = document
        self._prefix = prefix

    def locate(self, pointer: Pointer) -> tuple[int, int]:
        return self._document.locator.locate(self._prefix + pointer)
