"""Reports of a run that failed on its input (exit 2), written before the error is shown.

A CI job that asks for ``-f sarif=r.sarif -f junit=r.xml`` uploads those files
whatever happened; if they are missing, the job says "no report found" and hides the
real error. So every requested report is written, saying why the run failed
(:mod:`checker.render.findings.failed`), and the error is then reported as usual.
Writing follows the usual rules (never over an input, whole or not at all); a report
that cannot be written is said on stderr and never replaces the original error.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

import click

from checker import __version__
from checker.cli.output import parse_formats, report_options, write_output
from checker.config import read_config
from checker.core.errors import InputError, UsageError
from checker.core.escape import escape_terminal
from checker.core.findings import FailedRun
from checker.loading.files import display_path
from checker.render.findings import ReportOptions
from checker.render.findings.failed import failed_renderer


def write_failure_reports(
    error: InputError,
    formats: Sequence[str],
    config_path: Path | None,
    start: Path,
    fail_on: str | None,
    inputs: Sequence[Path],
) -> None:
    """Write (or print) each requested report of the failed run; never raise.

    Not for a usage error (the command line or the environment is wrong, or a report
    cannot be written where it was asked to go): the same would go wrong again.
    """
    if isinstance(error, UsageError):
        return
    try:
        requested, config = _requested(formats, config_path, start)
        outputs = parse_formats(requested)
    except InputError:
        return  # the formats themselves are wrong: that is the error being reported
    failed = FailedRun(error.problems, config)
    options = dataclasses.replace(
        report_options(False, False, fail_on or "low", __version__), color=False
    )
    if any(name == "github" for name, _ in outputs):
        _step_summary(failed, options)
    for name, target in outputs:
        text = failed_renderer(name)(failed, options)
        if target is None:
            if name != "text":  # the text of the errors goes to stderr, as always
                click.echo(text, nl=False)
            continue
        try:
            write_output(target, text, f"{name} output", inputs)
        except InputError as problem:
            reason = "; ".join(p.message for p in problem.problems)
            click.echo(f"resilint: warning: {escape_terminal(reason)}", err=True)


def _step_summary(failed: FailedRun, options: ReportOptions) -> None:
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    try:
        with Path(path).open("a", encoding="utf-8") as stream:
            stream.write(failed_renderer("markdown")(failed, options))
    except OSError as error:
        click.echo(f"resilint: warning: cannot write the step summary {path}: {error}", err=True)


def _requested(
    formats: Sequence[str], config_path: Path | None, start: Path
) -> tuple[list[str], str | None]:
    """The formats of the command line, else of the config (if it can be read)."""
    config, _ = read_config(config_path, start) if _readable(config_path) else (None, [])
    shown = display_path(config.source) if config and config.source else None
    if formats:
        return list(formats), shown
    configured = config.values.format if config else None
    return ([configured] if isinstance(configured, str) else list(configured or ["text"])), shown


def _readable(config_path: Path | None) -> bool:
    return config_path is None or config_path.is_file()
