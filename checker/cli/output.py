"""``--format NAME[=PATH]``: render a result once per requested format, to stdout or a file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from checker.errors import UsageError
from checker.findings import Result
from checker.reporters import REPORTERS, ReportOptions, renderer
from checker.validation import suggest


def parse_formats(specs: Sequence[str]) -> list[tuple[str, Path | None]]:
    parsed: list[tuple[str, Path | None]] = []
    for spec in specs:
        name, _, target = spec.partition("=")
        name = name.strip()
        if name not in REPORTERS:
            raise UsageError(
                f"unknown format {name!r}"
                + suggest(name, list(REPORTERS))
                + f" (available: {', '.join(REPORTERS)})"
            )
        parsed.append((name, Path(target) if target else None))
    if sum(1 for _, target in parsed if target is None) > 1:
        raise UsageError("only one format can go to standard output; give the others =PATH")
    return parsed


def emit(
    result: Result,
    formats: Sequence[tuple[str, Path | None]],
    options: ReportOptions,
    read_paths: frozenset[Path],
) -> None:
    for name, target in formats:
        if target is not None and target.resolve() in read_paths:
            raise UsageError(f"refusing to write {name} output over an input file: {target}")
    for name, target in formats:
        use = (
            options
            if target is None
            else ReportOptions(
                color=False,
                show_passing=options.show_passing,
                fail_on=options.fail_on,
                tool_version=options.tool_version,
            )
        )
        text = renderer(name)(result, use)
        if target is None:
            click.echo(text, nl=False)
        else:
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            except OSError as error:
                raise UsageError(f"cannot write {name} output to {target}: {error}") from None
