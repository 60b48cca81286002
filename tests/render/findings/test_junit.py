"""``junit``: golden output, the Jenkins XSD, one unique testcase per (rule, entity)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.core.findings import Finding, Result
from checker.core.location import Location
from checker.render.findings import ReportOptions
from checker.render.findings.junit import render
from tests.conftest import Run
from tests.render.findings.validators import junit_errors


def _tree(result: Result, options: ReportOptions) -> ET.Element:
    text = render(result, options)
    assert junit_errors(text) == []
    return ET.fromstring(text)


def test_golden(
    golden_result: Result, golden_options: ReportOptions, check_golden: Callable[[str, str], None]
) -> None:
    text = render(golden_result, golden_options)
    assert junit_errors(text) == []
    check_golden("junit/report.xml", text)


def test_the_schema_validator_does_reject_what_jenkins_rejects() -> None:
    # The attribute GitLab would like is not in junit-10.xsd: the validator must say so.
    bad = '<testsuites><testsuite name="r" tests="1" failures="0" errors="0">'
    bad += '<testcase name="a" file="m.yaml"/></testsuite></testsuites>'
    assert junit_errors(bad)
    assert junit_errors('<testsuites skipped="0"/>')


def test_one_testcase_per_rule_and_entity_passes_included(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    root = _tree(golden_result, golden_options)
    cases = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    assert len(cases) == len(set(cases))
    assert len(cases) == len({(f.rule, f.entity) for f in golden_result.findings})
    assert ("facility-loss", "search") in cases  # a pass
    assert root.get("tests") == str(len(cases))


def test_counts_agree_with_the_exit_code(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    root = _tree(golden_result, golden_options)
    failures = [c for c in root.iter("testcase") if c.find("failure") is not None]
    blocking = golden_result.failing(golden_options.fail_on)
    assert len(failures) == len(blocking) == int(root.get("failures", "-1"))
    for suite in root.iter("testsuite"):
        assert int(suite.get("failures", "")) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped", "")) == len(suite.findall("testcase/skipped"))


def test_failures_carry_path_line_col_and_the_cause_chain(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    root = _tree(golden_result, golden_options)
    case = next(c for c in root.iter("testcase") if c.get("name") == "api:v2")
    failure = case.find("failure")
    assert failure is not None
    location = "tests/golden/input/manifests/services.yaml:8:3"
    assert failure.get("message", "").startswith(f"{location}: service api:v2 does not survive")
    assert failure.get("type") == "facility-loss"
    assert (failure.text or "").splitlines() == [
        f"{location}: CRITICAL facility-loss: service api:v2 does not survive the loss of dc-a",
        "    api:v2 is down: requires auth",
        "    auth is down: 0 of 1 instances up (needs 1)",
        "    dc-a/hall is down: inside dc-a",
        "    dc-a failed",
    ]


def test_waived_known_and_below_threshold_failures_are_skipped_with_the_reason(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    root = _tree(golden_result, golden_options)
    skipped = {
        (c.get("classname"), c.get("name")): c.find("skipped") for c in root.iter("testcase")
    }
    waived = skipped[("single-facility", "auth")]
    assert waived is not None
    assert "PLAT-123" in waived.get("message", "")
    known = skipped[("facility-loss", "auth")]
    assert known is not None
    assert known.get("message", "").startswith("known failure (in the baseline)")
    stale = skipped[("stale-waiver", "singel-facility:*")]
    assert stale is not None
    assert "below fail_on=medium" in stale.get("message", "")


def test_control_characters_cannot_make_the_xml_invalid() -> None:
    finding = Finding(
        rule="r",
        entity="a",
        status="fail",
        severity="high",
        message='bad \x00\x1b[31m byte & <tag> "quoted"',
        location=Location("m.yaml", 2, 3),
    )
    root = _tree(Result.of([finding], (), ("m.yaml",)), ReportOptions())
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert "& <tag>" in failure.get("message", "")


def test_duplicate_rule_and_entity_become_one_testcase() -> None:
    finding = Finding("r", "a", "fail", "high", "first", Location("m.yaml", 2, 3))
    second = finding._replace(message="second", location=Location("m.yaml", 9, 3))
    root = _tree(Result.of([finding, second], (), ("m.yaml",)), ReportOptions())
    (case,) = root.iter("testcase")
    failure = case.find("failure")
    assert failure is not None
    assert "first" in (failure.text or "")
    assert "second" in (failure.text or "")


@pytest.mark.parametrize(("example", "code"), [("pangyo-2022", 1), ("healthy", 0)])
def test_cli_output_on_the_examples_is_valid(
    example: str,
    code: int,
    run_cli: Callable[..., Run],
    tmp_path: Path,
    example_checkout: Callable[[str], Path],
) -> None:
    example_checkout(example)
    out = tmp_path / "junit.xml"
    run = run_cli("check", "-f", f"junit={out}")
    assert (run.code, run.err) == (code, "")
    assert junit_errors(out.read_text(encoding="utf-8")) == []
