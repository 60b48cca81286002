"""``resilint schema manifest|policy``: the draft-07 JSON Schema, for editors."""

from __future__ import annotations

import click

from checker.export.jsonschema import KINDS, render


@click.command("schema")
@click.argument("kind", type=click.Choice(KINDS))
def schema(kind: str) -> int:
    """Print the JSON Schema (draft-07) of manifest or policy files.

    The same files are committed under schemas/. Point an editor at one with a
    modeline (docs/editors.md):

    \b
      YAML:  # yaml-language-server: $schema=URL
      JSON:  "$schema": "URL"
      TOML:  #:schema URL

    \b
    Example:
      resilint schema manifest > .vscode/resilint-manifest.schema.json
    """
    click.echo(render(kind), nl=False)
    return 0
