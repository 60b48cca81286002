"""``resilint init``: a starter config and example manifest in the current directory."""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.output import write_output
from checker.export.starter import write_starter


@click.command("init")
def init() -> int:
    """Write resilint.toml and manifests/example.yaml (a small, commented manifest
    that passes `resilint check` as it is) into the current directory. Existing
    files are never overwritten: if either exists, nothing is written.

    \b
    Example:
      resilint init && resilint check
    """

    def write(path: Path, text: str) -> None:
        write_output(path, text, "a starter file", replace=False)

    for path in write_starter(Path.cwd(), write):
        click.echo(f"wrote {path}")
    click.echo("next: edit manifests/example.yaml, then run `resilint check`")
    return 0
