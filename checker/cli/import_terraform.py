"""``resilint import terraform FILE... [-o OUT]``: a manifest from Terraform plans and states.

Reads ``terraform show -json`` output (docs/importing-terraform.md); the mapping is
in :mod:`checker.importers.terraform`.
"""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.importing import finish, output_option
from checker.core.errors import UsageError
from checker.importers.terraform import DEFAULTS, TIERS, Options, import_terraform
from checker.loading.files import display_path, read_text, real_path
from checker.loading.json_source import parse_export


@click.command("terraform")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@output_option
@click.option(
    "--zone-kind",
    default=DEFAULTS.zone_kind,
    show_default=True,
    help="Domain kind of availability zones (a zone is a cloud's facility-level domain).",
)
@click.option(
    "--tier-tag",
    default=DEFAULTS.tier_tag,
    show_default=True,
    help="Tag (AWS, Azure) or label (Google) holding a service's tier; case-insensitive.",
)
@click.option(
    "--default-tier",
    type=click.Choice(TIERS),
    default=DEFAULTS.default_tier,
    show_default=True,
    help="Tier of a service without the tier tag.",
)
def terraform(
    inputs: tuple[Path, ...],
    output: Path | None,
    zone_kind: str,
    tier_tag: str,
    default_tier: str,
) -> int:
    """Import `terraform show -json` output of plans and states (JSON files).

    Availability zones and regions become domains; instances, autoscaling groups,
    scale sets, managed instance groups and managed databases of AWS, Google Cloud and
    Azure become services, the count/for_each copies of one resource one service.
    """
    if not zone_kind.strip() or not tier_tag.strip():
        raise UsageError("--zone-kind and --tier-tag must not be empty")
    if output is not None and real_path(output) in {real_path(path) for path in inputs}:
        raise UsageError(f"refusing to write the manifest over an input file: {output}")
    documents = []
    # A file named twice is read once (else each of its resources would be two services).
    for path in dict.fromkeys(inputs, None):
        shown = display_path(path)
        documents.append(parse_export(read_text(path, shown), shown))
    options = Options(zone_kind=zone_kind, tier_tag=tier_tag, default_tier=default_tier)
    words = [str(path) for path in inputs]
    for flag, value, default in (
        ("--zone-kind", zone_kind, DEFAULTS.zone_kind),
        ("--tier-tag", tier_tag, DEFAULTS.tier_tag),
        ("--default-tier", default_tier, DEFAULTS.default_tier),
    ):
        if value != default:
            words += [flag, value]
    return finish(import_terraform(documents, options), output, words)
