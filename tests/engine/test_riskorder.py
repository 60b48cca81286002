"""The order of the risk-groups report, and ``--limit`` (checker.engine.riskorder)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.engine.riskgroups import RiskGroup
from checker.engine.riskorder import most_important, ranks, size_of

DOMAINS = [f"d{i}" for i in range(12)]


@st.composite
def listings(draw: st.DrawFn) -> tuple[list[RiskGroup], dict[tuple[str, ...], int]]:
    """A target's groups as the search lists them (smallest first), and the places of
    every group weighed (:func:`ranks` of random weights)."""
    groups = draw(
        st.lists(
            st.lists(st.sampled_from(DOMAINS), min_size=1, max_size=3, unique=True).map(
                lambda domains: tuple(sorted(domains))
            ),
            unique=True,
            max_size=25,
        )
    )
    groups.sort(key=len)  # stable: candidate order within a size, as the search gives
    weights = {domains: draw(st.integers(0, 5)) for domains in groups}
    listed = [RiskGroup(domains, ()) for domains in groups]
    if draw(st.booleans()) and not listed:
        listed = [RiskGroup((), ("down with nothing failed",))]  # alone, unweighed
    return listed, ranks(weights)


@settings(max_examples=300, deadline=None)
@given(listings(), st.one_of(st.none(), st.integers(1, 30)))
def test_the_first_groups_are_those_of_the_full_order(
    listing: tuple[list[RiskGroup], dict[tuple[str, ...], int]], limit: int | None
) -> None:
    groups, rank = listing
    full = sorted(groups, key=lambda group: rank.get(group.domains, -1))
    shown = most_important(groups, rank, limit)
    assert shown == (full if limit is None else full[:limit])
    # Smallest first, then most services taken down, then domain ids.
    assert [size_of(g) for g in shown] == sorted(size_of(g) for g in shown)


def test_a_group_larger_than_the_limit_th_is_never_shown() -> None:
    # Two single points of failure and a pair that takes down far more: with --limit 2,
    # both singles; the pair is not even looked at.
    groups = [RiskGroup(("a",), ()), RiskGroup(("b",), ()), RiskGroup(("a2", "b2"), ())]
    rank = ranks({("a",): 1, ("b",): 3, ("a2", "b2"): 900})
    assert most_important(groups, rank, 2) == [groups[1], groups[0]]
    assert most_important(groups, rank, 3) == [groups[1], groups[0], groups[2]]
