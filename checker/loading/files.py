"""Finding manifest files and reading them safely: bounded size, text only."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterable
from pathlib import Path

from checker.core.errors import InputError, Problem
from checker.core.location import Location

SUFFIXES = (".yaml", ".yml", ".toml", ".json")
#: Over three times a 100,000-service manifest (17.5 MiB of JSON); a stray 100 MB dump is
#: refused at once instead of being parsed for seconds.
MAX_FILE_BYTES = int(os.environ.get("RESILINT_MAX_FILE_BYTES", 64 * 1024 * 1024))
#: Files that configure resilint itself, never manifests, when met while walking a directory.
CONFIG_FILE_NAMES = frozenset(
    {
        "resilint.toml",
        ".resilint.toml",
        "pyproject.toml",
        ".pre-commit-config.yaml",
        ".pre-commit-hooks.yaml",
    }
)


def display_path(path: Path) -> str:
    """A path as findings show it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # outside; or a symlink loop (Python < 3.13
        return path.as_posix()  # raises RuntimeError for it, later versions OSError)


def discover(paths: Iterable[Path], skip: frozenset[Path] = frozenset()) -> list[Path]:
    """Expand directories into the manifest files they hold, in a stable order.

    Hidden folders and resilint's own config files are skipped inside directories;
    a file named explicitly is always taken.
    """
    found: list[Path] = []
    problems: list[Problem] = []
    for path in paths:
        if path.is_dir():
            found.extend(_walk(path, skip))
        elif path.is_file() or path.exists():
            found.append(path)
        elif path.is_symlink():
            problems.append(Problem(_bad_link(path), Location(str(path))))
        else:
            problems.append(Problem(f"no such file or directory: {path}", Location(str(path))))
    if problems:
        raise InputError(problems)
    unique: dict[Path, None] = {}
    for path in found:
        unique.setdefault(real_path(path), None)
    return [Path(os.path.relpath(p)) if _is_below_cwd(p) else p for p in unique]


def real_path(path: Path) -> Path:
    """The absolute path with symbolic links followed, for comparing paths.

    Unlike ``Path.resolve`` on Python < 3.13, it never raises on a symlink loop (the
    loop is left as it is: reading the file then reports it).
    """
    return Path(os.path.realpath(path))


def _bad_link(path: Path) -> str:
    """Why a symbolic link leads nowhere: a loop, or a missing target."""
    try:
        path.stat()
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"symbolic link loop: {path} leads back to itself"
    return f"broken symbolic link: {path} points to a file that does not exist"


def _is_below_cwd(path: Path) -> bool:
    try:
        path.relative_to(Path.cwd().resolve())
    except ValueError:
        return False
    return True


def _walk(root: Path, skip: frozenset[Path]) -> list[Path]:
    result: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            if name.startswith(".") or name in CONFIG_FILE_NAMES:
                continue
            if not name.endswith(SUFFIXES):
                continue
            path = Path(dirpath, name)
            if path.resolve() not in skip:
                result.append(path)
    return result


def read_text(path: Path, shown: str) -> str:
    """Read a file as UTF-8 text, refusing huge, binary or undecodable files."""
    where = Location(shown)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise InputError(
                f"file is {size / 1_048_576:.1f} MiB, above the {MAX_FILE_BYTES // 1_048_576} MiB "
                "limit for one input file (set RESILINT_MAX_FILE_BYTES to raise it)",
                where,
            )
        with path.open("rb") as stream:
            raw = stream.read(MAX_FILE_BYTES + 1)
    except IsADirectoryError:
        raise InputError("is a directory, expected a file", where) from None
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", where) from None
    nul = raw.find(b"\x00", 0, 8192)
    if nul != -1:
        line = raw.count(b"\n", 0, nul) + 1
        raise InputError("this is a binary file, not YAML, TOML or JSON", Location(shown, line, 1))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise InputError(
            "not valid UTF-8 text (is this a binary file?)", Location(shown, line, column)
        ) from None
    return text.removeprefix("\ufeff")
