"""Risk-group searches stay exact and bounded, whatever the size of an ``any_of``.

Timing is measured in bench/, never here: these tests count the engine's work
(propagations, candidate pairs weighed) and hold the answers to the brute force of
tests/test_risk.py, on gates large enough to take the linear paths.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine import budget
from checker.engine.graph import FailureGraph
from checker.engine.killsets import single_failure_kills
from checker.engine.riskgroups import minimal_risk_groups
from checker.manifest.load import model_from_data
from tests.conftest import Run
from tests.engine.test_riskgroups import brute_force
from tests.oracle import naive_down

Doc = dict[str, Any]


def feeds_manifest(feeds: int, need: int = 1) -> Doc:
    """A hall on ``need`` of ``feeds`` power feeds, a rack in it, a critical service there."""
    names = [f"p{i}" for i in range(feeds)]
    return {
        "version": 1,
        "domains": {
            "f1": {"kind": "facility"},
            **{name: {"kind": "power-feed"} for name in names},
            "h1": {
                "kind": "hall",
                "parent": "f1",
                "depends_on": [{"any_of": names, "min": need}],
            },
            "r1": {"kind": "rack", "parent": "h1"},
        },
        "services": {"s": {"tier": "critical", "instances": ["r1"]}},
    }


@pytest.fixture
def propagations(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts the scenarios the engine propagates (one entry per call)."""
    calls: list[int] = []
    original = FailureGraph.propagate_indices

    def counted(self: FailureGraph, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(FailureGraph, "propagate_indices", counted)
    return calls


def _groups(doc: Doc, target: str, max_size: int) -> list[tuple[str, ...]]:
    graph = FailureGraph(model_from_data(doc))
    candidates = [graph.index[d] for d in doc["domains"]]
    found = minimal_risk_groups(graph, [graph.index[target]], candidates, max_size)
    return [group.domains for group in found[graph.index[target]]]


def test_an_any_of_of_2000_feeds_costs_no_pair(propagations: list[int]) -> None:
    # Before: every pair of feeds was weighed, each against all 2,000 members (n**3).
    assert _groups(feeds_manifest(2000), "s", 2) == [("f1",), ("h1",), ("r1",)]
    # The baseline, one chain per fatal single domain, and not one pair.
    assert len(propagations) == 1 + 3


def test_kill_sets_of_a_large_any_of_are_exact() -> None:
    doc = feeds_manifest(40, need=38)  # loses at most 2 feeds: any 3 take the hall down
    graph = FailureGraph(model_from_data(doc))
    candidates = [graph.index[d] for d in doc["domains"]]
    kills = single_failure_kills(graph, candidates)
    names = list(doc["domains"])
    killers = kills[graph.index["h1"]]
    assert [names[i] for i in range(len(names)) if killers >> i & 1] == ["f1", "h1"]
    assert _groups(doc, "h1", 2) == [("f1",)]  # no pair of feeds is enough
    quorum = feeds_manifest(40, need=39)
    pairs = _groups(quorum, "h1", 2)
    assert pairs[0] == ("f1",) and len(pairs) == 1 + 40 * 39 // 2
    assert pairs[1:4] == [("p0", "p1"), ("p0", "p2"), ("p0", "p3")]


@st.composite
def wide_gates(draw: st.DrawFn) -> Doc:
    """Gates over more than 8 members (the linear paths), on shared sub-structure."""
    feeds = [f"p{i}" for i in range(draw(st.integers(9, 12)))]
    domains: Doc = {"f1": {"kind": "facility"}, "f2": {"kind": "facility"}}
    for index, feed in enumerate(feeds):
        domain: Doc = {"kind": "power-feed", "parent": draw(st.sampled_from(["f1", "f2"]))}
        if index and draw(st.booleans()):
            domain["depends_on"] = [draw(st.sampled_from(feeds[:index]))]
        domains[feed] = domain
    members = draw(st.lists(st.sampled_from(feeds), min_size=9, max_size=12, unique=True))
    need = draw(st.integers(1, len(members)))
    domains["h1"] = {"kind": "hall", "depends_on": [{"any_of": members, "min": need}]}
    racks = draw(st.lists(st.sampled_from([*feeds, "h1"]), min_size=9, max_size=12, unique=True))
    instances = [{"at": rack, "count": draw(st.integers(1, 3))} for rack in racks]
    total = sum(instance["count"] for instance in instances)
    service = {
        "tier": "critical",
        "instances": instances,
        "min_healthy": draw(st.integers(1, total)),
    }
    return {"version": 1, "domains": domains, "services": {"s": service}}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=wide_gates())
def test_wide_gates_equal_brute_force(doc: Doc) -> None:
    candidates = list(doc["domains"])
    for target in ("s", "h1"):
        assert _groups(doc, target, 2) == brute_force(doc, target, candidates, 2), target
    graph = FailureGraph(model_from_data(doc))
    kills = single_failure_kills(graph, [graph.index[d] for d in candidates])
    for entity in ("s", "h1"):
        expected = {
            d for d in candidates if entity in naive_down(doc, {d}) - naive_down(doc, set())
        }
        positions = kills[graph.index[entity]]
        assert {d for i, d in enumerate(candidates) if positions >> i & 1} == expected


def test_group_sizes_are_clamped_to_the_candidates(propagations: list[int]) -> None:
    doc = feeds_manifest(3, need=3)
    # Eight is the cap; only five domains: no size above five is tried.
    assert _groups(doc, "s", 8) == [("f1",), ("p0",), ("p1",), ("p2",), ("h1",), ("r1",)]


