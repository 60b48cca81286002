"""evaluate: passes a check yields together are counted, or listed in selection order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import given, settings

from checker.checks.base import Passes, Verdict, around
from checker.core.model import Entity
from checker.evaluate import EvaluationOptions, evaluate
from checker.manifest.load import model_from_data
from checker.policy.load import load_policies
from tests.strategies import manifests


def test_around_keeps_the_selection_order() -> None:
    model = model_from_data(
        {"version": 1, "services": {f"s{i}": {"tier": "low"} for i in range(6)}}
    )
    entities: list[Entity] = list(model.services.values())
    detailed = [
        (1, Verdict("s1", False, "bad")),
        (2, Verdict("s2", True, "fine")),
        (5, Verdict("s5", False, "bad")),
    ]
    items = list(around(entities, detailed, lambda entity: "ok"))
    kinds = [type(item).__name__ for item in items]
    assert kinds == ["Passes", "Verdict", "Verdict", "Passes", "Verdict"]
    assert [len(item.entities) for item in items if isinstance(item, Passes)] == [1, 2]


@settings(max_examples=60, deadline=None)
@given(manifests(services=(1, 8)))
def test_counted_passes_match_listed_passes(data: dict[str, Any]) -> None:
    model = model_from_data(data)
    rules = load_policies(["builtin:strict"], Path.cwd())
    listed = evaluate(model, rules, EvaluationOptions(keep_passing=True))
    counted = evaluate(model, rules, EvaluationOptions(keep_passing=False))
    assert listed.summary == counted.summary
    assert [f for f in listed.findings if f.status != "pass"] == list(counted.findings)
