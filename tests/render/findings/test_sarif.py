"""``sarif``: golden output, the OASIS schema, GitHub's extra rules, fingerprints, limits."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.findings import Finding, Result
from checker.core.location import Location
from checker.render.findings import ReportOptions, sarif
from checker.render.findings.sarif import MAX_RESULTS, render, sarif_log
from tests.conftest import Run
from tests.render.findings.validators import github_sarif_problems, sarif_schema_errors
from tests.strategies import findings


def _log(result: Result, options: ReportOptions) -> dict:  # type: ignore[type-arg]
    log = json.loads(render(result, options))
    assert sarif_schema_errors(log) == []
    assert github_sarif_problems(log) == []
    return log  # type: ignore[no-any-return]


def test_golden(
    golden_result: Result, golden_options: ReportOptions, check_golden: Callable[[str, str], None]
) -> None:
    text = render(golden_result, golden_options)
    _log(golden_result, golden_options)
    check_golden("sarif/report.sarif", text)


def test_one_result_a_line_is_the_same_log_as_an_indented_dump(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    text = render(golden_result, golden_options)
    log = sarif_log(golden_result, golden_options)
    assert json.loads(text) == log
    results = log["runs"][0]["results"]
    assert results
    lines = text.splitlines()
    for result in results:  # each on a line of its own, at its depth
        assert "        " + json.dumps(result, ensure_ascii=False) in {
            line.rstrip(",") for line in lines
        }


def test_golden_under_github_actions_leaves_out_waived_results(
    golden_result: Result, golden_options: ReportOptions, check_golden: Callable[[str, str], None]
) -> None:
    options = dataclasses.replace(golden_options, github_actions=True)
    log = _log(golden_result, options)
    results = log["runs"][0]["results"]
    assert all("suppressions" not in r for r in results)
    assert len(results) == sum(1 for f in golden_result.findings if f.status == "fail")
    check_golden("sarif/github-actions.sarif", render(golden_result, options))


def test_waived_results_elsewhere_are_accepted_suppressions_with_the_reason(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    results = _log(golden_result, golden_options)["runs"][0]["results"]
    suppressed = [r for r in results if "suppressions" in r]
    assert [(r["ruleId"], r["properties"]["entity"]) for r in suppressed] == [
        ("single-facility", "auth")
    ]
    (suppression,) = suppressed[0]["suppressions"]
    assert suppression["kind"] == "external"
    assert suppression["status"] == "accepted"
    assert "PLAT-123" in suppression["justification"]


def test_rules_carry_title_why_and_fix(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    rules = _log(golden_result, golden_options)["runs"][0]["tool"]["driver"]["rules"]
    by_id = {rule["id"]: rule for rule in rules}
    single = by_id["single-facility"]
    assert single["shortDescription"]["text"] == "Critical service runs in a single facility"
    assert single["fullDescription"]["text"].startswith("A fire, flood or power cut")
    assert single["help"]["text"] == "Place replicas in at least two facilities."
    assert single["defaultConfiguration"]["level"] == "error"
    # A rule without why/fix falls back to its title rather than an empty string.
    shared = by_id["shared-ups"]
    assert shared["fullDescription"]["text"] == shared["shortDescription"]["text"]
    assert shared["help"]["text"] == shared["shortDescription"]["text"]
    assert by_id["stale-waiver"]["defaultConfiguration"]["level"] == "note"


def test_baseline_state_says_new_or_unchanged(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    results = _log(golden_result, golden_options)["runs"][0]["results"]
    states = {(r["ruleId"], r["properties"]["entity"]): r.get("baselineState") for r in results}
    assert states[("facility-loss", "auth")] == "unchanged"
    assert states[("facility-loss", "api:v2")] == "new"


def _moved(result: Result, lines: int) -> Result:
    findings = [
        f._replace(location=Location("moved/elsewhere.yaml", f.location.line + lines, 9))
        for f in result.findings
    ]
    return dataclasses.replace(result, findings=tuple(findings))


def test_fingerprints_do_not_change_when_lines_or_files_move(
    golden_result: Result, golden_options: ReportOptions
) -> None:
    def fingerprints(result: Result) -> list[dict[str, str]]:
        return [
            r["partialFingerprints"] for r in _log(result, golden_options)["runs"][0]["results"]
        ]

    before = fingerprints(golden_result)
    assert fingerprints(_moved(golden_result, 40)) == before
    assert len({f["primaryLocationLineHash"] for f in before}) == len(before)


def test_uris_are_relative_to_the_repository_root_not_the_working_directory(
    golden_result: Result,
) -> None:
    root = PurePosixPath("/checkout")
    options = ReportOptions(repo_root=root, workdir=root / "infra" / "prod")
    log = _log(golden_result, options)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "infra/prod/tests/golden/input/manifests/services.yaml",
        "uriBaseId": "%SRCROOT%",
    }
    assert log["runs"][0]["originalUriBaseIds"] == {"%SRCROOT%": {"uri": "file:///checkout/"}}


def _finding(index: int, severity: str, description: str = "") -> Finding:
    return Finding(
        rule="r",
        entity=f"svc-{index}",
        status="fail",
        severity=severity,
        message=description or f"service svc-{index} fails",
        location=Location("m.yaml", index + 1, 3),
    )


def _rule(why: str) -> object:
    from checker.policy.format import Select
    from checker.policy.rule import Rule

    return Rule(
        id="r",
        title="t " * 700,
        severity="low",
        select=Select(),
        check="acyclic",
        params=None,
        why=why,
        fix=None,
        tags=tuple(f"tag-{i}" for i in range(30)),
        references=(),
        aliases=(),
        source="p.yaml",
        location=Location("p.yaml"),
    )


def test_descriptions_names_and_tags_stay_within_github_limits() -> None:
    result = Result.of([_finding(0, "low")], (_rule("why " * 1000),), ("m.yaml",))
    rule = _log(result, ReportOptions())["runs"][0]["tool"]["driver"]["rules"][0]
    assert len(rule["shortDescription"]["text"]) <= 1024
    assert len(rule["fullDescription"]["text"]) <= 1024
    assert rule["fullDescription"]["text"].endswith("…")
    assert len(rule["properties"]["tags"]) == 20


def test_at_most_25000_results_keeping_the_most_severe(monkeypatch: pytest.MonkeyPatch) -> None:
    assert MAX_RESULTS == 25_000
    # The same code path with a small cap: 25,000 real results take seconds to build.
    monkeypatch.setattr("checker.render.findings.sarif.MAX_RESULTS", 50)
    findings = [_finding(i, "low") for i in range(50)]
    findings.append(_finding(50, "critical"))
    result = Result.of(findings, (), ("m.yaml",))
    run = _log(result, ReportOptions())["runs"][0]
    assert len(run["results"]) == 50
    assert any(r["level"] == "error" for r in run["results"])
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in run["results"]]
    assert lines == sorted(lines)
    (note,) = run["invocations"][0]["toolExecutionNotifications"]
    assert note["message"]["text"].startswith("1 less severe results left out")


def test_passes_only_with_all_and_never_under_github_actions(golden_result: Result) -> None:
    def kinds(options: ReportOptions) -> set[str]:
        return {r["kind"] for r in _log(golden_result, options)["runs"][0]["results"]}

    assert kinds(ReportOptions()) == {"fail"}
    assert kinds(ReportOptions(show_passing=True)) == {"fail", "pass"}
    assert kinds(ReportOptions(show_passing=True, github_actions=True)) == {"fail"}


@pytest.mark.parametrize(("example", "code"), [("pangyo-2022", 1), ("healthy", 0)])
def test_cli_output_on_the_examples_is_valid(
    example: str,
    code: int,
    run_cli: Callable[..., Run],
    tmp_path: Path,
    example_checkout: Callable[[str], Path],
) -> None:
    example_checkout(example)
    out = tmp_path / "out.sarif"
    run = run_cli("check", "--all", "-f", f"sarif={out}")
    assert (run.code, run.err) == (code, "")
    log = json.loads(out.read_text(encoding="utf-8"))
    assert sarif_schema_errors(log) == []
    assert github_sarif_problems(log) == []
    uris = {
        location["physicalLocation"]["artifactLocation"]["uri"]
        for result in log["runs"][0]["results"]
        for location in result["locations"]
    }
    assert uris
    assert {uri.rsplit("/", 1)[0] for uri in uris} == {f"examples/{example}"}


def test_a_file_outside_the_repository_gets_an_absolute_uri(golden_result: Result) -> None:
    options = ReportOptions(repo_root=PurePosixPath("/checkout"), workdir=PurePosixPath("/tmp"))
    log = json.loads(render(golden_result, options))
    assert sarif_schema_errors(log) == []
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {
        "uri": "file:///tmp/tests/golden/input/manifests/services.yaml"
    }


@settings(max_examples=300, deadline=None)
@given(finding=findings(), rule_index=st.integers(0, 40))
def test_each_result_line_is_what_the_encoder_writes(finding: Finding, rule_index: int) -> None:
    options = ReportOptions(repo_root=PurePosixPath("/repo"), workdir=PurePosixPath("/repo"))
    expected = json.dumps(sarif._result(finding, rule_index, options), ensure_ascii=False)
    assert sarif._result_line(finding, rule_index, options) == expected
