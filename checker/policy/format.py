"""The policy file format (docs/policy.md) as pydantic models.

The rule model is generated from the check registry: each check's ``NAME`` becomes a
rule key holding its ``Params``, so a new check needs no edit here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    create_model,
    field_validator,
)

from checker.checks import CHECKS
from checker.checks.json_schema import assert_valid_schema
from checker.core.findings import SeverityName

RULE_ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
RuleId = Annotated[str, StringConstraints(pattern=RULE_ID_PATTERN)]
OneOrMany = str | list[str]


class _Strict(BaseModel):
    # Validators are built on first use: a run validates whole policy files, whose
    # validator inlines the rule, selection and parameter models; their own are built
    # only if something validates them alone (start-up, docs/decisions.md "Speed").
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class AtLeast(_Strict):
    at_least: str = Field(description="The least important tier selected.")


class Select(_Strict):
    """Which entities a rule applies to; every given key must match."""

    entity: Literal["service", "domain"] = Field(
        default="service", description="service (default) or domain."
    )
    ids: OneOrMany | None = Field(default=None, description="Entity ids; * globs allowed.")
    tier: OneOrMany | AtLeast | None = Field(
        default=None, description="Service tier(s), or {at_least: TIER} in the configured order."
    )
    kind: OneOrMany | None = Field(
        default=None, description="Domain kind(s) (with entity: domain)."
    )
    labels: dict[str, OneOrMany] | None = Field(
        default=None, description="{key: value} or {key: [values]}."
    )
    where: dict[str, Any] | None = Field(
        default=None, description="A JSON Schema the entity's own document must satisfy."
    )

    @field_validator("where")
    @classmethod
    def _where_is_a_schema(cls, value: dict[str, Any] | None) -> dict[str, Any] | None:
        return None if value is None else assert_valid_schema(value)


def _check_field(name: str) -> str:
    """The model attribute holding a check's parameters (``schema`` is a BaseModel name)."""
    return f"{name}_params"


class RuleWords(_Strict):
    """A rule's fields other than its check: a selection and the words that explain it."""

    title: str = Field(min_length=1, description="One line.")
    severity: SeverityName = Field(description="critical, high, medium, low or info.")
    select: Select = Field(
        default=Select(), description="Which entities the rule applies to (default: all services)."
    )
    why: str | None = Field(
        default=None,
        description="Why the rule exists: the incident behind it (required in shipped packs).",
    )
    fix: str | None = Field(
        default=None, description="How to fix a failure (required in shipped packs)."
    )
    tags: list[str] = Field(default=[], description="Free words for grouping.")
    references: list[str] = Field(
        default=[], description="URLs: incident reports, postmortems, standards."
    )
    aliases: list[RuleId] = Field(default=[], description="Old ids of a renamed rule.")


#: One rule as written: :class:`RuleWords` plus one optional key per registered check
#: (exactly one must be set; the loader says so).
#: The type checker sees :class:`RuleWords` (check keys are read through :func:`checks_of`).
if TYPE_CHECKING:
    WrittenRule = RuleWords
else:
    WrittenRule = create_model(
        "Rule",
        __base__=RuleWords,
        __doc__="One rule: a selection, exactly one check, and the words that explain it.",
        **{
            _check_field(name): (
                check.Params | None,
                Field(default=None, alias=name, description=check.SUMMARY),
            )
            for name, check in CHECKS.items()
        },
    )


def checks_of(rule: BaseModel) -> dict[str, BaseModel | None]:
    """The check keys a rule document sets, each with its parameters (None if left empty)."""
    return {
        name: getattr(rule, _check_field(name))
        for name in CHECKS
        if _check_field(name) in rule.model_fields_set
    }


def rule_keys() -> list[str]:
    """The keys a rule may hold, as written in a policy file."""
    return [field.alias or name for name, field in WrittenRule.model_fields.items()]


class PolicyFile(_Strict):
    schema_ref: str | None = Field(
        default=None,
        alias="$schema",
        description="The JSON Schema this file follows (for editors; ignored by resilint).",
    )
    version: Literal[1] = Field(description="Format version: 1.")
    rules: dict[RuleId, WrittenRule] = Field(
        {}, description="Rules keyed by a stable kebab-case id that names the weakness."
    )
