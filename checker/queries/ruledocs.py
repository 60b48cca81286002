"""A rule's documentation for ``explain``, assembled from what already exists.

A rule's page combines the rule itself (title, severity, selection, parameters, why,
fix, references), the "What it does" section of its check module's docstring, and
its passing and failing example manifests from ``policies/examples/<rule-id>/``
(with what resilint says about the failing one, so the example proves itself).
Nothing here is written twice: the docs, ``explain`` and SARIF help read the same text;
:mod:`checker.render.ruledocs` lays it out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from checker.checks import CHECKS
from checker.checks.base import check_sections
from checker.core.errors import UsageError
from checker.core.words import suggest
from checker.evaluate import evaluate
from checker.manifest.load import load_manifests
from checker.policy.load import packs_dir
from checker.policy.rule import Rule

EXAMPLE_NAMES = ("pass", "fail")


@dataclass(frozen=True)
class Example:
    name: str  # "pass" or "fail"
    path: Path
    text: str
    #: What resilint says about the example, one line per non-passing finding.
    verdicts: tuple[str, ...] = ()


@dataclass(frozen=True)
class RuleDoc:
    rule: Rule
    what_it_does: str
    examples: tuple[Example, ...]


def find_rule(name: str, in_effect: Sequence[Rule], builtin: Sequence[Rule]) -> Rule:
    """The rule called ``name`` (id or alias): in effect first, then any built-in pack."""
    for pool in (in_effect, builtin):
        for rule in pool:
            if name == rule.id or name in rule.aliases:
                return rule
    known = sorted({r.id for r in (*in_effect, *builtin)})
    raise UsageError(
        f"unknown rule {name!r}" + suggest(name, known) + " (`resilint rules` lists them)"
    )


def examples_dir(rule_id: str) -> Path:
    return packs_dir() / "examples" / rule_id


def rule_doc(rule: Rule, judge_examples: bool = True) -> RuleDoc:
    """Everything ``explain`` shows about ``rule``."""
    examples = []
    for name in EXAMPLE_NAMES:
        path = examples_dir(rule.id) / f"{name}.yaml"
        if not path.is_file():
            continue
        verdicts = _verdicts(rule, path) if judge_examples and name == "fail" else ()
        examples.append(Example(name, path, path.read_text(encoding="utf-8"), verdicts))
    what = check_sections(CHECKS[rule.check]).get("What it does", "")
    return RuleDoc(rule, what, tuple(examples))


def _verdicts(rule: Rule, path: Path) -> tuple[str, ...]:
    model = load_manifests([path])
    result = evaluate(model, [rule.with_settings(None, True)])
    return tuple(f"{f.status.upper()} {f.message}" for f in result.findings if f.status != "pass")
