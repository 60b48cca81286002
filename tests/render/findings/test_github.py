"""``github``: workflow commands escaped as ``@actions/core`` does, and the job summary."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.core.findings import Finding, Result
from checker.core.location import Location
from checker.render.findings import ReportOptions
from checker.render.findings.github import escape_data, escape_property, render, summary_markdown
from tests.conftest import Run


def test_golden(
    golden_result: Result, golden_options: ReportOptions, check_golden: Callable[[str, str], None]
) -> None:
    check_golden("github/report.txt", render(golden_result, golden_options))


@pytest.mark.parametrize(
    ("text", "data", "prop"),
    [
        ("plain", "plain", "plain"),
        ("100%", "100%25", "100%25"),
        ("a\r\nb", "a%0D%0Ab", "a%0D%0Ab"),
        ("k: v, w", "k: v, w", "k%3A v%2C w"),
        ("%0A", "%250A", "%250A"),
    ],
)
def test_escaping_matches_actions_core(text: str, data: str, prop: str) -> None:
    # @actions/core command.ts: escapeData and escapeProperty.
    assert escape_data(text) == data
    assert escape_property(text) == prop


def test_errors_first_then_warnings(golden_result: Result, golden_options: ReportOptions) -> None:
    lines = render(golden_result, golden_options).splitlines()
    kinds = [line.split(" ", 1)[0] for line in lines if line.startswith("::")]
    assert kinds == sorted(kinds, key=lambda kind: kind != "::error")
    assert kinds.count("::error") == len(golden_result.failing("medium"))
    assert not any(line.startswith("::") for line in lines[len(kinds) :])


def test_a_command_names_file_line_col_and_title() -> None:
    finding = Finding(
        rule="r",
        entity="a",
        status="fail",
        severity="high",
        message="50% of a, b: down\nsecond line",
        location=Location("deploy/m,1.yaml", 7, 5),
        causes=("x: y",),
    )
    (line, _) = render(Result.of([finding], (), ()), ReportOptions()).splitlines()
    assert line == (
        "::error file=deploy/m%2C1.yaml,line=7,col=5,title=HIGH r"
        "::50%25 of a, b: down%0Asecond line%0A  x: y"
    )


def test_step_summary_is_appended_when_github_says_where(
    run_cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    example_checkout: Callable[[str], Path],
) -> None:
    summary = tmp_path / "summary.md"
    summary.write_text("# earlier step\n", encoding="utf-8")
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    example_checkout("pangyo-2022")
    run = run_cli("check", "-f", "github")
    assert run.code == 1
    assert run.out.startswith("::error file=examples/pangyo-2022/services.yaml,line=11,col=3,")
    text = summary.read_text(encoding="utf-8")
    assert text.startswith("# earlier step\n## resilint\n")
    assert "| critical | facility-loss-not-survived | kakaotalk |" in text


def test_no_step_summary_without_the_variable(
    run_cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    example_checkout: Callable[[str], Path],
) -> None:
    example_checkout("pangyo-2022")
    summary = tmp_path / "summary.md"
    monkeypatch.setenv("GITHUB_STEP_SUMMARY", str(summary))
    with_summary = run_cli("check", "-f", "github")
    written = summary.read_text(encoding="utf-8")
    assert written.startswith("## resilint\n")

    monkeypatch.delenv("GITHUB_STEP_SUMMARY")
    files_before = sorted(tmp_path.rglob("*"))
    run = run_cli("check", "-f", "github")
    assert (run.code, run.err) == (1, "")
    # Every annotation is on stdout all the same, and no summary is written anywhere.
    assert run.out == with_summary.out
    assert run.out.startswith("::error file=examples/pangyo-2022/services.yaml,line=11,col=3,")
    assert sorted(tmp_path.rglob("*")) == files_before
    assert summary.read_text(encoding="utf-8") == written


def test_summary_stays_under_the_limit() -> None:
    findings = [
        Finding("r", f"svc-{i}", "fail", "high", "x" * 500, Location("m.yaml", i + 1, 3))
        for i in range(5000)
    ]
    result = Result.of(findings, (), ("m.yaml",))
    text = summary_markdown(result, ReportOptions(), 1_000_000)
    assert len(text.encode()) < 1_000_000
    assert "more findings left out to stay within the size limit" in text
    unlimited = summary_markdown(result, dataclasses.replace(ReportOptions()), 10**9)
    assert len(unlimited.encode()) > 1_000_000
