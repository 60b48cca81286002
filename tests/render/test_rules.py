"""The rules listing: one row per rule, overridden severities and states shown."""

from __future__ import annotations

from checker.render.rules import to_text
from tests.conftest import builtin_rule


def test_rules_listing_shows_overrides() -> None:
    rules = [
        builtin_rule("tier-inversion").with_settings("low", True),
        builtin_rule("hard-dependency-cycle").with_settings(None, False),
    ]
    lines = to_text(rules).splitlines()
    assert lines[0].split() == ["RULE", "SEVERITY", "ENABLED", "CHECK", "SOURCE", "TITLE"]
    assert lines[1].split()[:6] == [
        "tier-inversion",
        "low",
        "(was",
        "medium)",
        "yes",
        "tier_dependencies",
    ]
    assert lines[2].split()[:4] == ["hard-dependency-cycle", "medium", "no", "acyclic"]
    assert lines[-1] == "1 of 2 rules enabled"
