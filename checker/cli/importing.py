"""``resilint import SOURCE INPUT... [-o FILE]``: write a manifest from an inventory.

Each source is a subcommand in its own module (``checker/cli/import_<source>.py``),
named in :data:`SOURCES` and loaded only when used; they all end in :func:`finish`,
so every importer writes, reports skips and exits the same way (docs/importing.md).
"""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from pathlib import Path

import click

from checker.cli.options import LazyGroup
from checker.cli.output import write_output
from checker.core.escape import escape_terminal
from checker.importers.common import Inventory, render_manifest, skipped_summary

#: Source name -> "module:attribute" of its click command.
SOURCES: dict[str, str] = {
    "kubernetes": "checker.cli.import_kubernetes:kubernetes",
    "netbox": "checker.cli.import_netbox:netbox",
    "terraform": "checker.cli.import_terraform:terraform",
}


@click.group("import", cls=LazyGroup, registry=SOURCES)
def import_group() -> None:
    """Write a resilint manifest from an inventory you already keep (NetBox, Kubernetes,
    Terraform). Output is deterministic YAML, to stdout unless -o."""


output_option = click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the manifest here instead of standard output.",
)


def finish(
    inventory: Inventory,
    output: Path | None,
    words: Sequence[str],
    inputs: Sequence[Path] = (),
) -> int:
    """Write the manifest, list what was skipped and noted on stderr; exit 0.

    ``words`` are the source's arguments as the user gave them (inputs and options, not
    ``-o`` nor secrets such as tokens): the header says how to regenerate the file.
    ``inputs`` are the files the importer read: ``-o`` is never allowed to overwrite one.
    """
    source = click.get_current_context().info_name or inventory.system
    command = " ".join(["resilint", "import", source, *(shlex.quote(w) for w in words)])
    text = render_manifest(inventory, command)
    # Names and notes come from the inventory: control characters are shown escaped.
    for line in skipped_summary(inventory.skipped):
        click.echo(f"resilint: {escape_terminal(line)}", err=True)
    for note in inventory.notes:
        click.echo(f"resilint: note: {escape_terminal(note)}", err=True)
    if not inventory.domains and not inventory.services:
        # Still written (an empty namespace is no error), but `check` would say "nothing
        # to check" of it alone: say so here, where the inputs are known.
        click.echo(
            "resilint: note: nothing imported: the manifest written defines no domain "
            "and no service",
            err=True,
        )
    if output is None:
        click.echo(text, nl=False)
    else:
        write_output(output, text, "the imported manifest", inputs)
    return 0
