"""``resilint risk-groups [SERVICE...]``: the minimal sets of domains that take services down."""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.exiting import leave_for_exit
from checker.cli.options import echo_answer, format_option, model_options, split_paths
from checker.cli.project import list_files, load_project
from checker.queries.riskreport import risk_report
from checker.render.riskreport import FORMATS


@click.command("risk-groups")
@click.argument("arguments", nargs=-1, metavar="[SERVICE...] [PATHS...]")
@click.option(
    "-k",
    "--max-size",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="Largest group to look for (the cost grows quickly beyond 2).",
)
@click.option(
    "--kind",
    "kinds",
    multiple=True,
    metavar="KIND",
    help="Only domains of this kind are candidates (repeatable, or comma-separated).",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="Per service, only the N most important groups (smallest, then most services "
    "taken down); the total is still given.  [default: all]",
)
@click.option(
    "--no-chains",
    is_flag=True,
    help="Text and Markdown: list the groups without their cause chains (json keeps them).",
)
@format_option(FORMATS)
@model_options
def risk_groups(
    arguments: tuple[str, ...],
    max_size: int,
    kinds: tuple[str, ...],
    limit: int | None,
    no_chains: bool,
    output_format: str,
    manifests: tuple[Path, ...],
    config_path: Path | None,
    policies: tuple[str, ...],
    verbose: bool,
) -> int:
    """For each SERVICE (default: every service of the most important tier), its
    minimal risk groups: the sets of up to --max-size domains whose joint failure
    takes it down, none of whose proper subsets does, each with a cause chain:
    smallest first, then those that take down the most services of the whole model,
    then by domain ids. Groups of one domain are single points of failure. A domain
    id may be given too (e.g. a hall, to see what its power depends on).

    Manifests come from -m, the config, or arguments that exist on disk (a
    directory, or a .yaml/.yml/.toml/.json file).

    \b
    Example:
      resilint risk-groups kakaotalk --kind facility,ups examples/pangyo-2022
    """
    paths, services = split_paths(arguments)
    project = load_project([*manifests, *paths], config_path, policies, with_rules=False)
    if verbose:
        list_files(project)
    wanted = [kind.strip() for spec in kinds for kind in spec.split(",") if kind.strip()]
    chains = not no_chains or output_format == "json"
    report = risk_report(project.model, services, max_size, wanted, limit=limit, chains=chains)
    code = echo_answer(FORMATS, output_format, report)
    leave_for_exit(project, report)  # freed by the exit, not object by object before it
    return code
