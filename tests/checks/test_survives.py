from __future__ import annotations

from pathlib import Path

from tests.checks.helpers import SITES, findings_for, statuses

SERVICES = {
    "auth": {"tier": "critical", "instances": ["f1/h1/r1"]},
    "talk": {
        "tier": "critical",
        "instances": ["f1/h1/r1", "f2/h1/r1"],
        "depends_on": ["auth"],
    },
    "db": {"tier": "critical", "instances": ["f1/h1/r1", "f2/h1/r1"]},
    "fallback": {
        "tier": "critical",
        "instances": ["f1/h2/r1", "f2/h2/r1"],
        "depends_on": [{"any_of": ["auth", "db"]}],
    },
}


def test_survival_is_transitive_and_names_the_culprit(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES}, {"survives": {"loss_of": "facility"}}, tmp_path
    )
    assert statuses(found) == {"auth": "fail", "talk": "fail", "db": "pass", "fallback": "pass"}
    assert found["talk"].message == "service talk does not survive the loss of f1"
    assert found["talk"].causes == (
        "talk is down: requires auth",
        "auth is down: 0 of 1 instances up (needs 1)",
        "f1/h1/r1 is down: inside f1/h1",
        "f1/h1 is down: inside f1",
        "f1 failed",
    )


def test_max_size_two_lists_only_minimal_scenarios(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES},
        {"select": {"ids": ["db", "talk"]}, "survives": {"loss_of": "ups", "max_size": 2}},
        tmp_path,
    )
    assert statuses(found) == {"db": "fail", "talk": "fail"}
    assert found["db"].message == (
        "service db does not survive 1 failure scenarios of ups: {f1/ups, f2/ups}"
    )
    assert found["talk"].message == "service talk does not survive the loss of f1/ups"


def test_loss_of_any_domain_and_domain_entities(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES},
        {"select": {"entity": "domain", "kind": "hall"}, "survives": {"loss_of": "ups"}},
        tmp_path,
    )
    assert set(statuses(found).values()) == {"fail"}
    assert found["f2/h1"].message == "domain f2/h1 does not survive the loss of f2/ups"


def test_an_entity_down_with_nothing_failed_fails(tmp_path: Path) -> None:
    found = findings_for(
        {
            "domains": SITES,
            "services": {"s": {"tier": "low", "instances": ["f1"], "min_healthy": 2}},
        },
        {"survives": {"loss_of": "any"}},
        tmp_path,
    )
    assert found["s"].message == "service s is down even with nothing failed"


def test_no_domain_of_the_kind_passes_vacuously_and_says_so(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES}, {"survives": {"loss_of": "campus"}}, tmp_path
    )
    assert set(statuses(found).values()) == {"pass"}
    assert "vacuously" in found["auth"].message
