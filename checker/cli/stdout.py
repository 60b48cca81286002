"""Standard output that cannot be written (a full disk, ``> /dev/full``) is an error, not a bug.

The run's result never reached its reader, so the exit code must say the run failed
(2, with a message on stderr), never 0 and never a traceback. During a command,
``sys.stdout`` is wrapped so that a failed write or flush raises
:class:`StandardOutputError`, which the error handler can tell apart from an
``OSError`` anywhere else (a bug). Afterwards standard output is pointed at the null
device, so that Python's own flush at exit does not fail a second time (which would
print "Exception ignored" and exit 120). Text the stream's encoding cannot carry is
written with backslash escapes instead of failing.

Standard error that cannot be written (``2> /dev/full``) is ignored: there is nowhere
left to say anything, and the exit code must still be the one the run earned.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class StandardOutputError(OSError):
    """Writing to standard output failed (not a closed pipe: that is BrokenPipeError)."""

    def __str__(self) -> str:
        return f"cannot write to standard output: {self.strerror or 'write failed'}"


class _Guarded:
    """``sys.stdout`` as it was, except that its write errors say where they happened."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: Any) -> Any:
        try:
            try:
                return self._stream.write(text)
            except UnicodeEncodeError:
                # A file name that is not UTF-8 (lone surrogates) on a strict stream: written
                # as \udcXX escapes, as in report files, rather than failing the run.
                encoding = getattr(self._stream, "encoding", None) or "utf-8"
                return self._stream.write(
                    text.encode(encoding, "backslashreplace").decode(encoding)
                )
        except BrokenPipeError:
            raise  # the reader went away (``| head``): handled as such
        except OSError as error:
            raise StandardOutputError(error.errno, error.strerror) from error

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as error:
            raise StandardOutputError(error.errno, error.strerror) from error

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class _Quiet:
    """``sys.stderr`` as it was, except that a failed write is dropped instead of raised."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream

    def write(self, text: Any) -> Any:
        try:
            return self._stream.write(text)
        except OSError:
            _point_at_null(self._stream)  # what is still buffered must not fail at exit
            return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError:
            _point_at_null(self._stream)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def guarded_standard_streams() -> Iterator[None]:
    """Standard output that reports its failures, standard error that never raises."""
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _Guarded(saved[0]), _Quiet(saved[1])
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved


def silence_standard_output() -> None:
    """Send whatever is still buffered for standard output to the null device."""
    _point_at_null(sys.stdout)


def _point_at_null(stream: Any) -> None:
    try:
        descriptor = stream.fileno()
    except (AttributeError, OSError, ValueError):
        return  # not a real file (tests capture it in memory): nothing will flush at exit
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, descriptor)
    finally:
        os.close(null)
