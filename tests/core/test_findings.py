"""Result: what fails the run."""

from __future__ import annotations

import pytest

from checker.core.findings import Finding, Result
from checker.core.location import Location


def _finding(entity: str, status: str, severity: str, baseline: str | None = None) -> Finding:
    return Finding(
        "rule", entity, status, severity, "message", Location("m.yaml", 1, 1), baseline=baseline
    )


RESULT = Result.of(
    [
        _finding("a", "pass", "critical"),
        _finding("b", "fail", "medium"),
        _finding("c", "fail", "critical", baseline="unchanged"),
        _finding("d", "waived", "critical"),
    ],
    (),
    ("m.yaml",),
)


@pytest.mark.parametrize(
    ("threshold", "fails"),
    [("info", True), ("low", True), ("medium", True), ("high", False), ("critical", False)],
)
def test_fails_answers_what_failing_lists(threshold: str, fails: bool) -> None:
    # A pass, a waived finding and a failure the baseline knows never fail the run.
    assert RESULT.fails(threshold) is fails
    assert bool(RESULT.failing(threshold)) is fails
    assert [f.entity for f in RESULT.failing(threshold)] == (["b"] if fails else [])
