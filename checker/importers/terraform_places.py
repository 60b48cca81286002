"""Cloud zones and regions as failure domains, and replicas placed on them.

An availability zone is the facility-level failure domain of a cloud; its region
contains it. The region of a zone is derived from its name where the cloud's naming
says it (AWS ``us-west-2a`` -> ``us-west-2``, Google ``europe-west1-b`` ->
``europe-west1``); Azure zones are numbers within a location, so they are written
``westeurope-1`` inside ``westeurope`` (docs/importing-terraform.md). Each zone and
region is made once per name (cached: a plan names the same few thousands of times).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from typing import TYPE_CHECKING, NamedTuple

from checker.importers.common import slug

if TYPE_CHECKING:
    from checker.importers.terraform_lookup import Lookup
    from checker.importers.terraform_read import Resource


class Region(NamedTuple):
    cloud: str  # "aws", "google" or "azurerm"
    name: str  # as the cloud writes it
    id: str  # the domain id

    @property
    def source_kind(self) -> str:
        return _REGION_KINDS[self.cloud]


class Zone(NamedTuple):
    cloud: str
    name: str
    id: str
    region: Region | None

    @property
    def source_kind(self) -> str:
        return _ZONE_KINDS[self.cloud]


#: ``meta.source.kind`` of the domains (the data source type naming each, where one exists).
_ZONE_KINDS = {
    "aws": "aws_availability_zone",
    "google": "google_compute_zone",
    "azurerm": "azurerm_zone",
}
_REGION_KINDS = {
    "aws": "aws_region",
    "google": "google_compute_region",
    "azurerm": "azurerm_location",
}

#: A spot a replica is at: a zone, a region (zone unknown) or nowhere known (None).
Spot = Zone | Region | None

# AWS: a region ("us-west-2", "us-gov-east-1", "cn-north-1") then a zone letter, or a
# Local Zone / Wavelength suffix ("us-west-2-lax-1a", "us-east-1-wl1-bos-wlz-1").
_AWS_ZONE = re.compile(r"^([a-z]{2}(?:-[a-z]+)+-\d+)(?:[a-z]|-[a-z0-9-]+)$")
_AWS_REGION = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d+$")
_GOOGLE_ZONE = re.compile(r"^([a-z]+-[a-z]+\d+)-[a-z]$")


@cache
def aws_region(name: str) -> Region:
    return Region("aws", name, slug(name))


@cache
def aws_zone(name: str, fallback_region: str | None = None) -> Zone:
    """An AWS zone; its region from its name, else the provider's region if given."""
    match = _AWS_ZONE.match(name)
    region = match.group(1) if match else fallback_region
    return Zone("aws", name, slug(name), aws_region(region) if region else None)


def is_aws_region(name: str) -> bool:
    return _AWS_REGION.match(name) is not None


@cache
def google_region(name: str) -> Region:
    name = _last_segment(name)
    return Region("google", name, slug(name))


@cache
def google_zone(name: str, fallback_region: str | None = None) -> Zone:
    name = _last_segment(name)
    match = _GOOGLE_ZONE.match(name)
    region = match.group(1) if match else fallback_region
    return Zone("google", name, slug(name), google_region(region) if region else None)


@cache
def azure_region(location: str) -> Region:
    # Azure accepts "West Europe" and "westeurope" for the same location.
    name = location.replace(" ", "").lower()
    return Region("azurerm", name, slug(name))


@cache
def azure_zone(location: str, zone: str) -> Zone:
    region = azure_region(location)
    return Zone("azurerm", zone, slug(f"{region.name}-{zone}"), region)


def _last_segment(name: str) -> str:
    # Google states may hold self links: ".../projects/p/zones/europe-west1-b".
    return name.rstrip("/").rsplit("/", 1)[-1]


def zone_slots(zones: Iterable[Zone]) -> list[Spot]:
    """Distinct zones in id order: the slots a group balances its replicas over."""
    unique = {zone.id: zone for zone in zones}
    return [unique[zone_id] for zone_id in sorted(unique)]


def spread_evenly(count: int, slots: Sequence[Spot]) -> list[tuple[Spot, int]]:
    """``count`` replicas balanced over ``slots`` in order; the first slots get the remainder.

    This is how an autoscaling group, a managed instance group or a scale set balances
    its instances over its zones; which zone gets the odd one is not known from the
    plan, so the first in sorted order is assumed (and the placement says so).
    """
    if not slots or count <= 0:
        return []
    share, extra = divmod(count, len(slots))
    spread = [(slot, share + (1 if n < extra else 0)) for n, slot in enumerate(slots)]
    return [(slot, n) for slot, n in spread if n > 0]


class Placement(NamedTuple):
    """Where the replicas of one resource instance are, and what said so.

    ``via`` names the attribute or reference chain that placed them; for a spot that
    is not a zone it says why no zone is known.
    """

    address: str
    spots: tuple[tuple[Spot, int], ...]
    via: str


def merged(spots: Iterable[tuple[Spot, int]]) -> tuple[tuple[Spot, int], ...]:
    """Spots in first-seen order, the counts of a spot met twice added up."""
    counts: dict[str, tuple[Spot, int]] = {}
    for spot, n in spots:
        spot_id = "" if spot is None else spot.id
        known = counts.get(spot_id)
        counts[spot_id] = (spot, n + (known[1] if known else 0))
    return tuple(counts.values())


def at_zone(address: str, zone: Zone, via: str, count: int = 1) -> Placement:
    return Placement(address, ((zone, count),), via)


def unplaced(address: str, region: Region | None, why: str, count: int = 1) -> Placement:
    return Placement(address, ((region, count),), why)


class Contribution(NamedTuple):
    """What one resource instance adds to a service.

    ``owner`` is the base address of the service it belongs to when that is another
    resource (a cluster instance belongs to its cluster); ``fallback`` is used only if
    the service gets no placement from anything else (a cluster with no instances).
    """

    placements: tuple[Placement, ...]
    owner: tuple[int, str] | None = None
    min_healthy: int | None = None
    fallback: tuple[Placement, ...] = ()


#: A resource type's mapping: what one resource instance adds to its service, or why it
#: is skipped (a string).
Handler = Callable[["Resource", "Lookup"], "Contribution | str"]
