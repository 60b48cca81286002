"""The policy file format (POLICY.md) as pydantic models."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from checker.checks import acyclic as acyclic_check
from checker.checks import backup as backup_check
from checker.checks import independent as independent_check
from checker.checks import json_schema as schema_check
from checker.checks import recovery as recovery_check
from checker.checks import spread as spread_check
from checker.checks import survives as survives_check
from checker.checks import tier_dependencies as tier_dependencies_check
from checker.core.findings import SEVERITIES

RULE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RuleId = Annotated[str, StringConstraints(pattern=RULE_ID_PATTERN)]
Severity = Literal["critical", "high", "medium", "low", "info"]
assert set(SEVERITIES) == set(Severity.__args__)  # type: ignore[attr-defined]
OneOrMany = str | list[str]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class AtLeast(_Strict):
    at_least: str


class Select(_Strict):
    """Which entities a rule applies to; every given key must match."""

    entity: Literal["service", "domain"] = "service"
    ids: OneOrMany | None = None
    tier: OneOrMany | AtLeast | None = None
    kind: OneOrMany | None = None
    labels: dict[str, OneOrMany] | None = None
    where: dict[str, Any] | None = None

    @field_validator("where")
    @classmethod
    def _where_is_a_schema(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        if value is not None:
            from checker.checks.json_schema import assert_valid_schema

            assert_valid_schema(value)
        return value


class Rule(_Strict):
    """One rule: a selection, exactly one check, and the words that explain it."""

    title: str = Field(min_length=1)
    severity: Severity
    select: Select = Select()
    spread: spread_check.Params | None = None
    independent: independent_check.Params | None = None
    survives: survives_check.Params | None = None
    backup: backup_check.Params | None = None
    recovery: recovery_check.Params | None = None
    tier_dependencies: tier_dependencies_check.Params | None = None
    acyclic: acyclic_check.Params | None = None
    schema_: schema_check.Params | None = Field(default=None, alias="schema")
    why: str | None = None
    fix: str | None = None
    tags: list[str] = []
    references: list[str] = []
    aliases: list[RuleId] = []


class PolicyFile(_Strict):
    schema_ref: str | None = Field(default=None, alias="$schema")
    version: Literal[1]
    rules: dict[RuleId, Rule] = {}


#: Rule keys that name a check, mapped to the attribute holding its parameters.
CHECK_FIELDS = {
    "spread": "spread",
    "independent": "independent",
    "survives": "survives",
    "backup": "backup",
    "recovery": "recovery",
    "tier_dependencies": "tier_dependencies",
    "acyclic": "acyclic",
    "schema": "schema_",
}
