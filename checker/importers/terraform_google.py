"""Google Cloud: instances, managed instance groups and Cloud SQL on zones.

A zone's region is its name without the last letter (``europe-west1-b`` ->
``europe-west1``). A regional managed instance group balances ``target_size`` over its
``distribution_policy_zones``; a Cloud SQL instance with ``availability_type =
"REGIONAL"`` is a primary and a standby in two zones (docs/importing-terraform.md).
"""

from __future__ import annotations

from checker.importers.terraform_lookup import Lookup
from checker.importers.terraform_places import (
    Contribution,
    Handler,
    Placement,
    Region,
    at_zone,
    google_region,
    google_zone,
    spread_evenly,
    unplaced,
    zone_slots,
)
from checker.importers.terraform_read import Resource


def _region(resource: Resource, lookup: Lookup) -> Region | None:
    name = lookup.string(resource, "region") or lookup.provider_setting(
        resource, "google", "region"
    )
    return google_region(name) if name else None


def _size(resource: Resource, lookup: Lookup) -> tuple[int, str]:
    size = lookup.integer(resource, "target_size")
    if size is None:
        return 1, "; target_size not set (an autoscaler decides): counted as 1"
    return size, ""


def instance(resource: Resource, lookup: Lookup) -> Contribution:
    """``google_compute_instance``: one replica in its zone (or the provider's zone)."""
    region = _region(resource, lookup)
    fallback = region.name if region else None
    name = lookup.string(resource, "zone")
    if name:
        return Contribution((at_zone(resource.address, google_zone(name, fallback), "zone"),))
    name = lookup.provider_setting(resource, "google", "zone")
    if name:
        return Contribution(
            (at_zone(resource.address, google_zone(name, fallback), "provider zone"),)
        )
    state = "known after apply" if lookup.is_unknown(resource, "zone") else "not set"
    return Contribution((unplaced(resource.address, region, f"no zone: zone {state}"),))


def zonal_group(resource: Resource, lookup: Lookup) -> Contribution:
    """``google_compute_instance_group_manager``: target_size replicas in its zone."""
    size, note = _size(resource, lookup)
    region = _region(resource, lookup)
    name = lookup.string(resource, "zone") or lookup.provider_setting(resource, "google", "zone")
    if name:
        zone = google_zone(name, region.name if region else None)
        return Contribution((at_zone(resource.address, zone, "zone" + note, size),))
    return Contribution(
        (unplaced(resource.address, region, "no zone: zone not known" + note, size),)
    )


def regional_group(resource: Resource, lookup: Lookup) -> Contribution:
    """``google_compute_region_instance_group_manager``: target_size replicas balanced
    over distribution_policy_zones."""
    size, note = _size(resource, lookup)
    region = _region(resource, lookup)
    names = lookup.strings(resource, "distribution_policy_zones") or []
    slots = zone_slots(google_zone(n, region.name if region else None) for n in names)
    via = "distribution_policy_zones" + note
    if not slots:
        slots = [region]
        via = "no zone: distribution_policy_zones not known (Google picks zones)" + note
    elif len(slots) > 1 and size % len(slots):
        via += "; the remainder assumed in the first zones"
    return Contribution((Placement(resource.address, tuple(spread_evenly(size, slots)), via),))


def sql_instance(resource: Resource, lookup: Lookup) -> Contribution:
    """``google_sql_database_instance``: REGIONAL is a primary and a standby zone."""
    region = _region(resource, lookup)
    fallback = region.name if region else None
    settings = lookup.block(resource, "settings")
    preferences = settings.get("location_preference") or [{}]
    preference = preferences[0] if isinstance(preferences, list) and preferences else {}
    if not isinstance(preference, dict):
        raise lookup.fail(resource, "settings", "`location_preference` must be a list of blocks")
    zones = [preference.get("zone"), preference.get("secondary_zone")]
    regional = settings.get("availability_type") == "REGIONAL"
    roles = [("primary", "zone", zones[0])]
    if regional:
        roles.append(("standby", "secondary_zone", zones[1]))
    placements = []
    for role, key, name in roles:
        label = f"{role}: location_preference.{key}" if regional else f"location_preference.{key}"
        if isinstance(name, str) and name:
            placements.append(at_zone(resource.address, google_zone(name, fallback), label))
        else:
            placements.append(unplaced(resource.address, region, f"no zone: {label} not set"))
    return Contribution(tuple(placements))


HANDLERS: dict[str, Handler] = {
    "google_compute_instance": instance,
    "google_compute_instance_group_manager": zonal_group,
    "google_compute_region_instance_group_manager": regional_group,
    "google_sql_database_instance": sql_instance,
}
