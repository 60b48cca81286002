"""Applying configuration to loaded rules: overrides, enable/disable, unknown ids caught."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from checker.core.errors import ConfigError, Problem
from checker.core.location import Location
from checker.core.words import suggest
from checker.policy.rule import Rule


def apply_rule_settings(
    rules: Sequence[Rule],
    severity: Mapping[str, str],
    enable: Sequence[str],
    disable: Sequence[str],
    where: Location | None = None,
) -> list[Rule]:
    """Rules with severity overrides applied and ``enabled`` set.

    ``enable``, when given, is an allow-list; ``disable`` always wins. Rule ids may be
    given by a rule's id or one of its aliases; an unknown id is an error, since a
    typo would otherwise silently keep a rule on.
    """
    names: dict[str, str] = {}
    for rule in rules:
        names[rule.id] = rule.id
        for alias in rule.aliases:
            names[alias] = rule.id
    problems = []
    for key, listed in (("severity", list(severity)), ("enable", enable), ("disable", disable)):
        for name in listed:
            if name not in names:
                problems.append(
                    Problem(f"{key}: unknown rule {name!r}" + suggest(name, list(names)), where)
                )
    if problems:
        raise ConfigError(problems)
    overrides = {names[k]: v for k, v in severity.items()}
    enabled = {names[n] for n in enable}
    disabled = {names[n] for n in disable}
    return [
        rule.with_settings(
            overrides.get(rule.id),
            (not enabled or rule.id in enabled) and rule.id not in disabled,
        )
        for rule in rules
    ]