def test_a_size_above_the_cap_is_an_error(run_cli: Callable[..., Run], tmp_path: Any) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("version: 1\ndomains:\n  f1: {kind: facility}\n", encoding="utf-8")
    result = run_cli("risk-groups", "f1", "--max-size", "1000000000000", "-m", str(path))
    assert (result.code, result.out) == (2, "")
    assert result.err == (
        "resilint: error: risk groups of up to 1,000,000,000,000 domains: at most 8 can be "
        "searched (the number of sets to try grows as a power of the size)\n"
    )


def test_too_many_scenarios_is_an_error_before_any_is_tried(propagations: list[int]) -> None:
    doc = feeds_manifest(800, need=799)  # any two feeds: 319,600 minimal pairs
    with pytest.raises(budget.SearchTooLarge) as caught:
        _groups(doc, "s", 2)
    assert str(caught.value) == (
        "searching risk groups of 2 domains would try 319,600 failure scenarios, above the "
        "limit of 151,608 for this model: narrow the candidate domains (by kind) or the "
        "entities asked about, or look for smaller groups"
    )
    assert len(propagations) == 1 + 3  # the baseline and the three single points of failure
    with pytest.raises(budget.SearchTooLarge, match="groups of 3 domains would try 85,013,600"):
        _groups(feeds_manifest(800), "s", 3)


def test_too_many_pair_checks_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "MAX_PAIR_CHECKS", 100)
    with pytest.raises(budget.SearchTooLarge, match="would weigh more than 100 pairs"):
        _groups(feeds_manifest(30, need=29), "s", 2)


def test_a_survives_rule_too_large_to_search_is_an_error_at_the_rule(
    run_cli: Callable[..., Run], tmp_path: Any
) -> None:
    import json

    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps(feeds_manifest(800)), encoding="utf-8")
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "version: 1\nrules:\n  three-losses:\n    title: t\n    severity: high\n"
        "    survives: {loss_of: any, max_size: 3}\n",
        encoding="utf-8",
    )
    result = run_cli("check", "-p", str(policy), str(manifest))
    assert result.code == 2
    assert result.err.startswith(
        f"{policy}:3:3: error: rule 'three-losses': searching risk groups of 3 domains would "
        "try 85,013,600 failure scenarios"
    )
    strict = run_cli("check", "-p", "builtin:strict", str(manifest), "-f", "json", "--all")
    # 800 feeds (20 s before, n**3): the exact answer, in the normal run of the suite.
    assert strict.code == 1
    assert [(f["rule"], f["status"], f["message"]) for f in json.loads(strict.out)["findings"]] == [
        (
            "hall-single-power-path",
            "pass",
            "domain h1 survives the loss of any single ups/battery-room/power-feed/generator "
            "(800 tried)",
        ),
        ("double-loss-not-survived", "fail", "service s does not survive the loss of f1"),
    ]


def test_long_cause_chains_keep_their_ends(run_cli: Callable[..., Run], tmp_path: Any) -> None:
    import json

    domains = {"d0": {"kind": "facility"}}
    domains.update({f"d{i}": {"kind": "rack", "depends_on": [f"d{i - 1}"]} for i in range(1, 60)})
    doc = {
        "version": 1,
        "domains": domains,
        "services": {"s": {"tier": "critical", "instances": ["d59"]}},
    }
    path = tmp_path / "m.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    result = run_cli("what-if", "d0", "--service", "s", "-f", "json", "-m", str(path))
    [down] = json.loads(result.out)["down"]
    assert len(down["causes"]) == 50
    assert down["causes"][:2] == [
        "s is down: 0 of 1 instances up (needs 1)",
        "d59 is down: requires d58",
    ]
    assert down["causes"][47:] == [
        "d13 is down: requires d12",
        "... 12 more links ...",
        "d0 failed",
    ]


def test_independent_is_linear_in_the_instances(run_cli: Callable[..., Run], tmp_path: Any) -> None:
    import json

    # 2,000 racks on 1,001 UPS (rack i on UPS i // 2 for the first 1,998, then alone):
    # each candidate used to be checked against every instance (2,000 x 2,000 per service).
    domains: Doc = {"f1": {"kind": "facility"}}
    for i in range(2000):
        ups = f"u{i // 2}" if i < 1998 else f"u{i}"
        domains.setdefault(ups, {"kind": "ups", "parent": "f1"})
        domains[f"r{i}"] = {"kind": "rack", "parent": "f1", "depends_on": [ups]}
    racks = [f"r{i}" for i in range(2000)]
    services = {
        "quorum": {"tier": "critical", "instances": racks, "min_healthy": 1999},
        "spare": {"tier": "critical", "instances": racks, "min_healthy": 1998},
    }
    manifest = tmp_path / "m.json"
    manifest.write_text(json.dumps({"version": 1, "domains": domains, "services": services}))
    policy = tmp_path / "p.yaml"
    policy.write_text(
        "version: 1\nrules:\n  power:\n    title: t\n    severity: high\n"
        "    independent: {of: ups}\n",
        encoding="utf-8",
    )
    result = run_cli("check", "-p", str(policy), str(manifest), "-f", "json", "--all")
    messages = [(f["entity"], f["message"]) for f in json.loads(result.out)["findings"]]
    assert messages == [
        (
            "quorum",
            "service quorum shares a ups domain: losing u0 leaves 1998 of 2000 instances up "
            "(needs 1999); also u1, u2, u3, u4, u5 and 993 more",
        ),
        ("spare", "service spare no single ups domain takes down more instances than it can lose"),
    ]


def test_too_many_groups_with_chains_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "MAX_CHAINED_GROUPS", 10)
    with pytest.raises(budget.SearchTooLarge, match="risk-groups --limit N"):
        _groups(feeds_manifest(30, need=29), "s", 2)  # any two feeds: 435 pairs
