"""Minimal risk groups are exact: the same as brute force over every small scenario.

The brute force below does not use the failure engine: it asks the naive oracle
(tests/oracle.py, the failure semantics applied to the manifest document until nothing
changes) about every set of up to K candidate domains, and keeps the fatal ones none
of whose proper subsets is fatal. Manifests are a little smaller than elsewhere: the
brute force is exponential in K.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.graph import FailureGraph
from checker.engine.riskgroups import minimal_risk_groups
from checker.manifest.load import model_from_data
from tests.oracle import naive_down
from tests.strategies import manifests

Doc = dict[str, Any]


def brute_force(
    doc: Doc, target: str, candidates: list[str], max_size: int
) -> list[tuple[str, ...]]:
    if target in naive_down(doc, set()):
        return [()]
    pool = [c for c in candidates if c != target]
    found: list[tuple[str, ...]] = []
    for size in range(1, max_size + 1):
        for combo in combinations(pool, size):
            if any(set(group) <= set(combo) for group in found):
                continue
            if target in naive_down(doc, set(combo)):
                found.append(combo)
    return found


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(doc=manifests(domains=(1, 6), services=(1, 5)), max_size=st.integers(1, 3), data=st.data())
def test_minimal_risk_groups_equal_brute_force(
    doc: Doc, max_size: int, data: st.DataObject
) -> None:
    domain_ids = list(doc["domains"])
    candidates = data.draw(
        st.lists(st.sampled_from(domain_ids), min_size=1, unique=True).map(
            lambda chosen: [d for d in domain_ids if d in chosen]  # manifest order, like --kind
        )
    )
    graph = FailureGraph(model_from_data(doc))
    targets = [*doc["services"], *doc["domains"]]
    found = minimal_risk_groups(
        graph, [graph.index[t] for t in targets], [graph.index[c] for c in candidates], max_size
    )
    for target in targets:
        groups = found[graph.index[target]]
        assert [g.domains for g in groups] == brute_force(doc, target, candidates, max_size), target
        for group in groups:
            assert group.causes[0].startswith(f"{target} "), group


# ---------------------------------------------------------------- worked examples

# Two UPSes on A/B power for the hall; a quorum of three replicas over two halls.
QUORUM: Doc = {
    "version": 1,
    "domains": {
        "site": {"kind": "facility"},
        "ups-a": {"kind": "ups", "parent": "site"},
        "ups-b": {"kind": "ups", "parent": "site"},
        "hall-1": {
            "kind": "hall",
            "parent": "site",
            "depends_on": [{"any_of": ["ups-a", "ups-b"]}],
        },
        "hall-2": {"kind": "hall", "parent": "site", "depends_on": ["ups-b"]},
        "rack-1": {"kind": "rack", "parent": "hall-1"},
        "rack-2": {"kind": "rack", "parent": "hall-1"},
        "rack-3": {"kind": "rack", "parent": "hall-2"},
    },
    "services": {
        "db": {
            "tier": "critical",
            "instances": ["rack-1", "rack-2", "rack-3"],
            "min_healthy": "majority",
        },
        "api": {"tier": "critical", "instances": ["rack-3"], "depends_on": ["db"]},
    },
}


def _groups(doc: Doc, target: str, max_size: int, kinds: set[str] | None = None) -> list[Any]:
    graph = FailureGraph(model_from_data(doc))
    candidates = [
        graph.index[d]
        for d, domain in doc["domains"].items()
        if not kinds or domain["kind"] in kinds
    ]
    found = minimal_risk_groups(graph, [graph.index[target]], candidates, max_size)
    return found[graph.index[target]]


def test_quorum_pairs_and_singles_in_order() -> None:
    groups = _groups(QUORUM, "db", 2)
    assert [g.domains for g in groups] == [
        ("site",),
        ("hall-1",),
        ("ups-a", "ups-b"),
        ("ups-b", "rack-1"),
        ("ups-b", "rack-2"),
        ("hall-2", "rack-1"),
        ("hall-2", "rack-2"),
        ("rack-1", "rack-2"),
        ("rack-1", "rack-3"),
        ("rack-2", "rack-3"),
    ]
    # Neither UPS alone is enough (hall-1 has A/B power, hall-2 holds one replica of three).
    assert groups[2].causes == (
        "db is down: 0 of 3 instances up (needs 2)",
        "rack-2 is down: inside hall-1",
        "hall-1 is down: requires 1 of any_of [ups-a, ups-b], 0 up",
        "ups-b failed",
    )


def test_kinds_restrict_the_candidates() -> None:
    assert [g.domains for g in _groups(QUORUM, "db", 2, {"ups"})] == [("ups-a", "ups-b")]


def test_transitive_requirement_counts() -> None:
    singles = [g.domains for g in _groups(QUORUM, "api", 1)]
    assert singles == [("site",), ("ups-b",), ("hall-1",), ("hall-2",), ("rack-3",)]


def test_broken_target_has_one_empty_group() -> None:
    doc: Doc = {
        "version": 1,
        "domains": {"site": {"kind": "facility"}},
        "services": {"lonely": {"tier": "critical", "instances": ["site"], "min_healthy": 2}},
    }
    groups = _groups(doc, "lonely", 2)
    assert [g.domains for g in groups] == [()]
    assert groups[0].causes == (
        "lonely is down: 1 of 1 instances up (needs 2), even with nothing failed",
    )


def test_a_domain_is_not_part_of_its_own_groups() -> None:
    assert [g.domains for g in _groups(QUORUM, "hall-2", 2)] == [("site",), ("ups-b",)]


def test_healthy_cycle_is_not_a_group() -> None:
    doc: Doc = {
        "version": 1,
        "domains": {"a": {"kind": "facility"}, "b": {"kind": "facility"}},
        "services": {
            "x": {"tier": "critical", "instances": ["a", "b"], "depends_on": ["y"]},
            "y": {"tier": "critical", "instances": ["a", "b"], "depends_on": ["x"]},
        },
    }
    assert [g.domains for g in _groups(doc, "x", 2)] == [("a", "b")]
