"""Walking a manifest directory without failing open, hanging or looping (docs/security.md).

A directory given as input is searched for ``*.yaml``, ``*.yml``, ``*.toml`` and
``*.json`` files, in a stable order (a directory's files, then its subdirectories,
by name). What the walk meets decides what happens:

- hidden entries (``.git``, ``.NAME.resilint-tmp-XXXX`` left by a killed write) and
  resilint's own config files are skipped;
- an entry that cannot be read (a directory without permission, a file that vanished
  mid-walk) is an **error** naming it: a gate that skipped it would pass without
  having looked;
- a symbolic link loop is an error at the link;
- a symbolic link to a manifest file inside the directory is read; one that points
  outside it is an error (the walk reads only what lies inside what it was given;
  name such a file explicitly to read it);
- a symbolic link to a directory is not followed (it would revisit what the walk
  already covers, or lead outside, or loop), and a FIFO, socket or device is never
  opened: both are skipped with a notice on stderr.
"""

from __future__ import annotations

import errno
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

from checker.core.errors import Problem
from checker.core.location import Location

_log = logging.getLogger(__name__)

#: What a special file is called in messages.
_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a directory"),
)


def file_kind(mode: int) -> str:
    """``a named pipe (FIFO)``: what a file that is not a regular file is, for messages."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


class Walker:
    """One walk over directories: what it found and what was wrong, in order."""

    def __init__(
        self,
        is_candidate: Callable[[str], bool],
        skip: frozenset[Path],
        shown: Callable[[Path], str],
        accept: Callable[[Path], bool] | None = None,
        prune: Callable[[Path], bool] | None = None,
    ) -> None:
        self._is_candidate = is_candidate
        self._skip = skip
        self._shown = shown
        #: A last word on a file whose name is a candidate (path patterns: ``exclude``).
        self._accept = accept
        #: Directories not entered (``node_modules``, ``exclude`` patterns).
        self._prune = prune
        self._visited: set[tuple[int, int]] = set()
        self.found: list[Path] = []
        self.problems: list[Problem] = []

    def walk_all(self, root: Path) -> list[Path]:
        """The files one walk of ``root`` takes (also appended to ``found``)."""
        before = len(self.found)
        self.walk(root)
        return self.found[before:]

    def walk(self, root: Path) -> None:
        inside = os.path.realpath(root)
        pending = [root]
        while pending:
            directory = pending.pop()
            subdirectories = self._visit(directory, inside)
            pending.extend(reversed(subdirectories))  # first by name is walked first

    def _problem(self, path: Path | str, message: str) -> None:
        self.problems.append(Problem(message, Location(self._shown(Path(path)))))

    def _visit(self, directory: Path, inside: str) -> list[Path]:
        try:
            status = directory.stat()
            if (status.st_dev, status.st_ino) in self._visited:
                return []  # reached twice (a bind mount): once is enough
            self._visited.add((status.st_dev, status.st_ino))
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda entry: entry.name)
        except OSError as error:
            self._problem(directory, f"cannot read directory: {_reason(error)}")
            return []
        subdirectories: list[Path] = []
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = Path(directory, entry.name)
            try:
                if entry.is_symlink():
                    self._link(path, entry.name, inside)
                    continue
                mode = entry.stat(follow_symlinks=False).st_mode
            except OSError as error:
                self._problem(path, f"cannot read: {_reason(error)}")
                continue
            if stat.S_ISDIR(mode):
                if self._prune is None or not self._prune(path):
                    subdirectories.append(path)
            elif stat.S_ISREG(mode):
                self._take(path, entry.name)
            else:
                _log.warning("skipped %s: it is %s, not a regular file", path, file_kind(mode))
        return subdirectories

    def _link(self, path: Path, name: str, inside: str) -> None:
        try:
            mode = path.stat().st_mode
        except OSError as error:
            if error.errno == errno.ELOOP:
                self._problem(path, "symbolic link loop: the link leads back to itself")
            elif self._is_candidate(name):
                self._problem(path, f"broken symbolic link: {_reason(error)}")
            return
        if stat.S_ISDIR(mode):
            _log.warning("skipped %s: symbolic links to directories are not followed", path)
            return
        if not self._is_candidate(name):
            return
        if not stat.S_ISREG(mode):
            _log.warning("skipped %s: it links to %s, not a regular file", path, file_kind(mode))
            return
        target = os.path.realpath(path)
        if os.path.commonpath([inside, target]) != inside:
            self._problem(
                path,
                f"symbolic link leads outside the directory {self._shown(Path(inside))} being "
                "searched: name the file explicitly to read it",
            )
            return
        self._take(path, name)

    def _take(self, path: Path, name: str) -> None:
        if not self._is_candidate(name) or Path(os.path.realpath(path)) in self._skip:
            return
        if self._accept is None or self._accept(path):
            self.found.append(path)


def _reason(error: OSError) -> str:
    return error.strerror or str(error)
