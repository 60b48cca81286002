"""``gate.diff``: new, fixed and unchanged by fingerprint, as a baseline matches them."""

from __future__ import annotations

from checker.core.findings import AppliedWaiver, Finding, Result
from checker.core.location import Location
from checker.gate.diff import apply_diff_base, counts


def finding(entity: str, status: str = "fail", path: str = "now.yaml", line: int = 1) -> Finding:
    return Finding("r", entity, status, "high", f"{entity} is weak", Location(path, line, 3))


def test_new_fixed_and_unchanged_ignore_where_findings_are() -> None:
    waiver = AppliedWaiver("r", "waived", "later", "2099-01-01", None, "w.yaml:1:1")
    now = Result.of(
        [
            finding("kept", line=40),
            finding("fresh"),
            finding("waived", "waived")._replace(waiver=waiver),
            finding("passing", "pass"),
        ],
        (),
        ("now.yaml",),
    )
    before = [
        finding("kept", path="old/place.yaml", line=2),  # moved and reformatted since
        finding("gone", path="old/place.yaml", line=9),
        finding("waived", path="old/place.yaml"),
        finding("passing", path="old/place.yaml"),  # failed then, passes now: fixed
        finding("was-passing", "pass"),  # passes at the ref: not a failure there
        finding("stale")._replace(rule="stale-waiver"),  # never recorded
    ]
    result = apply_diff_base(now, before, "main", "abc")
    marks = {f.entity: f.baseline for f in result.findings}
    assert marks == {"kept": "unchanged", "fresh": "new", "waived": None, "passing": None}
    assert result.diff is not None
    assert (result.diff.ref, result.diff.commit) == ("main", "abc")
    assert [f.entity for f in result.diff.fixed] == ["passing", "gone"]  # by place at the ref
    assert result.diff.fixed[1].location == Location("old/place.yaml", 9, 3)
    assert [f.entity for f in result.failing("low")] == ["fresh"]
    assert counts(result) == (1, 2, 1)
    assert result.known_label == "unchanged since main"
    assert now.known_label == "known: in the baseline"
