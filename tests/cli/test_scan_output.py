"""Output a person can scan: what fails first, who owns it, what does not gate, what is
already known, and no chain told twice."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.conftest import Run

MANIFEST = """\
version: 1
domains:
  dc-a: {kind: facility}
  dc-a/ups: {kind: ups, parent: dc-a}
  dc-a/hall: {kind: hall, parent: dc-a, depends_on: [dc-a/ups]}
  dc-b: {kind: facility}
services:
  wiki:
    tier: low
    owner: docs
    instances: [dc-a/hall]
  auth:
    tier: critical
    owner: identity
    instances: [dc-a/hall]
  talk:
    tier: critical
    owner: messaging
    instances: [dc-a/hall, dc-b]
    depends_on: [auth]
"""
POLICY = """\
version: 1
rules:
  two-sites:
    title: Two sites
    severity: low
    spread: {across: facility}
  facility-loss:
    title: Survive a facility loss
    severity: critical
    select: {tier: critical}
    survives: {loss_of: facility}
"""


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (in_tmp / "p.yaml").write_text(POLICY, encoding="utf-8")
    return in_tmp


def test_failing_findings_first_by_severity_with_owner_and_not_gating_marked(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "--fail-on", "medium", "--all")
    assert result.out.splitlines() == [
        "m.yaml:12:3: CRITICAL facility-loss: service auth does not survive the loss of dc-a "
        "(owner: identity)",
        "    auth is down: 0 of 1 instances up (needs 1)",
        "    dc-a/hall is down: inside dc-a",
        "    dc-a failed",
        "m.yaml:16:3: CRITICAL facility-loss: service talk does not survive the loss of dc-a "
        "(owner: messaging)",
        "    talk is down: requires auth",
        "    auth is down: 0 of 1 instances up (needs 1)",
        "    dc-a/hall is down: inside dc-a",
        "    dc-a failed",
        "m.yaml:8:3: LOW two-sites: service wiki runs in 1 facility (dc-a), needs at least 2 "
        "(owner: docs; not gating: below fail_on=medium)",
        "m.yaml:12:3: LOW two-sites: service auth runs in 1 facility (dc-a), needs at least 2 "
        "(owner: identity; not gating: below fail_on=medium)",
        "m.yaml:16:3: PASS two-sites: service talk runs in 2 facilities: dc-a, dc-b "
        "(owner: messaging)",
        "",
        "4 failed (2 critical, 2 low), 1 passed, 0 waived (2 rules); 2 at or above fail_on=medium",
        "checked 1 manifest file; no config",
    ]


def test_known_failures_are_folded_into_a_count_unless_all(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    run_cli("check", "m.yaml", "-p", "p.yaml", "--write-baseline", "b.json")
    (project / "m.yaml").write_text(
        MANIFEST.replace("instances: [dc-a/hall]\n  auth", "instances: [dc-b]\n  auth")
        + "  new:\n    tier: low\n    instances: [dc-a]\n",
        encoding="utf-8",
    )
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "--baseline", "b.json")
    assert result.code == 1
    assert result.out.splitlines() == [
        "m.yaml:21:3: LOW two-sites: service new runs in 1 facility (dc-a), needs at least 2",
        "",
        "4 failures already in the baseline not listed (--all lists them)",
        "",
        "5 failed (2 critical, 3 low), 1 passed, 0 waived (2 rules); 1 at or above fail_on=low "
        "and not in the baseline (4 known)",
        "checked 1 manifest file; no config",
    ]
    everything = run_cli("check", "m.yaml", "-p", "p.yaml", "--baseline", "b.json", "--all")
    assert (
        "m.yaml:12:3: CRITICAL facility-loss: service auth does not survive the loss of dc-a "
        "(owner: identity; known: in the baseline)"
    ) in everything.out.splitlines()


def test_waived_findings_show_their_expiry(project: Path, run_cli: Callable[..., Run]) -> None:
    expires = (date.today() + timedelta(days=30)).isoformat()
    (project / "w.yaml").write_text(
        "version: 1\nwaivers:\n  - rule: two-sites\n    target: wiki\n"
        f"    reason: Docs can wait.\n    expires: {expires}\n",
        encoding="utf-8",
    )
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "--waivers", "w.yaml", "--compact")
    lines = result.out.splitlines()
    assert lines[3] == (
        "m.yaml:8:3: WAIVED two-sites: service wiki runs in 1 facility (dc-a), needs at least 2 "
        "(owner: docs)"
    )
    full = run_cli("check", "m.yaml", "-p", "p.yaml", "--waivers", "w.yaml").out.splitlines()
    waived = full.index(lines[3])
    assert full[waived + 1] == f"    waived until {expires}: Docs can wait."


def test_what_if_names_the_domains_down_and_tells_each_chain_once(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("what-if", "dc-a/ups", "m.yaml")
    assert result.out == (
        "what-if dc-a/ups fails: 3 services down, 0 up; 2 domains down\n"
        "\n"
        "DOMAINS DOWN\n"
        "  dc-a/ups (failed), dc-a/hall\n"
        "\n"
        "DOWN\n"
        "  auth (critical)\n"
        "      auth is down: 0 of 1 instances up (needs 1)\n"
        "      dc-a/hall is down: requires dc-a/ups\n"
        "      dc-a/ups failed\n"
        "  talk (critical)\n"
        "      talk is down: requires auth\n"
        "      auth is down: 0 of 1 instances up (needs 1) (as above)\n"
        "  wiki (low)\n"
        "      wiki is down: 0 of 1 instances up (needs 1)\n"
        "      dc-a/hall is down: requires dc-a/ups (as above)\n"
    )


def test_risk_groups_without_chains(project: Path, run_cli: Callable[..., Run]) -> None:
    result = run_cli("risk-groups", "talk", "m.yaml", "--no-chains")
    assert result.out == (
        "minimal risk groups of up to 2 domains (4 candidate domains of any kind)\n"
        "\n"
        "talk (critical): 3 minimal risk groups, 3 single points of failure\n"
        "  {dc-a}\n"
        "  {dc-a/hall}\n"  # takes down as many services as dc-a/ups: then by id
        "  {dc-a/ups}\n"
    )
