"""Where things go in a picture: resilint's own layout, so SVG needs no Graphviz.

Pure geometry, in whole pixels, deterministic (manifest order breaks every tie), for
:mod:`checker.render.svg` (docs/commands.md, ``graph -f svg`` and ``what-if -f svg``):

* :func:`place` lays out a :class:`~checker.queries.layout.Layout`. Requirements point
  left: what is required sits left of what requires it, so the domain tree comes
  first (nested boxes, each box's children in columns by how they require one
  another), then the services in columns by dependency depth, each placed near the
  average height of what it needs (one barycentre pass keeps edges short).
* :func:`checker.queries.forest.place_forest` lays out a forest, with the measures
  and shapes defined here.

Text is measured with a fixed per-character estimate (wide East Asian characters
count double), so the output does not depend on the fonts of the machine.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from checker.queries.layout import Layout

LABEL_SIZE, SUB_SIZE = 11, 9
NODE_HEIGHT, GATE_HEIGHT = 34, 22
PAD, HEADER, GAP, ROW_GAP = 10, 30, 28, 8
#: Between the domain area and the first column of services: room for many edges.
AREA_GAP = 90
#: A column of a box holds at most this many items before it wraps into another.
MAX_ROWS = 12


class Rect(NamedTuple):
    x: int
    y: int
    w: int
    h: int

    @property
    def right(self) -> int:
        return self.x + self.w

    @property
    def bottom(self) -> int:
        return self.y + self.h

    @property
    def cx(self) -> int:
        return self.x + self.w // 2

    @property
    def cy(self) -> int:
        return self.y + self.h // 2

    def moved(self, dx: int, dy: int) -> Rect:
        return Rect(self.x + dx, self.y + dy, self.w, self.h)


class Curve(NamedTuple):
    """A cubic Bézier from ``start`` to ``end`` (the arrowhead end), and its midpoint."""

    start: tuple[int, int]
    control1: tuple[int, int]
    control2: tuple[int, int]
    end: tuple[int, int]

    @property
    def middle(self) -> tuple[int, int]:
        (x0, y0), (x1, y1), (x2, y2), (x3, y3) = self
        return (x0 + 3 * x1 + 3 * x2 + x3) // 8, (y0 + 3 * y1 + 3 * y2 + y3) // 8


@dataclass
class Placement:
    """Every box (domains with something inside) and node of a picture, and the size."""

    width: int = 0
    height: int = 0
    boxes: dict[str, Rect] = field(default_factory=dict)
    nodes: dict[str, Rect] = field(default_factory=dict)

    def rect(self, entity: str) -> Rect:
        return self.boxes.get(entity) or self.nodes[entity]


def text_width(text: str, size: int = LABEL_SIZE) -> int:
    """An estimate of the rendered width: 0.6 em a character, 1.1 em for wide ones."""
    ems = sum(1.1 if unicodedata.east_asian_width(c) in "WF" else 0.6 for c in text)
    return round(ems * size)


def node_size(label: str, sublabel: str, gate: bool = False) -> tuple[int, int]:
    if gate:
        return text_width(label, SUB_SIZE) + 24, GATE_HEIGHT
    return max(56, text_width(label) + 18, text_width(sublabel, SUB_SIZE) + 18), NODE_HEIGHT


def state_words(status: str | None) -> str:
    """What a picture writes after a marked node's second line, so colour is not alone."""
    return {"failed": " · failed", "down": " · down", "up": " · up"}.get(status or "", "")


