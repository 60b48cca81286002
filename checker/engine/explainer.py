"""Cause chains of a few risk groups, explained one target at a time.

The ``risk-groups`` report explains only the groups it shows (``--limit``): each is
propagated within its target's requirement cone, which gives the same chain as a
propagation everywhere (see :meth:`~checker.engine.graph.FailureGraph.explain`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from checker.engine.graph import FailureGraph

#: Cones up to this many entities are compiled to explain a target's groups.
COMPILED_CONE = 2_000

#: A target's cone and the watchers within it (see FailureGraph.watchers_within).
_Cone = tuple[set[int], Mapping[int, Sequence[tuple[int, int]]]]


class GroupExplainer:
    """Explains groups of targets of ``graph``, one target after the other.

    A small cone is compiled once for the target's groups, with watchers cut to it,
    so that a downed service with thousands of dependents costs nothing. A big one
    (services that require thousands of entities, in an estate with cycles) would
    cost more to compile than it saves: it is walked by ``reach`` (per entity, the
    targets whose cone holds it, as bits) and the target's ``bit`` instead.
    """

    def __init__(self, graph: FailureGraph, reach: Sequence[int], bit: Mapping[int, int]) -> None:
        self.graph = graph
        self.reach = reach
        self.bit = bit
        self._last: tuple[int, _Cone | None] = (-1, None)

    def explain(self, target_id: str, domains: Sequence[str]) -> tuple[str, ...]:
        """The cause chain of ``target_id`` when ``domains`` fail together."""
        graph = self.graph
        target = graph.index[target_id]
        if self._last[0] != target:
            cone = _bounded_cone(graph, target, COMPILED_CONE)
            self._last = (target, None if cone is None else (cone, graph.watchers_within(cone)))
        compiled = self._last[1]
        seeds = [graph.index[domain] for domain in domains]
        if compiled is not None:
            outcome = graph.propagate_indices(seeds, compiled[0], watchers=compiled[1])
        elif target in self.bit:
            outcome = graph.propagate_indices(seeds, marked=(self.reach, self.bit[target]))
        else:  # no marks for it (down with nothing failed, or none kept)
            outcome = graph.propagate_indices(seeds, graph.cone(target))
        return outcome.causes(target_id)


def _bounded_cone(graph: FailureGraph, entity: int, most: int) -> set[int] | None:
    """:meth:`FailureGraph.cone`, or None as soon as it holds more than ``most``."""
    seen = {entity}
    stack = [entity]
    while stack:
        for member in graph.requirements_of(stack.pop()):
            if member not in seen:
                seen.add(member)
                if len(seen) > most:
                    return None
                stack.append(member)
    return seen
