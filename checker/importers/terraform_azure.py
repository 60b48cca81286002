"""Azure: virtual machines and scale sets on availability zones.

Azure zones are numbers (``"1"``, ``"2"``, ``"3"``) within a ``location``; the zone
domain is written ``westeurope-1``, inside the region ``westeurope``. A machine with
no zone is regional: Azure may put it anywhere in the location, so it is placed on
the region, never counted as spread (docs/importing-terraform.md).
"""

from __future__ import annotations

from checker.importers.terraform_lookup import Lookup
from checker.importers.terraform_places import (
    Contribution,
    Handler,
    Placement,
    at_zone,
    azure_region,
    azure_zone,
    spread_evenly,
    unplaced,
    zone_slots,
)
from checker.importers.terraform_read import Resource


def _location(resource: Resource, lookup: Lookup) -> str | None:
    return lookup.string(resource, "location")


def machine(resource: Resource, lookup: Lookup) -> Contribution:
    """``azurerm_linux/windows_virtual_machine`` (``zone``), ``azurerm_virtual_machine``
    (``zones``): one replica in its zone."""
    location = _location(resource, lookup)
    if resource.type == "azurerm_virtual_machine":
        key, zones = "zones", lookup.strings(resource, "zones") or []
        zone = zones[0] if zones else None
    else:
        key, zone = "zone", lookup.string(resource, "zone")
    region = azure_region(location) if location else None
    if location and zone:
        return Contribution((at_zone(resource.address, azure_zone(location, zone), key),))
    if lookup.is_unknown(resource, key):
        why = f"no zone: {key} known after apply"
    else:
        why = f"no zone: {key} not set, a regional machine (Azure may place it anywhere)"
    return Contribution((unplaced(resource.address, region, why),))


def scale_set(resource: Resource, lookup: Lookup) -> Contribution:
    """Scale sets: ``instances`` (legacy: ``sku.capacity``) balanced over ``zones``."""
    location = _location(resource, lookup)
    if resource.type == "azurerm_virtual_machine_scale_set":
        capacity = lookup.block(resource, "sku").get("capacity")
        count = capacity if isinstance(capacity, int) and not isinstance(capacity, bool) else 1
    else:
        count = lookup.integer(resource, "instances") or 0
    region = azure_region(location) if location else None
    names = lookup.strings(resource, "zones") or []
    slots = zone_slots(azure_zone(location, n) for n in names) if location else []
    via = "zones"
    if not slots:
        slots = [region]
        unknown = lookup.is_unknown(resource, "zones")
        via = "no zone: zones " + ("known after apply" if unknown else "not set, regional")
    elif len(slots) > 1 and count % len(slots):
        via += "; the remainder assumed in the first zones"
    return Contribution((Placement(resource.address, tuple(spread_evenly(count, slots)), via),))


HANDLERS: dict[str, Handler] = {
    "azurerm_linux_virtual_machine": machine,
    "azurerm_windows_virtual_machine": machine,
    "azurerm_virtual_machine": machine,
    "azurerm_linux_virtual_machine_scale_set": scale_set,
    "azurerm_windows_virtual_machine_scale_set": scale_set,
    "azurerm_orchestrated_virtual_machine_scale_set": scale_set,
    "azurerm_virtual_machine_scale_set": scale_set,
}