def curve(tail: Rect, head: Rect) -> Curve:
    """An edge from ``tail`` to ``head``, leaving and entering on the facing sides."""
    if head.right <= tail.x:
        start, end = (tail.x, tail.cy), (head.right, head.cy)
    elif head.x >= tail.right:
        start, end = (tail.right, tail.cy), (head.x, head.cy)
    else:  # one above the other
        if head.cy < tail.cy:
            start, end = (tail.cx, tail.y), (head.cx, head.bottom)
        else:
            start, end = (tail.cx, tail.bottom), (head.cx, head.y)
        bend = max(16, abs(end[1] - start[1]) // 2) * (1 if end[1] > start[1] else -1)
        return Curve(start, (start[0], start[1] + bend), (end[0], end[1] - bend), end)
    bend = max(20, abs(end[0] - start[0]) // 2) * (1 if end[0] > start[0] else -1)
    return Curve(start, (start[0] + bend, start[1]), (end[0] - bend, end[1]), end)


def ranks(order: Sequence[str], requires: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """Longest-path ranks: an item ranks above everything it requires (0: requires nothing).

    A requirement closing a cycle is ignored (the first item of the cycle in ``order``
    keeps the lower rank). Iterative: dependency chains can be thousands long.
    """
    rank: dict[str, int] = {}
    on_path: set[str] = set()
    for root in order:
        if root in rank:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        on_path.add(root)
        while stack:
            item, next_index = stack[-1]
            needs = requires.get(item, ())
            if next_index < len(needs):
                stack[-1] = (item, next_index + 1)
                needed = needs[next_index]
                if needed not in rank and needed not in on_path:
                    on_path.add(needed)
                    stack.append((needed, 0))
                continue
            stack.pop()
            on_path.discard(item)
            below = [rank[n] for n in needs if n in rank]
            rank[item] = 1 + max(below) if below else 0
    return rank


def place(view: Layout, markable: bool = False) -> Placement:
    """Positions for every box and node of ``view`` (see the module docstring).

    ``markable``: leave room in every node for the longest state words, for pictures
    whose marks change after drawing (the html report's what-if).
    """
    return _Placer(view, markable).run()


class _Placer:
    def __init__(self, view: Layout, markable: bool = False) -> None:
        self.view = view
        # A marked node says so in words too ("rack · down"): room for them.
        self.sizes: dict[str, tuple[int, int]] = {
            node.id: node_size(
                node.label,
                node.sublabel + state_words("failed" if markable else view.status(node.id)),
                node.shape == "gate",
            )
            for node in view.nodes.values()
        }
        #: The box each drawn entity sits in (None: the top level).
        self.container: dict[str, str | None] = {}
        for parent, children in view.children.items():
            for child in children:
                self.container[child] = parent
        self.gate_owner: dict[str, str] = {}
        for edge in view.edges:
            if view.nodes[edge.head].shape == "gate" and edge.style == "requires":
                self.gate_owner[edge.head] = edge.tail
        for box, gates in view.gates_in.items():
            for gate in gates:
                self.container[gate] = box
        # Items of each box that require one another: lifted to the box's own children.
        self.requires: dict[str | None, dict[str, list[str]]] = {}
        for edge in view.edges:
            self._add_requirement(edge.tail, edge.head)
        self.placed = Placement()

    def _path(self, entity: str) -> list[str | None]:
        """The boxes around ``entity``, innermost first, ending with None (the top level)."""
        path: list[str | None] = []
        current = self.container.get(entity)
        while current is not None:
            path.append(current)
            current = self.container.get(current)
        path.append(None)
        return path

    def _add_requirement(self, tail: str, head: str) -> None:
        if self._is_service_side(tail) or self._is_service_side(head):
            return  # services and their gates are ranked among themselves
        head_path = self._path(head)
        tail_item: str = tail
        for box in self._path(tail):
            if box in head_path:
                head_item = head if box == self.container.get(head) else None
                for inner in head_path:
                    if inner == box:
                        break
                    head_item = inner
                if head_item is not None and head_item != tail_item and tail_item != box:
                    self.requires.setdefault(box, {}).setdefault(tail_item, []).append(head_item)
                return
            assert box is not None  # None is on every path
            tail_item = box

    def _is_service_side(self, entity: str) -> bool:
        node = self.view.nodes[entity]
        if node.shape == "service":
            return True
        owner = self.gate_owner.get(entity)
        return node.shape == "gate" and owner is not None and self._is_service_side(owner)

    def run(self) -> Placement:
        view = self.view
        top = [*view.children.get(None, [])]
        top += [g for g in view.gates_in.get(None, []) if not self._is_service_side(g)]
        width, _, inner = self._block(None, top)
        for entity, rect in inner.items():
            self._record(entity, rect.moved(PAD, PAD))
        # Outer boxes first: a box is drawn over the one around it, never under.
        boxes = self.placed.boxes
        self.placed.boxes = {b: boxes[b] for b in self._outermost_first() if b in boxes}
        self._place_services(PAD + width + (AREA_GAP if width else 0))
        placed = self.placed
        rects = [*placed.boxes.values(), *placed.nodes.values()]
        placed.width = max((r.right for r in rects), default=0) + PAD
        placed.height = max((r.bottom for r in rects), default=0) + PAD
        return placed

    def _record(self, entity: str, rect: Rect) -> None:
        if self.view.is_cluster(entity):
            self.placed.boxes[entity] = rect
        else:
            self.placed.nodes[entity] = rect

    def _block(self, box: str | None, items: list[str]) -> tuple[int, int, dict[str, Rect]]:
        """Lay out ``items`` (a box's children and gates) in columns; relative positions."""
        inner: dict[str, Rect] = {}
        sizes: dict[str, tuple[int, int]] = {}
        for item in items:
            if self.view.is_cluster(item):
                children = [*self.view.children[item], *self.view.gates_in.get(item, [])]
                w, h, nested = self._block(item, children)
                label = self.view.nodes[item]
                header_w = text_width(label.label) + text_width(label.sublabel, SUB_SIZE) + 30
                sizes[item] = (max(w, header_w) + 2 * PAD, h + HEADER + PAD)
                for entity, rect in nested.items():
                    inner[entity] = rect.moved(PAD, HEADER)
                inner[item] = Rect(0, 0, *sizes[item])
            else:
                sizes[item] = self.sizes[item]
        rank = ranks(items, self.requires.get(box, {}))
        columns: list[list[str]] = []
        for level in sorted(set(rank.values())):
            members = [item for item in items if rank[item] == level]
            columns.extend(members[i : i + MAX_ROWS] for i in range(0, len(members), MAX_ROWS))
        placed: dict[str, Rect] = {}
        x = 0
        height = 0
        for column in columns:
            y = 0
            column_width = max(sizes[item][0] for item in column)
            for item in column:
                w, h = sizes[item]
                offset = (column_width - w) // 2 if not self.view.is_cluster(item) else 0
                shift = (x + offset, y)
                placed[item] = Rect(shift[0], shift[1], w, h)
                if self.view.is_cluster(item):
                    for entity in self._inside(item):
                        inner[entity] = inner[entity].moved(*shift)
                    inner[item] = placed[item]
                y += h + ROW_GAP
            height = max(height, y - ROW_GAP)
            x += column_width + GAP
        for item, rect in placed.items():
            inner[item] = rect
        return max(0, x - GAP), height, inner

    def _outermost_first(self) -> list[str]:
        found: list[str] = []
        stack = list(reversed(self.view.children.get(None, [])))
        while stack:
            current = stack.pop()
            found.append(current)
            stack.extend(reversed(self.view.children.get(current, [])))
        return found

    def _inside(self, box: str) -> list[str]:
        found: list[str] = []
        stack = [box]
        while stack:
            current = stack.pop()
            inside = [*self.view.children.get(current, []), *self.view.gates_in.get(current, [])]
            found.extend(inside)
            stack.extend(c for c in inside if self.view.is_cluster(c))
        return found

    def _place_services(self, left: int) -> None:
        view = self.view
        items = [n.id for n in view.nodes.values() if n.shape == "service"]
        items += [g for g in view.gates_in.get(None, []) if self._is_service_side(g)]
        needs: dict[str, list[str]] = {}
        side = set(items)
        for edge in view.edges:
            if edge.tail in side:
                needs.setdefault(edge.tail, []).append(edge.head)
        rank = ranks(items, {k: [h for h in v if h in side] for k, v in needs.items()})
        order = {item: index for index, item in enumerate(items)}
        x = left
        for level in sorted(set(rank.values())):
            column = [item for item in items if rank[item] == level]
            centre: dict[str, float] = {}
            for item in column:
                heads = [self.placed.rect(h).cy for h in needs.get(item, ()) if self._done(h)]
                centre[item] = sum(heads) / len(heads) if heads else float("inf")
            column.sort(key=lambda item: (centre[item], order[item]))
            column_width = max(self.sizes[item][0] for item in column)
            cursor = PAD
            for item in column:
                w, h = self.sizes[item]
                wanted = centre[item]
                y = cursor if wanted == float("inf") else max(cursor, round(wanted) - h // 2)
                self.placed.nodes[item] = Rect(x + (column_width - w) // 2, y, w, h)
                cursor = y + h + ROW_GAP
            x += column_width + GAP * 2

    def _done(self, entity: str) -> bool:
        return entity in self.placed.nodes or entity in self.placed.boxes
