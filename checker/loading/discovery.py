"""Which files are manifests: named paths, globs, standard input, and what a walk takes.

The rules, in docs/commands.md ("Which files are read"):

- a file named explicitly (on the command line or in ``manifests``) is always read;
- ``-`` is standard input, shown as ``<stdin>`` in messages;
- a glob (``infra/**/*.yaml``) and a directory select files the same way a walk does:
  files whose name matches ``include`` (default ``*.yaml``, ``*.yml``, ``*.toml``,
  ``*.json``) and nothing matching ``exclude``, outside hidden folders and
  :data:`SKIPPED_DIRECTORIES`, other than :data:`OTHER_FILES` (other tools' files and
  resilint's own reports) and the config, policy, waiver and baseline files in use;
- of those, a file is a manifest when what it holds says so
  (:func:`not_a_manifest`); anything else (``package.json`` under another name,
  a report, a policy) is skipped, and ``-v`` lists what was skipped and why.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from checker.core.errors import InputError, Problem
from checker.core.location import Location
from checker.loading.document import Document
from checker.loading.files import as_given, missing_message
from checker.loading.globs import Patterns, expand, is_glob
from checker.loading.parse import parser_for
from checker.loading.walk import Walker

#: ``-`` as an input path: standard input.
STDIN = Path("-")
STDIN_NAME = "<stdin>"
DEFAULT_INCLUDE = ("*.yaml", "*.yml", "*.toml", "*.json")
#: Folders of other tools' trees that a walk never enters (hidden folders neither).
SKIPPED_DIRECTORIES = (
    "node_modules",
    "bower_components",
    "__pycache__",
    "__pypackages__",
    "site-packages",
    "venv",
)
#: Files a walk never opens: other tools' configuration, and resilint's own reports.
OTHER_FILES = (
    "pyproject.toml",
    "resilint.toml",
    ".resilint.toml",
    ".pre-commit-config.yaml",
    ".pre-commit-hooks.yaml",
    "package.json",
    "package-lock.json",
    "composer.json",
    "tsconfig*.json",
    "jsconfig.json",
    "renovate.json",
    "docker-compose*.yml",
    "docker-compose*.yaml",
    "compose.yml",
    "compose.yaml",
    "compose.*.yml",
    "compose.*.yaml",
    "mkdocs.yml",
    "mkdocs.yaml",
    "Chart.yaml",
    "Cargo.toml",
    "*.sarif",
    "*.sarif.json",
    "gl-code-quality-report.json",
    "codeclimate.json",
)
#: Top-level keys of a manifest file (docs/manifest.md).
MANIFEST_KEYS = frozenset({"$schema", "version", "domains", "services", "extend"})
_SECTIONS = frozenset({"domains", "services", "extend"})
#: Top-level keys that mark resilint's other files: policies, waivers, baselines, reports.
_OTHER_RESILINT_FILES = {
    "rules": "a policy file",
    "waivers": "a waivers file",
    "fingerprints": "a resilint baseline",
    "findings": "a resilint report",
    "runs": "a SARIF log",
    "tool": "a tool's report",
}


@dataclass(frozen=True)
class Selection:
    """What a walk (or a glob) takes: ``include`` and ``exclude`` patterns for ``base``."""

    include: Patterns = field(default_factory=lambda: Patterns(DEFAULT_INCLUDE, Path.cwd()))
    exclude: Patterns = field(default_factory=lambda: Patterns((), Path.cwd()))
    others: Patterns = field(default_factory=lambda: Patterns(OTHER_FILES, Path.cwd()))

    @classmethod
    def of(cls, include: Sequence[str], exclude: Sequence[str], base: Path) -> Selection:
        return cls(
            Patterns(include or DEFAULT_INCLUDE, base),
            Patterns(exclude, base),
            Patterns(OTHER_FILES, base),
        )

    def takes_name(self, name: str) -> bool:
        """A first look at a name met by a walk (:meth:`takes` has the last word)."""
        named = self.include.matches_name(name) or self.include.has_paths
        return named and not self.others.matches_name(name)

    def takes(self, path: Path) -> bool:
        """A file met by a walk or a glob: included by name or path, and not excluded."""
        name = path.name
        included = self.include.matches_name(name) or self.include.matches(path)
        return included and not self.others.matches_name(name) and not self.exclude.matches(path)

    def prunes(self, directory: Path) -> bool:
        return directory.name in SKIPPED_DIRECTORIES or self.exclude.matches(directory)


class Candidate(NamedTuple):
    path: Path
    #: Named explicitly (or standard input): read whatever it holds.
    explicit: bool


def find_candidates(
    paths: Iterable[Path], skip: frozenset[Path] = frozenset(), selection: Selection | None = None
) -> list[Candidate]:
    """The files to read for ``paths``, in a stable order, each once.

    Raises an InputError naming every path that does not exist, every glob that matches
    nothing and everything a walk could not read (it fails closed: docs/security.md).
    """
    chosen = selection or Selection()
    walker = Walker(chosen.takes_name, skip, as_given, chosen.takes, chosen.prunes)
    found: list[Candidate] = []
    for path in paths:
        if path == STDIN:
            found.append(Candidate(STDIN, True))
            continue
        if is_glob(str(path)) and not os.path.lexists(path):
            matched = [p for p in expand(str(path), Path()) if not _hidden(p)]
            if not matched:
                walker.problems.append(
                    Problem(f"no file or directory matches the pattern {str(path)!r}")
                )
            for match in matched:
                if match.is_dir():
                    found.extend(Candidate(p, False) for p in walker.walk_all(match))
                elif chosen.takes(match) and Path(os.path.realpath(match)) not in skip:
                    found.append(Candidate(match, False))
            continue
        try:
            is_directory = stat.S_ISDIR(path.stat().st_mode)
        except (OSError, ValueError) as error:
            walker.problems.append(Problem(missing_message(path, error)))
            continue
        if is_directory:
            found.extend(Candidate(p, False) for p in walker.walk_all(path))
        else:
            found.append(Candidate(path, True))
    if walker.problems:
        raise InputError(walker.problems)
    return _unique(found)


def _hidden(path: Path) -> bool:
    return any(part.startswith(".") and part not in (".", "..") for part in path.parts)


def _unique(found: list[Candidate]) -> list[Candidate]:
    """Each file once (an explicit mention wins), shown relative to the working directory."""
    unique: dict[Path, Candidate] = {}
    cwd = Path.cwd().resolve()
    for candidate in found:
        if candidate.path == STDIN:
            unique.setdefault(STDIN, candidate)
            continue
        real = Path(os.path.realpath(candidate.path))
        try:
            shown = Path(os.path.relpath(real)) if real.is_relative_to(cwd) else real
        except ValueError:
            shown = real
        earlier = unique.get(real)
        if earlier is None or (candidate.explicit and not earlier.explicit):
            unique[real] = Candidate(
                shown, candidate.explicit or bool(earlier and earlier.explicit)
            )
    return list(unique.values())


def not_a_manifest(data: Any) -> str | None:
    """Why a file met by a walk is not a manifest (None when it is one), by its top level.

    A manifest declares ``version`` (a whole number: a wrong one is reported by the
    loader) and holds no key of resilint's other files; one that forgot its ``version``
    still counts when it holds nothing but manifest sections, so that the loader says
    what is missing. Everything else (``{"version": "1.0.0", ...}``, a SARIF log, a
    policy, a list) is another file.
    """
    if not isinstance(data, dict):
        return f"not a manifest: its top level is {_kind_of(data)}, not a mapping"
    keys = data.keys()
    for key, what in _OTHER_RESILINT_FILES.items():
        if key in keys:
            return f"{what}, not a manifest"
    if "version" not in keys:
        if not _SECTIONS.isdisjoint(keys) and keys <= MANIFEST_KEYS:
            return None
    elif type(data["version"]) is int or data["version"] == "1":
        return None
    return "not a manifest: no 'version: 1' at its top level"


def _kind_of(data: Any) -> str:
    if data is None:
        return "empty"
    if isinstance(data, list):
        return "a list"
    return "text" if isinstance(data, str) else f"a {type(data).__name__}"


def read_stdin(limit: int) -> Document:
    """Standard input as a document named ``<stdin>``: JSON if it starts with ``{``, else YAML."""
    stream = sys.stdin
    if stream is None:
        raise InputError("standard input is closed", Location(STDIN_NAME))
    try:
        text = stream.read(limit + 1)
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"cannot read standard input: {error}", Location(STDIN_NAME)) from None
    if len(text) > limit:
        raise InputError(
            "standard input is larger than the limit for one input file "
            "(set RESILINT_MAX_FILE_BYTES to raise it)",
            Location(STDIN_NAME),
        )
    if "\x00" in text[:8192]:
        raise InputError("this is binary data, not YAML or JSON", Location(STDIN_NAME))
    text = text.removeprefix("\ufeff")
    parser = parser_for(".json" if text.lstrip().startswith(("{", "[")) else ".yaml")
    return parser(text, STDIN_NAME)


def discover(paths: Iterable[Path], skip: frozenset[Path] = frozenset()) -> list[Path]:
    """Expand directories into the YAML, TOML and JSON files they hold, in a stable order.

    Walks as a manifest search does (:func:`find_candidates`), without looking inside
    the files; a file named explicitly is always taken.
    """
    return [candidate.path for candidate in find_candidates(paths, skip)]
