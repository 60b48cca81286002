"""``resilint what-if DOMAIN...``: fail domains together; list what goes down and why."""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.exiting import leave_for_exit
from checker.cli.options import echo_answer, format_option, model_options, split_paths
from checker.cli.project import list_files, load_project
from checker.core.errors import UsageError
from checker.queries.whatif import what_if as answer
from checker.render.whatif import FORMATS


@click.command("what-if")
@click.argument("arguments", nargs=-1, required=True, metavar="DOMAIN... [PATHS...]")
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="ID",
    help="Only list these services (repeatable).",
)
@format_option(FORMATS)
@model_options
def what_if(
    arguments: tuple[str, ...],
    services: tuple[str, ...],
    output_format: str,
    manifests: tuple[Path, ...],
    config_path: Path | None,
    policies: tuple[str, ...],
    verbose: bool,
) -> int:
    """Fail the DOMAINs together and list every service that goes down, with its
    shortest cause chain, and every one that stays up.

    Manifests come from -m, the config, or arguments that exist on disk (a
    directory, or a .yaml/.yml/.toml/.json file).

    \b
    Example:
      resilint what-if pangyo/b3-battery-room examples/pangyo-2022
    """
    paths, domains = split_paths(arguments)
    if not domains:
        raise UsageError("name at least one domain to fail")
    project = load_project([*manifests, *paths], config_path, policies, with_rules=False)
    if verbose:
        list_files(project)
    found = answer(project.model, domains, services)
    code = echo_answer(FORMATS, output_format, found)
    leave_for_exit(project, found)  # freed by the exit, not object by object before it
    return code
