"""Check kinds: one module each, collected in a plain registry.

Each module documents itself (what it does / why it matters / example / fix) and
declares ``NAME`` (its key in a rule), ``SUMMARY``, ``APPLIES_TO``, a pydantic
``Params`` model and ``run(context, entities, params)`` yielding one
:class:`~checker.checks.base.Verdict` per entity. Every failure question goes through
:mod:`checker.engine.graph`. The policy format, the policy JSON Schema and the docs
are derived from :data:`CHECKS`: adding a check is one module and one line below
(docs/contributing.md).
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

#: In the order ``resilint rules``, the docs and the policy schema list them.
_MODULES: tuple[Check, ...] = (
    spread,
    independent,
    survives,
    backup,
    recovery,
    tier_dependencies,
    acyclic,
    json_schema,
)

CHECKS: dict[str, Check] = {module.NAME: module for module in _MODULES}
