"""How much one search for minimal risk groups may try (see docs/limits.md).

The search is exact, and its cost is polynomial in what it must consider: pairs of
candidate domains that meet at a gate, and sets of three or more domains in a
target's requirement cone. A manifest or a command line can make those numbers
astronomical (``--max-size 1000000000000``, three simultaneous failures among
2,000 power feeds). Rather than run for hours, the search stops at once with a
:class:`SearchTooLarge` that says what to narrow; answers within the budget stay
exact.
"""

from __future__ import annotations

from checker.core.errors import InputError

#: The largest group size searched (``risk-groups --max-size``; ``survives`` allows 3).
MAX_GROUP_SIZE = 8
#: Multi-domain scenarios one search may try (pairs and larger sets together): this
#: many, plus :data:`SCENARIOS_PER_ENTITY` for each entity searched. A large model has
#: many legitimate pairs (the 100,000-service benchmark: 69,000 for its 4,959 critical
#: services, out of 120,000 entities; the same size of estate in bad shape: 155,000);
#: pairs are decided thousands at a time, in bitsets, for about 0.1 ms each there. A
#: small model with a huge ``any_of`` that loses almost nothing (any 2 of 800 feeds:
#: 319,600 pairs) is refused.
MAX_SCENARIOS = 150_000
SCENARIOS_PER_ENTITY = 2
#: Candidate pairs one search may weigh at the gates where two failures could meet.
MAX_PAIR_CHECKS = 5_000_000
#: Entities one search may reach through its propagations (each fatal domain, pair
#: or larger set walks what it takes down, within the cones of the targets it may
#: down; fatal domains only when every group will be explained, pairs only when the
#: search explains them itself, for ``survives``: see docs/limits.md): this many,
#: plus :data:`REACH_PER_ENTITY` for each entity searched. A chain of 20,000
#: domains, each needing the next, would reach 200 million (each is fatal, and takes
#: down all after it), and is refused before anything is propagated.
MAX_REACH = 5_000_000
REACH_PER_ENTITY = 1_000
#: Groups one search may list with their cause chains (``risk-groups`` without
#: ``--limit``, ``survives``). The 100,000-service benchmark has 1 million; the same
#: estate in bad shape 10 million (6 GB of JSON, minutes of explaining; before the
#: report was streamed it took 2.4 GB of memory). Checked once every pair is decided,
#: before any chain is built; ``--limit`` answers such an estate.
MAX_CHAINED_GROUPS = 3_000_000
_NARROW = (
    "narrow the candidate domains (by kind) or the entities asked about, or look for smaller groups"
)


class SearchTooLarge(InputError):
    """A risk-group search that would take far too long: say what to narrow."""

    kind = "search"


def check_group_size(max_size: int) -> None:
    if max_size > MAX_GROUP_SIZE:
        raise SearchTooLarge(
            f"risk groups of up to {max_size:,} domains: at most {MAX_GROUP_SIZE} can be "
            "searched (the number of sets to try grows as a power of the size)"
        )


def scenario_limit(entities: int) -> int:
    return MAX_SCENARIOS + SCENARIOS_PER_ENTITY * entities


def too_many_scenarios(size: int, scenarios: int, limit: int) -> SearchTooLarge:
    return SearchTooLarge(
        f"searching risk groups of {size} domains would try {scenarios:,} failure "
        f"scenarios, above the limit of {limit:,} for this model: {_NARROW}"
    )


def reach_limit(entities: int) -> int:
    return MAX_REACH + REACH_PER_ENTITY * entities


def too_much_reach(reached: int, limit: int) -> SearchTooLarge:
    return SearchTooLarge(
        f"searching risk groups would follow failures through {reached:,} entities, above "
        f"the limit of {limit:,} for this model (long chains of requirements, each link a "
        f"single point of failure): {_NARROW}"
    )


def too_many_pairs() -> SearchTooLarge:
    return SearchTooLarge(
        f"searching risk groups of 2 domains would weigh more than {MAX_PAIR_CHECKS:,} "
        "pairs of candidate domains (an any_of or a service with very many members, "
        f"each failing with many domains): {_NARROW}"
    )


def too_many_chained_groups() -> SearchTooLarge:
    return SearchTooLarge(
        f"listing more than {MAX_CHAINED_GROUPS:,} risk groups, each with its cause chain: "
        f"show the most important few of each service (risk-groups --limit N), or {_NARROW}"
    )
