"""The flags people reach for, from Checkov, tflint, ruff and yamllint."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from checker import __version__
from checker.cli.options import color_wanted
from tests.conftest import Run

MANIFEST = """\
version: 1
domains:
  dc-a: {kind: facility}
  dc-a/hall: {kind: hall, parent: dc-a}
  dc-b: {kind: facility}
services:
  auth:
    tier: critical
    instances: [dc-a/hall]
  talk:
    tier: high
    instances: [dc-a/hall, dc-b]
    depends_on: [auth]
"""
POLICY = """\
version: 1
rules:
  facility-loss:
    title: Survive a facility loss
    severity: High
    survives: {loss_of: facility}
    aliases: [old-loss]
  two-sites:
    title: Two sites
    severity: medium
    spread: {across: facility}
  no-cycles:
    title: No cycles
    severity: low
    acyclic:
"""
LOSS_AUTH = "m.yaml:7:3: HIGH facility-loss: service auth does not survive the loss of dc-a"
LOSS_TALK = "m.yaml:10:3: HIGH facility-loss: service talk does not survive the loss of dc-a"
SITES_AUTH = (
    "m.yaml:7:3: MEDIUM two-sites: service auth runs in 1 facility (dc-a), needs at least 2"
)


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (in_tmp / "p.yaml").write_text(POLICY, encoding="utf-8")
    return in_tmp


def _findings(result: Run) -> list[str]:
    return [line for line in result.out.splitlines() if line.startswith("m.yaml:")]


def test_rule_and_skip_rule_take_ids_aliases_and_globs(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    only = run_cli("check", "m.yaml", "-p", "p.yaml", "--rule", "two-*", "--compact")
    assert _findings(only) == [SITES_AUTH]
    alias = run_cli("check", "m.yaml", "-p", "p.yaml", "--rule", "old-loss", "--compact")
    assert _findings(alias) == [LOSS_AUTH, LOSS_TALK]
    skip = run_cli("check", "m.yaml", "-p", "p.yaml", "--skip-rule", "facility-*", "--compact")
    assert _findings(skip) == [SITES_AUTH]
    assert skip.out.splitlines()[-2].endswith("(2 rules)")


def test_rule_runs_a_rule_the_config_disables(project: Path, run_cli: Callable[..., Run]) -> None:
    (project / "resilint.toml").write_text(
        'policies = ["p.yaml"]\ndisable = ["two-sites"]\n', encoding="utf-8"
    )
    assert _findings(run_cli("check", "m.yaml", "--compact")) == [LOSS_AUTH, LOSS_TALK]
    assert _findings(run_cli("check", "m.yaml", "--rule", "two-sites")) == [SITES_AUTH]


def test_a_rule_pattern_that_matches_nothing_is_an_error(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "--skip-rule", "two-site")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "resilint: error: --skip-rule: no rule matches 'two-site'; did you mean 'two-sites'?\n"
    )
    listed = run_cli("rules", "-p", "p.yaml", "--rule", "no-*", "-f", "json")
    assert [(r["id"], r["enabled"]) for r in json.loads(listed.out)["rules"]] == [
        ("facility-loss", False),
        ("two-sites", False),
        ("no-cycles", True),
    ]


def test_soft_fail_reports_and_exits_0_unless_the_input_is_bad(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "--soft-fail", "--compact")
    assert result.code == 0
    assert _findings(result) == [LOSS_AUTH, LOSS_TALK, SITES_AUTH]
    (project / "m.yaml").write_text("version: 1\nservices: [\n", encoding="utf-8")
    assert run_cli("check", "m.yaml", "-p", "p.yaml", "--soft-fail").code == 2


def test_compact_is_one_line_per_finding_and_quiet_only_the_summary(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    compact = run_cli("check", "m.yaml", "-p", "p.yaml", "--compact")
    assert "    " not in compact.out  # no cause chain
    assert len(_findings(compact)) == 3
    quiet = run_cli("check", "m.yaml", "-p", "p.yaml", "-q")
    assert quiet.code == 1
    assert quiet.out == (
        "3 failed (2 high, 1 medium), 3 passed, 0 waived (3 rules)\n"
        "checked 1 manifest file; no config\n"
    )


@pytest.mark.parametrize(
    ("mode", "environ", "terminal", "wanted"),
    [
        ("auto", {}, True, True),
        ("auto", {}, False, False),
        ("auto", {"NO_COLOR": "1"}, True, False),
        ("auto", {"NO_COLOR": ""}, True, True),
        ("auto", {"FORCE_COLOR": "1"}, False, True),
        ("auto", {"FORCE_COLOR": "0"}, False, False),
        ("auto", {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False, False),
        ("always", {"NO_COLOR": "1"}, False, True),
        ("never", {"FORCE_COLOR": "1"}, True, False),
    ],
)
def test_color_follows_the_flag_then_no_color_then_force_color_then_the_terminal(
    mode: str, environ: dict[str, str], terminal: bool, wanted: bool
) -> None:
    assert color_wanted(mode, environ, terminal) is wanted


@pytest.mark.parametrize(
    "command",
    [
        ("check", "m.yaml", "-p", "p.yaml"),
        ("what-if", "dc-a", "m.yaml"),
        ("risk-groups", "auth", "m.yaml"),
        ("graph", "m.yaml"),
        ("rules",),
        ("explain", "critical-single-facility"),
        ("schema", "policy"),
    ],
)
def test_every_command_accepts_color_before_or_after_its_name(
    project: Path, run_cli: Callable[..., Run], command: tuple[str, ...]
) -> None:
    after = run_cli(*command, "--color", "never")
    before = run_cli("--color", "NEVER", *command)
    assert after.code in (0, 1), after.err
    assert (before.code, before.out) == (after.code, after.out)
    assert "\x1b[" not in after.out


def test_color_always_colours_a_pipe_and_force_color_too(
    project: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    coloured = run_cli("check", "m.yaml", "-p", "p.yaml", "--color", "always")
    assert "\x1b[31mHIGH\x1b[0m" in coloured.out
    monkeypatch.setenv("FORCE_COLOR", "1")
    assert "\x1b[31mHIGH\x1b[0m" in run_cli("check", "m.yaml", "-p", "p.yaml").out
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in run_cli("check", "m.yaml", "-p", "p.yaml").out


def test_version_short_flag(run_cli: Callable[..., Run]) -> None:
    assert run_cli("-V").out == f"resilint {__version__}\n"
    assert run_cli("--color", "never", "-V").out == f"resilint {__version__}\n"


def test_format_dash_is_standard_output_and_names_are_case_insensitive(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "JSON=-", "--fail-on", "HIGH")
    report = json.loads(result.out)
    assert (report["fail_on"], result.code) == ("high", 1)
    sarif = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "Sarif")
    assert json.loads(sarif.out)["version"] == "2.1.0"
    assert run_cli("what-if", "dc-a", "m.yaml", "-f", "JSON").out.startswith("{")
    (project / "resilint.toml").write_text(
        'policies = ["p.yaml"]\nfail_on = "HIGH"\n[severity]\ntwo-sites = "Critical"\n', "utf-8"
    )
    result = run_cli("check", "m.yaml", "-f", "json")
    report = json.loads(result.out)
    assert report["fail_on"] == "high"
    assert {f["rule"]: f["severity"] for f in report["findings"]} == {
        "facility-loss": "high",
        "two-sites": "critical",
    }


def test_two_reports_to_one_file_is_an_error(project: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "json=r.json", "-f", "sarif=./r.json")
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "resilint: error: two reports to one file: json and sarif both go to r.json\n"
    )
    assert not (project / "r.json").exists()
