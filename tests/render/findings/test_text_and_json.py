"""``text`` and ``json``: golden output, and the JSON document's shape."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.findings import AppliedWaiver, Finding, Result
from checker.core.location import Location
from checker.render.findings import ReportOptions, json_report, text


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


_TEXT = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ['a "quoted" \\ path', "tab\there\nnew line", "\x00\x1f\x7f", "한국 ☃"]
)


@settings(max_examples=300, deadline=None)
@given(
    rule=_TEXT,
    entity=_TEXT,
    status=st.sampled_from(["fail", "pass", "waived"]),
    message=_TEXT,
    path=_TEXT,
    line=st.integers(1, 10**6),
    causes=st.lists(_TEXT, max_size=3),
    owner=st.none() | _TEXT,
    waived=st.booleans(),
    baseline=st.sampled_from([None, "new", "unchanged"]),
)
def test_each_finding_line_is_what_the_encoder_writes(
    rule: str,
    entity: str,
    status: str,
    message: str,
    path: str,
    line: int,
    causes: list[str],
    owner: str | None,
    waived: bool,
    baseline: str | None,
) -> None:
    waiver = (
        AppliedWaiver(rule, entity, message, "2027-01-01", owner, "w.yaml:3:5") if waived else None
    )
    finding = Finding(
        rule,
        entity,
        status,
        "high",
        message,
        Location(path, line, 3),
        tuple(causes),
        owner=owner,
        waiver=waiver,
        baseline=baseline,
    )
    expected = json.dumps(json_report.finding_document(finding), ensure_ascii=False)
    assert json_report.finding_line(finding) == expected
