"""Turning results and answers into text: one convention for every command.

``check``'s findings have their reporters in :mod:`checker.render.findings`. Every
other answer (what-if, risk groups, rule docs, rules, diagrams) has a module here with
a ``FORMATS`` registry: format name -> a :data:`Renderer`, which yields the output in
chunks (so a large answer is streamed, not held twice). A renderer that builds its
text whole is wrapped with :func:`whole`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TypeVar

T = TypeVar("T")

#: An answer in, its text out in chunks.
Renderer = Callable[[T], Iterator[str]]


def whole(render: Callable[[T], str]) -> Renderer[T]:
    """A renderer from a function that returns the whole text at once."""

    def chunks(answer: T) -> Iterator[str]:
        yield render(answer)

    chunks.__name__ = render.__name__
    return chunks
