"""``gitlab``: golden output and what GitLab Code Quality requires of each issue."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path

from checker.core.findings import Result
from checker.core.location import Location
from checker.render.findings import ReportOptions
from checker.render.findings.gitlab import render
from tests.conftest import Run

GITLAB_SEVERITIES = {"info", "minor", "major", "critical", "blocker"}


def test_golden(
    golden_result: Result, golden_options: ReportOptions, check_golden: Callable[[str, str], None]
) -> None:
    check_golden("gitlab/report.json", render(golden_result, golden_options))


def test_every_issue_has_what_gitlab_reads(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    issues = json.loads(render(golden_result, golden_options))
    assert isinstance(issues, list)
    assert len(issues) == sum(1 for f in golden_result.findings if f.status == "fail")
    for issue in issues:
        assert issue["description"].strip()
        assert issue["check_name"].strip()
        assert issue["severity"] in GITLAB_SEVERITIES
        assert len(issue["fingerprint"]) == 32
        assert issue["location"]["path"].startswith("tests/golden/input/")
        assert issue["location"]["lines"]["begin"] >= 1
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    by_check = {(i["check_name"], i["location"]["lines"]["begin"]): i for i in issues}
    assert by_check[("facility-loss", 8)]["severity"] == "blocker"
    assert by_check[("everything-spread", 12)]["severity"] == "minor"


def test_fingerprints_come_from_rule_and_entity_never_the_line(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    moved = dataclasses.replace(
        golden_result,
        findings=tuple(
            f._replace(location=Location("x/y.yaml", f.location.line * 3, 1))
            for f in reversed(golden_result.findings)
        ),
    )
    before = {i["fingerprint"] for i in json.loads(render(golden_result, golden_options))}
    after = {i["fingerprint"] for i in json.loads(render(moved, golden_options))}
    assert before == after


def test_written_file_is_utf8_without_a_byte_order_mark(
    run_cli: Callable[..., Run],
    tmp_path: Path,
    example_checkout: Callable[[str], Path],
) -> None:
    example_checkout("pangyo-2022")
    out = tmp_path / "gl-code-quality-report.json"
    assert run_cli("check", "-f", f"gitlab={out}").code == 1
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    issues = json.loads(raw.decode("utf-8"))
    assert {i["location"]["path"] for i in issues} == {"examples/pangyo-2022/services.yaml"}
