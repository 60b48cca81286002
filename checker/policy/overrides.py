"""Applying configuration to loaded rules: overrides, enable/disable, unknown ids caught."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from checker.core.errors import ConfigError, Problem
from checker.core.location import Location
from checker.core.words import suggest
from checker.policy.rule import Rule

#: Where a config value is written: ``locate("disable", 1)``, None when unknown.
Locate = Callable[..., "Location | None"]


def apply_rule_settings(
    rules: Sequence[Rule],
    severity: Mapping[str, str],
    enable: Sequence[str],
    disable: Sequence[str],
    where: Location | None = None,
) -> list[Rule]:
    """Rules with severity overrides applied and ``enabled`` set (see :func:`settle_rules`)."""
    settled, problems = settle_rules(rules, severity, enable, disable, lambda *_: where)
    if problems:
        raise ConfigError(problems)
    return settled


def settle_rules(
    rules: Sequence[Rule],
    severity: Mapping[str, str],
    enable: Sequence[str],
    disable: Sequence[str],
    locate: Locate,
    broken: frozenset[str] = frozenset(),
) -> tuple[list[Rule], list[Problem]]:
    """Rules with severity overrides applied and ``enabled`` set, and the unknown ids.

    ``enable``, when given, is an allow-list; ``disable`` always wins. Rule ids may be
    given by a rule's id or one of its aliases; an unknown id is a problem at its entry
    (``locate(key, index)``), since a typo would otherwise silently keep a rule on.
    ``broken`` names rules written in a policy that did not load (reported there).
    """
    names: dict[str, str] = {}
    for rule in rules:
        names[rule.id] = rule.id
        for alias in rule.aliases:
            names[alias] = rule.id
    problems = []
    for key, listed in (("severity", list(severity)), ("enable", enable), ("disable", disable)):
        for index, name in enumerate(listed):
            if name not in names and name not in broken:
                where = locate(key, name) if key == "severity" else locate(key, index)
                problems.append(
                    Problem(f"{key}: unknown rule {name!r}" + suggest(name, list(names)), where)
                )
    overrides = {names[k]: v for k, v in severity.items() if k in names}
    enabled = {names[n] for n in enable if n in names}
    disabled = {names[n] for n in disable if n in names}
    settled = [
        rule.with_settings(
            overrides.get(rule.id),
            (not enable or rule.id in enabled) and rule.id not in disabled,
        )
        for rule in rules
    ]
    return settled, problems
