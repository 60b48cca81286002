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
from checker.core.words import listing
from checker.engine.riskgroups import RiskGroup, minimal_risk_groups, single_failure_groups

#: The rule key that names this check in a policy.
NAME = "survives"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = (
    "The entity stays up, transitively, when any domain (or any 'max_size' domains) "
    "of kind 'loss_of' fail."
)
APPLIES_TO = frozenset({"service", "domain"})


class Params(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    loss_of: str | list[str]
    max_size: int = Field(default=1, ge=1, le=3)


def loss_kinds(params: Params) -> tuple[str, ...] | None:
    """The candidate kinds, or None for ``any``."""
    kinds = kinds_of(params.loss_of)
    return None if "any" in kinds else kinds


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict]:
    kinds = loss_kinds(params)
    label = "any domain" if kinds is None else "/".join(kinds)
    if params.max_size == 1:
        found = _single_failures(context, entities, kinds)
    else:
        graph = context.graph
        candidates = [graph.index[d] for d in graph.domains_of_kind(kinds)]
        targets = [graph.index[e.id] for e in entities]
        groups = minimal_risk_groups(graph, targets, candidates, params.max_size)
        found = [groups[t] for t in targets]
    tried = count_of_kind(context.model, kinds)
    size = "any single" if params.max_size == 1 else f"any {params.max_size} simultaneous"
    detail = f"loss_of={label}"
    for entity, groups_of_entity in zip(entities, found, strict=True):
        if not groups_of_entity:
            if not tried:
                message = f"passes vacuously: no domain of kind {label} in the manifests"
            else:
                message = f"survives the loss of {size} {label} ({tried} tried)"
            yield Verdict(entity.id, True, message, detail=detail)
            continue
        first = groups_of_entity[0]
        if not first.domains:
            yield Verdict(
                entity.id, False, "is down even with nothing failed", first.causes, detail
            )
            continue
        scenarios = ["{" + ", ".join(g.domains) + "}" for g in groups_of_entity]
        if len(groups_of_entity) == 1 and len(first.domains) == 1:
            message = f"does not survive the loss of {first.domains[0]}"
        else:
            message = (
                f"does not survive {len(groups_of_entity)} failure scenarios of {label}: "
                f"{listing(scenarios, 10)}"
            )
        yield Verdict(entity.id, False, message, first.causes, detail)


def _single_failures(
    context: Context, entities: Sequence[Entity], kinds: tuple[str, ...] | None
) -> list[list[RiskGroup]]:
    """Fatal single domains per entity, from the shared kill sets; one chain each (the
    finding shows the first scenario's chain only)."""
    graph = context.graph
    # Kill sets and chains are computed only within what the selected entities
    # require: exact for them, and much cheaper than following failures everywhere.
    targets = [graph.index[e.id] for e in entities]
    within = graph.cone(*targets)
    names, kills = context.single_failure_kills(kinds, within)
    groups: dict[int, list[RiskGroup]] = {target: [] for target in targets}
    candidates = [graph.index[name] for name in names]
    single_failure_groups(graph, groups, candidates, kills, within, every_chain=False)
    return [groups[target] for target in targets]
