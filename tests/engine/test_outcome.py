"""Outcomes: the cause chains of what a propagation took down (checker.engine.outcome)."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.graph import FailureGraph
from checker.manifest.load import model_from_data
from tests.strategies import manifests


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


@settings(max_examples=150, deadline=None)
@given(manifests(extras=True), st.data())
def test_chains_of_many_entities_are_their_causes(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    """``chains`` shares tails within an outcome and sentences across outcomes; what it
    gives is what ``causes`` gives, entity by entity, in any order asked."""
    model = model_from_data(data)
    graph = FailureGraph(model)
    links: dict[tuple[int, int, int, int], str] = {}
    for domain in model.domains:
        outcome = graph.propagate([domain])
        down = outcome.down_ids()
        asked = draw.draw(st.permutations(down))
        assert outcome.chains(asked, links) == [outcome.causes(entity) for entity in asked]
