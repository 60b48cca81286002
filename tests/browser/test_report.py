"""The html report and the SVG pictures in headless Chromium, used as a person would."""

from __future__ import annotations

import io
import json
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from tests.browser.conftest import Watched, distinct_colours
from tests.conftest import REPO
from tests.render.findings.html_page import chain_text, page_data

PANGYO = REPO / "examples" / "pangyo-2022"
SHOTS = Path(os.environ.get("RESILINT_SCREENSHOTS", "/tmp/resilint-screenshots"))


def resilint(cwd: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
    finally:
        os.chdir(old)
    return code, out.getvalue() + err.getvalue()


@pytest.fixture(scope="module")
def pangyo_report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("report") / "pangyo.html"
    code, output = resilint(PANGYO, "check", "-f", f"html={target}")
    assert (code, output) == (1, "")
    return target


def rows(page: Any) -> list[tuple[str, str, str]]:
    """(severity, rule, entity) of every row shown."""
    found: list[tuple[str, str, str]] = page.eval_on_selector_all(
        "#rows tr[data-i]",
        "trs => trs.map(tr => [1, 3, 4].map(cell => tr.cells[cell].innerText))",
    )
    return [tuple(row) for row in found]  # type: ignore[misc]


def choose(page: Any, select: str, value: str) -> None:
    page.select_option(select, value=f"={value}")


def test_pangyo_report_loads_quietly_and_offline(
    open_page: Callable[..., Watched], pangyo_report: Path
) -> None:
    watched = open_page(pangyo_report)
    page = watched.page
    assert page.inner_text("h1") == "resilint report"
    assert page.inner_text(".verdict") == "✗ Failed: 16 findings at or above fail_on=low"
    assert page.inner_text("#count") == "Showing 16 of 16 matching findings (16 in the report)."
    headings = page.eval_on_selector_all(
        "h1, h2", "hs => hs.map(h => h.tagName + ' ' + h.innerText)"
    )
    assert headings == [
        "H1 resilint report",
        "H2 Failures by severity, rule and owner",
        "H2 Findings",
        "H2 Model and what-if",
    ]
    assert watched.errors == []
    assert watched.requests == [pangyo_report.resolve().as_uri()]


def test_filters_leave_the_right_rows(
    open_page: Callable[..., Watched], pangyo_report: Path
) -> None:
    watched = open_page(pangyo_report)
    page = watched.page
    choose(page, "#f-sev", "critical")
    assert page.inner_text("#count") == "Showing 5 of 5 matching findings (16 in the report)."
    assert rows(page) == [
        ("CRITICAL", "facility-loss-not-survived", entity)
        for entity in ("auth", "ops-console", "failover-controller", "kakaotalk", "kakao-pay")
    ]
    choose(page, "#f-owner", "platform")
    assert [r[2] for r in rows(page)] == ["auth", "ops-console", "failover-controller"]
    page.click("#f-reset")
    choose(page, "#f-rule", "shared-power-domain")
    assert [r[2] for r in rows(page)] == [
        "auth",
        "ops-console",
        "deploy-automation",
        "failover-controller",
    ]
    page.click("#f-reset")
    choose(page, "#f-status", "fail")
    assert page.inner_text("#count") == "Showing 16 of 16 matching findings (16 in the report)."
    choose(page, "#f-file", "services.yaml")
    assert len(rows(page)) == 16
    page.click("#f-reset")
    # Free text reaches the cause chains: r07 is only in chains.
    page.fill("#f-q", "hall-b/r07")
    assert sorted({r[2] for r in rows(page)}) == [
        "auth",
        "failover-controller",
        "kakao-pay",
        "kakaotalk",
    ]
    page.fill("#f-q", "no such thing")
    assert page.inner_text("#count") == "Showing 0 of 0 matching findings (16 in the report)."
    assert page.inner_text("#rows") == "No finding matches these filters."
    assert watched.errors == []


def test_sorting_by_a_column(open_page: Callable[..., Watched], pangyo_report: Path) -> None:
    page = open_page(pangyo_report).page
    page.click("th[data-key=entity] button")
    entities = [r[2] for r in rows(page)]
    assert entities == sorted(entities)
    assert page.get_attribute("th[data-key=entity]", "aria-sort") == "ascending"
    page.click("th[data-key=entity] button")
    assert [r[2] for r in rows(page)] == sorted(entities, reverse=True)
    assert page.get_attribute("th[data-key=entity]", "aria-sort") == "descending"
    assert page.get_attribute("th[data-key=status]", "aria-sort") == "none"


def test_kakaotalks_blast_radius(open_page: Callable[..., Watched], pangyo_report: Path) -> None:
    watched = open_page(pangyo_report)
    page = watched.page
    page.fill("#f-q", "kakaotalk")
    assert rows(page) == [("CRITICAL", "facility-loss-not-survived", "kakaotalk")]
    # From the keyboard: focus the row's button and press Enter.
    page.focus("#rows button.open")
    page.keyboard.press("Enter")
    assert page.get_attribute("#rows button.open", "aria-expanded") == "true"
    chain = page.eval_on_selector_all(".detail ol.chain li", "lis => lis.map(li => li.innerText)")
    assert chain == [
        "kakaotalk is down: requires auth",
        "auth is down: 0 of 2 instances up (needs 1)",
        "pangyo/hall-b/r07 is down: inside pangyo/hall-b",
        "pangyo/hall-b is down: inside pangyo",
        "pangyo failed",
    ]
    nodes = page.eval_on_selector_all(
        ".detail svg.blast g.node",
        "gs => gs.map(g => [g.dataset.id, g.dataset.state,"
        " g.querySelector('text + text').textContent])",
    )
    assert nodes == [
        ["pangyo", "failed", "facility · failed"],
        ["pangyo/hall-b", "down", "hall · down"],
        ["pangyo/hall-b/r07", "down", "rack · down"],
        ["auth", "down", "critical · down"],
        ["kakaotalk", "down", "critical · down"],
    ]
    labels = page.eval_on_selector_all(
        ".detail svg.blast > text", "ts => ts.map(t => t.textContent)"
    )
    assert labels[:4] == ["inside", "inside", "0 of 2 instances up (needs 1)", "requires"]
    label = page.get_attribute(".detail svg.blast", "aria-label")
    assert label == (
        "Blast radius: pangyo (failed), then pangyo/hall-b (down), then pangyo/hall-b/r07 (down), "
        "then auth (down), then kakaotalk (down)"
    )
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = page.screenshot(path=str(SHOTS / "pangyo-report.png"), full_page=True)
    assert distinct_colours(page.context.browser, shot) > 50
    picture = page.locator(".detail .picture").screenshot(
        path=str(SHOTS / "kakaotalk-blast-radius.png")
    )
    assert distinct_colours(page.context.browser, picture) > 20
    assert watched.errors == []


def test_a_finding_whose_chain_does_not_end_at_its_service(
    open_page: Callable[..., Watched], pangyo_report: Path
) -> None:
    page = open_page(pangyo_report).page
    choose(page, "#f-rule", "shared-power-domain")
    page.click("#rows tr[data-i] button.open")
    nodes = page.eval_on_selector_all(
        ".detail svg.blast g.node", "gs => gs.map(g => [g.dataset.id, g.dataset.state])"
    )
    assert nodes == [
        ["pangyo/b3-battery-room", "failed"],
        ["pangyo/b3-ups", "down"],
        ["pangyo/hall-a", "down"],
        ["pangyo/hall-a/r03", "down"],
        ["auth", "target"],
    ]


def test_what_if_from_the_list_and_from_the_picture(
    open_page: Callable[..., Watched], pangyo_report: Path
) -> None:
    watched = open_page(pangyo_report)
    page = watched.page
    page.select_option("#whatif-domain", label="pangyo/b3-battery-room (battery-room)")
    summary = page.inner_text("#whatif-result p")
    assert (
        summary
        == "7 services down (5 critical, 2 high), 7 other domains down with it; 1 service still up."
    )
    listed = page.eval_on_selector_all(
        "#whatif-result > ul > li > strong", "ss => ss.map(s => s.innerText)"
    )
    assert listed == [
        "auth",
        "ops-console",
        "failover-controller",
        "kakaotalk",
        "kakao-pay",
        "deploy-automation",
        "daum-mail",
    ]
    marked = dict(
        page.eval_on_selector_all(
            ".overview g[data-state]", "gs => gs.map(g => [g.dataset.id, g.dataset.state])"
        )
    )
    assert marked["pangyo/b3-battery-room"] == "failed"
    assert {k for k, v in marked.items() if v == "down"} == {
        "pangyo/b3-ups",
        "pangyo/hall-a",
        "pangyo/hall-b",
        "pangyo/hall-a/r03",
        "pangyo/hall-a/r12",
        "pangyo/hall-b/r07",
        "pangyo/hall-b/r21",
        *listed,
    }
    assert page.text_content('.overview g[data-id="pangyo/b3-ups"] text.sub') == "ups · down"
    # The picture answers too: focus a domain and press Enter.
    page.focus('.overview g[data-id="gasan"]')
    page.keyboard.press("Enter")
    assert page.input_value("#whatif-domain") == str(
        page.evaluate(
            "() => JSON.parse(document.getElementById('resilint-data').textContent)"
            ".entities.findIndex(e => e[0] === 'gasan')"
        )
    )
    assert page.inner_text("#whatif-result h3") == "What if gasan fails?"
    assert page.inner_text("#whatif-result p").startswith(
        "0 services down, 1 other domain down with it;"
    )
    assert page.text_content('.overview g[data-id="pangyo/b3-ups"] text.sub') == "ups"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.select_option("#whatif-domain", label="pangyo (facility)")
    page.locator("#model").screenshot(path=str(SHOTS / "pangyo-what-if.png"))
    assert watched.errors == []


def test_graph_svg_opens_in_the_browser(open_page: Callable[..., Watched], tmp_path: Path) -> None:
    code, svg = resilint(PANGYO, "graph", "-f", "svg", "--scenario", "pangyo")
    assert code == 0
    target = tmp_path / "pangyo.svg"
    target.write_text(svg, encoding="utf-8")
    watched = open_page(target)
    page = watched.page
    assert page.evaluate("() => document.documentElement.tagName") == "svg"
    drawn = page.evaluate(
        "() => [...document.querySelectorAll('g[data-id]')].map(g => g.dataset.id)"
    )
    assert {"pangyo", "pangyo/hall-a/r03", "kakaotalk", "talk-db"} <= set(drawn)
    size = page.evaluate(
        "() => { const box = document.querySelector('g[data-id=kakaotalk]').getBBox();"
        " return [box.width, box.height]; }"
    )
    assert size[0] > 40 and size[1] == 34
    assert watched.errors == []
    assert watched.requests == [target.resolve().as_uri()]


#: What a person does on the large report: choose a severity, search, ask a what-if.
LARGE_ACTIONS = {
    "severity": "const s = document.getElementById('f-sev'); s.value = '=medium';"
    " s.dispatchEvent(new Event('change'));",
    "search": "const s = document.getElementById('f-q'); s.value = 'r1/f3';"
    " s.dispatchEvent(new Event('input'));",
    "what-if r1": "const s = document.getElementById('whatif-domain');"
    " s.value = s.options[1].value; s.dispatchEvent(new Event('change'));",
}


def timed(page: Any, action: str) -> float:
    """Milliseconds in the page from the action to the next layout: what a person waits for."""
    milliseconds: float = page.evaluate(
        "() => { const t0 = performance.now(); { " + action + " }"
        " document.body.offsetHeight; return performance.now() - t0; }"
    )
    return milliseconds


@pytest.fixture(scope="module")
def large_report(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """10,000 services, 2,000 domains, about 10,000 failing findings with cause chains."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("bench_generate", REPO / "bench" / "generate.py")
    assert spec is not None and spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = generate  # its dataclasses look their module up
    spec.loader.exec_module(generate)
    folder = tmp_path_factory.mktemp("large")
    generate.write(generate.generate(10_000, 2_000, 1), folder / "manifest.json", "json")
    target = folder / "report.html"
    policy = REPO / "bench" / "policies" / "report.yaml"
    code, output = resilint(
        folder, "check", "manifest.json", "-p", str(policy), "-f", f"html={target}"
    )
    assert (code, output) == (1, "")
    yield target


def test_large_report_stays_small_and_quick(
    open_page: Callable[..., Watched], large_report: Path
) -> None:
    size = large_report.stat().st_size
    assert size < 20 * 1024 * 1024
    started = time.perf_counter()
    watched = open_page(large_report)
    page = watched.page
    page.wait_for_selector("#rows tr[data-i]")
    opened = time.perf_counter() - started
    data = page.evaluate(
        "() => JSON.parse(document.getElementById('resilint-data').textContent).findings.length"
    )
    assert (
        page.inner_text("#count")
        == f"Showing 200 of {data:,} matching findings ({data:,} in the report)."
    )
    assert data > 10_000
    timings = {name: timed(page, script) for name, script in LARGE_ACTIONS.items()}
    # The counts are those of the data, filtered in Python the same way.
    document = page_data(large_report.read_text(encoding="utf-8"))
    medium = [f for f in document["findings"] if f["s"] == "medium"]
    searched = [
        f
        for f in medium
        if "r1/f3"
        in "\n".join([f["r"], f["e"], f["m"], f["o"] or "", *chain_text(document, f["ch"])])
    ]
    assert 0 < len(searched) < len(medium)
    shown = min(200, len(searched))
    assert page.inner_text("#count") == (
        f"Showing {shown} of {len(searched):,} matching findings ({data:,} in the report)."
    )
    assert page.inner_text("#whatif-result h3") == "What if r1 fails?"
    page.click("#rows tr[data-i] button.open")
    assert page.locator(".detail svg.blast g.node").count() >= 3
    SHOTS.mkdir(parents=True, exist_ok=True)
    shot = page.screenshot(path=str(SHOTS / "large-report.png"))
    assert distinct_colours(page.context.browser, shot) > 50
    assert watched.errors == []
    # Recorded, not asserted (bench/README.md): wall-clock limits do not belong in tests.
    record = {
        "bytes": size,
        "open_seconds": round(opened, 2),
        **{k: round(v, 1) for k, v in timings.items()},
    }
    print("large html report:", json.dumps(record))


def test_a_diff_report_leads_with_what_the_change_broke(
    open_page: Callable[..., Watched], tmp_path: Path
) -> None:
    import subprocess

    repo = tmp_path / "repo"
    shutil.copytree(PANGYO, repo)
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.invalid"}
    env |= {"GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.invalid"}
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "base"]):
        subprocess.run(["git", *command], cwd=repo, env=env, check=True, capture_output=True)
    services = repo / "services.yaml"
    text = services.read_text(encoding="utf-8")
    text = text.replace(
        "[pangyo/hall-a/r03, pangyo/hall-b/r07]", "[pangyo/hall-a/r03, gasan/hall-1]"
    )
    text += "\n  billing:\n    tier: critical\n    instances: [pangyo/hall-a/r12]\n"
    services.write_text(text, encoding="utf-8")
    target = tmp_path / "diff.html"
    code, output = resilint(repo, "check", "--diff-base", "HEAD", "-f", f"html={target}")
    assert (code, output) == (1, "")
    watched = open_page(target)
    page = watched.page
    assert page.inner_text(".diffline").startswith("This change, since HEAD (")
    assert page.inner_text(".diffline").endswith("): 4 new, 3 fixed, 13 unchanged.")
    statuses = page.eval_on_selector_all(
        "#rows tr[data-i] td:nth-child(3)", "tds => tds.map(t => t.innerText)"
    )
    assert (
        statuses
        == ["new: fails the run"] * 4 + ["fixed since HEAD"] * 3 + ["unchanged since HEAD"] * 13
    )
    assert {r[2] for r in rows(page)[:4]} == {"billing"}
    choose(page, "#f-status", "fixed")
    assert {r[2] for r in rows(page)} == {"auth"}
    page.click("#rows tr[data-i] button.open")  # facility loss first: the most severe
    nodes = page.eval_on_selector_all(".detail svg.blast g.node", "gs => gs.map(g => g.dataset.id)")
    assert nodes == ["pangyo", "pangyo/hall-b", "pangyo/hall-b/r07", "auth"]
    assert watched.errors == []


def test_notices_stand_under_the_verdict(open_page: Callable[..., Watched], tmp_path: Path) -> None:
    # No facility and no UPS: two rules of the baseline apply to nothing, and the
    # report must say so where the verdict is read, not only in the data.
    (tmp_path / "m.yaml").write_text(
        "version: 1\ndomains:\n  r1: {kind: rack}\n  r2: {kind: rack}\n"
        "services:\n  web: {tier: critical, instances: [r1, r2], rto: 1h, rpo: 1h}\n",
        encoding="utf-8",
    )
    target = tmp_path / "notices.html"
    code, output = resilint(tmp_path, "check", "m.yaml", "-f", f"html={target}")
    assert code in (0, 1) and output == ""
    watched = open_page(target, width=1000, height=500)
    page = watched.page
    box = page.locator(".notices")
    assert box.is_visible()
    assert page.inner_text(".notices h2") == "5 notices"
    items = page.eval_on_selector_all(".notices li", "lis => lis.map(li => li.innerText)")
    assert items == [
        "critical-single-facility asks about kind facility, which no domain has",
        "shared-power-domain applies to nothing: no domain of kind ups or power-feed or "
        "battery-room or generator",
        "facility-loss-not-survived applies to nothing: no domain of kind facility",
        "offsite-backup-missing asks about kind facility, which no domain has",
        "recovery-objectives-undeclared asks about kind facility, which no domain has",
    ]
    verdict, counts = page.locator(".verdict").bounding_box(), page.locator("#summary")
    notices = box.bounding_box()
    assert verdict is not None and notices is not None
    assert verdict["y"] < notices["y"] < (counts.bounding_box() or {"y": 0})["y"]
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "notices.png"))
    assert watched.errors == []
