"""``resilint explain RULE``: what a rule checks, why it exists, how to fix it, examples."""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.inputs import format_option, policy_options
from checker.cli.rules import builtin_rules, rules_in_effect

FORMATS = ("text", "json", "markdown")


@click.command("explain")
@click.argument("rule_id", metavar="RULE")
@policy_options
@format_option(FORMATS)
def explain(
    rule_id: str, config_path: Path | None, policies: tuple[str, ...], output_format: str
) -> int:
    """Explain RULE (an id or alias): title, severity, what the check does, why it
    matters (the incident behind it), how to fix it, and its passing and failing
    examples. Looks in the rules in effect, then in every built-in pack.

    \b
    Example:
      resilint explain facility-loss-not-survived
    """
    from checker.queries.ruledocs import RENDERERS, find_rule, rule_doc

    in_effect = rules_in_effect(config_path, policies)
    found = any(rule_id in (r.id, *r.aliases) for r in in_effect)
    rule = find_rule(rule_id, in_effect, [] if found else builtin_rules(config_path))
    click.echo(RENDERERS[output_format](rule_doc(rule)), nl=False)
    return 0
