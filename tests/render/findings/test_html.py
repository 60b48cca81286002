"""``html``: a self-contained page; its data reproduces the findings and the engine's answers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import pytest

from checker.cli.html_report import ci_source_url
from checker.cli.project import load_project
from checker.core.findings import Result
from checker.queries.pictures import pictures
from checker.render.findings import ReportOptions
from checker.render.findings.html import render
from tests.conftest import REPO, Run
from tests.render.findings.html_page import entity, page_data

PANGYO = REPO / "examples" / "pangyo-2022"


def test_golden(
    golden_result: Result,
    golden_html_options: ReportOptions,
    check_golden: Callable[[str, str], None],
) -> None:
    check_golden("html/report.html", render(golden_result, golden_html_options))


def test_self_contained_with_no_url_but_the_inputs(
    golden_result: Result, golden_html_options: ReportOptions
) -> None:
    page = render(golden_result, golden_html_options)
    assert 'http-equiv="Content-Security-Policy" content="default-src \'none\';' in page
    references = {ref for info in golden_result.rules for ref in info.references}
    stripped = page
    for reference in references:
        stripped = stripped.replace(json.dumps(reference)[1:-1], "")
    assert "http://" not in stripped and "https://" not in stripped
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    assert "<svg" in page and "xmlns" not in page  # inline pictures need no namespace URL


def test_inputs_are_escaped_everywhere(tmp_path: Path) -> None:
    evil = "</script><img src=x onerror=alert(1)><!--"
    (tmp_path / "m.yaml").write_text(
        "version: 1\ndomains:\n  dc: {kind: '" + evil + "'}\n"
        "services:\n  s: {tier: critical, owner: '" + evil + "', instances: [dc]}\n",
        encoding="utf-8",
    )
    project = load_project([tmp_path / "m.yaml"], None, ["builtin:baseline"])
    from checker.evaluate import evaluate

    result = evaluate(project.model, project.rules)
    page = render(
        result, ReportOptions(pictures=pictures(project.model), workdir=PurePosixPath(tmp_path))
    )
    assert evil not in page
    assert "<img" not in page
    data = page_data(page)
    assert {row["o"] for row in data["findings"]} == {evil}
    assert ["dc", 1, evil] in data["entities"]
    assert "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;&lt;!--" in page  # the counts table


def test_ci_source_urls() -> None:
    github = {
        "GITHUB_SERVER_URL": "https://github.com",
        "GITHUB_REPOSITORY": "o/r",
        "GITHUB_SHA": "abc",
    }
    assert ci_source_url(github) == "https://github.com/o/r/blob/abc/{path}#L{line}"
    gitlab = {"CI_PROJECT_URL": "https://gitlab.com/g/p", "CI_COMMIT_SHA": "def"}
    assert ci_source_url(gitlab) == "https://gitlab.com/g/p/-/blob/def/{path}#L{line}"
    assert ci_source_url({}) is None


def test_large_models_get_no_overview_but_every_what_if() -> None:
    from checker.manifest.load import model_from_data

    domains = {"dc": {"kind": "facility"}} | {
        f"dc/r{i}": {"kind": "rack", "parent": "dc"} for i in range(300)
    }
    services = {f"s{i}": {"tier": "low", "instances": [f"dc/r{i}"]} for i in range(300)}
    drawn = pictures(model_from_data({"version": 1, "domains": domains, "services": services}))
    assert drawn.overview is None and drawn.size == 601
    assert len(drawn.what_if) == 301 and len(drawn.what_if["dc"]) == 601
    page = render(Result.of([], (), ()), ReportOptions(pictures=drawn))
    assert "The model has 601 entities to draw: too many" in page
    assert 'class="overview"' not in page


def test_cli_writes_the_page_with_the_inputs(
    run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(PANGYO)
    for name in (
        "GITHUB_SERVER_URL",
        "GITHUB_REPOSITORY",
        "GITHUB_SHA",
        "CI_PROJECT_URL",
        "CI_COMMIT_SHA",
    ):
        monkeypatch.delenv(name, raising=False)
    target = tmp_path / "report.html"
    done = run_cli("check", "-f", f"html={target}", "-f", "text")
    assert done.code == 1 and done.err == ""
    page = target.read_text(encoding="utf-8")
    assert (
        '<p class="verdict failed" role="status">✗ Failed: 16 findings at or above fail_on=low</p>'
        in page
    )
    assert "<p>Config: resilint.toml</p><p>Policies: builtin:baseline</p>" in page
    assert "<li>domains.yaml</li><li>services.yaml</li>" in page
    data = page_data(page)
    kakaotalk = next(r for r in data["findings"] if r["e"] == "kakaotalk")
    assert [entity(data, ref) for ref, _ in kakaotalk["ch"]] == [
        "kakaotalk",
        "auth",
        "pangyo/hall-b/r07",
        "pangyo/hall-b",
        "pangyo",
    ]
    assert data["files"][kakaotalk["f"]][1].endswith("examples/pangyo-2022/services.yaml")
