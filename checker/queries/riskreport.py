"""The ``risk-groups`` report: each service's minimal risk groups, as the CLI asks.

The groups themselves come from :class:`checker.engine.riskgroups.RiskGroupSearch` (exact, on the
failure engine), their order from :mod:`checker.engine.riskorder`; this module
picks the targets and candidates the command line asks for, and produces the
entities one at a time: :mod:`checker.render.riskreport` turns each into text as it
comes. The search decides every pair once for all the services asked about (no
chains), so output starts when it ends; from there each service's groups are ordered
and trimmed to ``--limit``, and a chunk of services at a time is explained (cause
chains for the groups shown, see :data:`EXPLAIN_CHUNK`), rendered and dropped before
the next chunk.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from checker.core.errors import Problem, UsageError
from checker.core.model import Model
from checker.core.words import suggest
from checker.engine import budget
from checker.engine.graph import FailureGraph
from checker.engine.riskgroups import RiskGroup, RiskGroupSearch
from checker.engine.riskorder import most_important, ranks, services_taken_down, size_of
from checker.policy.references import kind_hint


@dataclass(frozen=True)
class EntityGroups:
    id: str
    #: The service's tier, or the domain's kind.
    tier: str
    #: The groups shown: all of them, or the first ``--limit`` in the report's order.
    groups: tuple[RiskGroup, ...]
    #: How many minimal groups the entity has in all, and how many of one domain.
    total: int
    singles: int


@dataclass(frozen=True)
class RiskReport:
    max_size: int
    #: The candidate kinds, or None for every domain.
    kinds: tuple[str, ...] | None
    candidates: int
    #: Produced one entity at a time (read it once).
    entities: Iterator[EntityGroups]
    #: ``--limit``: the most groups shown per entity, or None for all.
    limit: int | None = None


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
    limit: int | None = None,
    chains: bool = True,
) -> RiskReport:
    """Minimal risk groups of up to ``max_size`` domains for ``targets`` (default: top tier).

    The search runs here (errors in the arguments surface at once); the entities come
    when the report's ``entities`` are read. Without ``chains`` no cause chain is
    computed (``--no-chains``). Every group is searched for, whatever ``limit``.
    """
    if max_size < 1:
        raise UsageError(f"--max-size must be at least 1, got {max_size}")
    if limit is not None and limit < 1:
        raise UsageError(f"--limit must be at least 1, got {limit}")
    chosen = check_targets(model, targets) if targets else default_targets(model)
    wanted_kinds = check_kinds(model, kinds)
    graph = graph or FailureGraph(model)
    candidates = [graph.index[d] for d in graph.domains_of_kind(wanted_kinds)]
    indices = [graph.index[t] for t in chosen]
    # Nothing is explained while searching: each service's groups shown are explained
    # after the search, a chunk of services at a time, and written before the next chunk
    # (see _entities), so no chain is held longer than its chunk.
    explained = chains and limit is None  # every group found is explained
    search = RiskGroupSearch(
        graph, indices, candidates, max_size, chains=False, shown=limit, explained=explained
    )
    found, unlisted = search.groups, search.unlisted
    if explained and sum(map(len, found.values())) > budget.MAX_CHAINED_GROUPS:
        raise budget.too_many_chained_groups()
    explain = search.explain_all if chains else None
    del search  # what the search compiled is kept only to explain groups later
    weights = services_taken_down(graph, (g.domains for groups in found.values() for g in groups))
    rank = ranks(weights)
    del weights
    entities = _entities(model, chosen, indices, found, unlisted, rank, limit, explain)
    return RiskReport(max_size, wanted_kinds, len(candidates), entities, limit)


#: The groups shown are explained a chunk of entities at a time: a chunk ends once it
#: shows this many groups. A group shown for services of several chunks is propagated
#: once in each, so chunks are large (a million groups take four); the report is still
#: never held whole, only a chunk of it with its chains.
EXPLAIN_CHUNK = 1 << 18


def _entities(
    model: Model,
    chosen: list[str],
    indices: list[int],
    found: dict[int, list[RiskGroup]],
    unlisted: dict[int, int],
    rank: dict[tuple[str, ...], int],
    limit: int | None,
    explain: Callable[[Sequence[tuple[str, tuple[str, ...]]]], list[tuple[str, ...]]] | None,
) -> Iterator[EntityGroups]:
    """Each entity's groups, ordered and trimmed; with ``explain``, the groups shown are
    explained a chunk of entities at a time (their distinct groups decided together),
    and each chunk is produced before the next is explained."""
    chunk: list[EntityGroups] = []
    asked = 0
    for entity_id, index in zip(chosen, indices, strict=True):
        groups = found.pop(index)  # dropped once shown: the report is never held whole
        shown = most_important(groups, rank, limit)
        service = model.services.get(entity_id)
        label = service.tier if service is not None else model.domains[entity_id].kind
        # Listed smallest first: the single-domain groups are found by bisection.
        singles = bisect_right(groups, 1, key=size_of) - bisect_right(groups, 0, key=size_of)
        total = len(groups) + unlisted[index]
        entity = EntityGroups(entity_id, label, tuple(shown), total, singles)
        if explain is None:
            yield entity
            continue
        chunk.append(entity)
        asked += len(shown)
        if asked >= EXPLAIN_CHUNK:
            yield from _explained(chunk, explain)
            chunk, asked = [], 0
    if chunk:
        assert explain is not None
        yield from _explained(chunk, explain)


def _explained(
    chunk: list[EntityGroups],
    explain: Callable[[Sequence[tuple[str, tuple[str, ...]]]], list[tuple[str, ...]]],
) -> Iterator[EntityGroups]:
    """The entities of ``chunk`` with a cause chain for each group shown (chains for the
    groups shown only)."""
    requests = [(e.id, g.domains) for e in chunk for g in e.groups if not g.causes]
    chains = iter(explain(requests))
    for entity in chunk:
        groups = tuple(g if g.causes else g._replace(causes=next(chains)) for g in entity.groups)
        yield EntityGroups(entity.id, entity.tier, groups, entity.total, entity.singles)
