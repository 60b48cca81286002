"""Terraform: zones and regions become domains, compute and databases become services.

Input is ``terraform show -json`` of plans and states (read by
:mod:`checker.importers.terraform_read`). Each mapped resource type has a handler
(:mod:`~checker.importers.terraform_aws`, ``_google``, ``_azure``) that says where the
replicas of one resource instance are; the copies of one resource block (``count``,
``for_each``) are one service, whose id is the address without the index. A replica
whose zone cannot be found is placed on its region (or on the domain ``unplaced``),
which contains no facility, so no spread rule counts it, and stderr says why. Every
other resource is listed as skipped. The full mapping is in
docs/importing-terraform.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from checker.importers import terraform_aws, terraform_azure, terraform_google
from checker.importers.common import Inventory, Origin, slug
from checker.importers.terraform_lookup import SUBNET_GROUP_TYPES, SUBNET_TYPES, Lookup
from checker.importers.terraform_places import Contribution, Handler, Placement, Region, Spot, Zone
from checker.importers.terraform_read import Resource, ShowFile, read_show_json
from checker.loading.document import Document

SYSTEM = "terraform"
#: The default tiers of docs/manifest.md, most important first.
TIERS = ("critical", "high", "medium", "low")
#: The domain of replicas whose region is not known either.
UNPLACED = "unplaced"

HANDLERS: dict[str, Handler] = {
    **terraform_aws.HANDLERS,
    **terraform_google.HANDLERS,
    **terraform_azure.HANDLERS,
}


class Options(NamedTuple):
    #: The kind of zone domains: an availability zone is a cloud's facility-level domain.
    zone_kind: str = "facility"
    #: The tag (AWS, Azure) or label (Google) holding a service's tier; case-insensitive.
    tier_tag: str = "tier"
    #: The tier of a service without that tag: the strictest, so nothing is waved through.
    default_tier: str = "critical"


DEFAULTS = Options()


def import_terraform(documents: Sequence[Document], options: Options = DEFAULTS) -> Inventory:
    """The inventory of parsed ``terraform show -json`` documents (plans or states)."""
    return map_files([read_show_json(doc, n) for n, doc in enumerate(documents)], options)


class _Draft:
    """A service being collected from the resource instances that make it up."""

    __slots__ = ("fallback", "members", "min_healthy", "placements")

    def __init__(self) -> None:
        self.members: list[Resource] = []
        self.placements: list[Placement] = []
        self.fallback: list[Placement] = []
        self.min_healthy: list[int | None] = []

    def add(self, resource: Resource, contribution: Contribution) -> None:
        self.members.append(resource)
        if contribution.placements:
            self.placements.extend(contribution.placements)
            self.min_healthy.append(contribution.min_healthy)
        if contribution.fallback:
            self.fallback.extend(contribution.fallback)


def map_files(files: Sequence[ShowFile], options: Options = DEFAULTS) -> Inventory:
    lookup = Lookup(files)
    inventory = Inventory(SYSTEM)
    places = _Places()
    drafts: dict[tuple[int, str], _Draft] = {}
    for file in files:
        for resource in file.resources:
            kind = resource.type
            if kind in SUBNET_TYPES:
                zone = terraform_aws.subnet_zone(resource, lookup)
                if zone is not None:
                    places.add(zone, resource.address)
                continue
            if kind in SUBNET_GROUP_TYPES:
                continue  # read through the databases that name them
            handler = HANDLERS.get(kind) if resource.mode == "managed" else None
            if handler is None:
                why = "data source" if resource.mode == "data" else "resource type not mapped"
                inventory.skip(kind, resource.address, why)
                continue
            result = handler(resource, lookup)
            if isinstance(result, str):
                inventory.skip(kind, resource.address, result)
                continue
            key = result.owner or (resource.file, resource.base)
            if result.owner is None and kind in terraform_aws.CLUSTER_OF:
                inventory.notes.append(
                    f"{resource.address}: its {terraform_aws.CLUSTER_OF[kind]} is not in the "
                    "input; written as a service of its own"
                )
            draft = drafts.get(key)
            if draft is None:
                draft = drafts[key] = _Draft()
            draft.add(resource, result)
    services = [
        _service(inventory, places, lookup, key, drafts[key], options) for key in sorted(drafts)
    ]
    # Domains first: their ids are fixed by the cloud's names, services yield on a clash.
    places.write(inventory, options.zone_kind)
    for owner, document in services:
        wanted = service_id(owner.base)
        entity_id = inventory.unique_id(wanted)
        if entity_id != wanted:
            inventory.notes.append(
                f"{owner.base} of {lookup.files[owner.file].document.path} has the id of an "
                f"entity already written; written as {entity_id}"
            )
        source = Origin(
            SYSTEM, owner.type, owner.name, namespace=owner.module or None, address=owner.base
        )
        inventory.add_service(entity_id, document, source)
    if not any(file.resources for file in files):
        inventory.notes.append("the input holds no resources")
    return inventory


def _service(
    inventory: Inventory,
    places: _Places,
    lookup: Lookup,
    key: tuple[int, str],
    draft: _Draft,
    options: Options,
) -> tuple[Resource, dict[str, Any]]:
    """The service's owner (the resource block it is named after) and its document."""
    owner = lookup.copies[key][0]
    counts: dict[str, int] = {}
    #: address -> where its replicas are and why: one line per resource instance.
    described: dict[str, str] = {}
    add = places.add
    for placement in draft.placements or draft.fallback:
        address = placement.address
        where: list[str] = []
        placed = True
        for spot, n in placement.spots:
            spot_id = add(spot, address)
            counts[spot_id] = counts.get(spot_id, 0) + n
            where.append(spot_id if n == 1 else f"{n} x {spot_id}")
            placed = placed and type(spot) is Zone
        text = f"{', '.join(where) or 'no replica'} ({placement.via})"
        previous = described.get(address)
        described[address] = text if previous is None else f"{previous}; {text}"
        if not placed:
            off = [f"{n} on {_spot_id(s)}" for s, n in placement.spots if type(s) is not Zone]
            inventory.notes.append(
                f"{address}: not placed in a zone ({', '.join(off)}): {placement.via}"
            )
    if not counts:
        inventory.notes.append(
            f"{owner.base}: no replica in the input, so it is down with nothing failed"
        )
    instances = counts.items() if len(counts) == 1 else sorted(counts.items())
    document: dict[str, Any] = {
        "tier": _tier(inventory, draft.members, options),
        "instances": [at if n == 1 else {"at": at, "count": n} for at, n in instances],
    }
    given = draft.min_healthy
    if given and None not in given:
        total = sum(n for n in given if n is not None)
        if 1 < total <= sum(counts.values()):
            document["min_healthy"] = total
    document["meta"] = {
        "placement": described if len(described) == 1 else dict(sorted(described.items()))
    }
    return owner, document


