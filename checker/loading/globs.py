"""Glob patterns for paths, as ruff and yamllint users write them (docs/commands.md).

- ``*`` matches within one path segment, ``?`` one character, ``[abc]`` a class;
- ``**`` matches any number of segments (``infra/**/*.yaml``);
- a pattern without ``/`` matches a file or directory name anywhere (``*.sarif``,
  ``node_modules``); a pattern with ``/`` matches the path relative to the directory
  the pattern was written for (the config file's, or the working directory's);
- a pattern matching a directory matches everything below it.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path, PurePosixPath

GLOB_CHARACTERS = frozenset("*?[")


def is_glob(text: str) -> bool:
    return any(c in GLOB_CHARACTERS for c in text)


@functools.cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(_translate(pattern) + r"\Z")


def _translate(pattern: str) -> str:
    parts: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            parts.append("(?:[^/]*/)*")
            index += 3
            continue
        if pattern.startswith("**", index):
            parts.append(".*")
            index += 2
            continue
        if char == "*":
            parts.append("[^/]*")
        elif char == "?":
            parts.append("[^/]")
        elif char == "[":
            # As fnmatch reads a class: a ``]`` first (after an optional ``!``) is a
            # member, and a ``[`` with no closing ``]`` is itself.
            start = index + 1
            if pattern[start : start + 1] == "!":
                start += 1
            if pattern[start : start + 1] == "]":
                start += 1
            end = pattern.find("]", start)
            if end == -1:
                parts.append(re.escape(char))
            else:
                parts.append(_char_class(pattern[index + 1 : end]))
                index = end
        else:
            parts.append(re.escape(char))
        index += 1
    return "".join(parts)


def _char_class(body: str) -> str:
    """A glob class (what is between the brackets) as the regex fnmatch makes of it:
    ranges, ``!``, a reversed range (which matches nothing) and escapes exactly as
    Python's own globs read them."""
    translated = fnmatch.translate(f"[{body}]")  # "(?s:" + the class + ")" + end anchor
    return translated[len("(?s:") : translated.rindex(")")]


def pattern_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot be used (a class with a reversed range such as ``[z-a]``)."""
    try:
        re.compile(_translate(pattern.strip().removeprefix("./").rstrip("/").lstrip("/")))
    except re.error as error:
        return f"bad pattern {pattern!r}: {error.msg}"
    return None


class Patterns:
    """Patterns written for ``base``; ``matches(path)`` for paths anywhere."""

    def __init__(self, patterns: Sequence[str], base: Path) -> None:
        cleaned = [p.strip().removeprefix("./").rstrip("/") for p in patterns if p.strip()]
        names = [p for p in cleaned if "/" not in p]
        # Every walk matches names against a few dozen patterns (the files and folders it
        # never reads), most of them plain names: those are looked up in a set and the
        # others compiled into one regex, not one each (5 ms of start-up otherwise).
        self._plain_names = frozenset(p for p in names if not is_glob(p))
        wild = [_translate(p) + r"\Z" for p in names if is_glob(p)]
        self._wild_names = re.compile("|".join(f"(?:{w})" for w in wild)) if wild else None
        self._paths = [_compile(p.lstrip("/")) for p in cleaned if "/" in p]
        self._base = os.path.normpath(Path(base).absolute())

    def __bool__(self) -> bool:
        return bool(self._plain_names or self._wild_names or self._paths)

    @property
    def has_paths(self) -> bool:
        """Some pattern holds a ``/``: a name alone cannot decide."""
        return bool(self._paths)

    def matches_name(self, name: str) -> bool:
        if name in self._plain_names:
            return True
        return self._wild_names is not None and self._wild_names.match(name) is not None

    def matches(self, path: Path) -> bool:
        """Whether ``path`` (a file or directory) or one of the directories above it matches."""
        if self.matches_name(path.name):
            return True
        if not self._paths:
            return False
        relative = os.path.relpath(os.path.normpath(path.absolute()), self._base)
        if relative.startswith(".."):
            return False
        posix = PurePosixPath(Path(relative).as_posix())
        candidates = [posix, *posix.parents][:-1]  # the path and each directory above it
        return any(p.match(str(c)) for c in candidates for p in self._paths)

    def matches_any_name(self, names: Iterable[str]) -> bool:
        return any(self.matches_name(name) for name in names)


def expand(pattern: str, base: Path) -> list[Path]:
    """The existing paths matching ``pattern`` (relative to ``base``), sorted, hidden ones left out.

    Paths are returned as written: relative patterns give paths joined to ``base``.
    """
    import glob  # lazy: only for paths written as globs

    root = pattern if Path(pattern).is_absolute() else str(base / pattern)
    # Path.glob takes no absolute pattern and no pattern reaching above its directory.
    found = glob.glob(root, recursive=True)  # noqa: PTH207
    return [Path(p) for p in sorted(found)]
