"""``text`` and ``json``: golden output, and the JSON document's shape."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.findings import SEVERITY_RANK, Finding, Result
from checker.render.findings import ReportOptions, json_report, text
from tests.strategies import findings


def test_text_golden(
    golden_result: Result, golden_options: ReportOptions, check_golden: Callable[[str, str], None]
) -> None:
    check_golden("text/report.txt", text.render(golden_result, golden_options))


def test_text_all_golden(
    golden_result: Result, golden_options: ReportOptions, check_golden: Callable[[str, str], None]
) -> None:
    options = dataclasses.replace(golden_options, show_passing=True)
    check_golden("text/report-all.txt", text.render(golden_result, options))


def test_text_colours_only_when_asked(golden_result: Result, golden_options: ReportOptions) -> None:
    assert "\x1b[" not in text.render(golden_result, golden_options)
    coloured = text.render(golden_result, dataclasses.replace(golden_options, color=True))
    assert "\x1b[1;31m" in coloured or "\x1b[31m" in coloured


def test_json_golden(
    golden_result: Result, golden_options: ReportOptions, check_golden: Callable[[str, str], None]
) -> None:
    check_golden("json/report.json", json_report.render(golden_result, golden_options))


def test_json_document_is_valid_and_complete(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    options = dataclasses.replace(golden_options, show_passing=True)
    document = json.loads(json_report.render(golden_result, options))
    assert document["version"] == 1
    assert document["summary"] == dict(golden_result.summary)
    assert len(document["findings"]) == len(golden_result.findings)
    statuses = {f["status"] for f in document["findings"]}
    assert statuses <= {"pass", "fail", "waived"}
    assert all(f["waiver"] for f in document["findings"] if f["status"] == "waived")


@settings(max_examples=300, deadline=None)
@given(findings())
def test_each_finding_line_is_what_the_encoder_writes(finding: Finding) -> None:
    expected = json.dumps(json_report.finding_document(finding), ensure_ascii=False)
    assert json_report.finding_line(finding) == expected


@settings(max_examples=200, deadline=None)
@given(
    st.lists(findings().filter(lambda f: f.severity != "odd"), max_size=12),
    st.booleans(),
    st.sampled_from(["low", "high"]),
)
def test_text_lists_by_gate_severity_then_place(
    found: list[Finding], show_passing: bool, fail_on: str
) -> None:
    # ``ordered`` sorts by gate and severity only, relying on a result's findings being
    # in place order already: the same order as sorting by all three.
    result = Result.of(list(found), (), ())
    options = ReportOptions(show_passing=show_passing, fail_on=fail_on)
    shown = [f for f in result.findings if show_passing or (f.status != "pass" and not f.known)]

    def full(finding: Finding) -> tuple[int, int, tuple[str, int, int, int, str, str]]:
        group = text._group(finding, fail_on)
        severity = 0 if group == 4 else SEVERITY_RANK.get(finding.severity, 0)
        return group, severity, finding.sort_key

    assert text.ordered(result, options) == sorted(shown, key=full)
