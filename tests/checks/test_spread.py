from __future__ import annotations

from pathlib import Path

from tests.checks.helpers import SITES, findings_for, statuses

SERVICES = {
    "two-sites": {"tier": "critical", "instances": ["f1/h1/r1", "f2/h1/r1"]},
    "two-halls": {"tier": "critical", "instances": ["f1/h1/r1", "f1/h2/r1"]},
    "nowhere": {"tier": "critical", "instances": []},
    "unplaced": {"tier": "critical", "instances": ["f1/h1/r1", "loose"]},
}


def test_spread_counts_distinct_domains_of_the_kind(tmp_path: Path) -> None:
    domains = {**SITES, "loose": {"kind": "rack"}}
    found = findings_for(
        {"domains": domains, "services": SERVICES},
        {"spread": {"across": "facility", "min": 2}},
        tmp_path,
    )
    assert statuses(found) == {
        "two-sites": "pass",
        "two-halls": "fail",
        "nowhere": "fail",
        "unplaced": "fail",
    }
    assert found["two-halls"].message == (
        "service two-halls runs in 1 facility (f1), needs at least 2"
    )
    assert "no enclosing domain of kind 'facility'" in found["unplaced"].message
    assert "loose" in found["unplaced"].message


def test_an_instance_placed_at_the_kind_itself_counts(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": {"s": {"tier": "low", "instances": ["f1", "f2/h2"]}}},
        {"spread": {"across": "facility"}},
        tmp_path,
    )
    assert statuses(found) == {"s": "pass"}
