"""Explaining many risk groups at once gives the chains of a full propagation.

:meth:`checker.engine.explainer.GroupExplainer.explain_all` decides the groups of a
batch together and propagates each only through what fell on the way to its targets;
each chain must be the one a propagation over the whole model gives, and the one the
search itself gives when it explains every group (docs/commands.md, risk-groups).
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine import explainer
from checker.engine.graph import FailureGraph
from checker.engine.riskgroups import RiskGroupSearch
from checker.manifest.load import model_from_data
from tests.strategies import manifests


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    doc=manifests(domains=(1, 7), services=(1, 6)),
    max_size=st.integers(1, 3),
    batch=st.integers(1, 4),
)
def test_explain_all_gives_the_chains_of_a_full_propagation(
    doc: dict[str, Any], max_size: int, batch: int
) -> None:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(explainer, "EXPLAIN_BATCH", batch)  # several passes, too
        _check(doc, max_size)


def _check(doc: dict[str, Any], max_size: int) -> None:
    graph = FailureGraph(model_from_data(doc))
    targets = list(range(len(graph.ids)))
    candidates = [graph.index[d] for d in doc["domains"]]
    eager = RiskGroupSearch(graph, targets, candidates, max_size)
    lazy = RiskGroupSearch(graph, targets, candidates, max_size, chains=False)
    requests = [
        (graph.ids[target], group.domains)
        for target in targets
        for group in lazy.groups[target]
        if group.domains
    ]
    chains = lazy.explain_all(requests)
    expected = {
        (graph.ids[target], group.domains): group.causes
        for target in targets
        for group in eager.groups[target]
    }
    assert len(chains) == len(requests)
    for (target_id, domains), chain in zip(requests, chains, strict=True):
        full = graph.propagate(domains).causes(target_id)
        assert chain == full == expected[target_id, domains]
        assert chain == lazy.explain(target_id, domains)
