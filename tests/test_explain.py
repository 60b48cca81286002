"""A rule's documentation is assembled from the rule, its check module and its examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.checks import CHECKS
from checker.checks.base import check_sections
from checker.core.errors import UsageError
from checker.policy.load import available_packs, load_policies
from checker.policy.rule import Rule
from checker.queries.ruledocs import find_rule, rule_doc
from checker.render.ruledocs import (
    describe_params,
    describe_select,
    to_json,
    to_markdown,
    to_text,
)
from checker.render.rules import to_text as rules_text

REPO = Path(__file__).resolve().parent.parent
BUILTIN = [rule for pack in available_packs() for rule in load_policies([f"builtin:{pack}"], REPO)]


def _rule(rule_id: str) -> Rule:
    return find_rule(rule_id, [], BUILTIN)


@pytest.mark.parametrize("check", sorted(CHECKS))
def test_every_check_documents_itself(check: str) -> None:
    sections = check_sections(CHECKS[check])
    assert {"What it does", "Why it matters", "Example", "Fix"} <= set(sections)
    assert all(sections[name] for name in ("What it does", "Fix"))


def test_find_by_id_or_alias_in_effect_first() -> None:
    rule = _rule("facility-loss-not-survived")
    aliased = Rule(**{**rule.__dict__, "id": "custom", "aliases": ("old-name",), "source": "x"})
    assert find_rule("old-name", [aliased], BUILTIN) is aliased
    assert find_rule("facility-loss-not-survived", [aliased], BUILTIN) is rule


def test_unknown_rule_suggests() -> None:
    with pytest.raises(UsageError, match="did you mean 'tier-inversion'"):
        find_rule("tier-inversoin", [], BUILTIN)


def test_describe() -> None:
    rule = _rule("double-loss-not-survived")
    assert describe_params(rule) == (
        "loss_of: [facility, power-feed, ups, battery-room, generator], max_size: 2"
    )
    assert describe_select(rule) == "services with tier: critical"
    assert describe_select(_rule("hall-single-power-path")) == "domains with kind: hall"
    assert describe_select(_rule("tier-inversion")) == "every service"
    assert describe_params(_rule("hard-dependency-cycle")) == "(no parameters)"


def test_text_page() -> None:
    text = to_text(rule_doc(_rule("critical-single-facility")))
    assert text.startswith(
        "critical-single-facility: Critical service runs in a single facility\n\n"
        "  severity  high\n"
        "  check     spread: across: facility, min: 2\n"
        "  selects   services with tier: critical\n"
        "  source    builtin:baseline, line 7\n"
    )
    order = ["What it does", "Why it matters", "How to fix", "References", "Passing example"]
    positions = [text.index(f"\n{heading}") for heading in [*order, "Failing example"]]
    assert positions == sorted(positions)
    assert "through `parent`" in text and "``" not in text.split("Passing example")[0]
    assert "Pangyo" in text.split("Why it matters")[1]
    # The failing example proves itself: what resilint says about it.
    assert text.rstrip().endswith(
        "resilint says:\n    FAIL service auth runs in 1 facility (pangyo), needs at least 2"
    )


def test_markdown_and_json() -> None:
    doc = rule_doc(_rule("backup-not-offregion"))
    markdown = to_markdown(doc)
    assert markdown.startswith("## `backup-not-offregion`: ")
    assert "| check | `backup`: outside: region |" in markdown
    assert markdown.count("```yaml") == 2
    data = json.loads(to_json(doc))["rule"]
    assert data["severity"] == "high" and data["source"] == "builtin:strict"
    assert data["params"] == {"outside": "region", "max_interval": None}
    assert [e["name"] for e in data["examples"]] == ["pass", "fail"]
    assert data["examples"][1]["verdicts"][0].startswith("FAIL service shop-db")


def test_rules_listing_shows_overrides() -> None:
    rules = [
        _rule("tier-inversion").with_settings("low", True),
        _rule("hard-dependency-cycle").with_settings(None, False),
    ]
    lines = rules_text(rules).splitlines()
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
