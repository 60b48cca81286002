"""The html report's data block: statuses, cause chains, what-if links and file links
that the page's script reads, held to the findings and to the engine's answers."""

from __future__ import annotations

import json
from pathlib import PurePosixPath
from typing import Any

from checker.cli.project import load_project
from checker.core.findings import Result
from checker.queries.pictures import pictures
from checker.queries.whatif import what_if
from checker.render.findings import ReportOptions
from checker.render.findings.html_data import report_data
from tests.conftest import REPO
from tests.render.findings.html_page import chain_text, entity

PANGYO = REPO / "examples" / "pangyo-2022"


def block(data: dict[str, Any]) -> dict[str, Any]:
    """The block as the page holds it: JSON, so only JSON values survive."""
    loaded: dict[str, Any] = json.loads(json.dumps(data))
    return loaded


def test_statuses_and_cause_chains_round_trip(
    golden_result: Result, golden_html_options: ReportOptions
) -> None:
    shown = [f for f in golden_result.findings if f.status != "pass"]
    data = block(report_data(golden_result, shown, golden_html_options))
    rows = data["findings"]
    assert [(r["r"], r["e"]) for r in rows] == [(f.rule, f.entity) for f in shown]
    expected = {
        (f.rule, f.entity): (
            "waived"
            if f.status == "waived"
            else "known"
            if f.known
            else "fail"
            if f.blocks("medium")
            else "below"
        )
        for f in shown
    }
    assert {(r["r"], r["e"]): r["st"] for r in rows} == expected
    assert set(expected.values()) == {"fail", "below", "known", "waived"}
    for row, finding in zip(rows, shown, strict=True):
        assert chain_text(data, row["ch"]) == list(finding.causes)
        assert data["files"][row["f"]][0] == finding.location.path
        assert (row["l"], row["c"], row["fp"]) == (
            finding.location.line,
            finding.location.column,
            finding.fingerprint,
        )
    assert data["statuses"][0] == ["fail", "fails the run"]


def test_what_if_links_are_the_engines_answers() -> None:
    project = load_project([PANGYO], None, [])
    drawn = pictures(project.model)
    options = ReportOptions(pictures=drawn, workdir=PurePosixPath("/x"))
    data = block(report_data(Result.of([], (), ()), [], options))
    domains = [e[0] for e in data["entities"] if e[1] == 1]
    assert domains == list(project.model.domains)
    links = {domain: data["whatif"][i] for i, domain in enumerate(domains)}
    battery = {
        entity(data, ref): (trigger, template)
        for ref, trigger, template in links["pangyo/b3-battery-room"]
    }
    answer = what_if(project.model, ["pangyo/b3-battery-room"])
    assert {s for s in battery if s in project.model.services} == {s.id for s in answer.down}
    assert {d for d in battery if d in project.model.domains} == set(answer.domains_down)
    # Following the links from a service gives exactly the chain what-if prints.
    for service in answer.down:
        chain, current = [], service.id
        while True:
            trigger, template = battery[current]
            text = data["templates"][template]
            cause = entity(data, trigger) if trigger >= 0 else ""
            chain.append(
                current
                + (" failed" if text == "failed" else " is down: " + text.replace("{}", cause))
            )
            if trigger < 0:
                break
            current = entity(data, trigger)
        assert tuple(chain) == service.causes
    assert data["tiers"] == ["critical", "high", "medium", "low"]


def test_links_are_relative_to_the_report_or_the_configured_repository(
    golden_result: Result,
) -> None:
    root = PurePosixPath("/repo")
    beside = ReportOptions(workdir=root, repo_root=root, output=PurePosixPath("out/r.html"))
    files = dict(block(report_data(golden_result, list(golden_result.findings), beside))["files"])
    path = "tests/golden/input/manifests/services.yaml"
    assert files[path] == "../" + path
    url = "https://example.com/r/blob/main/{path}#L{line}"
    linked = ReportOptions(workdir=root, repo_root=root, source_url=url)
    files = dict(block(report_data(golden_result, list(golden_result.findings), linked))["files"])
    assert files[path] == (
        "https://example.com/r/blob/main/tests/golden/input/manifests/services.yaml#L{line}"
    )
