"""One error handler: every way out of the program becomes one of the documented exit codes."""

from __future__ import annotations

import gc
import os
import sys
import traceback
from pathlib import Path

import click

from checker import __version__
from checker.cli.app import cli
from checker.cli.notices import printing_notices
from checker.cli.stdout import (
    StandardOutputError,
    guarded_standard_streams,
    silence_standard_output,
)
from checker.core.errors import EXIT_INPUT_ERROR, EXIT_INTERNAL_ERROR, InputError
from checker.core.escape import escape_terminal
from checker.core.words import shortened

ISSUES_URL = "https://github.com/resilint/resilint/issues"


#: Problems printed on standard error; the rest are counted ("and 12 more").
SHOWN_PROBLEMS = 20


def report_input_error(error: InputError) -> None:
    # File names and messages carry text from the inputs: one line each, controls escaped.
    problems = error.problems
    for problem in problems[:SHOWN_PROBLEMS]:
        message = escape_terminal(problem.message)
        if problem.location is not None:
            click.echo(f"{escape_terminal(str(problem.location))}: error: {message}", err=True)
        else:
            click.echo(f"resilint: error: {message}", err=True)
    if len(problems) > SHOWN_PROBLEMS:
        more = len(problems) - SHOWN_PROBLEMS
        click.echo(
            f"resilint: error: and {more} more problem{'s' if more != 1 else ''} "
            "(the json, SARIF and JUnit reports list them all)",
            err=True,
        )


def run_guarded(args: list[str]) -> int:
    # A run builds millions of small acyclic objects and then exits: the cyclic garbage
    # collector would re-scan them again and again for nothing (about 40% of a large
    # check). Reference counting still frees everything as usual.
    gc.disable()
    # The handlers below print through the guarded streams too: a full stderr cannot
    # turn an exit 2 into a crash.
    with printing_notices(), guarded_standard_streams():
        return _run(cli, args)


def _run(cli: click.Group, args: list[str]) -> int:
    try:
        result = cli.main(args=args, prog_name="resilint", standalone_mode=False)
        sys.stdout.flush()  # a full disk must fail here, inside the handler, not at exit
    except StandardOutputError as error:
        silence_standard_output()
        click.echo(f"resilint: error: {error}", err=True)
        return EXIT_INPUT_ERROR
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
        silence_standard_output()
        return 0
    except OSError as error:
        # The system refused a path or a file given (a name too long for it, no access,
        # a working directory removed): input, not a bug in resilint. Readers turn the
        # errors they expect into InputErrors; this catches the path checks on the way.
        report_input_error(InputError(_system_refusal(error)))
        return EXIT_INPUT_ERROR
    except Exception:
        return _internal_error()
    return result if isinstance(result, int) else 0


def _system_refusal(error: OSError) -> str:
    reason = error.strerror or str(error)
    if error.filename is None:
        try:
            Path.cwd()
        except OSError:  # relative paths have nowhere to start from
            return f"the working directory is gone or unreadable ({reason})"
        return reason
    return f"{shortened(os.fsdecode(error.filename))}: {reason}"


def _internal_error() -> int:
    traceback.print_exc()
    click.echo(
        f"\nresilint {__version__} (Python {sys.version.split()[0]}) hit an internal error. "
        f"This is a bug: please report it at {ISSUES_URL} with the traceback above.",
        err=True,
    )
    return EXIT_INTERNAL_ERROR
