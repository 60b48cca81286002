"""The ``risk-groups`` report's order and ``--limit``: exact groups, ordered, trimmed.

The order is held to the oracle: each group is weighed by the services of the whole
model that the naive semantics (tests/oracle.py) take down when its domains fail,
less those down with nothing failed. ``--limit N`` must show a prefix of the full
list, with the same chains, and the same totals.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine import budget
from checker.engine.graph import FailureGraph
from checker.engine.riskgroups import RiskGroupSearch
from checker.manifest.load import model_from_data
from checker.queries import riskreport
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


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(
    doc=manifests(domains=(1, 6), services=(1, 5)),
    limit=st.one_of(st.none(), st.integers(1, 3)),
    chunk=st.integers(1, 4),
)
def test_chunks_of_explained_services_do_not_change_the_report(
    doc: Doc, limit: int | None, chunk: int
) -> None:
    model = model_from_data(doc)
    targets = [*doc["services"], *doc["domains"]]
    whole = list(risk_report(model, targets, 2, limit=limit).entities)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(riskreport, "EXPLAIN_CHUNK", chunk)
        chunked = list(risk_report(model, targets, 2, limit=limit).entities)
    assert chunked == whole


def test_services_are_explained_and_produced_a_chunk_at_a_time(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Three services, each with groups: with chunks of one group, the second service
    # is not explained before the first is produced.
    doc: Doc = {
        "version": 1,
        "domains": {"f1": {"kind": "facility"}, "f2": {"kind": "facility"}},
        "services": {
            name: {"tier": "critical", "instances": [{"at": "f1"}, {"at": "f2"}]}
            for name in ("a", "b", "c")
        },
    }
    calls: list[int] = []
    explain_all = RiskGroupSearch.explain_all

    def spy(self: RiskGroupSearch, requests: Any) -> Any:
        calls.append(len(requests))
        return explain_all(self, requests)

    monkeypatch.setattr(RiskGroupSearch, "explain_all", spy)
    monkeypatch.setattr(riskreport, "EXPLAIN_CHUNK", 1)
    entities = risk_report(model_from_data(doc), max_size=2).entities
    first = next(entities)
    assert first.id == "a" and first.groups[0].domains == ("f1", "f2")
    assert first.groups[0].causes[0].startswith("a is down")
    assert calls == [1]
    assert [e.id for e in entities] == ["b", "c"] and calls == [1, 1, 1]


def test_too_many_groups_to_list_with_chains_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    names = [f"p{i}" for i in range(8)]
    doc: Doc = {
        "version": 1,
        "domains": {name: {"kind": "power-feed"} for name in names},
        "services": {"s": {"tier": "critical", "instances": [{"at": n} for n in names]}},
    }
    model = model_from_data(doc)
    monkeypatch.setattr(budget, "MAX_CHAINED_GROUPS", 10)
    # 8 replicas, one needed: no group of two, and none is listed.
    assert [e.total for e in risk_report(model, ["s"], 2).entities] == [0]
    doc["services"]["s"]["min_healthy"] = 7  # any two of eight: 28 pairs
    model = model_from_data(doc)
    with pytest.raises(budget.SearchTooLarge, match="risk-groups --limit N"):
        risk_report(model, ["s"], 2)
    # --limit lists the few most important, and --no-chains explains none.
    (limited,) = risk_report(model, ["s"], 2, limit=3).entities
    assert limited.total == 28 and len(limited.groups) == 3
    (bare,) = risk_report(model, ["s"], 2, chains=False).entities
    assert bare.total == len(bare.groups) == 28
