"""The pair stage's masks, inherited along requirements, equal the plain union.

For every target, :class:`checker.engine.fatalmasks.FatalMasks` must give exactly the
union, over the candidates that take it down alone, of the pairs holding each: the
mask the pair search subtracts from what a batch downs (docs/commands.md, risk-groups).
"""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.fatalmasks import FatalMasks
from checker.engine.graph import FailureGraph
from checker.engine.killsets import single_failure_kills
from checker.engine.order import bit_positions
from checker.manifest.load import model_from_data
from tests.strategies import manifests


@settings(max_examples=300, deadline=None)
@given(doc=manifests(domains=(1, 8), services=(1, 7)), data=st.data())
def test_inherited_masks_equal_the_union_over_fatal_candidates(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    graph = FailureGraph(model_from_data(doc))
    candidates = [graph.index[d] for d in doc["domains"]]
    kills = single_failure_kills(graph, candidates)
    targets = list(range(len(graph.ids)))
    # A batch of pairs: which candidates (by position) each pair of the batch holds.
    positions = st.integers(0, len(candidates) - 1)
    pairs = data.draw(st.lists(st.tuples(positions, positions), max_size=12))
    holding: dict[int, int] = {}
    for scenario, pair in enumerate(pairs):
        for position in pair:
            holding[position] = holding.get(position, 0) | 1 << scenario
    masks = FatalMasks(graph, kills, targets).masks(holding)
    for target in targets:
        plain = 0
        for position in bit_positions(kills[target]):
            plain |= holding.get(position, 0)
        assert masks[target] == plain, graph.ids[target]
