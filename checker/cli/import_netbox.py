"""``resilint import netbox``: a manifest from a NetBox export, API responses or a live NetBox.

Reading is in ``checker/importers/netbox_read.py`` (files) and ``netbox_http.py``
(``--url``); the mapping in ``checker/importers/netbox.py``. This module only turns
options into those calls (docs/importing-netbox.md).
"""

from __future__ import annotations

import os
from pathlib import Path

import click
from click.core import ParameterSource

from checker.cli.importing import finish, output_option
from checker.core.errors import UsageError
from checker.core.model import DEFAULT_TIERS
from checker.importers.netbox import build_inventory
from checker.importers.netbox_http import Live, fetch_all
from checker.importers.netbox_read import read_inputs
from checker.importers.netbox_services import (
    DEFAULT_TIER,
    GROUP_BY_HELP,
    Grouping,
    parse_group_by,
    parse_tier_from,
)
from checker.loading.files import real_path

DEFAULT_TOKEN_ENV = "NETBOX_TOKEN"


@click.command("netbox")
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path), metavar="[INPUT]...")
@click.option("--url", metavar="URL", help="Read a live NetBox at this base URL instead of files.")
@click.option(
    "--token-env",
    default=DEFAULT_TOKEN_ENV,
    show_default=True,
    metavar="NAME",
    help="Environment variable holding the API token for --url (never printed).",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=30.0,
    show_default=True,
    metavar="SECONDS",
    help="Give up on a request to --url after this long.",
)
@click.option(
    "--group-by",
    default="role",
    show_default=True,
    metavar="FIELD",
    help=f"What makes devices and VMs one service: {GROUP_BY_HELP}.",
)
@click.option(
    "--tier-from",
    metavar="SOURCE",
    help="Take service tiers from custom-field:NAME or tag:PREFIX (tag tier-critical "
    "with tag:tier-); the most important among a service's members wins.",
)
@click.option(
    "--tier",
    "default_tier",
    type=click.Choice(DEFAULT_TIERS),
    default=DEFAULT_TIER,
    show_default=True,
    help="Tier of services whose members name none.",
)
@output_option
def netbox(
    inputs: tuple[Path, ...],
    url: str | None,
    token_env: str,
    timeout: float,
    group_by: str,
    tier_from: str | None,
    default_tier: str,
    output: Path | None,
) -> int:
    """Import NetBox: a dumpdata export (JSON), files or folders of REST API
    responses, or a live instance with --url (token in $NETBOX_TOKEN).

    Regions, sites, locations, racks, power panels and feeds, devices and clusters
    become domains; devices and VMs become service instances, grouped by --group-by.
    """
    by, by_field = parse_group_by(group_by)
    tier_kind, tier_field = parse_tier_from(tier_from) if tier_from else (None, None)
    grouping = Grouping(by, by_field, tier_kind, tier_field, default_tier)
    if bool(inputs) == bool(url):
        raise UsageError("give NetBox export files or folders, or --url, and not both")
    if url is not None:
        data = fetch_all(Live(url, os.environ.get(token_env) or None, timeout))
    else:
        if output is not None and any(real_path(output) == real_path(p) for p in inputs):
            raise UsageError(f"refusing to write the manifest over an input file: {output}")
        data = read_inputs(inputs)
    inventory = build_inventory(data, grouping)
    if url is not None and not os.environ.get(token_env):
        inventory.notes.append(f"no token in ${token_env}: NetBox was read anonymously")
    return finish(inventory, output, _words(inputs))


def _words(inputs: tuple[Path, ...]) -> list[str]:
    """The arguments as given, for the header's "Regenerate with" (no -o, no token)."""
    context = click.get_current_context()
    words = [str(path) for path in inputs]
    for name, flag in (
        ("url", "--url"),
        ("token_env", "--token-env"),
        ("timeout", "--timeout"),
        ("group_by", "--group-by"),
        ("tier_from", "--tier-from"),
        ("default_tier", "--tier"),
    ):
        if context.get_parameter_source(name) is ParameterSource.COMMANDLINE:
            words += [flag, str(context.params[name])]
    return words
