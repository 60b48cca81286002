"""The strict pack on the Pangyo reconstruction: what it adds to the baseline."""

from __future__ import annotations

import json
from collections.abc import Callable

from tests.conftest import REPO, Run


def _failures(run_cli: Callable[..., Run], *args: str) -> set[tuple[str, str]]:
    result = run_cli("check", *args, "--format", "json")
    assert result.code == 1, result.err
    report = json.loads(result.out)
    return {(f["rule"], f["entity"]) for f in report["findings"] if f["status"] == "fail"}


def test_strict_on_pangyo(run_cli: Callable[..., Run]) -> None:
    failures = _failures(run_cli, str(REPO / "examples/pangyo-2022"), "-p", "builtin:strict")
    assert failures == {
        ("hall-single-power-path", "pangyo/hall-a"),
        ("hall-single-power-path", "pangyo/hall-b"),
        # Every tier: deploy automation is "high" but gated the recovery.
        ("control-plane-single-facility", "ops-console"),
        ("control-plane-single-facility", "deploy-automation"),
        ("control-plane-single-facility", "failover-controller"),
        ("double-loss-not-survived", "auth"),
        ("double-loss-not-survived", "ops-console"),
        ("double-loss-not-survived", "failover-controller"),
        ("double-loss-not-survived", "kakaotalk"),
        ("double-loss-not-survived", "kakao-pay"),
        # The data survived one fire, but not Pangyo and Gasan together.
        ("double-loss-not-survived", "talk-db"),
        ("backup-not-offregion", "talk-db"),
    }


def test_double_loss_names_the_minimal_pairs(run_cli: Callable[..., Run]) -> None:
    result = run_cli(
        "check", str(REPO / "examples/pangyo-2022"), "-p", "builtin:strict", "--format", "json"
    )
    report = json.loads(result.out)
    (talk_db,) = [
        f
        for f in report["findings"]
        if f["rule"] == "double-loss-not-survived" and f["entity"] == "talk-db"
    ]
    assert talk_db["message"].endswith(
        "{pangyo, gasan}, {pangyo/b3-battery-room, gasan}, {pangyo/b3-ups, gasan}"
    )


def test_strict_combines_with_baseline(run_cli: Callable[..., Run]) -> None:
    result = run_cli("rules", "-p", "builtin:baseline", "-p", "builtin:strict", "--format", "json")
    assert result.code == 0, result.err
    sources = {r["id"]: r["source"] for r in json.loads(result.out)["rules"]}
    assert sources["double-loss-not-survived"] == "builtin:strict"
    assert sources["facility-loss-not-survived"] == "builtin:baseline"
