"""Kill sets: which single domain failures take each entity down, all at once."""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import given, settings

from checker.engine.graph import FailureGraph
from checker.engine.killsets import scenario_kills, single_failure_kills
from checker.manifest.load import model_from_data
from tests.oracle import naive_down
from tests.strategies import manifests


@settings(max_examples=300, deadline=None)
@given(manifests())
def test_single_failure_kills_agree_with_propagation(data: dict[str, Any]) -> None:
    model = model_from_data(data)
    graph = FailureGraph(model)
    candidates = [graph.index[d] for d in model.domains]
    kills = single_failure_kills(graph, candidates)
    baseline = set(graph.nothing_failed().down_ids())
    for position, domain in enumerate(model.domains):
        expected = naive_down(data, {domain}) - baseline
        killed = {graph.ids[e] for e, bits in enumerate(kills) if bits >> position & 1}
        assert killed == expected, domain
    for entity in range(len(graph.ids)):
        cone = graph.cone(entity)
        limited = single_failure_kills(graph, candidates, cone)
        assert all(limited[e] == kills[e] for e in cone)


@settings(max_examples=200, deadline=None)
@given(manifests())
def test_scenario_kills_agree_with_the_oracle(data: dict[str, Any]) -> None:
    """Every single domain and pair of domains at once, as the risk-group search asks."""
    model = model_from_data(data)
    graph = FailureGraph(model)
    domains = list(model.domains)
    scenarios = [(d,) for d in domains] + list(combinations(domains, 2))
    kills = scenario_kills(graph, [[graph.index[d] for d in s] for s in scenarios])
    baseline = set(graph.nothing_failed().down_ids())
    for position, scenario in enumerate(scenarios):
        expected = naive_down(data, set(scenario)) - baseline
        killed = {graph.ids[e] for e, bits in enumerate(kills) if bits >> position & 1}
        assert killed == expected, scenario


def test_kill_sets_travel_around_a_cycle_and_down_what_hangs_off_it() -> None:
    """A ring of hard requirements: losing any member's rack downs the whole ring, so
    every member's kill set must gather every rack, against the order the ring is
    looked at in; a service requiring one member (on no cycle itself) inherits them."""
    size = 12
    domains = {"dc": {"kind": "facility"}}
    domains |= {f"rk{i}": {"kind": "rack", "parent": "dc"} for i in range(size)}
    services = {
        f"s{i}": {"tier": "high", "instances": [f"rk{i}"], "depends_on": [f"s{(i + 1) % size}"]}
        for i in range(size)
    }
    services["edge"] = {"tier": "low", "instances": ["dc"], "depends_on": ["s5"]}
    data = {"version": 1, "domains": domains, "services": services}
    graph = FailureGraph(model_from_data(data))
    candidates = [graph.index[d] for d in domains]
    kills = single_failure_kills(graph, candidates)
    every = (1 << len(candidates)) - 1
    for name in [*(f"s{i}" for i in range(size)), "edge"]:
        assert kills[graph.index[name]] == every, name
    for position, domain in enumerate(domains):
        assert {graph.ids[e] for e, bits in enumerate(kills) if bits >> position & 1} == (
            naive_down(data, {domain})
        )
