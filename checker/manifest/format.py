"""The manifest file format (docs/manifest.md) as pydantic models.

These models are the edge: they validate what users wrote and generate the JSON
Schema for editors (with each field's description). The engine works on
:mod:`checker.core.model` instead; the ``...Doc`` names say these are documents as
written, not the resolved model.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

from checker.manifest.fields import Duration, Id

Labels = dict[str, str]

# The unions below are tagged: the tags show up in pydantic's error locations and are
# stripped from them by ``checker.loading.problems`` (which looks for the ``~`` prefix).


class _Strict(BaseModel):
    # Strict types: "3" is not a count and `true` is not 1 (and the fast path in
    # checker.manifest.fast accepts exactly what these models accept).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class AnyOf(_Strict):
    """``{any_of: [ID, ...], min: K}``: at least K of the listed entities must be up."""

    any_of: list[Id] = Field(
        min_length=1, description="Entities of which at least 'min' must be up."
    )
    min: int = Field(
        default=1, ge=1, description="How many of the listed entities must be up (default 1)."
    )


def _requirement_tag(value: Any) -> str:
    return "~id" if isinstance(value, str) else "~group"


def _instance_tag(value: Any) -> str:
    return "~id" if isinstance(value, str) else "~at"


def _min_healthy_tag(value: Any) -> str:
    return "~majority" if isinstance(value, str) else "~count"


RequirementDoc = Annotated[
    Annotated[Id, Tag("~id")] | Annotated[AnyOf, Tag("~group")],
    Discriminator(_requirement_tag),
]


class InstanceDoc(_Strict):
    """``{at: ID, count: N, labels: {...}}``: N replicas placed at one domain."""

    at: Id = Field(description="The domain the replicas are placed at.")
    count: int = Field(
        default=1, ge=1, description="How many replicas are placed there (default 1)."
    )
    labels: Labels = Field(default={}, description="Free string-to-string data.")


InstanceRef = Annotated[
    Annotated[Id, Tag("~id")] | Annotated[InstanceDoc, Tag("~at")],
    Discriminator(_instance_tag),
]
MinHealthy = Annotated[
    Annotated[int, Field(ge=1), Tag("~count")] | Annotated[Literal["majority"], Tag("~majority")],
    Discriminator(_min_healthy_tag),
]

_LABELS = "Free string-to-string data; rules can select on it."
_META = "Free data of any shape; never interpreted."
_REQUIREMENTS = "an id (hard) or {any_of: [ids], min: K}."


class BackupDoc(_Strict):
    """``{at: DOMAIN, every: DURATION}``: a copy of the service's data."""

    at: Id = Field(description="The domain holding the copy.")
    every: Duration = Field(description="How often a copy is taken, e.g. 24h.")


class DomainDoc(_Strict):
    """Something that fails: a region, facility, hall, UPS, power feed, rack, host..."""

    kind: str = Field(
        min_length=1,
        description="A free word that rules name: region, facility, hall, ups, power-feed, rack...",
    )
    parent: Id | None = Field(
        default=None, description="The domain that contains this one (a rack is in a hall)."
    )
    depends_on: list[RequirementDoc] = Field(
        default=[], description=f"Requirements: {_REQUIREMENTS}"
    )
    labels: Labels = Field(default={}, description=_LABELS)
    meta: Any = Field(default=None, description=_META)


class ServiceDoc(_Strict):
    """Something that must stay up, with its replicas, requirements and backups."""

    tier: str = Field(
        min_length=1,
        description="One of the configured tiers, most important first (default: critical, "
        "high, medium, low).",
    )
    owner: str | None = Field(default=None, description="Who to call; shown in findings.")
    instances: list[InstanceRef] = Field(
        default=[], description="Where the replicas run: a domain id, or {at: ID, count: N}."
    )
    min_healthy: MinHealthy = Field(
        default=1, description="Replicas needed to serve: a number (default 1) or 'majority'."
    )
    depends_on: list[RequirementDoc] = Field(
        default=[], description=f"Requirements on services or domains: {_REQUIREMENTS}"
    )
    backups: list[BackupDoc] = Field(
        default=[], description="Copies of the data: {at: DOMAIN, every: DURATION}."
    )
    rto: Duration | None = Field(default=None, description="Recovery time objective, e.g. 1h.")
    rpo: Duration | None = Field(
        default=None, description="Recovery point objective (data loss), e.g. 15m."
    )
    labels: Labels = Field(default={}, description=_LABELS)
    meta: Any = Field(default=None, description=_META)


class ExtendDoc(_Strict):
    """Hand-kept facts added to an entity defined elsewhere, e.g. in an imported file.

    ``tier``, ``owner``, ``rto`` and ``rpo`` replace what the entity's file says;
    ``labels`` are merged (the overlay wins per key); ``depends_on`` and ``backups``
    are appended; ``parent`` may only be given to a domain that has none
    (docs/importing.md, "Overlays").
    """

    tier: str | None = Field(default=None, min_length=1, description="Replaces the service's tier.")
    owner: str | None = Field(default=None, description="Replaces the service's owner.")
    rto: Duration | None = Field(default=None, description="Replaces the service's rto.")
    rpo: Duration | None = Field(default=None, description="Replaces the service's rpo.")
    labels: Labels = Field(default={}, description="Merged into the entity's labels.")
    depends_on: list[RequirementDoc] = Field(
        default=[], description=f"Appended to the entity's requirements: {_REQUIREMENTS}"
    )
    backups: list[BackupDoc] = Field(default=[], description="Appended to the service's backups.")
    parent: Id | None = Field(
        default=None, description="The parent of a domain that has none (e.g. an imported node)."
    )


class ManifestFile(_Strict):
    """One manifest file. ``version: 1`` is required when any other key is present."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    schema_: str | None = Field(
        default=None,
        alias="$schema",
        description="The JSON Schema this file follows (for editors; ignored by resilint).",
    )
    version: Literal[1] | None = Field(
        default=None, description="Format version; required (1) when the file has any other key."
    )
    domains: dict[Id, DomainDoc] = Field(
        default={},
        description="The things that fail, keyed by id: regions, facilities, halls, power, racks.",
    )
    services: dict[Id, ServiceDoc] = Field(
        default={}, description="The things that must stay up, keyed by id."
    )
    extend: dict[Id, ExtendDoc] = Field(
        default={},
        description="Facts added to entities defined in other files (overlays), keyed by id.",
    )
