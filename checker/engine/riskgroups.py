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
* **Pairs** are never enumerated blindly (:mod:`checker.engine.meeting`). Suppose
  ``{a, b}`` downs target ``t`` while neither ``a`` nor ``b`` alone does. Follow ``t``'s fall
  back through the entities that only the pair takes down: it must start at a *meeting
  gate* (a requirement of some entity in ``t``'s requirement cone, that entity itself up
  under ``a`` alone and under ``b`` alone) whose members down under ``a`` or under ``b``
  together weigh more than the gate can lose. (If they came from one side only, that
  side alone would break the gate.) So the only pairs tried are those that jointly break
  a gate with slack, in the cone of a target that neither member kills alone; they come
  straight from the kill sets, and are decided all at once, in batches of
  :data:`PAIR_BATCH`, by :func:`~checker.engine.killsets.scenario_kills` (one pass over
  the graph per batch, no propagation per pair). Only for cause chains is a pair
  propagated, once for all the targets it downs, and only when they are asked for
  (``chains``): a caller that explains a few groups explains them itself.
* **Larger sets** (``max_size`` of 3 or more, rare) are tried per target among the
  candidates in its requirement cone that are not fatal alone, skipping supersets of
  groups already found: a domain outside the cone cannot influence the target.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from math import comb

from checker.engine import budget
from checker.engine.explainer import GroupExplainer
from checker.engine.fatalmasks import FatalMasks
from checker.engine.graph import FailureGraph
from checker.engine.killsets import scenario_kills, single_failure_kills
from checker.engine.meeting import MeetingPairs, candidate_cones, target_reach
from checker.engine.order import bit_positions
from checker.engine.outcome import Outcome
from checker.engine.singles import RiskGroup as RiskGroup
from checker.engine.singles import single_failure_groups as single_failure_groups

#: Outcomes of multi-domain scenarios are shared between targets; this bounds memory.
_CACHE_LIMIT = 50_000
#: Candidate pairs decided in one pass of :func:`scenario_kills`: each entity's bitset
#: then takes at most this many bits (1 KiB), and a pass over the graph is shared by
#: this many pairs.
PAIR_BATCH = 8192


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
    return RiskGroupSearch(graph, targets, candidates, max_size).groups


class RiskGroupSearch:
    """:func:`minimal_risk_groups`, for callers that explain only some groups.

    Without ``chains``, the groups carry no cause chain (empty ``causes``), except the
    empty group of a target down with nothing failed: nothing is propagated beyond
    what deciding the groups takes, and :meth:`explain` gives the chain of a group
    when it is wanted.

    ``shown`` (``risk-groups --limit``) says that only the first ``shown`` groups of
    each target in the report's order will be shown, smallest first: a target with at
    least that many single points of failure then has its pairs only counted
    (:attr:`unlisted`), never listed, since none of them can be shown. (Only when
    pairs are the largest groups searched: larger ones are found by skipping the
    supersets of the pairs listed.) ``explained`` says that the caller will explain
    every group found (with :meth:`explain_all`): the reach of the single-domain
    groups is then held to the budget before anything is explained, as with
    ``chains``.
    """

    def __init__(
        self,
        graph: FailureGraph,
        targets: Sequence[int],
        candidates: Sequence[int],
        max_size: int = 1,
        chains: bool = True,
        shown: int | None = None,
        explained: bool = False,
    ) -> None:
        budget.check_group_size(max_size)
        targets = list(dict.fromkeys(targets))
        self.local = local = cone_graph(graph, targets)
        to_local = local.index
        ids = graph.ids
        # Candidates outside every target's cone cannot take any target down.
        inside = [to_local[ids[c]] for c in dict.fromkeys(candidates) if ids[c] in to_local]
        search = _Search(local, [to_local[ids[t]] for t in targets], inside, chains, explained)
        # No group is larger than the candidates there are.
        max_size = min(max_size, len(inside))
        if max_size == 2:
            search.listed_below = shown
        if max_size >= 2:
            search.pairs()
        for size in range(3, max_size + 1):
            search.larger(size)
        # What explaining needs of the search when a cone is too big to compile.
        marks = (search.reach(), search.bit) if not chains else ([], {})
        self._explainer = GroupExplainer(local, *marks)
        #: Per target (graph index): its groups, as :func:`minimal_risk_groups` lists them.
        self.groups = {target: search.groups[to_local[ids[target]]] for target in targets}
        #: Per target (graph index): how many of its groups were counted, not listed
        #: (see ``shown``); each comes after every group listed in the report's order.
        self.unlisted = {
            target: search.unlisted.get(to_local[ids[target]], 0) for target in targets
        }

    def explain(self, target_id: str, domains: Sequence[str]) -> tuple[str, ...]:
        """The cause chain of a target under one of its groups (see
        :class:`~checker.engine.explainer.GroupExplainer`)."""
        return self._explainer.explain(target_id, domains)

    def explain_all(self, requests: Sequence[tuple[str, tuple[str, ...]]]) -> list[tuple[str, ...]]:
        """The cause chains of many ``(target_id, domains)`` at once, as :meth:`explain`
        gives them (see :meth:`~checker.engine.explainer.GroupExplainer.explain_all`)."""
        return self._explainer.explain_all(requests)


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


