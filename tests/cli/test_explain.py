"""``resilint explain RULE``: the rule's page, found in effect or in any built-in pack."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run

POLICY = """\
version: 1
rules:
  team-spread:
    title: Team services span two halls
    severity: low
    aliases: [old-spread]
    spread: {across: hall, min: 2}
    why: Halls flood.
    fix: Use two halls.
"""


def test_builtin_rule(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    result = run_cli("explain", "facility-loss-not-survived")
    assert (result.code, result.err) == (0, "")
    assert result.out.startswith(
        "facility-loss-not-survived: Critical service does not survive the loss of a facility\n"
        "\n"
        "  severity  critical\n"
        "  check     survives: loss_of: facility, max_size: 1\n"
        "  selects   services with tier: critical\n"
        "  source    builtin:baseline, line "
    )
    assert "\nWhat it does\n  For every domain D of the kind(s) in `loss_of`" in result.out
    assert "127 hours" in result.out.split("\nWhy it matters\n")[1]
    assert "\nPassing example (pass.yaml)\n" in result.out
    assert "FAIL service messenger does not survive the loss of pangyo" in result.out


def test_rule_of_a_pack_not_in_effect(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    result = run_cli("explain", "hall-single-power-path", "-f", "json")
    rule = json.loads(result.out)["rule"]
    assert (rule["source"], rule["check"], rule["severity"]) == (
        "builtin:strict",
        "survives",
        "high",
    )


def test_config_overrides_show(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    (in_tmp / "resilint.toml").write_text('[severity]\ntier-inversion = "low"\n')
    result = run_cli("explain", "tier-inversion", "-f", "markdown")
    assert "| severity | low (default medium, changed by config) |" in result.out


def test_policy_file_rule_by_alias(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    (in_tmp / "team.yaml").write_text(POLICY)
    result = run_cli("explain", "old-spread", "-p", "team.yaml")
    assert result.code == 0
    assert result.out == (
        "team-spread: Team services span two halls\n"
        "\n"
        "  severity  low\n"
        "  check     spread: across: hall, min: 2\n"
        "  selects   every service\n"
        "  source    team.yaml:3:3\n"
        "  aliases   old-spread\n"
        "\n"
        "What it does\n"
        "  For each selected service, finds the KIND-domain of every instance (the domain it is\n"
        "  placed at if of KIND, else its nearest ancestor of KIND through `parent`) and counts\n"
        "  the distinct ones.\n"
        "\n"
        "Why it matters\n"
        "  Halls flood.\n"
        "\n"
        "How to fix\n"
        "  Use two halls.\n"
    )


def test_unknown_rule(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    result = run_cli("explain", "facilty-loss-not-survived")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "resilint: error: unknown rule 'facilty-loss-not-survived'; "
        "did you mean 'facility-loss-not-survived'? (`resilint rules` lists them)\n"
    )
