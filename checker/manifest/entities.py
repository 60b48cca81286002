"""Model entities built from validated documents, a whole file section at a time.

A manifest can define 100,000 services, each made of a few small immutable parts
(placements, requirements, backups); building them was the slowest step of loading.
Here each entity is one ``tuple.__new__`` call (what a NamedTuple's own ``__new__``
does, minus a Python call with keyword arguments), and the parts made of one id (a
replica placed at a domain, a requirement of one entity) are made once per id and
shared, which is safe as they are immutable. A list whose items are not all ids of
the model is built item by item, as :func:`requirements` and :func:`placements` say.

A part found by its id refers to an entity of the model; :class:`Parts` keeps the
other references (:class:`Referenced`), the only ones whose resolving must be checked.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator
from itertools import repeat
from operator import itemgetter
from typing import Any, NamedTuple

from checker.core.durations import parse_duration
from checker.core.model import Backup, Domain, Placement, Requirement, Service, Source

_new = tuple.__new__
_REPLICAS = itemgetter(1)
_AT = itemgetter("at")


def requirements(items: Iterable[Any]) -> tuple[Requirement, ...]:
    """A ``depends_on`` list: ids and ``{any_of, min}`` groups."""
    return tuple(
        Requirement((item,))
        if type(item) is str
        else Requirement(tuple(item["any_of"]), item.get("min", 1), is_group=True)
        for item in items
    )


def placements(items: Iterable[Any]) -> tuple[Placement, ...]:
    """An ``instances`` list: domain ids (one replica) and ``{at, count}`` mappings."""
    return tuple(
        Placement(item, 1) if type(item) is str else Placement(item["at"], item.get("count", 1))
        for item in items
    )


class Referenced(NamedTuple):
    """The references of a set of entities that a lookup of their parts did not resolve."""

    #: Ids that must be domains: parents, backup sites, and placements not made of a
    #: known domain's id.
    domains: Iterable[str]
    #: Requirements to check one by one: ``depends_on`` lists with an any_of group or
    #: an id not known.
    requirements: Iterable[Requirement]


class Parts:
    """The parts made of one id, shared by the entities of one model, and what the
    entities refer to that is not known to resolve."""

    def __init__(self, domain_ids: Collection[str], entity_ids: Collection[str]) -> None:
        # Made at C speed for every id defined (zip, map, tuple.__new__), and looked up
        # by the entities; an id that is not there (a reference to resolve) raises.
        self.placement = dict(
            zip(domain_ids, map(_new, repeat(Placement), zip(domain_ids, repeat(1))), strict=True)
        ).__getitem__
        self.requirement = dict(
            zip(
                entity_ids,
                map(_new, repeat(Requirement), zip(zip(entity_ids), repeat(1), repeat(False))),
                strict=True,
            )
        ).__getitem__
        #: Ids referred to as domains other than by a placement made here.
        self.domain_ids: list[str] = []
        self._odd: list[Requirement] = []

    def requires(self, items: Any) -> tuple[Requirement, ...]:
        if not items:
            return ()
        try:
            return tuple(map(self.requirement, items))
        except (KeyError, TypeError):  # an unknown id, or an any_of group (unhashable)
            return self.odd_requires(items)

    def odd_requires(self, items: Any) -> tuple[Requirement, ...]:
        built = requirements(items)
        self._odd.extend(built)
        return built

    def odd_instances(self, items: Any) -> tuple[Placement, ...]:
        built = placements(items)
        self.domain_ids.extend(placement.at for placement in built)
        return built

    def referenced(self) -> Referenced:
        """What the entities built with these parts refer to, and was not found here."""
        return Referenced(self.domain_ids, self._odd)


def add_domains(
    domains: dict[str, Domain],
    path: str,
    section: dict[str, Any],
    parts: Parts,
    no_labels: dict[str, str],
) -> None:
    """Add a section's domains, none of whose ids is defined yet."""
    requires, parents = parts.requires, parts.domain_ids
    sources = _sources(path, "domains", section)
    for (domain_id, doc), source in zip(section.items(), sources, strict=True):
        get = doc.get
        parent = get("parent")
        if parent is not None:
            parents.append(parent)
        domains[domain_id] = _new(
            Domain,
            (
                domain_id,
                doc["kind"],
                parent,
                requires(get("depends_on")),
                get("labels", no_labels),
                doc,
                source,
            ),
        )


