"""The one way resilint writes a file: whole or not at all, never over an input.

Every file resilint writes (reports ``-f NAME=PATH``, baselines, ``init``'s files,
``import -o``) goes through :func:`write_atomically` (docs/security.md):

1. the text is rendered and encoded in full before anything is touched, so a
   rendering or encoding error leaves no trace;
2. the target is refused if it is the same file as an input (same device and inode:
   a hard link or a symbolic link to a manifest counts) or if it exists and is not a
   regular file (a FIFO would block, a device would be written to);
3. the bytes go to ``.NAME.resilint-tmp-XXXXXXXX`` in the target's directory (hidden,
   so a manifest search never reads one left by a killed run), are flushed and
   fsync'ed, and the file is renamed over the target with :func:`os.replace`, which
   is atomic: after ``kill -9`` at any moment the target is the old file or the new
   one, never a torn mix;
4. the new file keeps the old one's permission bits, or gets the usual ones (0666
   minus the umask) when it is new; the temporary file is removed on any error.

A symbolic link at the target is replaced, not followed: a link planted where a
report goes cannot redirect the write to another file.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from checker.core.errors import UsageError
from checker.loading.files import display_path
from checker.loading.walk import file_kind

TEMP_MARK = ".resilint-tmp-"


def file_ids(paths: Iterable[Path]) -> dict[tuple[int, int], Path]:
    """(device, inode) -> path for each path that exists (symbolic links followed)."""
    ids: dict[tuple[int, int], Path] = {}
    for path in paths:
        try:
            status = path.stat()
        except (OSError, ValueError):
            continue  # nothing there: nothing to protect
        ids.setdefault((status.st_dev, status.st_ino), path)
    return ids


def refuse_unsafe_target(target: Path, what: str, inputs: Iterable[Path] = ()) -> None:
    """Raise UsageError when writing ``target`` would overwrite an input or a special file.

    ``inputs`` are compared by name (an input that does not exist yet, such as the
    baseline a run is about to write, is still reserved) and by device and inode.
    """
    inputs = list(inputs)
    resolved = os.path.realpath(target)
    same = next((path for path in inputs if os.path.realpath(path) == resolved), None)
    try:
        status = target.stat()
    except FileNotFoundError:
        status = None
    except (OSError, ValueError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise UsageError(f"cannot write {what} to {target}: {reason}") from None
    if same is None and status is not None:
        same = file_ids(inputs).get((status.st_dev, status.st_ino))
    if same is not None:
        _refuse_input(target, what, same)
    if status is None:
        return
    if not stat.S_ISREG(status.st_mode):
        raise UsageError(
            f"refusing to write {what} to {target}: it is {file_kind(status.st_mode)}, "
            "not a regular file"
        )


def _refuse_input(target: Path, what: str, same: Path) -> None:
    shown = display_path(same)
    is_link = target.is_symlink() or shown != display_path(target)
    link = f" (a link to the input {shown})" if is_link else ""
    raise UsageError(f"refusing to write {what} over an input file: {target}{link}")


def write_atomically(
    target: Path,
    text: str,
    what: str,
    inputs: Iterable[Path] = (),
    replace: bool = True,
) -> None:
    """Write ``text`` as UTF-8 to ``target`` in one step (see the module docstring).

    With ``replace=False`` an existing target is an error and is left alone, even if
    it appears while the text is being written.
    """
    # No byte-order mark (GitLab refuses one). Lone surrogates (from file names that are
    # not UTF-8) are written as \\udcXX escapes: valid UTF-8, and valid JSON escapes too.
    data = text.encode("utf-8", errors="backslashreplace")
    refuse_unsafe_target(target, what, inputs)
    if not replace and os.path.lexists(target):
        raise UsageError(f"refusing to write {what}: {target} already exists")
    directory = target.parent
    try:
        directory.mkdir(parents=True, exist_ok=True)
        mode = _mode_for(target)
        descriptor, name = tempfile.mkstemp(
            prefix=f".{target.name[:100]}{TEMP_MARK}", dir=directory
        )
        temporary = Path(name)
    except (OSError, ValueError) as error:
        raise UsageError(f"cannot write {what} to {target}: {_reason(error)}") from None
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fchmod(stream.fileno(), mode)
            os.fsync(stream.fileno())
        if replace:
            temporary.replace(target)
        else:
            _create_from(temporary, target)
    except BaseException as error:
        with contextlib.suppress(OSError):
            temporary.unlink()
        if isinstance(error, FileExistsError):
            raise UsageError(f"refusing to write {what}: {target} already exists") from None
        if isinstance(error, OSError):
            raise UsageError(f"cannot write {what} to {target}: {_reason(error)}") from None
        raise
    _sync_directory(directory)


def _create_from(temporary: Path, target: Path) -> None:
    """Move ``temporary`` to ``target`` only if ``target`` does not exist."""
    try:
        target.hardlink_to(temporary)  # atomic, and fails if the target appeared meanwhile
    except FileExistsError:
        raise
    except OSError:
        # A file system without hard links: check, then rename (a narrow race, no tearing).
        if os.path.lexists(target):
            raise FileExistsError(errno.EEXIST, "File exists", str(target)) from None
        temporary.replace(target)
        return
    temporary.unlink()


def _mode_for(target: Path) -> int:
    """The permission bits of the file being replaced, or 0666 minus the umask."""
    try:
        status = target.lstat()
    except FileNotFoundError:
        status = None
    if status is not None and stat.S_ISREG(status.st_mode):
        return stat.S_IMODE(status.st_mode)
    umask = os.umask(0o022)  # reading the umask means setting it: put it straight back
    os.umask(umask)
    return 0o666 & ~umask


def _sync_directory(directory: Path) -> None:
    """Make the rename itself durable; not every system lets a directory be fsync'ed."""
    try:
        descriptor = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _reason(error: OSError | ValueError) -> str:
    return getattr(error, "strerror", None) or str(error)
