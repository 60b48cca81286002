"""tier_dependencies, acyclic and schema."""

from __future__ import annotations

from pathlib import Path

from tests.checks.helpers import SITES, findings_for, statuses

SERVICES = {
    "checkout": {"tier": "critical", "instances": ["f1"], "depends_on": ["flags"]},
    "flags": {"tier": "low", "instances": ["f1"]},
    "search": {
        "tier": "high",
        "instances": ["f1"],
        "depends_on": [{"any_of": ["flags", "checkout"]}],
    },
    "auth": {"tier": "critical", "instances": ["f1"], "depends_on": ["directory"]},
    "directory": {"tier": "critical", "instances": ["f2"], "depends_on": ["auth"]},
    "dns": {"tier": "critical", "instances": ["f2"], "depends_on": [{"any_of": ["auth"]}]},
}


def test_tier_inversions(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES}, {"tier_dependencies": {}}, tmp_path
    )
    assert statuses(found)["checkout"] == "fail"
    assert statuses(found)["search"] == "pass"
    assert found["checkout"].message == (
        "service checkout is critical but depends on lower tiers: flags (low)"
    )


def test_hard_cycles_but_not_any_of_edges(tmp_path: Path) -> None:
    found = findings_for({"domains": SITES, "services": SERVICES}, {"acyclic": {}}, tmp_path)
    assert {e for e, s in statuses(found).items() if s == "fail"} == {"auth", "directory"}
    assert "auth -> directory -> auth" in found["auth"].message


def test_schema_reports_each_error_with_its_path(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES},
        {"select": {"ids": "checkout"}, "schema": {"required": ["owner"]}},
        tmp_path,
    )
    assert found["checkout"].message == (
        "service checkout does not match the schema: at /: 'owner' is a required property"
    )


def test_select_by_tier_labels_and_where(tmp_path: Path) -> None:
    services = {
        "a": {"tier": "critical", "instances": ["f1"], "labels": {"role": "identity"}},
        "b": {"tier": "high", "instances": ["f1"], "backups": [{"at": "f2", "every": "1h"}]},
        "c": {"tier": "low", "instances": ["f1"]},
    }
    at_least = findings_for(
        {"domains": SITES, "services": services},
        {"select": {"tier": {"at_least": "high"}}, "spread": {"across": "facility", "min": 1}},
        tmp_path,
    )
    assert sorted(at_least) == ["a", "b"]
    labelled = findings_for(
        {"domains": SITES, "services": services},
        {"select": {"labels": {"role": ["identity", "x"]}}, "spread": {"across": "facility"}},
        tmp_path,
    )
    assert sorted(labelled) == ["a"]
    where = findings_for(
        {"domains": SITES, "services": services},
        {"select": {"where": {"required": ["backups"]}}, "spread": {"across": "facility"}},
        tmp_path,
    )
    assert sorted(where) == ["b"]


def test_a_large_group_names_its_first_members_for_each_member(tmp_path: Path) -> None:
    # 70 services in one ring (past the 64 shown one cycle each) beside a small cycle:
    # every ring member gets the group's message, the small cycle its own path.
    ring = {
        f"s{i:02d}": {"tier": "high", "instances": ["f1"], "depends_on": [f"s{(i + 1) % 70:02d}"]}
        for i in range(70)
    }
    services = {**ring, "auth": SERVICES["auth"], "directory": SERVICES["directory"]}
    found = findings_for({"domains": SITES, "services": services}, {"acyclic": {}}, tmp_path)
    assert {found[name].status for name in services} == {"fail"}
    group = (
        "is on a cycle of hard requirements within a group of 70 services that all require"
        " each other (s00, s01, s02, s03, s04, s05, s06, s07, s08, s09 and 60 more;"
        " nothing in it can start first)"
    )
    assert all(found[name].message == f"service {name} {group}" for name in ring)
    assert "auth -> directory -> auth" in found["auth"].message
