"""``resilint rules``: the rules in effect, where each comes from, severity and state."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from checker.cli.inputs import format_option, policy_options
from checker.config import Config
from checker.policy.rule import Rule

FORMATS = ("text", "json", "markdown")


def rules_in_effect(config_path: Path | None, policies: Sequence[str]) -> list[Rule]:
    """The configured (or ``-p``) policies' rules with the config's overrides applied.

    Unlike ``check``, no manifest is read: listing or explaining rules needs none.
    """
    from checker.core.location import Location
    from checker.loading.files import display_path
    from checker.policy.load import load_policies
    from checker.policy.overrides import apply_rule_settings

    config = _config(config_path)
    values = config.values
    refs, base = (list(policies), Path.cwd()) if policies else (values.policies, config.base)
    rules = load_policies(refs, base, tuple(values.tiers))
    where = Location(display_path(config.source)) if config.source else None
    return apply_rule_settings(rules, values.severity, values.enable, values.disable, where)


def builtin_rules(config_path: Path | None) -> list[Rule]:
    """Every rule of every built-in pack that loads under the configured tiers."""
    from checker.core.errors import PolicyError
    from checker.policy.load import available_packs, load_policies

    tiers = tuple(_config(config_path).values.tiers)
    found: list[Rule] = []
    for pack in available_packs():
        try:
            found.extend(load_policies([f"builtin:{pack}"], Path.cwd(), tiers))
        except PolicyError:
            continue  # e.g. it names a tier this project does not configure
    return found


def _config(config_path: Path | None) -> Config:
    from checker.cli.inputs import load_config_for

    return load_config_for(config_path)


@click.command("rules")
@policy_options
@format_option(FORMATS)
def rules(config_path: Path | None, policies: tuple[str, ...], output_format: str) -> int:
    """List the rules in effect: id, severity after the config's overrides, whether
    enabled, check, the pack or file it comes from, and title.

    \b
    Example:
      resilint rules -p builtin:baseline -p builtin:strict
    """
    from checker.queries.ruledocs import rules_json, rules_markdown, rules_text

    found = rules_in_effect(config_path, policies)
    render = {"text": rules_text, "json": rules_json, "markdown": rules_markdown}[output_format]
    click.echo(render(found), nl=False)
    return 0
