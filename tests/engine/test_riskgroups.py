"""Minimal risk groups are exact: the same as brute force over every small scenario.

The brute force below does not use the failure engine: it evaluates docs/manifest.md's
failure semantics on the raw manifest document by naive fixed-point iteration (start
with nothing down, apply the four rules until nothing changes: the least fixed
point), then keeps every fatal set of up to K candidate domains none of whose
proper subsets is fatal.
"""

from __future__ import annotations

from itertools import combinations
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine.graph import FailureGraph
from checker.engine.riskgroups import minimal_risk_groups
from checker.manifest.load import model_from_data

Doc = dict[str, Any]

# ------------------------------------------------------------------ the oracle


def _unmet(requirements: list[Any], down: set[str]) -> bool:
    for requirement in requirements:
        if isinstance(requirement, str):
            if requirement in down:
                return True
        else:
            up = sum(1 for member in requirement["any_of"] if member not in down)
            if up < requirement.get("min", 1):
                return True
    return False


def naive_down(doc: Doc, failed: set[str]) -> set[str]:
    """Everything down when ``failed`` domains fail, by iterating the rules to a fixed point."""
    down: set[str] = set()
    changed = True
    while changed:
        changed = False
        for domain_id, domain in doc.get("domains", {}).items():
            if domain_id in down:
                continue
            if (
                domain_id in failed
                or domain.get("parent") in down
                or _unmet(domain.get("depends_on", []), down)
            ):
                down.add(domain_id)
                changed = True
        for service_id, service in doc.get("services", {}).items():
            if service_id in down:
                continue
            total = up = 0
            for instance in service.get("instances", []):
                at, count = (
                    (instance, 1)
                    if isinstance(instance, str)
                    else (instance["at"], instance["count"])
                )
                total += count
                up += 0 if at in down else count
            need = service.get("min_healthy", 1)
            if need == "majority":
                need = total // 2 + 1
            if up < need or _unmet(service.get("depends_on", []), down):
                down.add(service_id)
                changed = True
    return down


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


# ------------------------------------------------------------- random manifests


def _requirement(pool: list[str]) -> st.SearchStrategy[Any]:
    group = st.lists(st.sampled_from(pool), min_size=1, max_size=3, unique=True).flatmap(
        lambda members: st.fixed_dictionaries(
            {"any_of": st.just(members), "min": st.integers(1, len(members))}
        )
    )
    return st.one_of(st.sampled_from(pool), group)


@st.composite
def manifests(draw: st.DrawFn) -> Doc:
    domain_ids = [f"d{i}" for i in range(draw(st.integers(1, 6)))]
    service_ids = [f"s{i}" for i in range(draw(st.integers(1, 5)))]
    everything = domain_ids + service_ids
    domains: Doc = {}
    for index, domain_id in enumerate(domain_ids):
        domain: Doc = {"kind": draw(st.sampled_from(["facility", "hall", "ups", "feed"]))}
        if index and draw(st.booleans()):
            domain["parent"] = draw(st.sampled_from(domain_ids[:index]))
        if draw(st.integers(0, 3)) == 0:  # mostly plain containment, some requirements
            domain["depends_on"] = draw(st.lists(_requirement(everything), max_size=2))
        domains[domain_id] = domain
    instance = st.one_of(
        st.sampled_from(domain_ids),
        st.fixed_dictionaries({"at": st.sampled_from(domain_ids), "count": st.integers(1, 3)}),
    )
    services: Doc = {}
    for service_id in service_ids:
        service: Doc = {"tier": "critical", "instances": draw(st.lists(instance, max_size=4))}
        if draw(st.booleans()):
            service["min_healthy"] = draw(st.one_of(st.integers(1, 3), st.just("majority")))
        if draw(st.booleans()):  # cycles between services are allowed (least fixed point)
            service["depends_on"] = draw(st.lists(_requirement(everything), max_size=3))
        services[service_id] = service
    return {"version": 1, "domains": domains, "services": services}


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(doc=manifests(), max_size=st.integers(1, 3), data=st.data())
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
