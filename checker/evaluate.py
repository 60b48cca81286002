"""The pure core: ``evaluate(model, rules, options) -> Result``. No files, no printing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from checker.checks import CHECKS
from checker.checks.base import Context, Verdict
from checker.core.errors import PolicyError
from checker.core.findings import Finding, Notice, Result
from checker.core.model import Entity, Model, Service
from checker.engine.budget import SearchTooLarge
from checker.policy.rule import Rule
from checker.policy.select import describe_select, select_entities


def _failure_questions(selections: Sequence[tuple[Rule, list[Entity]]]) -> set[str]:
    """The entities whose fate under failures the rules will ask about.

    ``survives`` asks about its entities; ``independent`` about where replicas run.
    Only what these require is compiled into the failure graph.
    """
    asked: set[str] = set()
    for rule, entities in selections:
        if rule.check not in ("survives", "independent"):
            continue
        for entity in entities:
            if rule.check == "survives":
                asked.add(entity.id)
            elif isinstance(entity, Service):
                asked.update(p.at for p in entity.instances)
    return asked


def _verdicts(rule: Rule, verdicts: Iterator[Verdict]) -> Iterator[Verdict]:
    """A check's verdicts; a search too large to run is an error at the rule."""
    try:
        yield from verdicts
    except SearchTooLarge as error:
        raise PolicyError(f"rule {rule.id!r}: {error}", rule.location) from None


@dataclass(frozen=True)
class EvaluationOptions:
    """How much of the result to keep; never what is checked nor how it is judged."""

    #: Keep passing findings in the result (for ``--all`` and reports that list passes);
    #: otherwise they are only counted, which saves building and locating most findings.
    keep_passing: bool = True


def evaluate(
    model: Model, rules: Sequence[Rule], options: EvaluationOptions = EvaluationOptions()
) -> Result:
    """One finding per (enabled rule, selected entity)."""
    selections = [(r, select_entities(model, r.select)) for r in rules if r.enabled]
    context = Context(model)
    context.limit_to(_failure_questions(selections))
    kept: list[tuple[Rule, Entity, Verdict]] = []
    passes_omitted = 0
    keep_passing = options.keep_passing
    notices: list[Notice] = []
    for rule, entities in selections:
        if not entities:
            notices.append(selects_nothing(rule))
            continue
        by_id = {e.id: e for e in entities}
        check = CHECKS[rule.check]
        for verdict in _verdicts(rule, check.run(context, entities, rule.params)):
            if verdict.passed and not keep_passing:
                passes_omitted += 1
                continue
            kept.append((rule, by_id[verdict.entity], verdict))
    # Every finding's entity located at once: one sweep of each file, not one search each.
    located = model.locations(entity for _, entity, _ in kept)
    findings = [
        Finding(
            rule=rule.id,
            entity=verdict.entity,
            status="pass" if verdict.passed else "fail",
            severity=rule.severity,
            message=f"{entity.entity} {verdict.entity} {verdict.message}",
            location=located[entity.id],
            causes=verdict.causes,
            detail=verdict.detail,
            owner=entity.owner if isinstance(entity, Service) else None,
        )
        for rule, entity, verdict in kept
    ]
    infos = tuple(r.info() for r in rules)
    return Result.of(findings, infos, model.files, passes_omitted, tuple(notices))


def selects_nothing(rule: Rule) -> Notice:
    """The notice for an enabled rule whose selection is empty: it passes having seen nothing."""
    described = describe_select(rule.select, short=True)
    what = (
        f"there is no {rule.select.entity}"
        if described.startswith("every")
        else (f"there are no {described}")
    )
    where = None if rule.is_builtin else rule.location
    return Notice(f"{rule.id} applies to nothing: {what}", rule.id, where)
