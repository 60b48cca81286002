"""``resilint explain RULE``: what a rule checks, why it exists, how to fix it, examples."""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.options import echo_answer, format_option, policy_options
from checker.cli.project import builtin_rules, load_rules
from checker.queries.ruledocs import find_rule, rule_doc
from checker.render.ruledocs import FORMATS


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
    found = load_rules(config_path, policies)
    in_effect = found.rules
    known = any(rule_id in (r.id, *r.aliases) for r in in_effect)
    rule = find_rule(rule_id, in_effect, [] if known else builtin_rules(found.config))
    return echo_answer(FORMATS, output_format, rule_doc(rule))
