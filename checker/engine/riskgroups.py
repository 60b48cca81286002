"""Minimal risk groups: the smallest sets of domains whose joint failure downs an entity.

Used by the ``survives`` check and the ``risk-groups`` command. Every candidate set
is decided by the failure engine (never by a propagation of our own); this module
only decides which sets are worth asking about, and is exact: it finds every minimal
group up to the size asked for, and reports no group that has a fatal proper subset.

* **The cone.** Only what the targets transitively require can take them down, so the
  search runs on the failure graph of that cone alone (the same engine, on the same
  entities): a propagation no longer walks through the thousands of dependents a core
  service may have that no target needs, and candidates outside it are dropped.
* **Singles.** The engine's kill sets (:func:`checker.engine.killsets.single_failure_kills`, one
  pass in dependency order) say, for every entity, which candidates take it down
  alone. Only the fatal candidates are then propagated, once each, for the cause
  chains of every target they kill.
* **Pairs** are never enumerated blindly. Suppose ``{a, b}`` downs target ``t`` while
  neither ``a`` nor ``b`` alone does. Follow ``t``'s fall back through the entities
  that only the pair takes down: it must start at a *meeting gate* (a requirement of
  some entity in ``t``'s requirement cone, that entity itself up under ``a`` alone
  and under ``b`` alone) whose members down under ``a`` or under ``b`` together weigh
  more than the gate can lose. (If they came from one side only, that side alone
  would break the gate.) So the only pairs tried are those that jointly break a gate
  with slack, in the cone of a target that neither member kills alone; they come
  straight from the kill sets, and each is propagated once for all targets.
* **Larger sets** (``max_size`` of 3 or more, rare) are tried per target among the
  candidates in its requirement cone that are not fatal alone, skipping supersets of
  groups already found: a domain outside the cone cannot influence the target.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from collections.abc import Set as AbstractSet
from itertools import combinations
from math import comb
from typing import NamedTuple

from checker.engine import budget
from checker.engine.graph import FailureGraph, Outcome
from checker.engine.killsets import fallen_region, single_failure_kills
from checker.engine.order import bit_positions

#: Outcomes of multi-domain scenarios are shared between targets; this bounds memory.
_CACHE_LIMIT = 50_000
#: Up to this many interested targets, a pair is propagated within their cones only.
_CONES_UNITED = 64


class RiskGroup(NamedTuple):
    """Domains whose joint failure takes the target down, and the shortest cause chain."""

    domains: tuple[str, ...]
    causes: tuple[str, ...]


def minimal_risk_groups(
    graph: FailureGraph,
    targets: Sequence[int],
    candidates: Sequence[int],
    max_size: int = 1,
) -> dict[int, list[RiskGroup]]:
    """For each target, its minimal risk groups of up to ``max_size`` candidate domains.

    A target already down with nothing failed gets one group with no domains, and no
    other. Groups are listed smallest first, then in candidate order. A domain target
    is never part of its own groups (it does not "survive" its own loss).
    """
    budget.check_group_size(max_size)
    targets = list(dict.fromkeys(targets))
    local = cone_graph(graph, targets)
    to_local = local.index
    ids = graph.ids
    # Candidates outside every target's cone cannot take any target down.
    inside = [to_local[ids[c]] for c in dict.fromkeys(candidates) if ids[c] in to_local]
    search = _Search(local, [to_local[ids[t]] for t in targets], inside)
    # No group is larger than the candidates there are.
    max_size = min(max_size, len(inside))
    if max_size >= 2:
        search.pairs()
    for size in range(3, max_size + 1):
        search.larger(size)
    return {target: search.groups[to_local[ids[target]]] for target in targets}


def cone_graph(graph: FailureGraph, targets: Sequence[int]) -> FailureGraph:
    """The failure graph of only what ``targets`` transitively require (themselves included).

    An entity's state depends on nothing outside its requirement cone, so the engine
    gives the same answers there; and each propagation no longer walks past the cone
    (a core service can have thousands of dependents that no target needs). ``graph``
    may itself be partial (compiled for a cone): its cones are closed all the same.
    """
    seen = graph.cone(*targets)
    if len(seen) == len(graph.ids):
        return graph
    return FailureGraph(graph.model, {graph.ids[entity] for entity in seen})


def single_failure_groups(
    graph: FailureGraph,
    groups: dict[int, list[RiskGroup]],
    candidates: Sequence[int],
    kills: Sequence[int],
    within: AbstractSet[int] | None = None,
    every_chain: bool = True,
    chain: Callable[[Outcome, str], tuple[str, ...]] | None = None,
    before_propagating: Callable[[list[int]], None] | None = None,
) -> list[int]:
    """Add each target's fatal single candidates to its list in ``groups``, in candidate
    order; return, per candidate position, the bitset of the targets it takes down.

    The one implementation of "which single domains take a target down" for the
    ``survives`` check and the ``risk-groups`` search. ``groups`` maps each target
    (graph index) to its list; a target down with nothing failed gets one empty group
    and no other. ``kills`` are the kill sets over ``candidates`` (a domain never
    counts as fatal to itself). Each fatal candidate is propagated once (within
    ``within``), shared by every target it kills, for the cause chains: of every group
    with ``every_chain``, else of each target's first group only (the others then carry
    no chain, and a candidate first for no target is not propagated at all).
    ``before_propagating`` sees the fatal bitsets first (to weigh the cost).
    """
    ids = graph.ids
    unfailed = graph.nothing_failed()
    healthy: list[int] = []
    for target, found in groups.items():
        if unfailed.is_down_index(target):
            found.append(RiskGroup((), unfailed.causes(ids[target])))
        else:
            healthy.append(target)
    fatal = [0] * len(candidates)
    for index, target in enumerate(healthy):
        bit = 1 << index
        for position in bit_positions(kills[target]):
            if candidates[position] != target:  # a domain does not survive itself
                fatal[position] |= bit
    if before_propagating is not None:
        before_propagating(fatal)
    causes_of = chain or (lambda outcome, entity_id: outcome.causes(entity_id))
    for position, hit in enumerate(fatal):
        if not hit:
            continue
        hit_targets = [healthy[index] for index in bit_positions(hit)]
        needs_chain = [every_chain or not groups[target] for target in hit_targets]
        candidate = candidates[position]
        outcome = None
        if any(needs_chain):
            region = within
            if not graph.broken:  # see fallen_region: chains need only what fell on the way
                chained = [t for t, wanted in zip(hit_targets, needs_chain, strict=True) if wanted]
                region = fallen_region(graph, kills, position, chained)
            outcome = graph.propagate_indices((candidate,), region)
        for target, wanted in zip(hit_targets, needs_chain, strict=True):
            causes = causes_of(outcome, ids[target]) if outcome is not None and wanted else ()
            groups[target].append(RiskGroup((ids[candidate],), causes))
    return fatal


class _Search:
    """The state shared by the stages: who kills what alone, and the groups found.

    It runs on a graph holding only the targets' cones, so every entity matters.
    """

    def __init__(
        self, graph: FailureGraph, targets: Sequence[int], candidates: Sequence[int]
    ) -> None:
        self.graph = graph
        self.candidates = list(candidates)
        self.groups: dict[int, list[RiskGroup]] = {target: [] for target in targets}
        unfailed = graph.nothing_failed()
        self.broken = frozenset(unfailed.down_indices)
        self.healthy = [t for t in self.groups if t not in self.broken]
        #: Each healthy target's bit in the target bitsets below.
        self.bit = {target: 1 << i for i, target in enumerate(self.healthy)}
        #: Per entity: the candidates (bits by position) whose single failure downs it.
        self.kills = single_failure_kills(graph, self.candidates)
        #: Per candidate position: the healthy targets it takes down on its own.
        self.fatal = [0] * len(self.candidates)
        #: Chains and their sentences repeat across groups and targets: keep one copy.
        self._links: dict[str, str] = {}
        self._chains: dict[tuple[str, ...], tuple[str, ...]] = {}
        #: Multi-domain scenarios propagated, and candidate pairs weighed, against the budget.
        self.scenarios = 0
        self.pair_checks = 0
        self.reached = 0
        self._singles()

    def _chain(self, outcome: Outcome, entity_id: str) -> tuple[str, ...]:
        links = self._links
        chain = tuple(links.setdefault(link, link) for link in outcome.causes(entity_id))
        return self._chains.setdefault(chain, chain)

    # ----------------------------------------------------------------- stages

    def _singles(self) -> None:
        """Fatal single domains from the kill sets (:func:`single_failure_groups`)."""

        def weigh(fatal: list[int]) -> None:
            # Each fatal domain is propagated once: it reaches exactly the entities whose
            # kill sets name it, so the whole cost is known before anything is propagated
            # (a chain of 20,000 domains, each fatal, would reach 200 million entities).
            mask = sum(1 << position for position, hit in enumerate(fatal) if hit)
            self._reach(sum((bits & mask).bit_count() for bits in self.kills))

        self.fatal = single_failure_groups(
            self.graph,
            self.groups,
            self.candidates,
            self.kills,
            chain=self._chain,
            before_propagating=weigh,
        )

    def pairs(self) -> None:
        """Every minimal pair, each decided by one propagation shared by all targets."""
        if not self.healthy:
            return
        graph, ids, candidates, healthy = self.graph, self.graph.ids, self.candidates, self.healthy
        meeting = self._meeting_pairs()
        self._spend(2, len(meeting))
        cones: dict[int, set[int]] = {}
        for (first, second), interested in sorted(meeting.items()):
            a, b = candidates[first], candidates[second]
            # Decided within what the interested targets require: the same answers and
            # chains as everywhere (see FailureGraph.explain), without walking through
            # thousands of dependents that no interested target needs.
            outcome = graph.propagate_indices((a, b), self._within(interested, cones))
            self._reach(outcome.down_count)
            # Only the targets with a meeting gate for this pair can have it as a minimal
            # group (and neither member kills them alone): ask about those, not everything.
            for index in bit_positions(interested):
                target = healthy[index]
                if outcome.is_down_index(target) and target not in (a, b):
                    causes = self._chain(outcome, ids[target])
                    self.groups[target].append(RiskGroup((ids[a], ids[b]), causes))

    def larger(self, size: int) -> None:
        """Groups of ``size`` >= 3: combinations of each target's cone, minus known supersets."""
        graph, ids, candidates = self.graph, self.graph.ids, self.candidates
        cones = candidate_cones(graph, candidates)
        position_of = {candidate: position for position, candidate in enumerate(candidates)}
        cache: dict[tuple[int, ...], Outcome] = {}
        pools = {target: self._pool(target, cones[target]) for target in self.healthy}
        # Before trying any: at most this many distinct sets (targets may share a pool).
        distinct = {frozenset(pool) for pool in pools.values()}
        self._spend(size, sum(comb(len(pool), size) for pool in distinct))
        for target in self.healthy:
            pool = pools[target]
            found = [
                frozenset(position_of[graph.index[d]] for d in group.domains)
                for group in self.groups[target]
                if len(group.domains) >= 2
            ]
            for combo in combinations(pool, size):
                if found and any(group.issubset(combo) for group in found):
                    continue
                outcome = cache.get(combo)
                if outcome is None:
                    if len(cache) >= _CACHE_LIMIT:
                        cache.clear()
                    outcome = graph.propagate_indices(candidates[p] for p in combo)
                    self._reach(outcome.down_count)
                    cache[combo] = outcome
                if outcome.is_down_index(target):
                    found.append(frozenset(combo))
                    names = tuple(ids[candidates[p]] for p in combo)
                    self.groups[target].append(RiskGroup(names, self._chain(outcome, ids[target])))

    def _within(self, interested: int, cones: dict[int, set[int]]) -> set[int] | None:
        """The union of the interested targets' cones (None: about everything anyway)."""
        if interested.bit_count() > _CONES_UNITED:
            return None
        united: set[int] = set()
        for index in bit_positions(interested):
            cone = cones.get(index)
            if cone is None:
                cone = cones[index] = self.graph.cone(self.healthy[index])
            united |= cone
        return united

    def _pool(self, target: int, cone_bits: int) -> list[int]:
        """Candidates (by position) in the target's cone that do not down it alone."""
        target_bit, candidates = self.bit[target], self.candidates
        return [
            position
            for position in bit_positions(cone_bits)
            if not self.fatal[position] & target_bit and candidates[position] != target
        ]

    def _reach(self, entities: int) -> None:
        """Count entities reached by propagations, against the budget."""
        self.reached += entities
        limit = budget.reach_limit(len(self.graph.ids))
        if self.reached > limit:
            raise budget.too_much_reach(self.reached, limit)

    def _spend(self, size: int, scenarios: int) -> None:
        self.scenarios += scenarios
        limit = budget.scenario_limit(len(self.graph.ids))
        if self.scenarios > limit:
            raise budget.too_many_scenarios(size, self.scenarios, limit)

    # ------------------------------------------------------------- pair pruning

    def _meeting_pairs(self) -> dict[tuple[int, int], int]:
        """Candidate pairs (by position) that jointly break a gate with slack in some cone,
        each with the bitset of the targets that could have it as a minimal group."""
        graph = self.graph
        reach = self._target_reach()
        pairs: dict[tuple[int, int], int] = {}
        for owner in range(len(graph.ids)):
            interested = reach[owner]
            if not interested or owner in self.broken:
                continue
            owner_kills = self.kills[owner]
            for gate in graph.gates_of[owner]:
                self._gate_pairs(gate, interested, owner_kills, pairs)
        return pairs

    def _gate_pairs(
        self,
        gate: int,
        interested: int,
        owner_kills: int,
        pairs: dict[tuple[int, int], int],
    ) -> None:
        """The pairs that break ``gate`` together, neither alone.

        Each candidate that hits the gate takes some weight from it alone (never more
        than its slack: a candidate that breaks it alone downs the owner alone, and is
        no member of a minimal pair here). Two together take at most the sum of their
        weights, so, heaviest first, each candidate is only paired with those heavy
        enough to reach past the slack with it: an ``any_of`` of 2,000 feeds that
        needs one of them (slack 1,999, weight 1 each) weighs no pair at all.
        """
        graph, fatal, kills = self.graph, self.fatal, self.kills
        members = graph.gate_members[gate]
        weights = graph.gate_weights[gate]
        already_lost = sum(w for m, w in zip(members, weights, strict=True) if m in self.broken)
        slack = graph.gate_total[gate] - graph.gate_need[gate] - already_lost
        if slack < 1:
            return  # any single loss breaks it: never the place where two failures meet
        masks: dict[int, int] = {}
        taken: dict[int, int] = {}
        for slot, (member, weight) in enumerate(zip(members, weights, strict=True)):
            if member in self.broken:
                continue
            # A candidate that downs the owner alone is no member of a minimal pair here.
            for position in bit_positions(kills[member] & ~owner_kills):
                masks[position] = masks.get(position, 0) | 1 << slot
                taken[position] = taken.get(position, 0) + weight
        unit = all(weight == 1 for weight in weights)
        heaviest = sorted(masks, key=lambda position: (-taken[position], position))
        for index, first in enumerate(heaviest):
            wanted = interested & ~fatal[first]
            if not wanted:
                continue
            first_mask, first_weight = masks[first], taken[first]
            for second in heaviest[index + 1 :]:
                second_weight = taken[second]
                if first_weight + second_weight <= slack:
                    break  # lighter ones cannot reach past the slack either
                self.pair_checks += 1
                if self.pair_checks > budget.MAX_PAIR_CHECKS:
                    raise budget.too_many_pairs()
                both = wanted & ~fatal[second]
                if not both:
                    continue
                overlap = first_mask & masks[second]
                lost = first_weight + second_weight
                if overlap:  # members both take down count once
                    lost -= (
                        overlap.bit_count()
                        if unit
                        else sum(weights[slot] for slot in bit_positions(overlap))
                    )
                if lost > slack:
                    key = (first, second) if first < second else (second, first)
                    pairs[key] = pairs.get(key, 0) | both

    def _target_reach(self) -> list[int]:
        """Per entity: a bitset of the healthy targets whose cone holds it."""
        graph = self.graph
        order, component_of = _components(graph)
        bits = [0] * len(order)
        for target, target_bit in self.bit.items():
            bits[component_of[target]] |= target_bit
        # Requirements come before what requires them: walk backwards, pushing each
        # component's targets down to everything it requires.
        for index in range(len(order) - 1, -1, -1):
            value = bits[index]
            if not value:
                continue
            for node in order[index]:
                for needed in graph.requirements_of(node):
                    other = component_of[needed]
                    if other != index:
                        bits[other] |= value
        return [bits[component_of[entity]] for entity in range(len(graph.ids))]


def candidate_cones(graph: FailureGraph, candidates: Sequence[int]) -> list[int]:
    """Per entity, a bitset of the candidates (by position) in its requirement cone."""
    order, component_of = _components(graph)
    bits = [0] * len(order)
    for position, candidate in enumerate(candidates):
        bits[component_of[candidate]] |= 1 << position
    # Requirements come first, so theirs are complete when a component is reached.
    for index, members in enumerate(order):
        value = bits[index]
        for entity in members:
            for needed in graph.requirements_of(entity):
                other = component_of[needed]
                if other != index:
                    value |= bits[other]
        bits[index] = value
    return [bits[component_of[e]] for e in range(len(graph.ids))]


def _components(graph: FailureGraph) -> tuple[list[list[int]], list[int]]:
    """The graph's components in dependency order, and the component of each entity."""
    order, _ = graph.dependency_order()
    component_of = [0] * len(graph.ids)
    for index, members in enumerate(order):
        for entity in members:
            component_of[entity] = index
    return order, component_of
