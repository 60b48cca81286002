"""The ``risk-groups`` report: each service's minimal risk groups, as the CLI asks.

The groups themselves come from :func:`checker.engine.riskgroups.minimal_risk_groups` (exact, on
the failure engine); this module picks the targets and candidates the command line
asks for; :mod:`checker.render.riskreport` turns the answer into text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from checker.core.errors import Problem, UsageError
from checker.core.model import Model
from checker.core.words import suggest
from checker.engine.graph import FailureGraph
from checker.engine.riskgroups import RiskGroup, minimal_risk_groups
from checker.policy.references import kind_hint


@dataclass(frozen=True)
class EntityGroups:
    id: str
    #: The service's tier, or the domain's kind.
    tier: str
    groups: tuple[RiskGroup, ...]


@dataclass(frozen=True)
class RiskReport:
    max_size: int
    #: The candidate kinds, or None for every domain.
    kinds: tuple[str, ...] | None
    candidates: int
    entities: tuple[EntityGroups, ...]


def default_targets(model: Model) -> list[str]:
    """Every service of the most important tier that has any."""
    if not model.services:
        return []
    top = min(service.tier_rank for service in model.services.values())
    return [s.id for s in model.services.values() if s.tier_rank == top]


def check_targets(model: Model, ids: Sequence[str]) -> list[str]:
    problems = [
        Problem(f"unknown service {entity!r}" + suggest(entity, [*model.services, *model.domains]))
        for entity in ids
        if model.entity(entity) is None
    ]
    if problems:
        raise UsageError(problems)
    return list(dict.fromkeys(ids))


def check_kinds(model: Model, kinds: Sequence[str]) -> tuple[str, ...] | None:
    if not kinds:
        return None
    known = sorted({domain.kind for domain in model.domains.values()})
    problems = [
        Problem(f"no domain of kind {kind!r}" + kind_hint(kind, known))
        for kind in kinds
        if kind not in known
    ]
    if problems:
        raise UsageError(problems)
    return tuple(dict.fromkeys(kinds))


def risk_report(
    model: Model,
    targets: Sequence[str] = (),
    max_size: int = 2,
    kinds: Sequence[str] = (),
    graph: FailureGraph | None = None,
) -> RiskReport:
    """Minimal risk groups of up to ``max_size`` domains for ``targets`` (default: top tier)."""
    if max_size < 1:
        raise UsageError(f"--max-size must be at least 1, got {max_size}")
    chosen = check_targets(model, targets) if targets else default_targets(model)
    wanted_kinds = check_kinds(model, kinds)
    graph = graph or FailureGraph(model)
    candidates = [graph.index[d] for d in graph.domains_of_kind(wanted_kinds)]
    indices = [graph.index[t] for t in chosen]
    found = minimal_risk_groups(graph, indices, candidates, max_size)
    entities = []
    for entity_id, index in zip(chosen, indices, strict=True):
        service = model.services.get(entity_id)
        label = service.tier if service is not None else model.domains[entity_id].kind
        entities.append(EntityGroups(entity_id, label, tuple(found[index])))
    return RiskReport(max_size, wanted_kinds, len(candidates), tuple(entities))
