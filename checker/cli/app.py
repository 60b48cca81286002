"""The click application. Subcommands live in their own modules and load only when used."""

from __future__ import annotations

import click

from checker import __version__
from checker.cli.options import LazyGroup, with_color_option

#: Subcommand name -> "module:attribute"; imported on first use, so start-up stays fast.
COMMANDS: dict[str, str] = {
    "check": "checker.cli.check:check",
    "what-if": "checker.cli.what_if:what_if",
    "risk-groups": "checker.cli.risk_groups:risk_groups",
    "explain": "checker.cli.explain:explain",
    "rules": "checker.cli.rules:rules",
    "graph": "checker.cli.graph:graph",
    "schema": "checker.cli.schema:schema",
    "init": "checker.cli.init:init",
    "import": "checker.cli.importing:import_group",
}


@click.group(
    cls=LazyGroup, registry=COMMANDS, context_settings={"help_option_names": ["-h", "--help"]}
)
@click.version_option(
    __version__, "-V", "--version", prog_name="resilint", message="%(prog)s %(version)s"
)
@click.option("--no-color", is_flag=True, help="Never colour the output (as --color never).")
@click.pass_context
def cli(ctx: click.Context, no_color: bool) -> None:
    """Check failure-domain manifests against resilience policies before a fire does.

    Exit codes: 0 no failing finding at or above fail_on; 1 failing findings;
    2 bad input, policy, config or command line; 3 internal error.
    """
    ctx.ensure_object(dict)["no_color"] = no_color


with_color_option(cli)
