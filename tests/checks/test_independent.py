from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings

from checker.checks.independent import Params
from checker.core.location import Location
from checker.engine.graph import FailureGraph
from checker.evaluate import evaluate
from checker.manifest.load import model_from_data
from checker.policy.format import Select
from checker.policy.rule import Rule
from tests.checks.helpers import SITES, findings_for, statuses
from tests.strategies import manifests

SERVICES = {
    "split-power": {"tier": "high", "instances": ["f1/h1/r1", "f2/h1/r1"]},
    "one-ups": {"tier": "high", "instances": ["f1/h1/r1", "f1/h2/r2"]},
    "quorum": {
        "tier": "high",
        "instances": ["f1/h1/r1", "f1/h2/r1", "f2/h1/r1"],
        "min_healthy": "majority",
    },
    "own-deps-ignored": {
        "tier": "high",
        "instances": ["f1/h1/r1", "f2/h1/r1"],
        "depends_on": ["one-ups"],
    },
}


def test_independent_fails_when_one_power_domain_takes_too_many_replicas(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES}, {"independent": {"of": "ups"}}, tmp_path
    )
    assert statuses(found) == {
        "split-power": "pass",
        "one-ups": "fail",
        "quorum": "fail",
        "own-deps-ignored": "pass",
    }
    assert found["one-ups"].message == (
        "service one-ups shares a ups domain: losing f1/ups leaves 0 of 2 instances up (needs 1)"
    )
    assert found["one-ups"].causes == (
        "f1/h1/r1 is down: inside f1/h1",
        "f1/h1 is down: requires f1/ups",
        "f1/ups failed",
    )


def test_pairwise_forbids_any_two_replicas_behind_one_domain(tmp_path: Path) -> None:
    found = findings_for(
        {"domains": SITES, "services": SERVICES},
        {"independent": {"of": ["ups"], "pairwise": True}},
        tmp_path,
    )
    assert statuses(found)["quorum"] == "fail"
    assert statuses(found)["split-power"] == "pass"
    assert "takes down 2 instances at once" in found["quorum"].message


def test_a_b_feeds_keep_replicas_independent(tmp_path: Path) -> None:
    domains = {
        "f": {"kind": "facility"},
        "ups-a": {"kind": "ups", "parent": "f"},
        "ups-b": {"kind": "ups", "parent": "f"},
        "hall": {"kind": "hall", "parent": "f", "depends_on": [{"any_of": ["ups-a", "ups-b"]}]},
    }
    found = findings_for(
        {"domains": domains, "services": {"s": {"tier": "high", "instances": ["hall"]}}},
        {"independent": {"of": "ups"}},
        tmp_path,
    )
    assert statuses(found) == {"s": "pass"}


@settings(max_examples=200, deadline=None)
@given(manifests())
def test_each_chain_is_the_full_propagation_s_for_the_instance_it_names(
    data: dict[str, Any],
) -> None:
    model = model_from_data(data)
    kinds = sorted({domain.kind for domain in model.domains.values()})
    if not kinds or not model.services:
        return
    rule = Rule(
        "shared",
        "t",
        "high",
        Select(),
        "independent",
        Params(of=kinds),
        None,
        None,
        (),
        (),
        (),
        "test",
        Location("policy.yaml"),
    )
    graph = FailureGraph(model)
    for finding in evaluate(model, [rule]).findings:
        if finding.status != "fail" or not finding.causes:
            continue
        domain = finding.message.split("losing ", 1)[1].split(" ", 1)[0]
        site = finding.causes[0].split(" ", 1)[0]
        assert finding.causes == graph.propagate([domain]).causes(site)
