"""Single failures at scale: the lean per-target answer agrees with the full groups."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings

from checker.engine.graph import FailureGraph
from checker.engine.killsets import fallen_region, single_failure_kills
from checker.engine.riskgroups import RiskGroup, single_failure_groups
from checker.engine.singles import first_chains, single_failures
from checker.manifest.load import model_from_data
from tests.strategies import manifests


@settings(max_examples=300, deadline=None)
@given(manifests())
def test_single_failures_agree_with_the_groups(data: dict[str, Any]) -> None:
    model = model_from_data(data)
    graph = FailureGraph(model)
    targets = list(range(len(graph.ids)))
    candidates = [graph.index[d] for d in model.domains]
    kills = single_failure_kills(graph, candidates)
    groups: dict[int, list[RiskGroup]] = {target: [] for target in targets}
    single_failure_groups(graph, groups, candidates, kills)
    found = single_failures(graph, targets, candidates, kills, shown=2)
    for target in targets:
        expected, got = groups[target], found[target]
        if expected and not expected[0].domains:
            assert got.down_unfailed and got.causes == expected[0].causes
            continue
        assert not got.down_unfailed
        assert got.total == len(expected)
        assert got.first == tuple(group.domains[0] for group in expected[:2])
        assert got.causes == (expected[0].causes if expected else ())


@settings(max_examples=300, deadline=None)
@given(manifests())
def test_a_propagation_within_the_fallen_region_gives_the_full_chains(
    data: dict[str, Any],
) -> None:
    model = model_from_data(data)
    graph = FailureGraph(model)
    if graph.broken:
        return  # fallen_region is only used when nothing is down with nothing failed
    candidates = [graph.index[d] for d in model.domains]
    kills = single_failure_kills(graph, candidates)
    for position, candidate in enumerate(candidates):
        full = graph.propagate_indices((candidate,))
        for target in full.down_indices:
            region = fallen_region(graph, kills, position, [target])
            limited = graph.propagate_indices((candidate,), region)
            entity = graph.ids[target]
            assert limited.causes(entity) == full.causes(entity)


@settings(max_examples=300, deadline=None)
@given(manifests())
def test_first_chains_are_those_of_full_propagations_per_candidate(data: dict[str, Any]) -> None:
    # Every target under every candidate that downs it: a target may be listed under
    # several candidates (as independent lists instance sites), each with its own chain.
    model = model_from_data(data)
    graph = FailureGraph(model)
    candidates = [graph.index[d] for d in model.domains]
    kills = single_failure_kills(graph, candidates)
    fulls = [graph.propagate_indices((candidate,)) for candidate in candidates]
    listed = {
        position: [t for t in full.down_indices if t != candidates[position]]
        for position, full in enumerate(fulls)
    }
    chains = first_chains(graph, listed, candidates, kills, set(range(len(graph.ids))))
    for position, targets in listed.items():
        for target in targets:
            entity = graph.ids[target]
            assert chains[position, target] == fulls[position].causes(entity)
