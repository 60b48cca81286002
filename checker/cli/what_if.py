"""``resilint what-if DOMAIN...``: fail domains together; list what goes down and why."""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.model_inputs import load_model, model_options

FORMATS = ("text", "json", "markdown", "mermaid")


@click.command("what-if")
@click.argument("domains", nargs=-1, required=True, metavar="DOMAIN...")
@click.option(
    "--service",
    "services",
    multiple=True,
    metavar="ID",
    help="Only list these services (repeatable).",
)
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@model_options
def what_if(
    domains: tuple[str, ...],
    services: tuple[str, ...],
    output_format: str,
    manifests: tuple[Path, ...],
    config_path: Path | None,
) -> int:
    """Fail the DOMAINs together and list every service that goes down, with its
    shortest cause chain, and every one that stays up.

    \b
    Example:
      resilint what-if pangyo/b3-battery-room -m examples/pangyo-2022
    """
    from checker.whatif import RENDERERS
    from checker.whatif import what_if as run

    model = load_model(manifests, config_path)
    result = run(model, domains, services)
    if output_format == "mermaid":
        from checker.diagram import cause_mermaid

        text = cause_mermaid(result)
    else:
        text = RENDERERS[output_format](result)
    click.echo(text, nl=False)
    return 0
