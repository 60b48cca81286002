"""Single failures at scale: which single domains take each target down, and one chain.

The lean form of :func:`checker.engine.riskgroups.single_failure_groups` for
questions that need, per target, only how many single domains are fatal, the first
few of them, and the cause chain of the first (the ``survives`` check). In an estate
in bad shape a critical service can be taken down by hundreds of facilities; listing
each as a group would build hundreds of thousands of values only to print ten.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from checker.engine.graph import FailureGraph
from checker.engine.killsets import fallen_region


class SingleFailures(NamedTuple):
    """A target's fatal single candidates: how many, the first few, the first's chain.

    ``total`` 0 means the target survives every single failure; a target down with
    nothing failed has ``down_unfailed`` set, no candidates and that chain.
    """

    total: int
    first: tuple[str, ...]
    causes: tuple[str, ...]
    down_unfailed: bool = False


SURVIVES = SingleFailures(0, (), ())


def single_failures(
    graph: FailureGraph,
    targets: Sequence[int],
    candidates: Sequence[int],
    kills: Sequence[int],
    within: AbstractSet[int] | None = None,
    shown: int = 10,
) -> dict[int, SingleFailures]:
    """Per target (graph index), its fatal single candidates, in candidate order.

    ``kills`` are the kill sets over ``candidates`` (bit ``i`` for ``candidates[i]``);
    a domain never counts as fatal to itself. Each candidate that is the first fatal
    one of some target is propagated once, for all of them (see
    :func:`~checker.engine.killsets.fallen_region`).
    """
    ids = graph.ids
    unfailed = graph.nothing_failed()
    position_of = {candidate: position for position, candidate in enumerate(candidates)}
    found: dict[int, SingleFailures] = {}
    fatal: dict[int, int] = {}
    by_first: dict[int, list[int]] = {}
    for target in targets:
        if target in found or target in fatal:
            continue
        if unfailed.is_down_index(target):
            found[target] = SingleFailures(0, (), unfailed.causes(ids[target]), True)
            continue
        bits = kills[target]
        own = position_of.get(target)
        if own is not None:
            bits &= ~(1 << own)  # a domain does not survive itself
        if not bits:
            found[target] = SURVIVES
            continue
        fatal[target] = bits
        by_first.setdefault((bits & -bits).bit_length() - 1, []).append(target)
    chains = first_chains(graph, by_first, candidates, kills, within)
    for target, bits in fatal.items():
        first: list[str] = []
        rest = bits
        while rest and len(first) < shown:
            lowest = rest & -rest
            first.append(ids[candidates[lowest.bit_length() - 1]])
            rest ^= lowest
        position = (bits & -bits).bit_length() - 1
        found[target] = SingleFailures(bits.bit_count(), tuple(first), chains[position, target])
    return found


def first_chains(
    graph: FailureGraph,
    by_first: Mapping[int, list[int]],
    candidates: Sequence[int],
    kills: Sequence[int],
    within: AbstractSet[int] | None,
) -> dict[tuple[int, int], tuple[str, ...]]:
    """The cause chain of each target (graph index) under each candidate it is listed
    by (``by_first``: candidate position -> targets it takes down), keyed ``(position,
    target)``, as a propagation over the whole model gives it: one propagation per
    candidate, for all its targets, through what fell on the way to them (or
    ``within``, the cone the kill sets were computed in, on a graph where something is
    down with nothing failed)."""
    ids = graph.ids
    chains: dict[tuple[int, int], tuple[str, ...]] = {}
    for position in sorted(by_first):
        hit = by_first[position]
        region = within if graph.broken else fallen_region(graph, kills, position, hit)
        outcome = graph.propagate_indices((candidates[position],), region)
        for target in hit:
            chains[position, target] = outcome.causes(ids[target])
    return chains
