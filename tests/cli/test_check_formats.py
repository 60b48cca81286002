"""``check --format``: every CI format from one run, the environment they adapt to, and
how thresholds, severity overrides and disabled rules show in them."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from checker.render.findings import REPORTERS
from tests.conftest import Run
from tests.render.findings.validators import (
    github_sarif_problems,
    junit_errors,
    sarif_schema_errors,
)

MANIFEST = """\
version: 1
domains:
  dc-a: {kind: facility}
  dc-a/ups: {kind: ups, parent: dc-a}
  dc-a/hall: {kind: hall, parent: dc-a, depends_on: [dc-a/ups]}
  dc-b: {kind: facility}
services:
  auth:
    tier: critical
    instances: [dc-a/hall]
  talk:
    tier: critical
    instances: [dc-a/hall, dc-b]
    depends_on: [auth]
  wiki:
    tier: low
    instances: [dc-b]
"""
POLICY = """\
version: 1
rules:
  facility-loss:
    title: Survive a facility loss
    severity: critical
    select: {tier: critical}
    survives: {loss_of: facility}
  two-sites:
    title: Two facilities
    severity: low
    spread: {across: facility, min: 2}
"""


@pytest.fixture
def project(in_tmp: Path) -> Path:
    (in_tmp / ".git").mkdir()  # the repository root, for repo-relative paths
    (in_tmp / "infra" / "prod").mkdir(parents=True)
    (in_tmp / "infra" / "prod" / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (in_tmp / "infra" / "prod" / "p.yaml").write_text(POLICY, encoding="utf-8")
    return in_tmp


def _outputs(root: Path) -> list[str]:
    return [f"--format={name}={root / 'out' / name}" for name in REPORTERS if name != "text"]


def test_help_lists_every_format(run_cli: Callable[..., Run]) -> None:
    run = run_cli("check", "--help")
    for name in REPORTERS:
        assert name in run.out
    assert "--waivers" in run.out
    assert "--baseline" in run.out
    assert "--write-baseline" in run.out


def test_every_format_in_one_run_from_a_subdirectory_of_the_repository(
    project: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project / "infra" / "prod")
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "text", *_outputs(project))
    assert run.code == 1
    assert run.out.startswith("m.yaml:")  # text stays relative to the working directory
    out = project / "out"

    log = json.loads((out / "sarif").read_text(encoding="utf-8"))
    assert sarif_schema_errors(log) == []
    assert github_sarif_problems(log) == []
    uris = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        for r in log["runs"][0]["results"]
    }
    assert uris == {"infra/prod/m.yaml"}  # CI wants them relative to the repository

    assert junit_errors((out / "junit").read_text(encoding="utf-8")) == []
    issues = json.loads((out / "gitlab").read_text(encoding="utf-8"))
    assert {i["location"]["path"] for i in issues} == {"infra/prod/m.yaml"}
    github = (out / "github").read_text(encoding="utf-8")
    assert github.startswith("::error file=infra/prod/m.yaml,line=")
    assert (out / "markdown").read_text(encoding="utf-8").startswith("## resilint\n")
    assert json.loads((out / "json").read_text(encoding="utf-8"))["failed"] is True


def test_formats_from_the_config(project: Path, run_cli: Callable[..., Run]) -> None:
    (project / "resilint.toml").write_text(
        'manifests = ["infra/prod/m.yaml"]\npolicies = ["infra/prod/p.yaml"]\n'
        'format = ["github", "sarif=reports/resilint.sarif"]\n',
        encoding="utf-8",
    )
    run = run_cli("check")
    assert (run.code, run.err) == (1, "")
    # github on stdout, SARIF to the configured file: the same four failures in both.
    annotations = [line for line in run.out.splitlines() if line.startswith("::")]
    assert [line.split("::")[1] for line in annotations] == [
        "error file=infra/prod/m.yaml,line=8,col=3,title=CRITICAL facility-loss",
        "error file=infra/prod/m.yaml,line=11,col=3,title=CRITICAL facility-loss",
        "error file=infra/prod/m.yaml,line=8,col=3,title=LOW two-sites",
        "error file=infra/prod/m.yaml,line=15,col=3,title=LOW two-sites",
    ]
    log = json.loads((project / "reports" / "resilint.sarif").read_text(encoding="utf-8"))
    assert sarif_schema_errors(log) == []
    results = {(r["ruleId"], r["properties"]["entity"]) for r in log["runs"][0]["results"]}
    assert results == {
        ("facility-loss", "auth"),
        ("facility-loss", "talk"),
        ("two-sites", "auth"),
        ("two-sites", "wiki"),
    }


def _waive_auth(project: Path) -> None:
    later = (date.today() + timedelta(days=7)).isoformat()
    (project / "waivers.yaml").write_text(
        "version: 1\nwaivers:\n"
        f"  - {{rule: '*', target: auth, reason: moving to dc-b, expires: {later}}}\n",
        encoding="utf-8",
    )


def test_under_github_actions_sarif_leaves_out_waived_results(
    project: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    _waive_auth(project)
    args = ["check", "infra", "-p", "infra/prod/p.yaml", "--waivers", "waivers.yaml"]

    def entities(env: str | None) -> set[str]:
        if env is None:
            monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
        else:
            monkeypatch.setenv("GITHUB_ACTIONS", env)
        assert run_cli(*args, "-f", "sarif=out.sarif").code == 1
        log = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
        assert github_sarif_problems(log) == []
        return {r["properties"]["entity"] for r in log["runs"][0]["results"]}

    assert entities(None) == {"auth", "talk", "wiki"}
    assert entities("true") == {"talk", "wiki"}


def test_fail_on_and_severity_overrides_decide_what_fails_everywhere(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "resilint.toml").write_text(
        'manifests = ["infra"]\npolicies = ["infra/prod/p.yaml"]\n'
        'fail_on = "high"\n[severity]\n"facility-loss" = "medium"\n',
        encoding="utf-8",
    )
    run = run_cli("check", "-f", "junit=out.xml", "-f", "sarif=out.sarif")
    # Both rules are now below fail_on=high: reported, not failing.
    assert run.code == 0
    junit = ET.parse(project / "out.xml").getroot()
    assert junit.get("failures") == "0"
    assert len(junit.findall(".//skipped")) == 4
    log = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
    rules = {r["id"]: r for r in log["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["facility-loss"]["defaultConfiguration"]["level"] == "warning"
    assert run_cli("check", "--fail-on", "medium").code == 1


def test_disabled_rules_are_not_in_any_format(project: Path, run_cli: Callable[..., Run]) -> None:
    (project / "resilint.toml").write_text(
        'manifests = ["infra"]\npolicies = ["infra/prod/p.yaml"]\ndisable = ["two-sites"]\n',
        encoding="utf-8",
    )
    assert run_cli("check", "-f", "junit=out.xml", "-f", "sarif=out.sarif").code == 1
    log = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["facility-loss"]
    junit = ET.parse(project / "out.xml").getroot()
    assert [s.get("name") for s in junit.iter("testsuite")] == ["facility-loss"]
