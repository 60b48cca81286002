"""The ``risk-groups`` report's order and ``--limit``: exact groups, ordered, trimmed.

The order is held to the oracle: each group is weighed by the services of the whole
model that the naive semantics (tests/oracle.py) take down when its domains fail,
less those down with nothing failed. ``--limit N`` must show a prefix of the full
list, with the same chains, and the same totals.
"""

from __future__ import annotations

from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.graph import FailureGraph
from checker.manifest.load import model_from_data
from checker.queries.riskreport import risk_report
from tests.oracle import naive_down
from tests.strategies import manifests

Doc = dict[str, Any]


def _services_down(doc: Doc, domains: tuple[str, ...]) -> int:
    baseline = naive_down(doc, set())
    return len((naive_down(doc, set(domains)) - baseline) & set(doc["services"]))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    doc=manifests(domains=(1, 6), services=(1, 5)),
    max_size=st.integers(1, 3),
    limit=st.integers(1, 4),
)
def test_limit_is_a_prefix_of_the_ordered_list(doc: Doc, max_size: int, limit: int) -> None:
    model = model_from_data(doc)
    targets = [*doc["services"], *doc["domains"]]
    full = list(risk_report(model, targets, max_size, graph=FailureGraph(model)).entities)
    some = list(risk_report(model, targets, max_size, limit=limit).entities)
    bare = list(risk_report(model, targets, max_size, limit=limit, chains=False).entities)
    assert [e.id for e in full] == [e.id for e in some] == [e.id for e in bare] == targets
    for every, first, plain in zip(full, some, bare, strict=True):
        assert every.total == first.total == plain.total == len(every.groups)
        assert every.singles == sum(1 for g in every.groups if len(g.domains) == 1)
        assert first.groups == every.groups[:limit]
        assert [g.domains for g in plain.groups] == [g.domains for g in first.groups]
        assert all(not g.causes for g in plain.groups if g.domains)
        keys = [(len(g.domains), -_services_down(doc, g.domains), g.domains) for g in every.groups]
        assert keys == sorted(keys), every.id
        for group in every.groups:
            assert group.causes and group.causes[0].startswith(f"{every.id} "), group
