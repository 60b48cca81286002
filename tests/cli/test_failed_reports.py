"""CI reports are written even when the input is bad, and say why (exit 2)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.render.findings.validators import (
    github_sarif_problems,
    junit_errors,
    sarif_schema_errors,
)

BROKEN = (
    "version: 1\ndomains:\n  dc-a: {kind: facility}\n"
    "services:\n  auth: {tier: critical, instances: [dc-b]}\n"
)
PROBLEM = "service 'auth' refers to unknown domain 'dc-b'; did you mean 'dc-a'?"


@pytest.fixture
def broken(in_tmp: Path) -> Path:
    (in_tmp / ".git").mkdir()
    (in_tmp / "m.yaml").write_text(BROKEN, encoding="utf-8")
    return in_tmp


def test_sarif_junit_and_github_say_why_the_run_failed(
    broken: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "m.yaml", "-f", "sarif=r.sarif", "-f", "junit=r.xml", "-f", "github")
    assert result.code == 2
    assert result.err == f"m.yaml:5:38: error: {PROBLEM}\n"
    assert result.out == (
        "::error file=m.yaml,line=5,col=38,title=resilint%3A input error::" + PROBLEM + "\n"
        "resilint: 1 input error: nothing was checked (exit 2)\n"
    )

    sarif = json.loads((broken / "r.sarif").read_text(encoding="utf-8"))
    assert sarif_schema_errors(sarif) == []
    assert github_sarif_problems(sarif) == []
    (run,) = sarif["runs"]
    assert run["results"] == []
    (invocation,) = run["invocations"]
    assert invocation["executionSuccessful"] is False
    assert invocation["toolExecutionNotifications"] == [
        {
            "level": "error",
            "message": {"text": PROBLEM},
            "locations": [
                {
                    "physicalLocation": {
                        "artifactLocation": {"uri": "m.yaml", "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": 5, "startColumn": 38},
                    }
                }
            ],
        }
    ]

    junit = (broken / "r.xml").read_text(encoding="utf-8")
    assert junit_errors(junit) == []
    root = ET.fromstring(junit)
    assert (root.get("tests"), root.get("errors"), root.get("failures")) == ("1", "1", "0")
    case = root.find("testsuite/testcase")
    assert case is not None
    assert (case.get("classname"), case.get("name")) == ("resilint.input", "m.yaml:5:38")
    error = case.find("error")
    assert error is not None
    assert error.get("message") == f"m.yaml:5:38: error: {PROBLEM}"


def test_json_gitlab_markdown_and_text_say_why(broken: Path, run_cli: Callable[..., Run]) -> None:
    args = ["-f", "json=r.json", "-f", "gitlab=g.json", "-f", "markdown=r.md", "-f", "text=r.txt"]
    assert run_cli("check", "m.yaml", *args).code == 2
    report = json.loads((broken / "r.json").read_text(encoding="utf-8"))
    assert (report["failed"], report["findings"], report["errors"]) == (
        True,
        [],
        [{"message": PROBLEM, "location": {"path": "m.yaml", "line": 5, "column": 38}}],
    )
    (issue,) = json.loads((broken / "g.json").read_text(encoding="utf-8"))
    assert (issue["check_name"], issue["severity"], issue["description"]) == (
        "resilint-input-error",
        "blocker",
        PROBLEM,
    )
    assert issue["location"] == {"path": "m.yaml", "lines": {"begin": 5}}
    markdown = (broken / "r.md").read_text(encoding="utf-8")
    assert "Result: **error**: 1 input error, nothing was checked." in markdown
    assert f"| m.yaml:5:38 | {PROBLEM} |\n" in markdown
    assert (broken / "r.txt").read_text(encoding="utf-8") == (
        f"m.yaml:5:38: error: {PROBLEM}\nresilint: 1 input error: nothing was checked\n"
    )


def test_json_on_standard_output_carries_the_errors(
    broken: Path, run_cli: Callable[..., Run]
) -> None:
    result = run_cli("check", "m.yaml", "-f", "json")
    assert result.code == 2
    assert json.loads(result.out)["errors"][0]["message"] == PROBLEM


def test_a_policy_typo_is_reported_at_the_policy_in_the_reports(
    broken: Path, run_cli: Callable[..., Run]
) -> None:
    (broken / "m.yaml").write_text(BROKEN.replace("dc-b", "dc-a"), encoding="utf-8")
    (broken / "p.yaml").write_text(
        "version: 1\nrules:\n  r: {title: T, severity: high, survives: {loss_of: facilty}}\n",
        encoding="utf-8",
    )
    result = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "sarif=r.sarif", "-f", "github")
    assert result.code == 2
    message = (
        "rule 'r': survives.loss_of: unknown kind 'facilty'; did you mean 'facility'? "
        "(kinds in the manifests: facility)"
    )
    assert result.out.splitlines()[0] == (
        f"::error file=p.yaml,line=3,col=44,title=resilint%3A input error::{message}"
    )
    sarif = json.loads((broken / "r.sarif").read_text(encoding="utf-8"))
    (notification,) = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert notification["message"]["text"] == message
    location = notification["locations"][0]["physicalLocation"]
    assert (location["artifactLocation"]["uri"], location["region"]["startLine"]) == ("p.yaml", 3)


def test_the_configured_reports_are_written_too(broken: Path, run_cli: Callable[..., Run]) -> None:
    (broken / "resilint.toml").write_text(
        'manifests = ["m.yaml"]\nformat = ["text", "sarif=r.sarif"]\nfial_on = "high"\n',
        encoding="utf-8",
    )
    result = run_cli("check")
    assert result.code == 2
    assert result.err.splitlines() == [
        "resilint.toml:3:1: error: unknown key 'fial_on' in (top level); did you mean 'fail_on'?",
        f"m.yaml:5:38: error: {PROBLEM}",
    ]
    sarif = json.loads((broken / "r.sarif").read_text(encoding="utf-8"))
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert [n["message"]["text"] for n in notes] == [
        "unknown key 'fial_on' in (top level); did you mean 'fail_on'?",
        PROBLEM,
    ]
