"""Notices: things a run skipped on purpose (a FIFO in a manifest directory), said on stderr.

Modules below the command line report them through the standard :mod:`logging`
logger ``checker`` at level WARNING (they never print). During a command the CLI
prints each as ``resilint: notice: ...``, its control characters escaped, since a
notice names files from the inputs (docs/security.md).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import click

from checker.core.escape import escape_terminal


class _Echo(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        # click.echo resolves sys.stderr at each call, so captured stderr sees notices too.
        click.echo(f"resilint: notice: {escape_terminal(record.getMessage())}", err=True)


@contextmanager
def printing_notices() -> Iterator[None]:
    """Print the ``checker`` logger's notices on stderr for the duration of a command."""
    logger = logging.getLogger("checker")
    handler = _Echo(logging.WARNING)
    saved = logger.propagate, logger.level
    logger.addHandler(handler)
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate, logger.level = saved
