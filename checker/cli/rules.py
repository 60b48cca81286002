"""``resilint rules``: the rules in effect, where each comes from, severity and state."""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.options import echo_answer, format_option, policy_options, rule_choice_options
from checker.cli.project import load_rules
from checker.policy.overrides import RuleChoice
from checker.render.rules import FORMATS


@click.command("rules")
@policy_options
@rule_choice_options
@format_option(FORMATS)
def rules(
    config_path: Path | None,
    policies: tuple[str, ...],
    rules_only: tuple[str, ...],
    rules_skipped: tuple[str, ...],
    output_format: str,
) -> int:
    """List the rules in effect: id, severity after the config's overrides, whether
    enabled, check, the pack or file it comes from, and title.

    Unlike ``check``, no manifest is read: listing or explaining rules needs none.

    \b
    Example:
      resilint rules -p builtin:baseline -p builtin:strict
    """
    choice = RuleChoice(rules_only, rules_skipped)
    found = load_rules(config_path, policies, choice=choice)
    return echo_answer(FORMATS, output_format, found.rules)
