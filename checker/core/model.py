"""The resolved model every check and command works on: immutable, indexed, fast.

Entities are NamedTuples: immutable, and built at C speed (a manifest can hold
100,000 services; frozen dataclasses cost several times more to construct).

Built once by :mod:`checker.manifest.load` from the validated files; ids are
resolved, ``majority`` is a number and durations are seconds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from checker.core.location import Location, Pointer

DEFAULT_TIERS = ("critical", "high", "medium", "low")


class Requirement(NamedTuple):
    """At least ``min`` of ``members`` must be up; a hard requirement has one member."""

    members: tuple[str, ...]
    min: int = 1
    is_group: bool = False

    def describe(self) -> str:
        if not self.is_group:
            return self.members[0]
        return f"{self.min} of any_of [{', '.join(self.members)}]"


class Placement(NamedTuple):
    """``replicas`` (the manifest's ``count``) replicas at domain ``at``."""

    at: str
    replicas: int = 1


class Backup(NamedTuple):
    at: str
    every_seconds: int
    every: str


class Source(NamedTuple):
    """Where an entity is written: its file and the pointer of its key."""

    path: str
    pointer: Pointer


class Domain(NamedTuple):
    id: str
    kind: str
    parent: str | None
    requires: tuple[Requirement, ...]
    labels: Mapping[str, str]
    document: Mapping[str, Any]
    source: Source

    @property
    def entity(self) -> str:
        return "domain"


class Service(NamedTuple):
    id: str
    tier: str
    tier_rank: int  # 0 is the most important tier
    owner: str | None
    instances: tuple[Placement, ...]
    min_healthy: int  # ``majority`` already resolved against the replica count
    requires: tuple[Requirement, ...]
    backups: tuple[Backup, ...]
    rto_seconds: int | None
    rpo_seconds: int | None
    labels: Mapping[str, str]
    document: Mapping[str, Any]
    source: Source

    @property
    def entity(self) -> str:
        return "service"

    @property
    def replica_count(self) -> int:
        return sum(p.replicas for p in self.instances)


Entity = Domain | Service


def required_ids(entity: Entity) -> list[str]:
    """What an entity needs, as written: its ``parent`` (a domain), the domains its
    instances run on (a service) and every member of its requirements. The one
    definition every walk of the requirement graph over the model follows.

    A list, not a generator: walks call this for tens of thousands of entities.
    """
    if isinstance(entity, Domain):
        found = [] if entity.parent is None else [entity.parent]
    else:
        found = [placement.at for placement in entity.instances]
    for requirement in entity.requires:
        found += requirement.members
    return found


class Locate:
    """Resolves an entity's source to a line and column, lazily, once per entity."""

    def __init__(self, documents: Mapping[str, Any]) -> None:
        self._documents = documents
        self._cache: dict[Source, Location] = {}

    def __call__(self, source: Source, pointer: Pointer = ()) -> Location:
        if pointer:
            return self._documents[source.path].location(source.pointer + pointer)  # type: ignore[no-any-return]
        found = self._cache.get(source)
        if found is None:
            found = self._documents[source.path].location(source.pointer)
            self._cache[source] = found
        return found

    def entities(self, entities: Iterable[Entity]) -> dict[str, Location]:
        """Where each entity is defined, by id, as :meth:`__call__` finds it: the entities
        of one file section are found together (one forward sweep of a JSON file)."""
        # (file, section) -> ids. Entities come a finding at a time, mostly in runs of
        # one section: the group is looked up again only when the section changes.
        groups: dict[tuple[str, str | int], set[str]] = {}
        alone: dict[str, Source] = {}
        last_path = last_section = add = None
        for entity in entities:
            source = entity.source
            path, pointer = source
            if len(pointer) != 2 or pointer[1] != entity.id:
                alone[entity.id] = source
                continue
            section = pointer[0]
            if add is None or path is not last_path or section is not last_section:
                add = groups.setdefault((path, section), set()).add
                last_path, last_section = path, section
            add(entity.id)
        located = {entity_id: self(source) for entity_id, source in alone.items()}
        for (path, section), ids in groups.items():
            located.update(self._documents[path].key_locations((section,), ids))
        return located


@dataclass(frozen=True)
class Model:
    """A whole manifest set, merged."""

    domains: Mapping[str, Domain]
    services: Mapping[str, Service]
    tiers: tuple[str, ...] = DEFAULT_TIERS
    files: tuple[str, ...] = ()
    locate: Locate = field(default_factory=lambda: Locate({}), compare=False, repr=False)

    def entity(self, entity_id: str) -> Entity | None:
        return self.domains.get(entity_id) or self.services.get(entity_id)

    def location(self, entity: Entity, pointer: Pointer = ()) -> Location:
        return self.locate(entity.source, pointer)

    def locations(self, entities: Iterable[Entity]) -> dict[str, Location]:
        """Where each entity is defined, by id: :meth:`location` for many at once."""
        return self.locate.entities(entities)

    def kind_ancestor(self, domain_id: str, kind: str) -> str | None:
        """The domain itself if of ``kind``, else its nearest ancestor of ``kind``."""
        current: str | None = domain_id
        while current is not None:
            domain = self.domains[current]
            if domain.kind == kind:
                return current
            current = domain.parent
        return None