def add_services(
    services: dict[str, Service],
    path: str,
    section: dict[str, Any],
    parts: Parts,
    no_labels: dict[str, str],
    tier_rank: dict[str, int],
    unknown_tier: Callable[[str, str, Source], int],
) -> None:
    """Add a section's services, none of whose ids is defined yet. ``unknown_tier(id,
    tier, source)`` reports a tier not in ``tier_rank`` and gives the rank to use."""
    # One loop with the common cases written out (what parts.requires does, inline): a
    # call per field of 100,000 services was a good part of the cost.
    placement, requirement = parts.placement, parts.requirement
    backup_sites = parts.domain_ids
    sources = _sources(path, "services", section)
    for (service_id, doc), source in zip(section.items(), sources, strict=True):
        get = doc.get
        tier = doc["tier"]
        rank = tier_rank.get(tier)
        if rank is None:
            rank = unknown_tier(service_id, tier, source)
        placed = get("instances")
        try:
            placed = tuple(map(placement, placed)) if placed else ()
        except (KeyError, TypeError):  # an unknown id, or a {at, count} mapping
            placed = parts.odd_instances(placed)
        min_healthy = get("min_healthy", 1)
        if min_healthy == "majority":
            min_healthy = sum(map(_REPLICAS, placed)) // 2 + 1
        needs = get("depends_on")
        try:
            needs = tuple(map(requirement, needs)) if needs else ()
        except (KeyError, TypeError):  # an unknown id, or an any_of group
            needs = parts.odd_requires(needs)
        backups = get("backups")
        if backups:
            backup_sites.extend(map(_AT, backups))
            backups = tuple(
                [_new(Backup, (b["at"], parse_duration(b["every"]), b["every"])) for b in backups]
            )
        else:
            backups = ()
        rto, rpo = get("rto"), get("rpo")
        services[service_id] = _new(
            Service,
            (
                service_id,
                tier,
                rank,
                get("owner"),
                placed,
                min_healthy,
                needs,
                backups,
                parse_duration(rto) if rto else None,
                parse_duration(rpo) if rpo else None,
                get("labels", no_labels),
                doc,
                source,
            ),
        )


def _sources(path: str, name: str, section: dict[str, Any]) -> Iterator[Source]:
    """``Source(path, (name, id))`` for each id of the section, made at C speed."""
    return map(_new, repeat(Source), zip(repeat(path), zip(repeat(name), section)))


# When an id is defined twice (an error, reported at both places), entities are built
# one by one, each only if ``define(id, source)`` says its id is new.


def domains_one_by_one(
    domains: dict[str, Domain],
    path: str,
    section: dict[str, Any],
    define: Callable[[str, Source], bool],
    no_labels: dict[str, str],
) -> None:
    for domain_id, doc in section.items():
        source = Source(path, ("domains", domain_id))
        if define(domain_id, source):
            domains[domain_id] = Domain(
                id=domain_id,
                kind=doc["kind"],
                parent=doc.get("parent"),
                requires=requirements(doc.get("depends_on", ())),
                labels=doc.get("labels", no_labels),
                document=doc,
                source=source,
            )


def services_one_by_one(
    services: dict[str, Service],
    path: str,
    section: dict[str, Any],
    define: Callable[[str, Source], bool],
    no_labels: dict[str, str],
    tier_rank: dict[str, int],
    unknown_tier: Callable[[str, str, Source], int],
) -> None:
    for service_id, doc in section.items():
        source = Source(path, ("services", service_id))
        tier = doc["tier"]
        rank = tier_rank.get(tier)
        if rank is None:
            rank = unknown_tier(service_id, tier, source)
        if not define(service_id, source):
            continue
        placed = placements(doc.get("instances", ()))
        spec = doc.get("min_healthy", 1)
        rto, rpo = doc.get("rto"), doc.get("rpo")
        services[service_id] = Service(
            id=service_id,
            tier=tier,
            tier_rank=rank,
            owner=doc.get("owner"),
            instances=placed,
            min_healthy=sum(p.replicas for p in placed) // 2 + 1 if spec == "majority" else spec,
            requires=requirements(doc.get("depends_on", ())),
            backups=tuple(
                Backup(b["at"], parse_duration(b["every"]), b["every"])
                for b in doc.get("backups", ())
            ),
            rto_seconds=parse_duration(rto) if rto else None,
            rpo_seconds=parse_duration(rpo) if rpo else None,
            labels=doc.get("labels", no_labels),
            document=doc,
            source=source,
        )
