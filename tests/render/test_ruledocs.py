"""A rule's page as text, Markdown and JSON: settings, sections, examples with verdicts."""

from __future__ import annotations

import json

from checker.queries.ruledocs import rule_doc
from checker.render.ruledocs import (
    describe_params,
    describe_select,
    to_json,
    to_markdown,
    to_text,
)
from tests.conftest import builtin_rule


def test_describe() -> None:
    rule = builtin_rule("double-loss-not-survived")
    assert describe_params(rule) == (
        "loss_of: [facility, power-feed, ups, battery-room, generator], max_size: 2"
    )
    assert describe_select(rule) == "services with tier: critical"
    assert describe_select(builtin_rule("hall-single-power-path")) == "domains with kind: hall"
    assert describe_select(builtin_rule("tier-inversion")) == "every service"
    assert describe_params(builtin_rule("hard-dependency-cycle")) == "(no parameters)"


def test_text_page() -> None:
    text = to_text(rule_doc(builtin_rule("critical-single-facility")))
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
    doc = rule_doc(builtin_rule("backup-not-offregion"))
    markdown = to_markdown(doc)
    assert markdown.startswith("## `backup-not-offregion`: ")
    assert "| check | `backup`: outside: region |" in markdown
    assert markdown.count("```yaml") == 2
    data = json.loads(to_json(doc))["rule"]
    assert data["severity"] == "high" and data["source"] == "builtin:strict"
    assert data["params"] == {"outside": "region", "max_interval": None}
    assert [e["name"] for e in data["examples"]] == ["pass", "fail"]
    assert data["examples"][1]["verdicts"][0].startswith("FAIL service shop-db")
