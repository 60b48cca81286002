"""The command line: the only place that touches click, the terminal and exit codes.

``main`` answers ``--version`` before importing anything heavy (start-up is measured
in bench/), then hands over to the click application under one error handler.
"""

import os
import sys

# Not ``typing.TYPE_CHECKING``: importing typing (or collections.abc) would cost
# ``--version`` more than everything else it does. Type checkers read this alike. For
# the same reason no ``from __future__ import annotations`` (it imports a module too):
# the annotations below are strings.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from typing import NoReturn


def main(argv: "Sequence[str] | None" = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args in (["--version"], ["-V"]):
        from checker import __version__  # lazy: --version answers before heavy imports

        print(f"resilint {__version__}")
        return 0
    import gc

    # Before the imports, not only for the run (see run_guarded): importing click and
    # pydantic and building the models allocates objects that the cyclic collector would
    # scan again and again; about a tenth of the start-up of check.
    gc.disable()
    from checker.cli.errors import run_guarded

    return run_guarded(args)


def run() -> "NoReturn":
    """The ``resilint`` command (and ``python -m checker``): :func:`main`, then exit at once.

    A large check leaves millions of objects behind; an interpreter that frees them one
    by one on the way out spent seconds on it (a quarter of a 100,000-service run)
    after the last line was printed. The operating system takes the memory back at
    once, so the process ends with ``os._exit`` once both streams are flushed (every
    file the run writes is closed by then). Tests and embedders call :func:`main`.
    """
    from checker.cli.exiting import exit_follows

    exit_follows()  # commands may leave their large values to the end (see exiting)
    code = main()
    if sys.gettrace() is not None or sys.getprofile() is not None:
        # A profiler or a coverage tracer writes its data on the way out: let it.
        raise SystemExit(code)
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):  # a closed or broken stream: nothing more can be said
        pass
    os._exit(code)
