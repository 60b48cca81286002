"""Check kinds: one module each, collected in a plain registry.

Each module documents itself (what it does / why it matters / example / fix), and
provides ``APPLIES_TO``, a ``Params`` model for its parameters and
``run(context, entities, params)`` yielding one :class:`~checker.checks.base.Verdict`
per entity. Every failure question goes through :mod:`checker.engine.graph`.
"""

from __future__ import annotations

from checker.checks import (
    acyclic,
    backup,
    independent,
    json_schema,
    recovery,
    spread,
    survives,
    tier_dependencies,
)
from checker.checks.base import Check

CHECKS: dict[str, Check] = {
    "spread": spread,
    "independent": independent,
    "survives": survives,
    "backup": backup,
    "recovery": recovery,
    "tier_dependencies": tier_dependencies,
    "acyclic": acyclic,
    "schema": json_schema,
}
