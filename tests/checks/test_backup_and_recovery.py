from __future__ import annotations

from pathlib import Path

from tests.checks.helpers import SITES, findings_for, statuses

SERVICES = {
    "offsite": {
        "tier": "high",
        "instances": ["f1/h1/r1"],
        "backups": [{"at": "f2/h1", "every": "1h"}],
        "rto": "1h",
        "rpo": "1h",
    },
    "same-building": {
        "tier": "high",
        "instances": ["f1/h1/r1"],
        "backups": [{"at": "f1/h2", "every": "1h"}],
        "rto": "4h",
        "rpo": "15m",
    },
    "none": {"tier": "high", "instances": ["f1/h1/r1"]},
    "slow": {
        "tier": "high",
        "instances": ["f1/h1/r1"],
        "backups": [{"at": "f2", "every": "7d"}],
        "rto": "1h",
        "rpo": "1d",
    },
}


def test_backup_must_leave_the_building(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES}, {"backup": {"outside": "facility"}}, tmp_path
    )
    assert statuses(found) == {
        "offsite": "pass",
        "same-building": "fail",
        "none": "fail",
        "slow": "pass",
    }
    assert found["none"].message == "service none has no backups"
    assert "no backup outside the facility" in found["same-building"].message


def test_backup_max_interval(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES},
        {"backup": {"outside": "facility", "max_interval": "1d"}},
        tmp_path,
    )
    assert statuses(found)["slow"] == "fail"
    assert "every 7d at best, more than the allowed 1d" in found["slow"].message


def test_recovery_objectives_declared_bounded_and_honest(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES},
        {"recovery": {"rto_max": "2h"}},
        tmp_path,
    )
    assert statuses(found) == {
        "offsite": "pass",
        "same-building": "fail",
        "none": "fail",
        "slow": "fail",
    }
    assert found["none"].message == "service none declares no rto or rpo"
    assert "rto 4h exceeds 2h" in found["same-building"].message
    assert "rpo 1d is shorter than the most frequent off-site backup" in found["slow"].message


def test_an_instance_in_no_facility_cannot_be_shown_to_be_backed_up_off_site(
    tmp_path: Path,
) -> None:
    domains = {**SITES, "loose": {"kind": "rack"}}
    services = {
        "db": {
            "tier": "high",
            "instances": ["f1/h1/r1", "loose"],
            "backups": [{"at": "f2", "every": "1h"}],
        }
    }
    found = findings_for(
        {"domains": domains, "services": services}, {"backup": {"outside": "facility"}}, tmp_path
    )
    assert found["db"].status == "fail"
    assert "cannot tell which facility instances at loose are in" in found["db"].message
