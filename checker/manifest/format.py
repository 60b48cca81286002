"""The manifest file format (MANIFEST.md) as pydantic models.

These models are the edge: they validate what users wrote and generate the JSON
Schema for editors. The engine works on :mod:`checker.core.model` instead.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
)

from checker.core.durations import PATTERN as DURATION_PATTERN
from checker.core.durations import parse_duration

ID_PATTERN = r"^[A-Za-z0-9._\-/:]+$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, min_length=1)]
Duration = Annotated[
    str,
    StringConstraints(pattern=DURATION_PATTERN),
    AfterValidator(lambda text: (parse_duration(text), text)[1]),
]
Labels = dict[str, str]

# The unions below are tagged: the tags show up in pydantic's error locations and are
# stripped from them by ``checker.loading.problems`` (which looks for the ``~`` prefix).


class _Strict(BaseModel):
    # Strict types: "3" is not a count and `true` is not 1 (and the fast path in
    # checker.manifest.fast accepts exactly what these models accept).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class AnyOf(_Strict):
    """``{any_of: [ID, ...], min: K}``: at least K of the listed entities must be up."""

    any_of: list[Id] = Field(min_length=1)
    min: int = Field(default=1, ge=1)


def _requirement_tag(value: Any) -> str:
    return "~id" if isinstance(value, str) else "~group"


def _instance_tag(value: Any) -> str:
    return "~id" if isinstance(value, str) else "~at"


def _min_healthy_tag(value: Any) -> str:
    return "~majority" if isinstance(value, str) else "~count"


Requirement = Annotated[
    Annotated[Id, Tag("~id")] | Annotated[AnyOf, Tag("~group")],
    Discriminator(_requirement_tag),
]


class Instance(_Strict):
    """``{at: ID, count: N, labels: {...}}``: N replicas placed at one domain."""

    at: Id
    count: int = Field(default=1, ge=1)
    labels: Labels = {}


InstanceRef = Annotated[
    Annotated[Id, Tag("~id")] | Annotated[Instance, Tag("~at")],
    Discriminator(_instance_tag),
]
MinHealthy = Annotated[
    Annotated[int, Field(ge=1), Tag("~count")] | Annotated[Literal["majority"], Tag("~majority")],
    Discriminator(_min_healthy_tag),
]


class Backup(_Strict):
    """``{at: DOMAIN, every: DURATION}``: a copy of the service's data."""

    at: Id
    every: Duration


class Domain(_Strict):
    """Something that fails: a region, facility, hall, UPS, power feed, rack, host..."""

    kind: str = Field(min_length=1)
    parent: Id | None = None
    depends_on: list[Requirement] = []
    labels: Labels = {}
    meta: Any = None


class Service(_Strict):
    """Something that must stay up, with its replicas, requirements and backups."""

    tier: str = Field(min_length=1)
    owner: str | None = None
    instances: list[InstanceRef] = []
    min_healthy: MinHealthy = 1
    depends_on: list[Requirement] = []
    backups: list[Backup] = []
    rto: Duration | None = None
    rpo: Duration | None = None
    labels: Labels = {}
    meta: Any = None


class ManifestFile(_Strict):
    """One manifest file. ``version: 1`` is required when any other key is present."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)

    schema_: str | None = Field(default=None, alias="$schema")
    version: Literal[1] | None = None
    domains: dict[Id, Domain] = {}
    services: dict[Id, Service] = {}


#: For "unknown key" suggestions: the keys each kind of mapping accepts.
KEYS_BY_MODEL: dict[str, tuple[str, ...]] = {
    "file": ("version", "domains", "services", "$schema"),
    "domain": tuple(Domain.model_fields),
    "service": tuple(Service.model_fields),
    "any_of": tuple(AnyOf.model_fields),
    "instance": tuple(Instance.model_fields),
    "backup": tuple(Backup.model_fields),
}
