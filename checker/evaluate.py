"""The pure core: ``evaluate(model, rules, options) -> Result``. No files, no printing."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from checker.checks import CHECKS
from checker.checks.base import Context, Passes, Verdict
from checker.core.errors import PolicyError
from checker.core.findings import Finding, Notice, Result
from checker.core.model import Entity, Model, Service
from checker.engine.budget import SearchTooLarge
from checker.policy.rule import Rule
from checker.policy.select import describe_select, select_entities

_new = tuple.__new__

#: The check kinds that ask the failure graph: their rules share its compilation.
FAILURE_CHECKS = frozenset({"survives", "independent"})
#: The check kinds that walk every service's hard requirements: their rules share one
#: table of them (``Context.service_edges``), and nothing with the failure graph.
REQUIREMENT_CHECKS = frozenset({"tier_dependencies", "acyclic"})


def _failure_questions(selections: Sequence[tuple[Rule, list[Entity]]]) -> set[str]:
    """The entities whose fate under failures the rules will ask about.

    ``survives`` asks about its entities; ``independent`` about where replicas run.
    Only what these require is compiled into the failure graph.
    """
    asked: set[str] = set()
    for rule, entities in selections:
        if rule.check not in FAILURE_CHECKS:
            continue
        for entity in entities:
            if rule.check == "survives":
                asked.add(entity.id)
            elif isinstance(entity, Service):
                asked.update(p.at for p in entity.instances)
    return asked


def _verdicts(
    rule: Rule, verdicts: Iterator[Verdict | Passes], keep_passing: bool
) -> Iterator[Verdict | int]:
    """A check's verdicts, with :class:`Passes` expanded when they are kept, else as
    their number; a search too large to run is an error at the rule."""
    try:
        for verdict in verdicts:
            if not isinstance(verdict, Passes):
                yield verdict
            elif not keep_passing:
                yield len(verdict.entities)
            else:
                message, detail = verdict.message, verdict.detail
                for entity in verdict.entities:
                    yield Verdict(entity.id, True, message(entity), (), detail)
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
    selections = _selections(model, rules)
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
        by_id = model.domains if rule.select.entity == "domain" else model.services
        check = CHECKS[rule.check]
        for verdict in _verdicts(rule, check.run(context, entities, rule.params), keep_passing):
            if isinstance(verdict, int):
                passes_omitted += verdict
                continue
            if verdict.passed and not keep_passing:
                passes_omitted += 1
                continue
            kept.append((rule, by_id[verdict.entity], verdict))
    # Every finding's entity located at once: one sweep of each file, not one search each.
    located = model.locations(entity for _, entity, _ in kept)
    # Fields by position (tuple.__new__, what Finding's own __new__ does without a
    # Python call taking keywords): an estate's first run makes tens of thousands.
    findings = [
        _new(
            Finding,
            (
                rule.id,
                verdict.entity,
                "pass" if verdict.passed else "fail",
                rule.severity,
                f"{entity.entity} {verdict.entity} {verdict.message}",
                located[entity.id],
                verdict.causes,
                verdict.detail,
                entity.owner if isinstance(entity, Service) else None,
                None,  # waiver: applied later, by the gate
                None,  # baseline: likewise
            ),
        )
        for rule, entity, verdict in kept
    ]
    infos = tuple(r.info() for r in rules)
    return Result.of(findings, infos, model.files, passes_omitted, tuple(notices))


def _selections(model: Model, rules: Sequence[Rule]) -> list[tuple[Rule, list[Entity]]]:
    """Each enabled rule with its entities; rules that select alike share one list."""
    selected: dict[str, list[Entity]] = {}
    found = []
    for rule in rules:
        if rule.enabled:
            key = rule.select.model_dump_json()
            entities = selected.get(key)
            if entities is None:
                entities = selected[key] = select_entities(model, rule.select)
            found.append((rule, entities))
    return found


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
