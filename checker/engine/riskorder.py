"""Which risk groups matter most: the order of the ``risk-groups`` report, and ``--limit``.

A service's minimal risk groups are listed smallest first (a single point of failure
before any pair), then by how many services of the whole model the group takes down,
most first (a pair of buildings that downs 3,000 services before a pair of racks
that downs this one), then by the domain ids, so that the order is total and the
same on every run. ``--limit N`` prints the first N of that order, so its output is
a prefix of the full listing.

"How many services" counts every service of the model that the group's failure
takes down (the failure engine's answer for the whole model, not only for the
services asked about): asking about one service should still rank a fire in its
building above a failed rack. Services down with nothing failed are not counted.
Each distinct group is weighed once, all at once, by
:func:`~checker.engine.killsets.scenario_kills` in batches: no propagation per group.
"""

from __future__ import annotations

import heapq
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from itertools import repeat
from operator import attrgetter

from checker.engine.graph import FailureGraph
from checker.engine.killsets import scenario_kills
from checker.engine.riskgroups import RiskGroup

#: Groups weighed in one pass over the whole model (each entity's bitset then takes
#: at most this many bits: 1 KiB).
WEIGH_BATCH = 8192


def services_taken_down(
    graph: FailureGraph, groups: Iterable[tuple[str, ...]]
) -> dict[tuple[str, ...], int]:
    """For each distinct non-empty group (domain ids), how many services it takes down.

    ``graph`` must be compiled for the whole model: a group reaches far beyond the
    requirement cones of the services asked about.
    """
    distinct = [group for group in dict.fromkeys(groups) if group]
    index = graph.index
    services = range(graph.domain_count, len(graph.ids))
    weights: dict[tuple[str, ...], int] = {}
    for start in range(0, len(distinct), WEIGH_BATCH):
        batch = distinct[start : start + WEIGH_BATCH]
        kills = scenario_kills(graph, [[index[domain] for domain in group] for group in batch])
        counts = _column_sums([kills[service] for service in services], len(batch))
        weights.update(zip(batch, counts, strict=True))
    return weights


def _column_sums(rows: Sequence[int], width: int) -> list[int]:
    """Per bit position below ``width``, how many of the ``rows`` (bitsets) have it set.

    Bit-sliced: ``planes[j]`` holds bit ``j`` of every position's running count, so
    adding a row costs a few operations on whole bitsets (a ripple of carries), not
    one per set bit: a group of buildings takes down thousands of services.
    """
    planes: list[int] = []
    for carry in rows:
        level = 0
        while carry:
            if level == len(planes):
                planes.append(carry)
                break
            plane = planes[level]
            planes[level] = plane ^ carry
            carry &= plane
            level += 1
    sums = [0] * width
    for level, plane in enumerate(planes):
        text = bin(plane)[:1:-1]  # lowest bit first
        value = 1 << level
        at = text.find("1")
        while at >= 0:
            sums[at] += value
            at = text.find("1", at + 1)
    return sums


def ranks(weights: dict[tuple[str, ...], int]) -> dict[tuple[str, ...], int]:
    """Each weighed group's place in the report's order among all of them: smallest
    first, then most services taken down, then by domain ids. Groups are distinct, so
    the order is total, and a service's groups are then ordered by one lookup each."""
    ordered = sorted(weights, key=lambda domains: (len(domains), -weights[domains], domains))
    return {domains: place for place, domains in enumerate(ordered)}


def most_important(
    groups: Sequence[RiskGroup], rank: dict[tuple[str, ...], int], limit: int | None
) -> list[RiskGroup]:
    """``groups`` in the report's order, only the first ``limit`` when one is given.

    ``groups`` are listed smallest first, as the search lists them. ``rank`` comes
    from :func:`ranks`; a group it does not know (the empty group of a service down
    with nothing failed, alone in its list) comes first.
    """
    if limit is not None and len(groups) > limit:
        # Smaller groups come first whatever their weight: none larger than the
        # limit-th can be shown (a service with hundreds of single points of failure
        # has thousands of pairs).
        groups = groups[: bisect_right(groups, size_of(groups[limit - 1]), key=size_of)]
    # Each group's place looked up at C speed (a service can have a thousand single
    # points of failure, and a report thousands of services), then its index ordered.
    places = list(map(rank.get, map(_DOMAINS, groups), repeat(-1)))
    if limit is None:
        order: Iterable[int] = sorted(range(len(groups)), key=places.__getitem__)
    else:
        order = heapq.nsmallest(limit, range(len(groups)), key=places.__getitem__)
    return [groups[index] for index in order]


def size_of(group: RiskGroup) -> int:
    """How many domains a group has (the search lists a target's groups by it)."""
    return len(group.domains)


_DOMAINS = attrgetter("domains")
