"""Every rule of every shipped pack proves itself on its own examples.

``policies/examples/<rule-id>/pass.yaml`` must select at least one entity and pass
every one; ``fail.yaml`` must fail at least one. Each shipped rule says why it exists
and how to fix it, and no example directory is left without its rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.core.findings import Finding
from checker.evaluate import evaluate
from checker.manifest.load import load_manifests
from checker.policy.load import available_packs, load_policies, packs_dir
from checker.policy.rule import Rule

REPO = Path(__file__).resolve().parents[2]
RULES = [rule for pack in available_packs() for rule in load_policies([f"builtin:{pack}"], REPO)]


def _findings(rule: Rule, example: str) -> list[Finding]:
    path = packs_dir() / "examples" / rule.id / f"{example}.yaml"
    assert path.is_file(), f"{rule.id} has no {example} example at {path}"
    result = evaluate(load_manifests([path]), [rule])
    return [f for f in result.findings if f.rule == rule.id]


def test_the_packs_are_there() -> None:
    assert {"baseline", "strict"} <= set(available_packs())
    assert len(RULES) >= 10


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.source}:{rule.id}")
def test_pass_example_passes(rule: Rule) -> None:
    findings = _findings(rule, "pass")
    assert findings, "the passing example selects nothing, so it proves nothing"
    assert [f for f in findings if f.status != "pass"] == []


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.source}:{rule.id}")
def test_fail_example_fails(rule: Rule) -> None:
    findings = _findings(rule, "fail")
    assert any(f.status == "fail" for f in findings), [f.message for f in findings]


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: f"{rule.source}:{rule.id}")
def test_shipped_rule_is_explained(rule: Rule) -> None:
    assert rule.why and len(rule.why.split()) >= 20, "why: the incident behind the rule"
    assert rule.fix and len(rule.fix.split()) >= 8, "fix: what to change"
    assert rule.references, "references: where the incident is documented"


def test_every_example_directory_has_its_rule() -> None:
    ids = {rule.id for rule in RULES}
    directories = {p.name for p in (packs_dir() / "examples").iterdir() if p.is_dir()}
    assert directories - ids == set()


def test_rule_ids_are_unique_across_packs() -> None:
    # Packs are meant to be combined (-p builtin:baseline -p builtin:strict).
    refs = [f"builtin:{pack}" for pack in available_packs()]
    assert len(load_policies(refs, REPO)) == len(RULES)
