"""Graph orderings: the cycles of a graph, found without running Tarjan on all of it."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.order import cyclic_components, strongly_connected


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
