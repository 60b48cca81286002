"""Waivers: in force, expired, stale, and every way a waivers file can be wrong."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from checker.core.findings import Finding, Result
from checker.core.location import Location
from checker.gate.waivers import STALE_RULE, PlacedWaiver, Waiver, apply_waivers
from tests.conftest import Run

TODAY = date(2026, 3, 1)

MANIFEST = """\
version: 1
domains:
  dc-a: {kind: facility}
  dc-b: {kind: facility}
services:
  auth:
    tier: critical
    instances: [dc-a]
  api-v1:
    tier: critical
    instances: [dc-a]
  api-v2:
    tier: critical
    instances: [dc-a, dc-b]
"""
POLICY = """\
version: 1
rules:
  single-facility:
    title: Critical service runs in a single facility
    severity: high
    aliases: [one-building]
    select: {tier: critical}
    spread: {across: facility, min: 2}
"""


def _finding(entity: str, status: str = "fail", rule: str = "single-facility") -> Finding:
    return Finding(
        rule, entity, status, "high", f"service {entity} fails", Location("m.yaml", 3, 3)
    )


def _result(*findings: Finding) -> Result:
    return Result.of(list(findings), (), ("m.yaml",))


def _waiver(rule: str, target: str, expires: date, line: int = 3) -> PlacedWaiver:
    waiver = Waiver(rule=rule, target=target, reason="accepted for now", expires=expires)
    return PlacedWaiver(waiver, Location("waivers.yaml", line, 5))


# The pure function -------------------------------------------------------------------


def test_a_waiver_in_force_waives_its_finding_and_says_why() -> None:
    result = apply_waivers(_result(_finding("auth")), [_waiver("*", "auth", TODAY)], TODAY)
    (finding,) = result.findings
    assert finding.status == "waived"
    assert finding.waiver is not None
    assert finding.waiver.as_json() == {
        "rule": "*",
        "target": "auth",
        "reason": "accepted for now",
        "expires": "2026-03-01",
        "owner": None,
        "location": "waivers.yaml:3:5",
    }
    assert result.summary["waived"] == 1
    assert not result.failing("info")


def test_a_waiver_past_its_date_no_longer_applies_and_the_finding_says_when() -> None:
    yesterday = TODAY - timedelta(days=1)
    result = apply_waivers(_result(_finding("auth")), [_waiver("*", "auth", yesterday)], TODAY)
    (finding,) = result.findings
    assert finding.status == "fail"
    assert finding.message == ("service auth fails (waiver expired 2026-02-28: accepted for now)")
    assert finding.waiver is None
    assert result.failing("low") == [finding]


@pytest.mark.parametrize(
    ("rule", "target", "waived"),
    [
        ("single-facility", "api-*", {"api-v1"}),
        ("*-facility", "*", {"auth", "api-v1"}),
        ("single-facility", "api-v1", {"api-v1"}),
        ("other-rule", "*", set()),
        ("single-facility", "API-V1", set()),
    ],
)
def test_rule_and_target_match_ids_or_globs(rule: str, target: str, waived: set[str]) -> None:
    result = _result(_finding("auth"), _finding("api-v1"), _finding("api-v2", "pass"))
    after = apply_waivers(result, [_waiver(rule, target, TODAY)], TODAY)
    assert {f.entity for f in after.findings if f.status == "waived"} == waived


def test_a_waiver_that_matches_nothing_is_reported_as_info_at_its_line() -> None:
    result = apply_waivers(
        _result(_finding("auth")), [_waiver("single-facility", "gone", TODAY, line=7)], TODAY
    )
    stale = [f for f in result.findings if f.rule == STALE_RULE]
    (finding,) = stale
    assert finding.severity == "info"
    assert finding.status == "fail"
    assert finding.location == Location("waivers.yaml", 7, 5)
    assert "matches no failing finding" in finding.message
    assert result.failing("low") == [f for f in result.findings if f.entity == "auth"]
    assert finding in result.failing("info")


def test_a_waiver_whose_finding_now_passes_is_stale_and_says_so() -> None:
    result = apply_waivers(
        _result(_finding("api-v2", "pass")), [_waiver("*", "api-v2", TODAY)], TODAY
    )
    (stale,) = [f for f in result.findings if f.rule == STALE_RULE]
    assert "api-v2 now passes single-facility, so it is no longer needed" in stale.message


def test_an_expired_waiver_that_matches_nothing_says_both() -> None:
    old = TODAY - timedelta(days=30)
    result = apply_waivers(_result(), [_waiver("single-facility", "gone", old)], TODAY)
    (stale,) = result.findings
    assert f"it also expired on {old.isoformat()}" in stale.message


def test_the_first_waiver_in_force_wins_and_expired_ones_are_not_stale() -> None:
    old = TODAY - timedelta(days=1)
    waivers = [_waiver("*", "auth", old, line=3), _waiver("*", "auth", TODAY, line=9)]
    result = apply_waivers(_result(_finding("auth")), waivers, TODAY)
    (finding,) = result.findings
    assert finding.status == "waived"
    assert finding.waiver is not None
    assert finding.waiver.location == "waivers.yaml:9:5"


def test_no_waivers_changes_nothing() -> None:
    result = _result(_finding("auth"))
    assert apply_waivers(result, [], TODAY) is result


# Through the command line (today is the real date) -------------------------------------


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / "manifests").mkdir()
    (in_tmp / "manifests" / "services.yaml").write_text(MANIFEST, encoding="utf-8")
    (in_tmp / "policy.yaml").write_text(POLICY, encoding="utf-8")
    return in_tmp


def _waivers_file(path: Path, *entries: tuple[str, str, str]) -> Path:
    lines = ["version: 1", "waivers:"]
    for rule, target, expires in entries:
        lines += [
            f'  - rule: "{rule}"',
            f'    target: "{target}"',
            "    reason: second site planned (PLAT-1)",
            f"    expires: {expires}",
            "    owner: platform",
        ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _check(run_cli: Callable[..., Run], *args: str) -> Run:
    return run_cli("check", "manifests", "-p", "policy.yaml", *args)


def test_cli_waived_findings_do_not_fail_the_run(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    later = (date.today() + timedelta(days=30)).isoformat()
    _waivers_file(project / "waivers.yaml", ("one-building", "a*", later))
    run = _check(run_cli, "--waivers", "waivers.yaml", "-f", "json")
    assert run.code == 0, run.out + run.err
    document = json.loads(run.out)
    assert document["summary"] == {"pass": 1, "fail": 0, "waived": 2}
    waived = document["findings"][0]
    assert waived["status"] == "waived"
    assert waived["waiver"]["reason"] == "second site planned (PLAT-1)"
    assert waived["waiver"]["expires"] == later
    assert waived["waiver"]["location"] == "waivers.yaml:3:5"


def test_cli_expired_waiver_fails_again_and_says_when(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    past = (date.today() - timedelta(days=1)).isoformat()
    _waivers_file(project / "waivers.yaml", ("single-facility", "auth", past))
    run = _check(run_cli, "--waivers", "waivers.yaml")
    assert run.code == 1
    assert (
        "manifests/services.yaml:6:3: HIGH single-facility: service auth runs in 1 facility "
        f"(dc-a), needs at least 2 (waiver expired {past}: second site planned (PLAT-1))\n"
    ) in run.out


def test_cli_stale_waiver_is_reported_but_fails_only_at_fail_on_info(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    later = (date.today() + timedelta(days=30)).isoformat()
    _waivers_file(
        project / "waivers.yaml",
        ("single-facility", "a*", later),
        ("single-facility", "decommissioned", later),
    )
    run = _check(run_cli, "--waivers", "waivers.yaml")
    assert run.code == 0
    assert (
        "waivers.yaml:8:5: INFO stale-waiver: waiver for single-facility on decommissioned "
        "matches no failing finding" in run.out
    )
    assert _check(run_cli, "--waivers", "waivers.yaml", "--fail-on", "info").code == 1


def test_cli_waivers_from_the_config_resolve_against_the_config_and_are_not_manifests(
    project: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    later = (date.today() + timedelta(days=30)).isoformat()
    # Inside the manifest directory: it must not be read as a manifest.
    _waivers_file(project / "manifests" / "waivers.yaml", ("*", "*", later))
    (project / "resilint.toml").write_text(
        'manifests = ["manifests"]\npolicies = ["policy.yaml"]\n'
        'waivers = "manifests/waivers.yaml"\n',
        encoding="utf-8",
    )
    # From another directory, the config's relative paths still mean the same files.
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    run = run_cli("check", "--config", "../resilint.toml", "-f", "json")
    assert (run.code, run.err) == (0, "")
    document = json.loads(run.out)
    manifests = project.resolve() / "manifests"
    assert document["files"] == [str(manifests / "services.yaml")]
    assert document["summary"] == {"pass": 1, "fail": 0, "waived": 2}
    waived = [f for f in document["findings"] if f["status"] == "waived"]
    assert [f["entity"] for f in waived] == ["auth", "api-v1"]
    assert {f["waiver"]["location"] for f in waived} == {f"{manifests / 'waivers.yaml'}:3:5"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "version: 1\nwaivers:\n  - rule: a\n    target: b\n    reason: c\n",
            "waivers.yaml:3:5: error: waivers[0]: missing required key 'expires'",
        ),
        (
            "version: 1\nwaivers:\n  - rule: a\n    target: b\n    reason: c\n"
            "    expires: next week\n",
            "waivers.yaml:6:5: error: waivers[0].expires: expires must be a date",
        ),
        (
            "version: 1\nwaivers:\n  - rule: a\n    target: b\n    reason: c\n"
            "    expires: 2026-01-31T10:00:00\n",
            "waivers.yaml:6:5: error: waivers[0].expires: expires must be a date",
        ),
        (
            "version: 1\nwaivers:\n  - rule: a\n    target: b\n    reason: c\n"
            "    expiry: 2026-01-31\n    expires: 2026-01-31\n",
            "waivers.yaml:6:5: error: unknown key 'expiry' in waivers[0]; did you mean 'expires'?",
        ),
        (
            "version: 1\nwaivers:\n  - rule: a\n    target: b\n    reason: ''\n"
            "    expires: 2026-01-31\n",
            "waivers.yaml:5:5: error: waivers[0].reason:",
        ),
        ("version: 2\nwaivers: []\n", "waivers.yaml:1:1: error: version:"),
        ("waivers: [", "waivers.yaml:2:1: error: invalid YAML"),
    ],
)
def test_cli_bad_waivers_file_is_exit_2_with_file_line_col(
    project: Path, run_cli: Callable[..., Run], text: str, expected: str
) -> None:
    (project / "waivers.yaml").write_text(text, encoding="utf-8")
    run = _check(run_cli, "--waivers", "waivers.yaml")
    assert run.code == 2
    assert run.err.startswith(expected), run.err
    assert "Traceback" not in run.err


def test_cli_missing_waivers_file_is_exit_2(project: Path, run_cli: Callable[..., Run]) -> None:
    run = _check(run_cli, "--waivers", "nope.yaml")
    assert run.code == 2
    assert "waivers file not found: nope.yaml" in run.err


@pytest.mark.parametrize(
    ("name", "text"),
    [
        (
            "waivers.toml",
            'version = 1\n[[waivers]]\nrule = "single-facility"\ntarget = "*"\n'
            'reason = "r"\nexpires = {date}\n',
        ),
        (
            "waivers.json",
            '{{"version": 1, "waivers": [{{"rule": "single-facility", "target": "*", '
            '"reason": "r", "expires": "{date}"}}]}}',
        ),
    ],
)
def test_cli_waivers_in_toml_and_json(
    project: Path, run_cli: Callable[..., Run], name: str, text: str
) -> None:
    later = (date.today() + timedelta(days=1)).isoformat()
    (project / name).write_text(text.format(date=later), encoding="utf-8")
    run = _check(run_cli, "--waivers", name, "-f", "json")
    assert (run.code, run.err) == (0, "")
    document = json.loads(run.out)
    assert document["summary"] == {"pass": 1, "fail": 0, "waived": 2}
    waivers = {f["entity"]: f["waiver"] for f in document["findings"] if f["status"] == "waived"}
    assert list(waivers) == ["auth", "api-v1"]
    assert {(w["reason"], w["expires"]) for w in waivers.values()} == {("r", later)}
