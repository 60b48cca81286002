"""The failure engine against a brute-force oracle, and its cause chains."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.core.model import Model
from checker.engine.graph import FailureGraph, Scenario
from checker.manifest.load import model_from_data


def naive_down(model: Model, failed: set[str]) -> set[str]:
    """docs/manifest.md's rules re-applied until nothing changes (the least fixed point)."""
    down = set(failed)

    def unmet(requires: Any) -> bool:
        return any(sum(1 for m in r.members if m not in down) < r.min for r in requires)

    changed = True
    while changed:
        changed = False
        for domain in model.domains.values():
            if domain.id in down:
                continue
            if (domain.parent is not None and domain.parent in down) or unmet(domain.requires):
                down.add(domain.id)
                changed = True
        for service in model.services.values():
            if service.id in down:
                continue
            up = sum(p.replicas for p in service.instances if p.at not in down)
            if up < service.min_healthy or unmet(service.requires):
                down.add(service.id)
                changed = True
    return down


@st.composite
def manifests(draw: st.DrawFn) -> dict[str, Any]:
    domain_count = draw(st.integers(1, 7))
    service_count = draw(st.integers(1, 6))
    domains = [f"d{i}" for i in range(domain_count)]
    services = [f"s{i}" for i in range(service_count)]
    everything = domains + services

    def requirement() -> Any:
        members = draw(st.lists(st.sampled_from(everything), min_size=1, max_size=3, unique=True))
        if len(members) == 1 and draw(st.booleans()):
            return members[0]
        return {"any_of": members, "min": draw(st.integers(1, len(members)))}

    domain_docs: dict[str, Any] = {}
    for index, name in enumerate(domains):
        doc: dict[str, Any] = {"kind": draw(st.sampled_from(["facility", "hall", "ups", "rack"]))}
        if index and draw(st.booleans()):
            doc["parent"] = domains[draw(st.integers(0, index - 1))]  # a forest, no cycles
        if draw(st.integers(0, 3)) == 0:
            doc["depends_on"] = [requirement()]
        domain_docs[name] = doc
    service_docs: dict[str, Any] = {}
    for name in services:
        instances = draw(
            st.lists(
                st.one_of(
                    st.sampled_from(domains),
                    st.builds(
                        lambda at, count: {"at": at, "count": count},
                        st.sampled_from(domains),
                        st.integers(1, 3),
                    ),
                ),
                max_size=4,
            )
        )
        doc = {"tier": "critical", "instances": instances}
        doc["min_healthy"] = draw(st.one_of(st.integers(1, 3), st.just("majority")))
        doc["depends_on"] = draw(st.lists(st.deferred(lambda: st.just(None)), max_size=0))
        doc["depends_on"] = [requirement() for _ in range(draw(st.integers(0, 2)))]
        service_docs[name] = doc
    return {"version": 1, "domains": domain_docs, "services": service_docs}


@settings(max_examples=300, deadline=None)
@given(manifests())
def test_every_single_domain_scenario_matches_the_oracle(data: dict[str, Any]) -> None:
    model = model_from_data(data)
    graph = FailureGraph(model)
    assert set(graph.nothing_failed().down_ids()) == naive_down(model, set())
    for domain in model.domains:
        outcome = graph.propagate([domain])
        assert set(outcome.down_ids()) == naive_down(model, {domain}), domain


@settings(max_examples=150, deadline=None)
@given(manifests(), st.data())
def test_multi_domain_scenarios_match_the_oracle(data: dict[str, Any], draw: st.DataObject) -> None:
    model = model_from_data(data)
    failed = draw.draw(st.sets(st.sampled_from(sorted(model.domains)), max_size=3))
    outcome = FailureGraph(model).propagate(sorted(failed))
    assert set(outcome.down_ids()) == naive_down(model, set(failed))


@settings(max_examples=150, deadline=None)
@given(manifests())
def test_every_cause_chain_ends_in_a_failed_domain_or_a_broken_entity(data: dict[str, Any]) -> None:
    model = model_from_data(data)
    graph = FailureGraph(model)
    for domain in model.domains:
        outcome = graph.propagate([domain])
        for entity in outcome.down_ids():
            chain = outcome.causes(entity)
            assert chain[0].startswith(f"{entity} ")
            assert chain[-1] == f"{domain} failed" or "even with nothing failed" in chain[-1]


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
