"""``text`` and ``json``: golden output, and the JSON document's shape."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from hypothesis import given, settings

from checker.core.findings import Finding, Result
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
