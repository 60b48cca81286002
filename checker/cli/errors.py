"""One error handler: every way out of the program becomes one of the documented exit codes."""

from __future__ import annotations

import gc
import sys
import traceback

import click

from checker import __version__
from checker.cli.app import cli
from checker.core.errors import EXIT_INPUT_ERROR, EXIT_INTERNAL_ERROR, InputError

ISSUES_URL = "https://github.com/resilint/resilint/issues"


def report_input_error(error: InputError) -> None:
    for problem in error.problems:
        if problem.location is not None:
            click.echo(f"{problem.location}: error: {problem.message}", err=True)
        else:
            click.echo(f"resilint: error: {problem.message}", err=True)


def run_guarded(args: list[str]) -> int:
    # A run builds millions of small acyclic objects and then exits: the cyclic garbage
    # collector would re-scan them again and again for nothing (about 40% of a large
    # check). Reference counting still frees everything as usual.
    gc.disable()
    try:
        result = cli.main(args=args, prog_name="resilint", standalone_mode=False)
    except InputError as error:
        report_input_error(error)
        return EXIT_INPUT_ERROR
    except click.exceptions.Exit as done:
        return done.exit_code
    except click.ClickException as error:
        error.show()
        return EXIT_INPUT_ERROR
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except BrokenPipeError:
        return 0
    except Exception:
        traceback.print_exc()
        click.echo(
            f"\nresilint {__version__} (Python {sys.version.split()[0]}) hit an internal error. "
            f"This is a bug: please report it at {ISSUES_URL} with the traceback above.",
            err=True,
        )
        return EXIT_INTERNAL_ERROR
    return result if isinstance(result, int) else 0
