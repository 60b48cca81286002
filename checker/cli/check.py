"""``resilint check``: evaluate the policies in effect against the manifests."""

from __future__ import annotations

from pathlib import Path

import click

from checker import __version__
from checker.cli.inputs import load_inputs, manifest_options, use_color
from checker.cli.output import emit, parse_formats
from checker.errors import EXIT_FAILED, EXIT_OK
from checker.findings import SEVERITIES
from checker.reporters import ReportOptions


@click.command()
@manifest_options
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Lowest severity that fails the run (default: fail_on from config, else low).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="NAME[=PATH]",
    help="Output format, optionally to a file (repeatable): text, json.",
)
@click.option("--all", "show_all", is_flag=True, help="List passing findings too.")
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[Path, ...],
    config_path: Path | None,
    policies: tuple[str, ...],
    fail_on: str | None,
    formats: tuple[str, ...],
    show_all: bool,
) -> int:
    """Evaluate the policies in effect against the manifests in PATHS.

    PATHS are manifest files or directories (default: `manifests` from the config,
    else the current directory). Exit 0 when nothing fails at or above fail_on,
    1 when something does, 2 on bad input.
    """
    from checker.evaluate import Settings, evaluate

    inputs = load_inputs(paths, config_path, policies)
    values = inputs.config.values
    threshold = fail_on or values.fail_on
    configured = values.format
    requested = list(formats) or (
        [configured] if isinstance(configured, str) else list(configured or ["text"])
    )
    outputs = parse_formats(requested)
    result = evaluate(inputs.model, inputs.rules, Settings(fail_on=threshold))
    options = ReportOptions(
        color=use_color(ctx),
        show_passing=show_all,
        fail_on=threshold,
        tool_version=__version__,
    )
    emit(result, outputs, options, inputs.read_paths)
    return EXIT_FAILED if result.failing(threshold) else EXIT_OK
