"""The built-in packs' tiers mapped onto a project's own tier names (docs/policy.md).

The packs select services by the default tiers (``critical``, ``high``, ``medium``,
``low``). A team whose tiers are ``tier0`` .. ``tier3`` (or ``p0`` .. ``p3``) says in
its config which of its tiers each pack tier stands for::

    tiers = ["tier0", "tier1", "tier2", "tier3"]
    [pack_tiers]
    critical = "tier0"
    high = "tier1"          # or a list: high = ["tier1", "tier1b"]
    medium = "tier2"
    low = "tier3"

and every pack's ``select.tier`` is read through it: ``tier: critical`` selects
``tier0``; ``{at_least: high}`` selects down to the least important tier ``high``
maps to. A project's own policies use its own tier names and are not mapped.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from checker.core.errors import Problem
from checker.core.location import Location
from checker.core.model import DEFAULT_TIERS
from checker.core.words import suggest
from checker.policy.format import AtLeast, Select

#: Pack tier -> the project's tiers it stands for.
TierMap = Mapping[str, tuple[str, ...]]


def tier_map(written: Mapping[str, str | Sequence[str]]) -> dict[str, tuple[str, ...]]:
    return {
        pack: (value,) if isinstance(value, str) else tuple(value)
        for pack, value in written.items()
    }


def pack_tier_problems(
    mapping: TierMap, tiers: Sequence[str], locate: Callable[..., Location | None]
) -> list[Problem]:
    """A pack tier that does not exist, or a project tier that is not configured."""
    problems = []
    for pack, mapped in mapping.items():
        if pack not in DEFAULT_TIERS:
            problems.append(
                Problem(
                    f"pack_tiers: {pack!r} is not a tier of the built-in packs"
                    + suggest(pack, DEFAULT_TIERS)
                    + f" (they use {', '.join(DEFAULT_TIERS)})",
                    locate("pack_tiers", pack),
                )
            )
        for tier in mapped:
            if tier not in tiers:
                problems.append(
                    Problem(
                        f"pack_tiers.{pack}: unknown tier {tier!r}"
                        + suggest(tier, tiers)
                        + f" (configured tiers: {', '.join(tiers)})",
                        locate("pack_tiers", pack),
                    )
                )
    return problems


def usable(mapping: TierMap, tiers: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """``mapping`` without what :func:`pack_tier_problems` reports, so that the rest of the
    run reports nothing twice (an unknown target stands for the first tier: the run
    fails on the mapping's own problem anyway)."""
    return {
        pack: tuple(t if t in tiers else tiers[0] for t in mapped)
        for pack, mapped in mapping.items()
        if pack in DEFAULT_TIERS
    }


def translate(select: Select, mapping: TierMap, tiers: Sequence[str]) -> tuple[Select, list[str]]:
    """A pack rule's selection in the project's tiers, and the pack tiers left unmapped.

    A pack tier that is also a configured tier and is not mapped keeps its name (a
    project that only adds tiers needs no mapping).
    """
    tier = select.tier
    if tier is None:
        return select, []
    unmapped: list[str] = []

    def names(pack: str) -> list[str]:
        if pack in mapping:
            return list(mapping[pack])
        if pack not in tiers:
            unmapped.append(pack)
        return [pack]

    if isinstance(tier, AtLeast):
        mapped = names(tier.at_least)
        ranks = [tiers.index(t) for t in mapped if t in tiers]
        least = tiers[max(ranks)] if ranks else mapped[0]
        new: str | list[str] | AtLeast = AtLeast(at_least=least)
    else:
        listed = [tier] if isinstance(tier, str) else tier
        mapped = list(dict.fromkeys(t for pack in listed for t in names(pack)))
        new = mapped[0] if isinstance(tier, str) and len(mapped) == 1 else mapped
    return select.model_copy(update={"tier": new}), unmapped
