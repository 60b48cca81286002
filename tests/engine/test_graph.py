"""The failure engine against the naive oracle (tests/oracle.py), and its scenarios."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.graph import FailureGraph, Scenario
from checker.manifest.load import model_from_data
from tests.oracle import naive_down
from tests.strategies import manifests


@settings(max_examples=300, deadline=None)
@given(manifests())
def test_every_single_domain_scenario_matches_the_oracle(data: dict[str, Any]) -> None:
    model = model_from_data(data)
    graph = FailureGraph(model)
    assert set(graph.nothing_failed().down_ids()) == naive_down(data, set())
    for domain in model.domains:
        outcome = graph.propagate([domain])
        assert set(outcome.down_ids()) == naive_down(data, {domain}), domain


@settings(max_examples=150, deadline=None)
@given(manifests(extras=True), st.data())
def test_multi_domain_scenarios_match_the_oracle(data: dict[str, Any], draw: st.DataObject) -> None:
    model = model_from_data(data)
    failed = draw.draw(st.sets(st.sampled_from(sorted(model.domains)), max_size=3))
    outcome = FailureGraph(model).propagate(sorted(failed))
    assert set(outcome.down_ids()) == naive_down(data, set(failed))


PANGYO = {
    "version": 1,
    "domains": {
        "kr": {"kind": "region"},
        "pangyo": {"kind": "facility", "parent": "kr"},
        "pangyo/b3-ups": {"kind": "ups", "parent": "pangyo"},
        "pangyo/hall-a": {"kind": "hall", "parent": "pangyo", "depends_on": ["pangyo/b3-ups"]},
        "pangyo/hall-a/r12": {"kind": "rack", "parent": "pangyo/hall-a"},
        "ansan": {"kind": "facility", "parent": "kr"},
        "ansan/ups-a": {"kind": "ups", "parent": "ansan"},
        "ansan/ups-b": {"kind": "ups", "parent": "ansan"},
        "ansan/hall-1": {
            "kind": "hall",
            "parent": "ansan",
            "depends_on": [{"any_of": ["ansan/ups-a", "ansan/ups-b"]}],
        },
    },
    "services": {
        "auth": {"tier": "critical", "instances": ["pangyo/hall-a/r12"]},
        "kakaotalk": {
            "tier": "critical",
            "instances": ["pangyo/hall-a/r12", {"at": "ansan/hall-1", "count": 3}],
            "depends_on": ["auth"],
        },
        "talk-db": {
            "tier": "critical",
            "instances": ["pangyo/hall-a/r12", "ansan/hall-1"],
            "min_healthy": "majority",
        },
    },
}


def test_the_spec_example_chain_names_the_real_culprit() -> None:
    outcome = FailureGraph(model_from_data(PANGYO)).propagate(["pangyo/b3-ups"])
    assert sorted(outcome.down_services()) == ["auth", "kakaotalk", "talk-db"]
    assert outcome.causes("kakaotalk") == (
        "kakaotalk is down: requires auth",
        "auth is down: 0 of 1 instances up (needs 1)",
        "pangyo/hall-a/r12 is down: inside pangyo/hall-a",
        "pangyo/hall-a is down: requires pangyo/b3-ups",
        "pangyo/b3-ups failed",
    )


def test_one_of_two_feeds_failing_keeps_the_hall_up() -> None:
    graph = FailureGraph(model_from_data(PANGYO))
    assert not graph.propagate(["ansan/ups-a"]).is_down("ansan/hall-1")
    both = graph.propagate(["ansan/ups-a", "ansan/ups-b"])
    assert both.causes("ansan/hall-1")[0] == (
        "ansan/hall-1 is down: requires 1 of any_of [ansan/ups-a, ansan/ups-b], 0 up"
    )


def test_a_cycle_of_healthy_services_stays_up() -> None:
    data = {
        "version": 1,
        "domains": {"f1": {"kind": "facility"}, "f2": {"kind": "facility"}},
        "services": {
            "a": {"tier": "critical", "instances": ["f1"], "depends_on": ["b"]},
            "b": {"tier": "critical", "instances": ["f1", "f2"], "depends_on": ["a"]},
        },
    }
    graph = FailureGraph(model_from_data(data))
    assert graph.nothing_failed().down_ids() == []
    assert sorted(graph.propagate(["f2"]).down_ids()) == ["f2"]
    assert sorted(graph.propagate(["f1"]).down_ids()) == ["a", "b", "f1"]


def test_a_service_with_too_few_replicas_is_down_before_anything_fails() -> None:
    data = {
        "version": 1,
        "domains": {"f1": {"kind": "facility"}},
        "services": {"lonely": {"tier": "low", "instances": ["f1"], "min_healthy": 2}},
    }
    baseline = FailureGraph(model_from_data(data)).nothing_failed()
    assert baseline.causes("lonely") == (
        "lonely is down: 1 of 1 instances up (needs 2), even with nothing failed",
    )


def test_scenarios_compare_by_their_sorted_domains() -> None:
    assert Scenario.of(["b", "a", "b"]) == Scenario(("a", "b"))
    assert str(Scenario.of(["b", "a"])) == "{a, b}"


@settings(max_examples=150, deadline=None)
@given(manifests())
def test_explain_within_the_cone_matches_a_full_propagation(data: dict[str, Any]) -> None:
    model = model_from_data(data)
    graph = FailureGraph(model)
    for domain in model.domains:
        outcome = graph.propagate([domain])
        for entity in outcome.down_ids():
            assert graph.explain(entity, [domain]) == outcome.causes(entity)
