"""Which entities a rule applies to (``select``): every given key must match."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from fnmatch import fnmatchcase
from typing import Any

from checker.core.model import Entity, Model
from checker.core.words import flow
from checker.policy.format import AtLeast, Select
from checker.policy.where import where_predicate


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else value


def _label_test(key: str, allowed: set[str]) -> Callable[[Any], bool]:
    return lambda entity: entity.labels.get(key) in allowed


def matcher(select: Select, tiers: Sequence[str]) -> Callable[[Entity], bool]:
    """A predicate for one rule's selection, with everything precomputed."""
    tests = _tests(select, tiers)
    if not tests:
        return lambda entity: True
    if len(tests) == 1:
        return tests[0]
    return lambda entity: all(test(entity) for test in tests)


def _tests(select: Select, tiers: Sequence[str]) -> list[Callable[[Any], bool]]:
    """Every test a selected entity must pass, cheapest first."""
    tests: list[Callable[[Any], bool]] = []
    if select.ids is not None:
        patterns = _as_list(select.ids)
        exact = {p for p in patterns if not any(c in p for c in "*?[")}
        globs = [p for p in patterns if p not in exact]
        tests.append(lambda e: e.id in exact or any(fnmatchcase(e.id, g) for g in globs))
    if isinstance(select.tier, AtLeast):
        limit = list(tiers).index(select.tier.at_least)
        tests.append(lambda e: e.tier_rank <= limit)
    elif select.tier is not None:
        wanted_tiers = set(_as_list(select.tier))
        tests.append(lambda e: e.tier in wanted_tiers)
    if select.kind is not None:
        wanted_kinds = set(_as_list(select.kind))
        tests.append(lambda e: e.kind in wanted_kinds)
    for key, value in (select.labels or {}).items():
        tests.append(_label_test(key, set(_as_list(value))))
    if select.where is not None:
        # Last: the cheap tests above have already narrowed what it must look at.
        where = where_predicate(select.where)
        tests.append(lambda e: where(e.document))
    return tests


def describe_select(select: Select, short: bool = False) -> str:
    """``services with tier: critical``: a selection as its rule reads, for messages.

    ``short`` names a ``where`` schema without spelling it out.
    """
    data = select.model_dump(exclude_defaults=True, by_alias=True)
    data.pop("entity", None)
    if short and "where" in data:
        data["where"] = "(a JSON Schema)"
    entity = select.entity
    if not data:
        return f"every {entity}"
    return f"{entity}s with " + ", ".join(f"{key}: {flow(value)}" for key, value in data.items())


def select_entities(model: Model, select: Select) -> list[Entity]:
    pool: list[Entity] = list(
        model.domains.values() if select.entity == "domain" else model.services.values()
    )
    # Test by test, each over what the previous ones kept: the cheap tests come first
    # and usually leave a few percent of a large manifest for the rest.
    for test in _tests(select, model.tiers):
        pool = [entity for entity in pool if test(entity)]
    return pool
