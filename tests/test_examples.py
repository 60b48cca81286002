"""The shipped examples tell the story they are meant to tell."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, Run


def _check(run_cli: Callable[..., Run], example: str) -> tuple[int, dict[tuple[str, str], dict]]:  # type: ignore[type-arg]
    old = Path.cwd()
    os.chdir(REPO / "examples" / example)
    try:
        result = run_cli("check", "--all", "-f", "json")
    finally:
        os.chdir(old)
    document = json.loads(result.out)
    return result.code, {(f["rule"], f["entity"]): f for f in document["findings"]}


def test_pangyo_explains_why_kakaotalk_dies_although_its_data_was_replicated(
    run_cli: Callable[..., Run],
) -> None:
    code, findings = _check(run_cli, "pangyo-2022")
    assert code == 1
    talk = findings[("facility-loss-not-survived", "kakaotalk")]
    assert talk["status"] == "fail"
    assert talk["message"] == "service kakaotalk does not survive the loss of pangyo"
    assert talk["causes"][0] == "kakaotalk is down: requires auth"
    assert talk["causes"][-1] == "pangyo failed"
    assert talk["location"] == {"path": "services.yaml", "line": 61, "column": 3}
    # The data itself was safe: replicated and backed up off-site.
    assert findings[("offsite-backup-missing", "talk-db")]["status"] == "pass"
    assert findings[("facility-loss-not-survived", "talk-db")]["status"] == "pass"
    assert findings[("critical-single-facility", "kakaotalk")]["status"] == "pass"
    failing = {key for key, f in findings.items() if f["status"] == "fail"}
    assert {
        ("critical-single-facility", "auth"),
        ("critical-single-facility", "ops-console"),
        ("critical-single-facility", "failover-controller"),
        ("facility-loss-not-survived", "kakao-pay"),
        ("shared-power-domain", "auth"),
    } <= failing


def test_the_healthy_example_passes_everything(run_cli: Callable[..., Run]) -> None:
    code, findings = _check(run_cli, "healthy")
    assert code == 0
    assert len(findings) == 56  # every rule of the baseline pack selects something here
    assert {f["status"] for f in findings.values()} == {"pass"}
    assert {rule for rule, _ in findings} == {
        "critical-single-facility",
        "shared-power-domain",
        "facility-loss-not-survived",
        "offsite-backup-missing",
        "tier-inversion",
        "hard-dependency-cycle",
        "recovery-objectives-undeclared",
    }


@pytest.mark.parametrize(
    ("example", "code", "summary", "source"),
    [
        (
            "pangyo-2022",
            1,
            "16 failed (5 critical, 7 high, 4 medium), 27 passed, 0 waived (7 rules)",
            "checked 2 manifest files; config: examples/pangyo-2022/resilint.toml",
        ),
        (
            "healthy",
            0,
            "0 failed, 56 passed, 0 waived (7 rules)",
            "checked 3 manifest files; config: examples/healthy/resilint.toml",
        ),
    ],
)
def test_text_output_points_at_files_in_the_example(
    run_cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
    example: str,
    code: int,
    summary: str,
    source: str,
) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("check", f"examples/{example}", "-p", "builtin:baseline", "--all")
    assert (result.code, result.err) == (code, "")
    findings, last = result.out.rstrip("\n").split("\n\n")
    headlines = [line for line in findings.splitlines() if not line.startswith("    ")]
    located = re.compile(rf"examples/{example}/[a-z]+\.yaml:[0-9]+:[0-9]+: [A-Z]+ [a-z-]+: ")
    assert [line for line in headlines if not located.match(line)] == []
    assert last.splitlines() == [summary, source]
    failed, passed = (int(n) for n in re.findall(r"([0-9]+) (?:failed|passed)", summary))
    assert len(headlines) == failed + passed
