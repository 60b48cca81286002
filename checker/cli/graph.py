"""``resilint graph``: the domain tree and service dependencies as DOT, Mermaid or SVG."""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.exiting import leave_for_exit
from checker.cli.options import echo_answer, project_options
from checker.cli.project import list_files, load_project
from checker.queries.layout import around as around_of
from checker.queries.layout import layout
from checker.render.dot import FORMATS as DOT
from checker.render.mermaid import FORMATS as MERMAID
from checker.render.svg import FORMATS as SVG

FORMATS = {**DOT, **MERMAID, **SVG}


@click.command("graph")
@project_options
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(list(FORMATS), case_sensitive=False),
    default="dot",
    show_default=True,
    help="dot (Graphviz), mermaid (rendered inline by GitHub in ```mermaid blocks) or svg "
    "(drawn by resilint: no Graphviz needed).",
)
@click.option(
    "--around",
    metavar="ID",
    help="Only the entity, what it needs (transitively) and what needs it.",
)
@click.option(
    "--scenario",
    "scenario",
    multiple=True,
    metavar="DOMAIN",
    help="Mark these domains failed (red) and what goes down with them (orange, dashed); "
    "repeatable or comma-separated.",
)
def graph(
    paths: tuple[Path, ...],
    config_path: Path | None,
    policies: tuple[str, ...],
    verbose: bool,
    output_format: str,
    around: str | None,
    scenario: tuple[str, ...],
) -> int:
    """Draw the domain tree (nested boxes) and the services (placements dashed,
    requirements solid) of the manifests in PATHS.

    \b
    Examples:
      resilint graph examples/pangyo-2022 -f svg > pangyo.svg
      resilint graph examples/pangyo-2022 | dot -Tsvg > pangyo.svg
      resilint graph examples/pangyo-2022 -f mermaid --scenario pangyo/b3-battery-room
    """
    project = load_project(paths, config_path, policies, with_rules=False)
    if verbose:
        list_files(project)
    model = project.model
    failed = [d.strip() for spec in scenario for d in spec.split(",") if d.strip()]
    only = around_of(model, around) if around else None
    drawn = layout(model, only, failed)
    code = echo_answer(FORMATS, output_format, drawn)
    leave_for_exit(project, drawn)  # freed by the exit, not object by object before it
    return code
