"""``survives``: an entity stays up when any domain of a kind fails, through everything it needs.

What it does
    For every domain D of the kind(s) in ``loss_of`` (``any``: every domain), fails D
    with the failure engine and asks whether the selected entity is still up, following
    its whole requirement graph: placements, ``depends_on`` of services and domains,
    ``parent``. With ``max_size: K`` every set of up to K such domains is tried; the
    finding lists each *minimal* fatal scenario (none of its subsets is fatal) and the
    cause chain of the first. A domain never counts as surviving its own loss, so it
    is left out of its own scenarios.

Why it matters
    Kakao's data was replicated to three data centres in 2022, yet KakaoTalk was down
    for days: login, the operations tools and the failover system lived only in
    Pangyo. Survival is transitive; the weakest dependency decides.

Example
    ``survives: {loss_of: facility}`` fails ``kakaotalk`` (replicas in pangyo and
    ansan) because it requires ``auth``, whose only replica is in pangyo.

Fix
    Follow the cause chain to the first single-site dependency and replicate it
    (or make the dependency optional with an ``any_of`` fallback).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict, Field

from checker.checks.base import Context, Verdict, count_of_kind, kinds_of
from checker.core.model import Entity
from checker.engine.singles import single_failures

#: The rule key that names this check in a policy.
NAME = "survives"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = (
    "The entity stays up, transitively, when any domain (or any 'max_size' domains) "
    "of kind 'loss_of' fail."
)
APPLIES_TO = frozenset({"service", "domain"})


class Params(BaseModel):
    # Built on first use: a policy's rule model inlines this schema, so on most runs
    # no validator of its own is needed (start-up, docs/decisions.md "Speed").
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    loss_of: str | list[str]
    max_size: int = Field(default=1, ge=1, le=3)


def loss_kinds(params: Params) -> tuple[str, ...] | None:
    """The candidate kinds, or None for ``any``."""
    kinds = kinds_of(params.loss_of)
    return None if "any" in kinds else kinds


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict]:
    kinds = loss_kinds(params)
    label = "any domain" if kinds is None else "/".join(kinds)
    tried = count_of_kind(context.model, kinds)
    detail = f"loss_of={label}"
    if params.max_size == 1:
        yield from _single_verdicts(context, entities, kinds, label, tried, detail)
        return
    from checker.engine.riskgroups import minimal_risk_groups  # lazy: only for max_size > 1

    graph = context.graph
    candidates = [graph.index[d] for d in graph.domains_of_kind(kinds)]
    targets = [graph.index[e.id] for e in entities]
    groups = minimal_risk_groups(graph, targets, candidates, params.max_size)
    size = f"any {params.max_size} simultaneous"
    for entity, target in zip(entities, targets, strict=True):
        found = groups[target]
        if not found:
            yield Verdict(entity.id, True, _survives(size, label, tried), detail=detail)
            continue
        first = found[0]
        if not first.domains:
            yield Verdict(entity.id, False, DOWN_UNFAILED, first.causes, detail)
            continue
        if len(found) == 1 and len(first.domains) == 1:
            message = f"does not survive the loss of {first.domains[0]}"
        else:
            scenarios = ["{" + ", ".join(g.domains) + "}" for g in found]
            message = _fatal(len(found), scenarios, label)
        yield Verdict(entity.id, False, message, first.causes, detail)


DOWN_UNFAILED = "is down even with nothing failed"


def _survives(size: str, label: str, tried: int) -> str:
    if not tried:
        return f"passes vacuously: no domain of kind {label} in the manifests"
    return f"survives the loss of {size} {label} ({tried} tried)"


def _fatal(count: int, scenarios: list[str], label: str) -> str:
    """The failure message; ``scenarios`` are the first (at least ten) of ``count``."""
    shown = ", ".join(scenarios[:10])
    more = f" and {count - 10} more" if count > 10 else ""
    return f"does not survive {count} failure scenarios of {label}: {shown}{more}"


def _single_verdicts(
    context: Context,
    entities: Sequence[Entity],
    kinds: tuple[str, ...] | None,
    label: str,
    tried: int,
    detail: str,
) -> Iterator[Verdict]:
    """Fatal single domains per entity from the shared kill sets, one chain each (the
    finding shows the first scenario's chain only)."""
    graph = context.graph
    # Kill sets and chains are computed only within what the selected entities
    # require: exact for them, and much cheaper than following failures everywhere.
    targets = [graph.index[e.id] for e in entities]
    within = graph.cone(*targets)
    names, kills = context.single_failure_kills(kinds, within)
    candidates = [graph.index[name] for name in names]
    found = single_failures(graph, targets, candidates, kills, within)
    survived = _survives("any single", label, tried)
    for entity, target in zip(entities, targets, strict=True):
        failures = found[target]
        if failures.down_unfailed:
            yield Verdict(entity.id, False, DOWN_UNFAILED, failures.causes, detail)
        elif not failures.total:
            yield Verdict(entity.id, True, survived, detail=detail)
        elif failures.total == 1:
            message = f"does not survive the loss of {failures.first[0]}"
            yield Verdict(entity.id, False, message, failures.causes, detail)
        else:
            scenarios = ["{" + domain + "}" for domain in failures.first]
            message = _fatal(failures.total, scenarios, label)
            yield Verdict(entity.id, False, message, failures.causes, detail)
