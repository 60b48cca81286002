"""Cause chains of a few risk groups, explained after the search.

The ``risk-groups`` report explains only the groups it shows (``--limit``). Each
chain must be the one a propagation over the whole model gives (shortest,
breadth-first). Two ways get it at a fraction of the cost:

* :meth:`GroupExplainer.explain_all`, the fast path: the groups of a batch are
  decided together by :func:`~checker.engine.killsets.scenario_kills` (one pass over
  the graph for thousands of groups), which says what each takes down; each group is
  then propagated once, for every target it is shown for, only through what fell on
  the way to them (:func:`~checker.engine.killsets.fallen_region`): a few dozen
  entities where a building downs thousands. It needs a graph where nothing is down
  with nothing failed (such entities carry no bits), as ``survives`` does.
* :meth:`GroupExplainer.explain`, one group of one target, propagated within the
  target's requirement cone (see :meth:`~checker.engine.graph.FailureGraph.explain`):
  the fallback.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from checker.engine.graph import FailureGraph
from checker.engine.killsets import fallen_region, scenario_kills

#: Distinct groups decided in one pass of :func:`scenario_kills` (each entity's bitset
#: then takes at most this many bits: 512 bytes).
EXPLAIN_BATCH = 4096


class GroupExplainer:
    """Explains groups of targets of ``graph``.

    The cone is read off the search's marks: ``reach`` (per entity, the targets whose
    cone holds it, as bits) and each target's ``bit``, so no cone is built. Each
    entity the target's propagations reach has its watchers cut to the cone once, on
    first use: a downed service with thousands of dependents outside the cone is then
    looked through once per target, not once per group.
    """

    def __init__(self, graph: FailureGraph, reach: Sequence[int], bit: Mapping[int, int]) -> None:
        self.graph = graph
        self.reach = reach
        self.bit = bit
        self._last: tuple[int, _Watchers | None] = (-1, None)
        #: Chain sentences repeat across groups: keep one copy (see Outcome.chains).
        self._links: dict[tuple[int, int, int, int], str] = {}

    def explain(self, target_id: str, domains: Sequence[str]) -> tuple[str, ...]:
        """The cause chain of ``target_id`` when ``domains`` fail together."""
        graph = self.graph
        target = graph.index[target_id]
        seeds = [graph.index[domain] for domain in domains]
        wanted = self.bit.get(target)
        if wanted is None:  # no marks for it (down with nothing failed, or none kept)
            return graph.propagate_indices(seeds, graph.cone(target)).causes(target_id)
        if self._last[0] != target:
            self._last = (target, _Watchers(graph, self.reach, wanted))
        watchers = self._last[1]
        marked = (self.reach, wanted)
        return graph.propagate_indices(seeds, marked=marked, watchers=watchers).causes(target_id)

    def explain_all(self, requests: Sequence[tuple[str, tuple[str, ...]]]) -> list[tuple[str, ...]]:
        """The cause chain of each ``(target_id, domains)``, as :meth:`explain` gives it.

        Each request's group must take its target down. Groups asked for several
        targets are propagated once for all of them.
        """
        graph = self.graph
        if graph.broken:  # entities down with nothing failed carry no kill bits
            return [self.explain(target_id, domains) for target_id, domains in requests]
        index = graph.index
        #: Per distinct group: the requests (by position) that ask for it.
        asking: dict[tuple[str, ...], list[int]] = {}
        for at, (_, domains) in enumerate(requests):
            asking.setdefault(domains, []).append(at)
        chains: list[tuple[str, ...]] = [()] * len(requests)
        empty = asking.pop((), [])  # the empty group (down with nothing failed) comes explained
        for at in empty:
            chains[at] = self.explain(requests[at][0], ())
        groups = list(asking)
        for start in range(0, len(groups), EXPLAIN_BATCH):
            batch = groups[start : start + EXPLAIN_BATCH]
            seeds = [[index[domain] for domain in group] for group in batch]
            downs = scenario_kills(graph, seeds)
            for scenario, group in enumerate(batch):
                positions = asking[group]
                target_ids = list(dict.fromkeys(requests[at][0] for at in positions))
                targets = [index[target_id] for target_id in target_ids]
                region = fallen_region(graph, downs, scenario, targets)
                outcome = graph.propagate_indices(seeds[scenario], region)
                found = dict(zip(target_ids, outcome.chains(target_ids, self._links), strict=True))
                for at in positions:
                    chains[at] = found[requests[at][0]]
            del downs
        return chains


class _Watchers(dict[int, list[tuple[int, int]]]):
    """An entity's watchers (in gate order) whose owners are marked ``wanted``."""

    def __init__(self, graph: FailureGraph, reach: Sequence[int], wanted: int) -> None:
        super().__init__()
        self.graph = graph
        self.reach = reach
        self.wanted = wanted

    def __missing__(self, entity: int) -> list[tuple[int, int]]:
        owner, reach, wanted = self.graph.gate_owner, self.reach, self.wanted
        kept = [(gate, w) for gate, w in self.graph.watchers[entity] if reach[owner[gate]] & wanted]
        self[entity] = kept
        return kept
