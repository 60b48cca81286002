"""Cause chains of a few risk groups, explained one target at a time.

The ``risk-groups`` report explains only the groups it shows (``--limit``): each is
propagated within its target's requirement cone, which gives the same chain as a
propagation everywhere (see :meth:`~checker.engine.graph.FailureGraph.explain`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from checker.engine.graph import FailureGraph


class GroupExplainer:
    """Explains groups of targets of ``graph``, one target after the other.

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
