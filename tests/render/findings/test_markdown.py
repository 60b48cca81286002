"""``markdown``: golden output, escaping and the size limit."""

from __future__ import annotations

from collections.abc import Callable

from checker.core.escape import escape_markdown
from checker.core.findings import Finding, Result
from checker.core.location import Location
from checker.render.findings import ReportOptions
from checker.render.findings.markdown import render, report


def test_golden(
    golden_result: Result, golden_options: ReportOptions, check_golden: Callable[[str, str], None]
) -> None:
    check_golden("markdown/report.md", render(golden_result, golden_options))


def test_cells_cannot_break_the_table_or_inject_html() -> None:
    assert escape_markdown("a|b") == "a\\|b"
    assert escape_markdown("<script>&") == "&lt;script&gt;&amp;"
    assert escape_markdown("one\ntwo") == "one<br>two"
    assert escape_markdown("snake_case *x*") == "snake\\_case \\*x\\*"


def test_failing_findings_come_first_with_the_cause_chain_folded(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    text = render(golden_result, golden_options)
    failures = text.index("### Failures")
    others = text.index("### Not failing the run")
    waived = text.index("### Waived")
    assert failures < others < waived
    row = next(line for line in text.splitlines() if "api:v2 does not survive" in line)
    assert row.count(" | ") == 4
    assert "<details><summary>Cause chain</summary>api:v2 is down: requires auth<br>" in row


def test_a_limit_drops_rows_whole_with_a_note() -> None:
    findings = [
        Finding("r", f"svc-{i}", "fail", "high", "m" * 100, Location("m.yaml", i + 1, 3))
        for i in range(100)
    ]
    text = report(Result.of(findings, (), ("m.yaml",)), ReportOptions(), 5000)
    assert len(text.encode()) <= 5000
    assert all(line.endswith("|") for line in text.splitlines() if line.startswith("| high"))
    assert "more findings left out" in text
