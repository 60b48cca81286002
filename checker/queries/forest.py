"""A forest laid out left to right, for the pictures of :mod:`checker.render.svg`.

What the failure engine's cause chains of one scenario form (``what-if -f svg``): every
downed entity has exactly one trigger. A tidy tree: depth sets the column, leaves
stack in reading order, and each parent is centred on its children. Whole pixels,
deterministic, with the measures of :mod:`checker.queries.geometry`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from checker.queries.geometry import GAP, PAD, ROW_GAP, SUB_SIZE, Placement, Rect, text_width


def place_forest(
    roots: Sequence[str],
    children: Mapping[str, Sequence[str]],
    sizes: Mapping[str, tuple[int, int]],
    edge_labels: Mapping[str, str] | None = None,
    top: int = PAD,
) -> Placement:
    """A left-to-right tidy forest: depth sets the column, leaves stack, parents centre.

    ``edge_labels`` (by the child the edge goes to) widen the gap before a column so
    that the labels fit between the columns.
    """
    depth: dict[str, int] = {}
    stack = [(root, 0) for root in reversed(roots)]
    preorder: list[str] = []
    while stack:
        item, level = stack.pop()
        if item in depth:
            continue  # a forest has none, but never loop on bad input
        depth[item] = level
        preorder.append(item)
        stack.extend((child, level + 1) for child in reversed(children.get(item, ())))
    widths: dict[int, int] = {}
    gaps: dict[int, int] = {}
    for item, level in depth.items():
        widths[level] = max(widths.get(level, 0), sizes[item][0])
        label = (edge_labels or {}).get(item, "")
        gaps[level] = max(gaps.get(level, 2 * GAP), text_width(label, SUB_SIZE) + 2 * GAP)
    column_x: dict[int, int] = {}
    x = PAD
    for level in sorted(widths):
        x += gaps[level] if level else 0
        column_x[level] = x
        x += widths[level]
    placed = Placement()

    def kids(item: str) -> list[str]:
        return [c for c in children.get(item, ()) if depth.get(c) == depth[item] + 1]

    # Leaves stack in reading order; then each parent (children first) centres on its own.
    cursor = top
    ys: dict[str, int] = {}
    for item in preorder:
        if not kids(item):
            ys[item] = cursor
            cursor += sizes[item][1] + ROW_GAP
    for item in reversed(preorder):
        below = kids(item)
        if below:
            first, last = below[0], below[-1]
            middle = (ys[first] + sizes[first][1] // 2 + ys[last] + sizes[last][1] // 2) // 2
            ys[item] = max(top, middle - sizes[item][1] // 2)
    for item in preorder:
        w, h = sizes[item]
        level = depth[item]
        placed.nodes[item] = Rect(column_x[level] + (widths[level] - w) // 2, ys[item], w, h)
    placed.width = max((r.right for r in placed.nodes.values()), default=0) + PAD
    placed.height = max((r.bottom for r in placed.nodes.values()), default=top) + PAD
    return placed
