"""Single failures at scale: which single domains take each target down, with chains.

Two forms, both from the kill sets. :func:`single_failure_groups` lists every fatal
domain of every target as a :class:`RiskGroup` (the first stage of the risk-group
search, :mod:`checker.engine.riskgroups`). :func:`single_failures` is the lean form
for questions that need, per target, only how many single domains are fatal, the
first few of them, and the cause chain of the first (the ``survives`` check). In an
estate in bad shape a critical service can be taken down by hundreds of facilities;
listing each as a group would build hundreds of thousands of values only to print ten.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import NamedTuple

from checker.engine.graph import FailureGraph
from checker.engine.killsets import fallen_region
from checker.engine.order import bit_positions


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
    target)``: :func:`candidate_chains` gathered."""
    found = candidate_chains(graph, by_first, candidates, kills, within)
    return {(position, target): chain for position, target, chain in found}


def candidate_chains(
    graph: FailureGraph,
    by_first: Mapping[int, list[int]],
    candidates: Sequence[int],
    kills: Sequence[int],
    within: AbstractSet[int] | None,
    links: dict[tuple[int, int, int, int], str] | None = None,
) -> Iterator[tuple[int, int, tuple[str, ...]]]:
    """``(position, target, chain)`` for each target under each candidate it is listed
    by, by position then in listed order, as a propagation over the whole model gives
    the chain: one propagation per candidate, for all its targets, through what fell on
    the way to them (or ``within``, the cone the kill sets were computed in, on a graph
    where something is down with nothing failed; None for the whole graph). The chains
    of a candidate's targets are built together (:meth:`Outcome.chains`: they share
    their tails), each sentence once across candidates, or across calls with ``links``."""
    ids = graph.ids
    links = {} if links is None else links
    for position in sorted(by_first):
        hit = by_first[position]
        region = within if graph.broken else fallen_region(graph, kills, position, hit)
        outcome = graph.propagate_indices((candidates[position],), region)
        found = outcome.chains([ids[target] for target in hit], links)
        for target, causes in zip(hit, found, strict=True):
            yield position, target, causes


class RiskGroup(NamedTuple):
    """Domains whose joint failure takes the target down, and the shortest cause chain."""

    domains: tuple[str, ...]
    causes: tuple[str, ...]


def single_failure_groups(
    graph: FailureGraph,
    groups: dict[int, list[RiskGroup]],
    candidates: Sequence[int],
    kills: Sequence[int],
    links: dict[tuple[int, int, int, int], str] | None = None,
    before_propagating: Callable[[list[int]], None] | None = None,
    chains: bool = True,
) -> list[int]:
    """Add each target's fatal single candidates to its list in ``groups``, in candidate
    order; return, per candidate position, the bitset of the targets it takes down.

    Every group, each with its chain: the ``risk-groups`` search. (``survives`` needs
    only the count, the first few and one chain: :func:`single_failures`.)
    ``groups`` maps each target (graph index) to its list; a target down with nothing
    failed gets one empty group and no other. ``kills`` are the kill sets over
    ``candidates`` (a domain never counts as fatal to itself). Each fatal candidate is
    propagated once, shared by every target it kills; ``links`` keeps each sentence of
    the chains once, with the caller's others (:meth:`Outcome.chains`).
    ``before_propagating`` sees the fatal bitsets first (to weigh the cost). Without
    ``chains`` nothing is propagated and no group but an empty one has a chain.
    """
    ids = graph.ids
    unfailed = graph.nothing_failed()
    healthy: list[int] = []
    for target, found in groups.items():
        if unfailed.is_down_index(target):
            found.append(RiskGroup((), unfailed.causes(ids[target])))
        else:
            healthy.append(target)
    fatal = [0] * len(candidates)
    for index, target in enumerate(healthy):
        bit = 1 << index
        for position in bit_positions(kills[target]):
            if candidates[position] != target:  # a domain does not survive itself
                fatal[position] |= bit
    if not chains:
        for position, hit in enumerate(fatal):
            if hit:
                group = RiskGroup((ids[candidates[position]],), ())
                for index in bit_positions(hit):
                    groups[healthy[index]].append(group)
        return fatal
    if before_propagating is not None:
        before_propagating(fatal)
    by_first = {
        position: [healthy[index] for index in bit_positions(hit)]
        for position, hit in enumerate(fatal)
        if hit
    }
    # Chains through the whole graph where something is down with nothing failed;
    # targets that fall the same way keep one copy of their chain.
    kept: dict[tuple[str, ...], tuple[str, ...]] = {}
    for position, target, causes in candidate_chains(
        graph, by_first, candidates, kills, None, links
    ):
        groups[target].append(
            RiskGroup((ids[candidates[position]],), kept.setdefault(causes, causes))
        )
    return fatal
