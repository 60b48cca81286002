"""``--format NAME[=PATH]``: render a result once per requested format, to stdout or a file.

Also the other files ``check`` writes: the GitHub step summary and baselines. Nothing
resilint reads is ever written to, and every file is written whole or not at all
(:mod:`checker.cli.writing`).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from checker.cli.writing import refuse_unsafe_target, write_atomically
from checker.core.errors import UsageError
from checker.core.findings import Result
from checker.core.words import suggest
from checker.render.findings import REPORTERS, ReportOptions, renderer

#: GitHub refuses a step summary above 1 MiB ("upload aborted"); stay clear of it.
STEP_SUMMARY_LIMIT = 1_000_000


def parse_formats(specs: Sequence[str]) -> list[tuple[str, Path | None]]:
    """``NAME[=PATH]`` specs: names in any case; no PATH, or ``-``, is standard output.

    One format at most goes to standard output, and two reports never share a file.
    """
    parsed: list[tuple[str, Path | None]] = []
    for spec in specs:
        name, _, target = spec.partition("=")
        name = name.strip().lower()
        if name not in REPORTERS:
            raise UsageError(
                f"unknown format {name!r}"
                + suggest(name, list(REPORTERS))
                + f" (available: {', '.join(REPORTERS)})"
            )
        parsed.append((name, Path(target) if target and target != "-" else None))
    if sum(1 for _, path in parsed if path is None) > 1:
        raise UsageError("only one format can go to standard output; give the others =PATH")
    seen: dict[str, str] = {}
    for name, path in parsed:
        if path is None:
            continue
        key = os.path.realpath(path)
        if key in seen:
            raise UsageError(f"two reports to one file: {seen[key]} and {name} both go to {path}")
        seen[key] = name
    return parsed


def emit(
    result: Result,
    formats: Sequence[tuple[str, Path | None]],
    options: ReportOptions,
    read_paths: frozenset[Path],
) -> None:
    # Every target is checked before the first one is written: a refusal writes nothing.
    for name, target in formats:
        if target is not None:
            refuse_unsafe_target(target, f"{name} output", read_paths)
    for name, target in formats:
        use = (
            options if target is None else dataclasses.replace(options, color=False, output=target)
        )
        text = renderer(name)(result, use)
        if target is None:
            # click would strip the colours of a pipe: the user asked for them (--color).
            click.echo(text, nl=False, color=use.color or None)
        else:
            write_output(target, text, f"{name} output", read_paths)
        if name == "github":
            append_step_summary(result, use)


def write_output(
    target: Path,
    text: str,
    what: str,
    inputs: Iterable[Path] = (),
    replace: bool = True,
) -> None:
    """Write UTF-8 text atomically, creating folders; never over one of ``inputs``."""
    write_atomically(target, text, what, inputs, replace)


def append_step_summary(result: Result, options: ReportOptions) -> None:
    """Under GitHub Actions, add the Markdown summary to the job's page."""
    path = os.environ.get("GITHUB_STEP_SUMMARY")
    if not path:
        return
    from checker.render.findings.github import summary_markdown  # lazy: only under Actions

    text = summary_markdown(result, options, STEP_SUMMARY_LIMIT)
    try:
        with Path(path).open("a", encoding="utf-8") as stream:
            stream.write(text)
    except OSError as error:
        # The annotations are out already; a lost summary must not turn into a failed gate.
        click.echo(f"resilint: warning: cannot write the step summary {path}: {error}", err=True)


def repo_root(start: Path) -> Path:
    """The enclosing git work tree's root (``.git`` dir or file), else ``start`` itself."""
    start = start.resolve()
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return start


def report_options(
    color: bool, show_passing: bool, fail_on: str, tool_version: str
) -> ReportOptions:
    """Options for the reporters, with what they need to know about the environment."""
    workdir = Path.cwd().resolve()
    return ReportOptions(
        color=color,
        show_passing=show_passing,
        fail_on=fail_on,
        tool_version=tool_version,
        github_actions=os.environ.get("GITHUB_ACTIONS") == "true",
        repo_root=repo_root(workdir),
        workdir=workdir,
    )
