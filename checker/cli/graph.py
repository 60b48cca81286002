"""``resilint graph``: the domain tree and service dependencies as DOT or Mermaid."""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.inputs import load_inputs, manifest_options

FORMATS = ("dot", "mermaid")


@click.command("graph")
@manifest_options
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="dot",
    show_default=True,
    help="dot (Graphviz) or mermaid (rendered inline by GitHub in ```mermaid blocks).",
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
    output_format: str,
    around: str | None,
    scenario: tuple[str, ...],
) -> int:
    """Draw the domain tree (nested boxes) and the services (placements dashed,
    requirements solid) of the manifests in PATHS.

    \b
    Examples:
      resilint graph examples/pangyo-2022 | dot -Tsvg > pangyo.svg
      resilint graph examples/pangyo-2022 -f mermaid --scenario pangyo/b3-battery-room
    """
    from checker.queries.diagram import around as around_of
    from checker.queries.diagram import layout, to_dot, to_mermaid

    model = load_inputs(paths, config_path, policies, need_rules=False).model
    failed = [d.strip() for spec in scenario for d in spec.split(",") if d.strip()]
    only = around_of(model, around) if around else None
    view = layout(model, only, failed)
    text = to_dot(model, view) if output_format == "dot" else to_mermaid(model, view)
    click.echo(text, nl=False)
    return 0