_INDEX = re.compile(r'\["?((?:[^"\]\\]|\\.)*)"?\]')


def service_id(base: str) -> str:
    """``module.app["eu"].aws_instance.web`` -> ``module.app-eu.aws_instance.web``."""
    return slug(_INDEX.sub(r"-\1", base) if "[" in base else base)


def _spot_id(spot: Spot) -> str:
    return UNPLACED if spot is None else spot.id


def _tier(inventory: Inventory, resources: list[Resource], options: Options) -> str:
    wanted = options.tier_tag.lower()
    found: set[str] = set()
    for resource in resources:
        for key, value in _tier_tags(resource.values, wanted):
            tier = value.strip().lower() if isinstance(value, str) else ""
            if tier in TIERS:
                found.add(tier)
            else:
                inventory.notes.append(
                    f"{resource.address}: tag {key}={value!r} is not a tier "
                    f"({', '.join(TIERS)}); ignored"
                )
    if not found:
        return options.default_tier
    # Copies that disagree: the most important wins, so no check is relaxed by accident.
    return min(found, key=TIERS.index)


#: Where providers keep tags (AWS, Azure) and labels (Google), in order of precedence.
_TAG_SOURCES = ("tags", "tags_all", "labels", "tag")


def _tier_tags(values: Mapping[str, Any], wanted: str) -> list[tuple[str, Any]]:
    """The tags named ``wanted`` (any case) of the first place that has one."""
    for source in _TAG_SOURCES:
        tags = values.get(source)
        if type(tags) is dict:
            if wanted in tags:
                return [(wanted, tags[wanted])]
            found = [(k, v) for k, v in tags.items() if k.lower() == wanted]
        elif type(tags) is list:
            # aws_autoscaling_group: `tag` blocks and `tags` lists of {key, value}.
            found = [
                (item["key"], item.get("value"))
                for item in tags
                if type(item) is dict
                and isinstance(item.get("key"), str)
                and item["key"].lower() == wanted
            ]
        else:
            continue
        if found:
            return found
    settings = values.get("settings")
    if type(settings) is list and settings and type(settings[0]) is dict:
        labels = settings[0].get("user_labels")
        if type(labels) is dict:
            return [(k, v) for k, v in labels.items() if k.lower() == wanted]
    return []


class _Places:
    """The zones and regions met, each with the first address (in sorted order) naming it."""

    def __init__(self) -> None:
        self.zones: dict[str, tuple[Zone, str]] = {}
        self.regions: dict[str, tuple[Region, str]] = {}
        self.unplaced: str | None = None

    def add(self, spot: Spot, address: str) -> str:
        """Remember ``spot``; its domain id."""
        if type(spot) is Zone:
            known = self.zones.get(spot.id)
            if known is None or address < known[1]:
                self.zones[spot.id] = (known[0] if known else spot, address)
                # Else the region has seen an address no later than the zone's already.
                if spot.region is not None:
                    self.add(spot.region, address)
            return spot.id
        if type(spot) is Region:
            known_region = self.regions.get(spot.id)
            if known_region is None or address < known_region[1]:
                self.regions[spot.id] = (known_region[0] if known_region else spot, address)
            return spot.id
        if self.unplaced is None or address < self.unplaced:
            self.unplaced = address
        return UNPLACED

    def write(self, inventory: Inventory, zone_kind: str) -> None:
        for region_id in sorted(self.regions):
            region, address = self.regions[region_id]
            source = Origin(SYSTEM, region.source_kind, region.name, address=address)
            inventory.add_domain(region_id, "region", source)
        for zone_id in sorted(self.zones):
            zone, address = self.zones[zone_id]
            source = Origin(SYSTEM, zone.source_kind, zone.name, address=address)
            parent = zone.region.id if zone.region else None
            if parent is None:
                inventory.notes.append(f"zone {zone.name}: its region is not known")
            inventory.add_domain(zone_id, zone_kind, source, parent=parent)
        if self.unplaced is not None:
            source = Origin(SYSTEM, UNPLACED, UNPLACED, address=self.unplaced)
            inventory.add_domain(UNPLACED, UNPLACED, source)
