"""Bad policies are load errors with file:line; good ones become rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run

MANIFEST = (
    "version: 1\ndomains:\n  f1: {kind: facility}\nservices:\n  s: {tier: high, instances: [f1]}\n"
)

CASES = [
    (
        "unknown-check",
        "version: 1\nrules:\n  r:\n    title: t\n    severity: high\n"
        "    sprad: {across: facility}\n",
        "policy.yaml:6:5",
        "unknown key 'sprad' in rules.r; did you mean 'spread'?",
    ),
    (
        "two-checks",
        "version: 1\nrules:\n  r:\n    title: t\n    severity: high\n    acyclic: {}\n"
        "    spread: {across: facility}\n",
        "policy.yaml:3:3",
        "must have exactly one check",
    ),
    (
        "empty-params-with-required-fields",
        "version: 1\nrules:\n  r:\n    title: t\n    severity: high\n    spread:\n",
        "policy.yaml:6:5",
        "rule 'r': check 'spread' needs across",
    ),
    (
        "empty-recovery-params",
        "version: 1\nrules:\n  r:\n    title: t\n    severity: high\n    independent:\n",
        "policy.yaml:6:5",
        "rule 'r': check 'independent' needs of",
    ),
    (
        "no-check",
        "version: 1\nrules:\n  r: {title: t, severity: high}\n",
        "policy.yaml:3:3",
        "found none",
    ),
    (
        "bad-severity",
        "version: 1\nrules:\n  r: {title: t, severity: urgent, acyclic: {}}\n",
        "policy.yaml:3",
        "rules.r.severity: must be one of critical, high, medium, low, info, got 'urgent'",
    ),
    (
        "domain-with-spread",
        "version: 1\nrules:\n  r:\n    title: t\n    severity: high\n    select: {entity: domain}\n"
        "    spread: {across: facility}\n",
        "policy.yaml:6",
        "check 'spread' does not apply to domains",
    ),
    (
        "unknown-param",
        "version: 1\nrules:\n  r:\n    title: t\n    severity: high\n"
        "    survives: {loss_of: facility, max_sise: 2}\n",
        "policy.yaml:6",
        "did you mean 'max_size'?",
    ),
    (
        "bad-where-schema",
        "version: 1\nrules:\n  r:\n    title: t\n    severity: high\n"
        "    select: {where: {type: 12}}\n    acyclic: {}\n",
        "policy.yaml:6",
        "not a valid JSON Schema",
    ),
    (
        "unknown-tier",
        "version: 1\nrules:\n  r:\n    title: t\n    severity: high\n"
        "    select: {tier: {at_least: hgh}}\n    acyclic: {}\n",
        "policy.yaml:6",
        "unknown tier 'hgh'; did you mean 'high'?",
    ),
    (
        "bad-rule-id",
        "version: 1\nrules:\n  Bad_Rule: {title: t, severity: high, acyclic: {}}\n",
        "policy.yaml:3",
        "is not a valid id",
    ),
    ("missing-version", "rules: {}\n", "policy.yaml:1", "missing required key 'version'"),
]


@pytest.mark.parametrize(
    ("policy", "where", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_bad_policy_is_a_located_input_error(
    in_tmp: Path, run_cli: Callable[..., Run], policy: str, where: str, words: str
) -> None:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (in_tmp / "policy.yaml").write_text(policy, encoding="utf-8")
    result = run_cli("check", "m.yaml", "-p", "policy.yaml")
    assert result.code == 2, result
    assert result.err.startswith(where), result.err
    assert words in result.err
    assert "Traceback" not in result.err


def test_unknown_builtin_pack_lists_the_available_ones(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    result = run_cli("check", "m.yaml", "-p", "builtin:baseline2")
    assert result.code == 2
    assert "unknown built-in pack 'builtin:baseline2'" in result.err
    assert "builtin:baseline" in result.err


def test_the_same_rule_id_in_two_policies_names_both(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    rule = "version: 1\nrules:\n  r: {title: t, severity: high, acyclic: {}}\n"
    (in_tmp / "a.yaml").write_text(rule, encoding="utf-8")
    (in_tmp / "b.yaml").write_text(rule, encoding="utf-8")
    result = run_cli("check", "m.yaml", "-p", "a.yaml", "-p", "b.yaml")
    assert result.code == 2
    assert result.err.startswith(
        "b.yaml:3:3: error: rule id 'r' is defined twice: here and at a.yaml:3:3"
    )
