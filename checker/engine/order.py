"""Graph helpers shared by the engine and the checks: components, orderings, bitsets."""

from __future__ import annotations

from collections.abc import Callable, Sequence


def strongly_connected(edges: Sequence[Sequence[int]]) -> tuple[list[int], list[list[int]]]:
    """Iterative Tarjan: (component of each node, components in reverse topological order).

    Reverse topological order means a component comes after every component it has an
    edge to: with edges pointing at requirements, requirements come first.
    """
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


def dependency_order(
    requirement_counts: Sequence[int],
    dependents: Sequence[Sequence[int]],
    requires: Callable[[int], Sequence[int]],
) -> tuple[list[list[int]], int]:
    """Components of a requirement graph, each after everything it requires.

    ``requirement_counts[n]`` is how many edges leave ``n`` (with repeats),
    ``dependents[n]`` lists the nodes with an edge to ``n`` (with the same repeats),
    and ``requires(n)`` gives ``n``'s edges. Most real graphs are acyclic, so a linear
    Kahn pass orders everything it can; only what it cannot (cycles and what depends
    on them) goes through Tarjan. Returns the components and the position after the
    Kahn part: components from there on may be cycles (or self-loops), or single
    entities that only depend on one.
    """
    count = len(requirement_counts)
    remaining = list(requirement_counts)
    ready = [node for node in range(count) if not remaining[node]]
    for node in ready:  # ``ready`` grows while it is walked
        for dependent in dependents[node]:
            remaining[dependent] -= 1
            if not remaining[dependent]:
                ready.append(dependent)
    order = [[node] for node in ready]
    acyclic = len(order)
    if acyclic == count:
        return order, acyclic
    residual = [node for node in range(count) if remaining[node]]
    # What only hangs off a cycle (nothing left requires it) is peeled off the top, so
    # that Tarjan runs on the cycles and what lies between them, not on everything
    # that depends on one: in an estate with a few cycles that is most of the rest.
    required_by = [0] * count
    for node in residual:
        for dependent in dependents[node]:
            if remaining[dependent]:
                required_by[node] += 1
    tail = [node for node in residual if not required_by[node]]
    for node in tail:  # ``tail`` grows while it is walked
        remaining[node] = 0
        for member in requires(node):
            if remaining[member]:
                required_by[member] -= 1
                if not required_by[member]:
                    tail.append(member)
    core = [node for node in residual if remaining[node]]
    position = {node: i for i, node in enumerate(core)}
    edges = [[position[m] for m in requires(node) if m in position] for node in core]
    _, components = strongly_connected(edges)
    order.extend([core[i] for i in component] for component in components)
    order.extend([node] for node in reversed(tail))  # each after all it requires
    return order, acyclic


def cyclic_components(edges: Sequence[Sequence[int]]) -> list[list[int]]:
    """The components of a directed graph that are cycles (a self-loop counts).

    :func:`dependency_order` settles what is on no cycle without Tarjan, from both
    ends; what is left past its acyclic part are the cycles and the few entities
    between them.
    """
    dependents: list[list[int]] = [[] for _ in edges]
    for node, targets in enumerate(edges):
        for target in targets:
            dependents[target].append(node)
    order, acyclic = dependency_order(list(map(len, edges)), dependents, edges.__getitem__)
    return [c for c in order[acyclic:] if len(c) > 1 or c[0] in edges[c[0]]]


def bit_positions(bits: int) -> list[int]:
    """Positions of the set bits, lowest first."""
    if bits.bit_count() > _FEW_BITS:
        # Many bits: read them off the binary text (lowest first once reversed), in
        # time linear in the size; peeling the lowest bit off copies the whole int
        # each time, which is quadratic on the wide bitsets of batched scenarios.
        text = bin(bits)[:1:-1]
        found = []
        find = text.find
        at = find("1")
        while at >= 0:
            found.append(at)
            at = find("1", at + 1)
        return found
    positions = []
    while bits:
        lowest = bits & -bits
        positions.append(lowest.bit_length() - 1)
        bits ^= lowest
    return positions


#: Up to this many set bits, :func:`bit_positions` peels them off one by one.
_FEW_BITS = 8
