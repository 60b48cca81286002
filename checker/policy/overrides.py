"""Applying configuration to loaded rules: overrides, enable/disable, unknown ids caught."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from fnmatch import fnmatchcase
from typing import NamedTuple

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


class RuleChoice(NamedTuple):
    """``--rule`` / ``--skip-rule`` patterns (ids, aliases or globs), from the command line."""

    only: tuple[str, ...] = ()
    skip: tuple[str, ...] = ()


#: No ``--rule`` and no ``--skip-rule``: the config decides.
EVERY_RULE = RuleChoice()


def choose_rules(rules: Sequence[Rule], choice: RuleChoice) -> tuple[list[Rule], list[Problem]]:
    """Rules with ``--rule`` / ``--skip-rule`` applied over the config's choice.

    Flags override the file: with ``--rule``, exactly the matching rules run (even one
    the config disables); ``--skip-rule`` turns the matching ones off. A pattern that
    matches no rule is a problem (a typo must not run everything, or skip nothing).
    """
    if not choice.only and not choice.skip:
        return list(rules), []
    names = sorted({name for rule in rules for name in (rule.id, *rule.aliases)})
    problems = []
    for flag, patterns in (("--rule", choice.only), ("--skip-rule", choice.skip)):
        for pattern in patterns:
            if not any(_matches(rule, pattern) for rule in rules):
                problems.append(
                    Problem(f"{flag}: no rule matches {pattern!r}" + suggest(pattern, names))
                )

    def enabled(rule: Rule) -> bool:
        chosen = any(_matches(rule, p) for p in choice.only) if choice.only else rule.enabled
        return chosen and not any(_matches(rule, p) for p in choice.skip)

    return [replace(rule, enabled=enabled(rule)) for rule in rules], problems


def _matches(rule: Rule, pattern: str) -> bool:
    return any(fnmatchcase(name, pattern) for name in (rule.id, *rule.aliases))
