"""The shipped examples tell the story they are meant to tell."""

from __future__ import annotations

import json
import os
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
    assert findings
    assert {f["status"] for f in findings.values()} == {"pass"}


@pytest.mark.parametrize("example", ["pangyo-2022", "healthy"])
def test_text_output_points_at_files_in_the_example(
    run_cli: Callable[..., Run], example: str
) -> None:
    result = run_cli("check", str(REPO / "examples" / example), "-p", "builtin:baseline")
    assert result.code in (0, 1)
    *_, summary, source = result.out.rstrip().splitlines()
    assert summary.endswith("(7 rules)")
    assert source.startswith("checked ")
