"""Graph orderings: the cycles of a graph, found without running Tarjan on all of it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.order import cyclic_components, dependency_order, strongly_connected


@st.composite
def graphs(draw: st.DrawFn) -> list[list[int]]:
    count = draw(st.integers(1, 12))
    return [draw(st.lists(st.integers(0, count - 1), max_size=4)) for _ in range(count)]


@settings(max_examples=500, deadline=None)
@given(graphs())
def test_cyclic_components_are_the_cycles_tarjan_finds(edges: list[list[int]]) -> None:
    _, components = strongly_connected(edges)
    expected = {frozenset(c) for c in components if len(c) > 1 or c[0] in edges[c[0]]}
    assert {frozenset(c) for c in cyclic_components(edges)} == expected


def test_what_only_hangs_off_a_cycle_is_not_on_it() -> None:
    # 0 <-> 1 is a cycle; 2 requires it, 3 is required by it, 4 loops on itself.
    edges = [[1], [0, 3], [0], [], [4]]
    assert sorted(sorted(c) for c in cyclic_components(edges)) == [[0, 1], [4]]


@settings(max_examples=500, deadline=None)
@given(graphs())
def test_dependency_order_puts_each_component_after_what_it_requires(
    edges: list[list[int]],
) -> None:
    dependents: list[list[int]] = [[] for _ in edges]
    for node, targets in enumerate(edges):
        for target in targets:
            dependents[target].append(node)
    order, acyclic = dependency_order([len(e) for e in edges], dependents, edges.__getitem__)
    placed = {node: index for index, component in enumerate(order) for node in component}
    assert sorted(placed) == list(range(len(edges)))  # every node exactly once
    for node, targets in enumerate(edges):
        for target in targets:
            assert placed[target] <= placed[node]
            if placed[target] == placed[node]:  # only within a cycle
                assert placed[node] >= acyclic
    _, components = strongly_connected(edges)
    assert {frozenset(c) for c in order} == {frozenset(c) for c in components}