class _Search:
    """The state shared by the stages: who kills what alone, and the groups found.

    It runs on a graph holding only the targets' cones, so every entity matters.
    """

    def __init__(
        self,
        graph: FailureGraph,
        targets: Sequence[int],
        candidates: Sequence[int],
        chains: bool = True,
        explained: bool = False,
    ) -> None:
        self.graph = graph
        self.chains = chains
        self.explained = explained
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
        self._links: dict[tuple[int, int, int, int], str] = {}
        self._chains: dict[tuple[str, ...], tuple[str, ...]] = {}
        #: Multi-domain scenarios propagated, and candidate pairs weighed, against the budget.
        self.scenarios = 0
        self.pair_checks = 0
        self.reached = 0
        #: Pairs are listed only for targets with fewer single groups than this (None:
        #: for all); the others' are counted in :attr:`unlisted`.
        self.listed_below: int | None = None
        self.unlisted: dict[int, int] = {}
        self._reach_of: list[int] | None = None
        self._singles()

    def reach(self) -> list[int]:
        """Per entity: the healthy targets (bits) whose requirement cone holds it."""
        if self._reach_of is None:
            self._reach_of = target_reach(self.graph, self.bit)
        return self._reach_of

    def _chain(self, outcome: Outcome, entity_id: str) -> tuple[str, ...]:
        (chain,) = outcome.chains([entity_id], self._links)
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
            links=self._links,
            before_propagating=weigh,
            chains=self.chains,
        )
        if self.explained and not self.chains:
            weigh(self.fatal)  # each will be propagated to be explained, later

    def pairs(self) -> None:
        """Every minimal pair: the meeting pairs decided all at once, in batches, by
        :func:`~checker.engine.killsets.scenario_kills` (no propagation per pair); with
        chains, each pair is then propagated once for all the targets it downs."""
        if not self.healthy:
            return
        graph, ids, candidates, healthy = self.graph, self.graph.ids, self.candidates, self.healthy
        reach = self.reach()
        meeting = MeetingPairs(graph, self.kills, self.fatal, reach, self.broken)
        pairs = meeting.find()
        self.pair_checks += meeting.checks
        self._spend(2, len(pairs))
        ordered = sorted(pairs)
        groups, kills = self.groups, self.kills
        #: The pairs decided, each with the targets it downs (neither member alone).
        pending: list[tuple[tuple[int, int], list[int]]] = []
        # A domain target's own candidate position (a domain does not survive itself).
        position_of = {candidate: position for position, candidate in enumerate(candidates)}
        own = {t: position_of[t] for t in healthy if t in position_of}
        fatal_masks = FatalMasks(graph, kills, healthy)
        # Targets with enough single groups to fill what is shown: their pairs are counted.
        below = self.listed_below
        counted = set() if below is None else {t for t in healthy if len(groups[t]) >= below}
        unlisted = self.unlisted
        # A listing whose every group will be explained is refused as soon as it is
        # known to be too long, before the rest is listed (see _chain_pairs).
        listed = sum(map(len, groups.values())) if self.explained and not self.chains else None
        for start in range(0, len(ordered), PAIR_BATCH):
            batch = ordered[start : start + PAIR_BATCH]
            scenarios = [(candidates[first], candidates[second]) for first, second in batch]
            downs = scenario_kills(graph, scenarios)
            # Per candidate position: the pairs of the batch that hold it (as bits).
            holding: dict[int, int] = {}
            for scenario, (first, second) in enumerate(batch):
                holding[first] = holding.get(first, 0) | 1 << scenario
                holding[second] = holding.get(second, 0) | 1 << scenario
            # Per pair (by position in the batch): the targets it downs, neither member
            # alone (nor holding the target itself, a domain). A target is down in every
            # pair with a member fatal to it alone: those are masked out before looking.
            hit: dict[int, list[int]] = {}
            plain = [RiskGroup((ids[a], ids[b]), ()) for a, b in scenarios]
            masks = fatal_masks.masks(holding)
            for target in healthy:
                bits = downs[target]
                if not bits:
                    continue
                bits &= ~masks[target]
                if target in own:
                    bits &= ~holding.get(own[target], 0)
                if target in counted:
                    unlisted[target] = unlisted.get(target, 0) + bits.bit_count()
                elif self.chains:
                    for scenario in bit_positions(bits):
                        hit.setdefault(scenario, []).append(target)
                else:  # in pair order, as with chains
                    found = [plain[scenario] for scenario in bit_positions(bits)]
                    groups[target].extend(found)
                    if listed is not None:
                        listed += len(found)
            if listed is not None and listed > budget.MAX_CHAINED_GROUPS:
                raise budget.too_many_chained_groups()
            pending.extend((scenarios[s], targets) for s, targets in sorted(hit.items()))
        if self.chains:
            self._chain_pairs(pending, reach)

    def _chain_pairs(
        self, pending: list[tuple[tuple[int, int], list[int]]], reach: list[int]
    ) -> None:
        """Append each pair's group, with its chain, to the targets it downs (in pair order).

        All pairs are decided first, so that a listing too large to hold with its
        chains is refused before any is propagated.
        """
        if sum(len(targets) for _, targets in pending) > budget.MAX_CHAINED_GROUPS:
            raise budget.too_many_chained_groups()
        graph, ids, bit, groups = self.graph, self.graph.ids, self.bit, self.groups
        for pair, targets in pending:
            names = (ids[pair[0]], ids[pair[1]])
            # Decided within what the targets it downs require (the entities whose
            # reach names one of them): the same chains as everywhere (see
            # FailureGraph.explain), without walking through thousands of dependents
            # that none of them needs.
            wanted = 0
            for target in targets:
                wanted |= bit[target]
            outcome = graph.propagate_indices(pair, marked=(reach, wanted))
            self._reach(outcome.down_count)
            found = outcome.chains([ids[target] for target in targets], self._links)
            for target, causes in zip(targets, found, strict=True):
                groups[target].append(RiskGroup(names, self._chains.setdefault(causes, causes)))

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
                    causes = self._chain(outcome, ids[target]) if self.chains else ()
                    self.groups[target].append(RiskGroup(names, causes))

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
