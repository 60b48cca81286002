"""Finding manifest files and reading them safely: bounded size, regular files, text only.

Reading never blocks and never fails open (docs/security.md): a FIFO, socket or
device named as an input is an error, never opened in a way that could wait for a
writer; directory walks are in :mod:`checker.loading.walk`.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from checker.core.errors import InputError, UsageError
from checker.core.location import Location
from checker.loading.walk import file_kind

SUFFIXES = (".yaml", ".yml", ".toml", ".json")
#: Over three times a 100,000-service manifest (17.5 MiB of JSON); a stray 100 MB dump is
#: refused at once instead of being parsed for seconds. RESILINT_MAX_FILE_BYTES overrides it.
MAX_FILE_BYTES = 64 * 1024 * 1024
#: Opening never waits (a FIFO without a writer) nor adopts a terminal.
_OPEN_FLAGS = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def max_file_bytes() -> int:
    """The size limit for one input file: RESILINT_MAX_FILE_BYTES, else :data:`MAX_FILE_BYTES`."""
    raw = os.environ.get("RESILINT_MAX_FILE_BYTES")
    if raw is None or not raw.strip():
        return MAX_FILE_BYTES
    try:
        value = int(raw.strip())
    except ValueError:
        value = 0
    if value < 1:
        raise UsageError(
            f"RESILINT_MAX_FILE_BYTES must be a positive whole number of bytes, got {raw!r}"
        )
    return value


def display_path(path: Path) -> str:
    """A path as findings show it: relative to the working directory when inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError, RuntimeError):  # outside; or a symlink loop (Python < 3.13
        return path.as_posix()  # raises RuntimeError for it, later versions OSError)


def real_path(path: Path) -> Path:
    """The absolute path with symbolic links followed, for comparing paths.

    Unlike ``Path.resolve`` on Python < 3.13, it never raises on a symlink loop (the
    loop is left as it is: reading the file then reports it).
    """
    return Path(os.path.realpath(path))


def as_given(path: Path) -> str:
    """Like :func:`display_path` without following links: a message names the link itself."""
    absolute = Path(os.path.abspath(path))  # noqa: PTH100 - resolve() would follow the link
    try:
        return absolute.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()


def missing_message(path: Path, error: OSError | ValueError) -> str:
    """Why ``path`` cannot be used as an input, in words (no position: there is no file)."""
    if isinstance(error, ValueError):
        return f"not a usable path (it contains a NUL character): {path}"
    if error.errno == errno.ELOOP:
        return f"symbolic link loop: {path}"
    if error.errno in (errno.ENOENT, errno.ENOTDIR):
        return f"no such file or directory: {path}"
    return f"cannot read {path}: {error.strerror or error}"


def _megabytes(size: int, whole: bool = False) -> str:
    if whole and size % 1_048_576 == 0:
        return f"{size // 1_048_576} MiB"
    return f"{size / 1_048_576:.1f} MiB" if size >= 104_858 else f"{size} bytes"


def read_bytes(path: Path, shown: str) -> bytes:
    """The content of a regular file, at most the size limit; anything else is an InputError."""
    where = Location(shown)
    limit = max_file_bytes()
    try:
        before = path.stat()
        if not stat.S_ISREG(before.st_mode):
            raise InputError(_not_regular(before.st_mode), where)
        descriptor = os.open(path, _OPEN_FLAGS)
    except ValueError:
        raise InputError("not a usable path (it contains a NUL character)", where) from None
    except OSError as error:
        raise InputError(f"cannot read file: {error.strerror or error}", where) from None
    with os.fdopen(descriptor, "rb") as stream:
        try:
            # Checked again on what was opened: the name may have been swapped since.
            status = os.fstat(descriptor)
            if not stat.S_ISREG(status.st_mode):
                raise InputError(_not_regular(status.st_mode), where)
            if status.st_size > limit:
                raise InputError(_too_big(status.st_size, limit), where)
            raw = stream.read(limit + 1)
        except OSError as error:
            raise InputError(f"cannot read file: {error.strerror or error}", where) from None
    if len(raw) > limit:  # it grew while being read
        raise InputError(_too_big(len(raw), limit), where)
    return raw


def _not_regular(mode: int) -> str:

    if stat.S_ISDIR(mode):
        return "is a directory, expected a file"
    return f"is {file_kind(mode)}, not a regular file: resilint reads only regular files"


def _too_big(size: int, limit: int) -> str:
    return (
        f"file is {_megabytes(size)}, above the {_megabytes(limit, whole=True)} limit for one "
        "input file (set RESILINT_MAX_FILE_BYTES to raise it)"
    )


def read_text(path: Path, shown: str) -> str:
    """Read a file as UTF-8 text, refusing huge, binary, undecodable or special files."""
    raw = read_bytes(path, shown)
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
