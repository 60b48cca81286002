"""``resilint rules``: the rules in effect, their source, severity and state."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Run


def test_default_is_the_baseline(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    result = run_cli("rules")
    assert (result.code, result.err) == (0, "")
    lines = result.out.splitlines()
    assert lines[0].split() == ["RULE", "SEVERITY", "ENABLED", "CHECK", "SOURCE", "TITLE"]
    assert [line.split()[0] for line in lines[1:8]] == [
        "critical-single-facility",
        "shared-power-domain",
        "facility-loss-not-survived",
        "offsite-backup-missing",
        "tier-inversion",
        "hard-dependency-cycle",
        "recovery-objectives-undeclared",
    ]
    assert lines[1].split()[1:5] == ["high", "yes", "spread", "builtin:baseline"]
    assert lines[-1] == "7 of 7 rules enabled"


def test_config_overrides_and_policy_files(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    (in_tmp / "mine.yaml").write_text(
        "version: 1\nrules:\n  two-halls:\n    title: Two halls\n    severity: low\n"
        "    spread: {across: hall}\n"
    )
    (in_tmp / "resilint.toml").write_text(
        'policies = ["builtin:strict", "mine.yaml"]\ndisable = ["hall-single-power-path"]\n'
        '[severity]\nbackup-not-offregion = "critical"\n'
    )
    data = json.loads(run_cli("rules", "--format", "json").out)
    rows = {r["id"]: r for r in data["rules"]}
    assert list(rows) == [
        "double-loss-not-survived",
        "control-plane-single-facility",
        "backup-not-offregion",
        "hall-single-power-path",
        "two-halls",
    ]
    assert (
        rows["backup-not-offregion"]["severity"],
        rows["backup-not-offregion"]["default_severity"],
    ) == (
        "critical",
        "high",
    )
    assert rows["hall-single-power-path"]["enabled"] is False
    assert (rows["two-halls"]["source"], rows["two-halls"]["location"]) == (
        "mine.yaml",
        "mine.yaml:3:3",
    )
    markdown = run_cli("rules", "-f", "markdown").out
    assert "| `backup-not-offregion` | critical (was high) | yes | `backup` |" in markdown
    assert "| `hall-single-power-path` | high | no |" in markdown


def test_policy_flag_replaces_config(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    (in_tmp / "resilint.toml").write_text('policies = ["builtin:strict"]\n')
    out = run_cli("rules", "-p", "builtin:baseline").out
    assert "builtin:strict" not in out and "7 of 7 rules enabled" in out


def test_bad_config_is_exit_2(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    (in_tmp / "resilint.toml").write_text('disable = ["tier-inversoin"]\n')
    result = run_cli("rules")
    assert result.code == 2
    assert "unknown rule 'tier-inversoin'; did you mean 'tier-inversion'?" in result.err


def test_unknown_pack(run_cli: Callable[..., Run], in_tmp: Path) -> None:
    result = run_cli("rules", "-p", "builtin:strickt")
    assert result.code == 2 and "did you mean 'builtin:strict'?" in result.err
