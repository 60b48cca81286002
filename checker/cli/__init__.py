"""The command line: the only place that touches click, the terminal and exit codes.

``main`` answers ``--version`` before importing anything heavy (start-up is measured
in bench/), then hands over to the click application under one error handler.
"""

from __future__ import annotations

import sys

# Not ``typing.TYPE_CHECKING``: importing typing (or collections.abc) would cost
# ``--version`` more than everything else it does. Type checkers read this alike.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
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
