"""Minimal risk groups: the smallest sets of domains whose joint failure downs an entity.

Used by the ``survives`` check and the ``risk-groups`` command. It decides every
candidate set with the failure engine (never its own propagation) and keeps the
search small:

* single domains are tried once each, and one propagation answers for every target;
* a larger set matters for a target only if each of its domains lies in the target's
  *requirement cone* (what it transitively needs, through parents, placements and
  ``depends_on``): a domain outside the cone cannot influence the target at all.
  Cones are intersected with the candidates once, bottom-up over the strongly
  connected components, as integer bitsets;
* a set containing a smaller fatal set is never tried (it would not be minimal).
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import NamedTuple

from checker.engine import FailureGraph, Outcome

#: Outcomes of multi-domain scenarios are shared between targets; this bounds memory.
_CACHE_LIMIT = 50_000


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

    A target already down with nothing failed gets one group with no domains.
    Groups are listed smallest first, then in candidate order.
    """
    groups: dict[int, list[RiskGroup]] = {target: [] for target in targets}
    ids = graph.ids
    baseline = graph.propagate_indices(())
    healthy = [t for t in targets if not baseline.is_down_index(t)]
    for target in targets:
        if baseline.is_down_index(target):
            groups[target].append(RiskGroup((), baseline.causes(ids[target])))
    wanted = set(healthy)
    for candidate in candidates:
        outcome = graph.propagate_indices((candidate,))
        for entity in outcome.down_indices:
            if entity in wanted and entity != candidate:
                groups[entity].append(RiskGroup((ids[candidate],), outcome.causes(ids[entity])))
    if max_size < 2 or not healthy:
        return groups
    cones = candidate_cones(graph, candidates)
    cache: dict[tuple[int, ...], Outcome] = {}
    for target in healthy:
        fatal_singles = {graph.index[g.domains[0]] for g in groups[target]}
        bits = cones[target]
        pool = [c for i, c in enumerate(candidates) if bits >> i & 1 and c not in fatal_singles]
        pool = [c for c in pool if c != target]
        found: list[frozenset[int]] = []
        for size in range(2, max_size + 1):
            for combo in combinations(pool, size):
                if found and any(group <= set(combo) for group in found):
                    continue
                cached = cache.get(combo)
                if cached is None:
                    if len(cache) >= _CACHE_LIMIT:
                        cache.clear()
                    cached = cache[combo] = graph.propagate_indices(combo)
                outcome = cached
                if outcome.is_down_index(target):
                    found.append(frozenset(combo))
                    names = tuple(ids[c] for c in combo)
                    groups[target].append(RiskGroup(names, outcome.causes(ids[target])))
    return groups


def candidate_cones(graph: FailureGraph, candidates: Sequence[int]) -> list[int]:
    """Per entity, a bitset of the candidates (by position) in its requirement cone."""
    own = [0] * len(graph.ids)
    for position, candidate in enumerate(candidates):
        own[candidate] |= 1 << position
    requires: list[list[int]] = [
        [m for gate in graph.gates_of[e] for m in graph.gate_members[gate]]
        for e in range(len(graph.ids))
    ]
    component_of, components = strongly_connected(requires)
    bits = [0] * len(components)
    # Tarjan emits components in reverse topological order: requirements come first.
    for index, members in enumerate(components):
        value = 0
        for entity in members:
            value |= own[entity]
            for needed in requires[entity]:
                other = component_of[needed]
                if other != index:
                    value |= bits[other]
        bits[index] = value
    return [bits[component_of[e]] for e in range(len(graph.ids))]


def strongly_connected(edges: Sequence[Sequence[int]]) -> tuple[list[int], list[list[int]]]:
    """Iterative Tarjan: (component of each node, components in reverse topological order)."""
    count = len(edges)
    index_of = [-1] * count
    low = [0] * count
    on_stack = [False] * count
    component_of = [-1] * count
    components: list[list[int]] = []
    stack: list[int] = []
    counter = 0
    for root in range(count):
        if index_of[root] != -1:
            continue
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, next_edge = work.pop()
            if next_edge == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack[node] = True
            recurse = False
            node_edges = edges[node]
            while next_edge < len(node_edges):
                child = node_edges[next_edge]
                next_edge += 1
                if index_of[child] == -1:
                    work.append((node, next_edge))
                    work.append((child, 0))
                    recurse = True
                    break
                if on_stack[child]:
                    low[node] = min(low[node], index_of[child])
            if recurse:
                continue
            if low[node] == index_of[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack[member] = False
                    component_of[member] = len(components)
                    members.append(member)
                    if member == node:
                        break
                components.append(members)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return component_of, components
