"""What-if lists exactly what the failure semantics (docs/manifest.md) take down, and why."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.core.errors import UsageError
from checker.core.model import Model
from checker.manifest.load import model_from_data
from checker.queries.whatif import what_if
from checker.render.whatif import to_text
from tests.oracle import naive_down
from tests.strategies import manifests


def _model(domains: dict[str, Any], services: dict[str, Any]) -> Model:
    return model_from_data({"version": 1, "domains": domains, "services": services})


def test_the_battery_room_fire(pangyo: Model) -> None:
    result = what_if(pangyo, ["pangyo/b3-battery-room"])
    assert result.scenario == ("pangyo/b3-battery-room",)
    # Most important tier first, then manifest order.
    assert [s.id for s in result.down] == [
        "auth",
        "ops-console",
        "failover-controller",
        "kakaotalk",
        "kakao-pay",
        "deploy-automation",
        "daum-mail",
    ]
    assert [(s.id, s.tier) for s in result.up] == [("talk-db", "critical")]
    assert set(result.domains_down) == {
        "pangyo/b3-battery-room",
        "pangyo/b3-ups",
        "pangyo/hall-a",
        "pangyo/hall-a/r03",
        "pangyo/hall-a/r12",
        "pangyo/hall-b",
        "pangyo/hall-b/r07",
        "pangyo/hall-b/r21",
    }
    kakaotalk = next(s for s in result.down if s.id == "kakaotalk")
    assert kakaotalk.causes == (
        "kakaotalk is down: requires auth",
        "auth is down: 0 of 2 instances up (needs 1)",
        "pangyo/hall-b/r07 is down: inside pangyo/hall-b",
        "pangyo/hall-b is down: requires pangyo/b3-ups",
        "pangyo/b3-ups is down: requires pangyo/b3-battery-room",
        "pangyo/b3-battery-room failed",
    )


def test_one_power_source_of_two_is_not_enough_to_fall(pangyo: Model) -> None:
    # The UPS runs on the grid or the generator: losing one changes nothing.
    assert what_if(pangyo, ["pangyo/grid"]).down == ()
    both = what_if(pangyo, ["pangyo/grid", "pangyo/b3-generator"])
    assert "talk-db" not in {s.id for s in both.down}
    assert len(both.down) == 7
    assert both.down[0].causes[-2:] == (
        "pangyo/b3-ups is down: requires 1 of any_of [pangyo/grid, pangyo/b3-generator], 0 up",
        "pangyo/b3-generator failed",
    )


def test_losing_pangyo_and_gasan_takes_the_data_too(pangyo: Model) -> None:
    result = what_if(pangyo, ["pangyo", "gasan"])
    assert [s.id for s in result.up] == []
    talk_db = next(s for s in result.down if s.id == "talk-db")
    assert talk_db.causes[0] == "talk-db is down: 0 of 2 instances up (needs 1)"


def test_quorum_counts_replicas() -> None:
    model = _model(
        {"a": {"kind": "rack"}, "b": {"kind": "rack"}, "c": {"kind": "rack"}},
        {
            "etcd": {
                "tier": "critical",
                "instances": [{"at": "a", "count": 2}, "b", "c"],
                "min_healthy": "majority",  # 3 of 4
            }
        },
    )
    assert what_if(model, ["b"]).down == ()
    lost = what_if(model, ["a"])
    assert [s.id for s in lost.down] == ["etcd"]
    assert lost.down[0].causes == ("etcd is down: 2 of 4 instances up (needs 3)", "a failed")


def test_healthy_cycle_stays_up_and_broken_services_are_flagged() -> None:
    model = _model(
        {"a": {"kind": "facility"}, "b": {"kind": "facility"}},
        {
            "x": {"tier": "high", "instances": ["a", "b"], "depends_on": ["y"]},
            "y": {"tier": "high", "instances": ["a", "b"], "depends_on": ["x"]},
            "lonely": {"tier": "low", "instances": [], "depends_on": []},
        },
    )
    result = what_if(model, ["a"])
    assert [s.id for s in result.up] == ["x", "y"]
    assert [s.id for s in result.down] == ["lonely"]
    assert result.down_anyway == ("lonely",)
    assert "lonely (low, down even with nothing failed)" in to_text(result)
    both = what_if(model, ["a", "b"])
    assert {s.id for s in both.down} == {"x", "y", "lonely"}


def test_narrowed_to_some_services(pangyo: Model) -> None:
    result = what_if(pangyo, ["pangyo"], services=["talk-db", "daum-mail"])
    assert [s.id for s in result.down] == ["daum-mail"]
    assert [s.id for s in result.up] == ["talk-db"]


def test_unknown_domain_suggests_close_matches(pangyo: Model) -> None:
    with pytest.raises(UsageError) as raised:
        what_if(pangyo, ["pangyo/b3-batery-room"])
    assert str(raised.value) == (
        "unknown domain 'pangyo/b3-batery-room'; did you mean 'pangyo/b3-battery-room'?"
    )


def test_a_service_is_not_a_domain(pangyo: Model) -> None:
    with pytest.raises(UsageError, match="'auth' is a service, not a domain"):
        what_if(pangyo, ["auth"])


def test_unknown_service_to_narrow_to(pangyo: Model) -> None:
    with pytest.raises(UsageError, match="unknown service 'kakaotak'; did you mean 'kakaotalk'"):
        what_if(pangyo, ["pangyo"], services=["kakaotak"])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=manifests(), data=st.data())
def test_down_is_exactly_the_least_fixed_point(doc: dict[str, Any], data: st.DataObject) -> None:
    """Against the naive oracle (tests/oracle.py), on random manifests."""
    domains = list(doc["domains"])
    failed = data.draw(st.lists(st.sampled_from(domains), min_size=1, max_size=3, unique=True))
    result = what_if(model_from_data(doc), failed)
    expected = naive_down(doc, set(failed))
    assert {s.id for s in result.down} == expected & set(doc["services"])
    assert {s.id for s in result.up} == set(doc["services"]) - expected
    assert set(result.domains_down) == expected & set(domains)
    for service in result.down:
        assert service.causes[0].startswith(f"{service.id} is down: ")
        assert (
            service.causes[-1].endswith(" failed")
            or "even with nothing failed" in (service.causes[-1])
        )
