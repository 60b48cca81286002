"""AWS: instances, autoscaling groups and managed databases on availability zones.

A resource's zone is its ``availability_zone``, else the zone of the subnet it is in
(``subnet_id``, ``vpc_zone_identifier``, or a subnet group's ``subnet_ids``), found by
the subnet's real id or by following the configuration's references when the plan
leaves the id "known after apply". How many replicas each resource stands for, and
how they spread, is in docs/importing-terraform.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from checker.importers.terraform_lookup import SUBNET_TYPES, Lookup
from checker.importers.terraform_places import (
    Contribution,
    Handler,
    Placement,
    Region,
    Spot,
    Zone,
    at_zone,
    aws_region,
    aws_zone,
    is_aws_region,
    merged,
    spread_evenly,
    unplaced,
    zone_slots,
)
from checker.importers.terraform_read import Resource

#: Cluster member type -> its cluster's type; members are replicas of their cluster.
CLUSTER_OF = {
    "aws_rds_cluster_instance": "aws_rds_cluster",
    "aws_neptune_cluster_instance": "aws_neptune_cluster",
    "aws_docdb_cluster_instance": "aws_docdb_cluster",
}
#: Resource type -> (attribute naming its subnet group, the subnet group's type).
_SUBNET_GROUP = {
    "aws_db_instance": ("db_subnet_group_name", "aws_db_subnet_group"),
    "aws_rds_cluster": ("db_subnet_group_name", "aws_db_subnet_group"),
    "aws_rds_cluster_instance": ("db_subnet_group_name", "aws_db_subnet_group"),
    "aws_neptune_cluster": ("neptune_subnet_group_name", "aws_neptune_subnet_group"),
    "aws_neptune_cluster_instance": ("neptune_subnet_group_name", "aws_neptune_subnet_group"),
    "aws_docdb_cluster": ("db_subnet_group_name", "aws_docdb_subnet_group"),
    "aws_elasticache_cluster": ("subnet_group_name", "aws_elasticache_subnet_group"),
    "aws_elasticache_replication_group": ("subnet_group_name", "aws_elasticache_subnet_group"),
}


class SubnetZones(NamedTuple):
    """The zones of the subnets an attribute names, in order, and what could not be found."""

    zones: tuple[Zone, ...]
    unresolved: int
    via: str
    problem: str


def region_of(resource: Resource, lookup: Lookup) -> Region | None:
    """The resource's region: its own ``region`` or ARN, else its provider's ``region``."""
    name = resource.values.get("region")
    if not (isinstance(name, str) and is_aws_region(name)):
        arn = resource.values.get("arn")
        parts = arn.split(":") if isinstance(arn, str) else []
        name = parts[3] if len(parts) > 4 and is_aws_region(parts[3]) else None
    if name is None:
        name = lookup.provider_setting(resource, "aws", "region")
    return aws_region(name) if name else None


def zone_of(resource: Resource, lookup: Lookup, name: str) -> Zone:
    """The zone named ``name``; its region from the name, else from the resource."""
    zone = aws_zone(name)
    if zone.region is None:
        region = region_of(resource, lookup)
        zone = aws_zone(name, region.name if region else None)
    return zone


def subnet_zone(subnet: Resource, lookup: Lookup) -> Zone | None:
    key = ("subnet zone", subnet.file, subnet.address)
    if key in lookup.memo:
        zone: Zone | None = lookup.memo[key]
        return zone
    name = lookup.string(subnet, "availability_zone")
    zone = lookup.memo[key] = zone_of(subnet, lookup, name) if name else None
    return zone


def subnet_zones(resource: Resource, lookup: Lookup, key: str) -> SubnetZones:
    """Zones of the subnet(s) named by ``key``: by real id, else by configuration reference."""
    value = resource.values.get(key)
    ids = [value] if isinstance(value, str) else lookup.strings(resource, key)
    subnets: list[Resource] = []
    missing: list[str] = []
    if ids:
        for subnet_id in ids:
            subnet = lookup.subnets_by_id.get(subnet_id)
            if subnet is None:
                missing.append(subnet_id)
            else:
                subnets.append(subnet)
    else:
        referenced = lookup.referenced(resource, key)
        subnets = [s for s in referenced if s.type in SUBNET_TYPES]
    zones: dict[str, Zone] = {}
    zoneless: list[str] = []
    for subnet in subnets:
        zone = subnet_zone(subnet, lookup)
        if zone is None:
            zoneless.append(subnet.address)
        else:
            zones.setdefault(zone.id, zone)
    via = f"{key} -> {', '.join(s.address for s in subnets)}" if subnets else key
    problems = []
    if missing:
        problems.append(f"{key} {', '.join(missing)} not in the input")
    if zoneless:
        problems.append(f"zone of {', '.join(zoneless)} not known")
    if not ids and not subnets:
        state = "known after apply" if lookup.is_unknown(resource, key) else "not set"
        problems.append(f"{key} {state}, no reference to a subnet")
    unresolved = len(missing) + len(zoneless)
    return SubnetZones(tuple(zones.values()), unresolved, via, "; ".join(problems))


def subnet_group_zones(
    resource: Resource, lookup: Lookup, key: str, group_type: str
) -> SubnetZones:
    """Zones of the subnets of the subnet group named by ``key``."""
    name = lookup.string(resource, key)
    group = lookup.groups_by_name.get((group_type, name)) if name else None
    if group is None:
        found = [g for g in lookup.referenced(resource, key) if g.type == group_type]
        group = found[0] if len(found) == 1 else None
    if group is None:
        what = f"subnet group {name!r} not in the input" if name else "no subnet group to follow"
        return SubnetZones((), 0, key, f"{key}: {what}")
    inner = subnet_zones(group, lookup, "subnet_ids")
    return inner._replace(via=f"{key} -> {group.address} -> {inner.via}")


def _by_id(zone: Zone) -> str:
    return zone.id


def _which(found: SubnetZones) -> str:
    """Why subnets did not give one zone: a problem, or a choice among several zones."""
    if found.problem or not found.zones:
        return found.problem
    zones = " or ".join(sorted(z.id for z in found.zones))
    return f"{found.via}: could be in {zones}"


def _unknown(resource: Resource, lookup: Lookup, key: str) -> str:
    return f"{key} known after apply" if lookup.is_unknown(resource, key) else f"no {key}"


def _why(*reasons: str) -> str:
    return "no zone: " + "; ".join(r for r in reasons if r)


def _region(resource: Resource, lookup: Lookup, zones: Sequence[Zone] = ()) -> Region | None:
    regions = {z.region for z in zones if z.region is not None}
    return regions.pop() if len(regions) == 1 else region_of(resource, lookup)


def instance(resource: Resource, lookup: Lookup) -> Contribution:
    """``aws_instance``: one replica in its zone, or its subnet's zone."""
    name = lookup.string(resource, "availability_zone")
    if name:
        zone = zone_of(resource, lookup, name)
        return Contribution((at_zone(resource.address, zone, "availability_zone"),))
    found = subnet_zones(resource, lookup, "subnet_id")
    if len(found.zones) == 1 and not found.unresolved:
        return Contribution((at_zone(resource.address, found.zones[0], found.via),))
    why = _why(_unknown(resource, lookup, "availability_zone"), _which(found))
    return Contribution((unplaced(resource.address, _region(resource, lookup, found.zones), why),))


def autoscaling_group(resource: Resource, lookup: Lookup) -> Contribution:
    """``aws_autoscaling_group``: desired_capacity (else min_size) replicas balanced over
    its subnets' zones (else its availability_zones); min_size is min_healthy."""
    min_size = lookup.integer(resource, "min_size")
    desired = lookup.integer(resource, "desired_capacity")
    count = desired if desired is not None else (min_size or 0)
    found = subnet_zones(resource, lookup, "vpc_zone_identifier")
    region = _region(resource, lookup, found.zones)
    slots: list[Spot]
    if found.zones:
        # A subnet whose zone is not known is a slot of its own, on the region.
        slots = [*zone_slots(found.zones), *([region] * found.unresolved)]
        via = f"{found.via}; {found.problem}" if found.problem else found.via
    else:
        names = lookup.strings(resource, "availability_zones") or []
        slots = zone_slots(aws_zone(n, region.name if region else None) for n in names)
        via = "availability_zones"
        if not slots:
            slots = [region]
            via = _why(found.problem, _unknown(resource, lookup, "availability_zones"))
    if len(slots) > 1 and count % len(slots):
        via += "; the remainder assumed in the first zones"
    spots = tuple(spread_evenly(count, slots))
    return Contribution(
        (Placement(resource.address, spots, via),),
        min_healthy=min_size if min_size and min_size <= count else None,
    )


def database(resource: Resource, lookup: Lookup) -> Contribution:
    """``aws_db_instance``: multi_az is a primary and a standby in two zones."""
    key, group_type = _SUBNET_GROUP[resource.type]
    found = subnet_group_zones(resource, lookup, key, group_type)
    region = _region(resource, lookup, found.zones)
    name = lookup.string(resource, "availability_zone")
    primary = aws_zone(name, region.name if region else None) if name else None
    candidates = sorted(found.zones, key=_by_id)
    address = resource.address
    if not lookup.boolean(resource, "multi_az"):
        if primary is not None:
            return Contribution((at_zone(address, primary, "availability_zone"),))
        if len(candidates) == 1 and not found.unresolved:
            return Contribution((at_zone(address, candidates[0], found.via),))
        why = _why(_unknown(resource, lookup, "availability_zone"), _which(found))
        return Contribution((unplaced(address, region, why),))
    # Multi-AZ: AWS keeps the standby in another zone of the subnet group.
    others = [z for z in candidates if z != primary]
    known = primary is not None
    if primary is None and others:
        primary, others = others[0], others[1:]
    standby = others[0] if others else None
    if known and standby:
        via = f"multi_az: primary in availability_zone, standby in another zone of {found.via}"
    elif standby:
        via = f"multi_az: primary and standby in two zones of {found.via}"
    else:
        unknown = _unknown(resource, lookup, "availability_zone")
        lost = "" if primary else f"{unknown} for the primary"
        why = found.problem or "the subnet group has no other zone for the standby"
        via = "multi_az: " + _why(lost, why)
    if len(others) > 1:
        via += " (AWS picks the standby's; the first assumed)"
    spots = merged(((primary or region, 1), (standby or region, 1)))
    return Contribution((Placement(address, spots, via),))


def cluster(resource: Resource, lookup: Lookup) -> Contribution:
    """A database cluster: its replicas are its cluster instances (see ``cluster_member``).

    Without any, an RDS Multi-AZ DB cluster (``db_cluster_instance_class``) is one
    writer and two readers over its availability_zones; others have no replica.
    """
    if resource.type != "aws_rds_cluster" or not lookup.string(
        resource, "db_cluster_instance_class"
    ):
        return Contribution(())
    region = region_of(resource, lookup)
    names = lookup.strings(resource, "availability_zones") or []
    slots = zone_slots(aws_zone(n, region.name if region else None) for n in names)
    via = "availability_zones (Multi-AZ DB cluster: 3 instances)"
    if not slots:
        slots, via = [region], _why(_unknown(resource, lookup, "availability_zones"))
    placement = Placement(resource.address, tuple(spread_evenly(3, slots)), via)
    return Contribution((), fallback=(placement,))


def cluster_member(resource: Resource, lookup: Lookup) -> Contribution:
    """A cluster instance: one replica of its cluster, in its zone or its subnet group's."""
    cluster_type = CLUSTER_OF[resource.type]
    identifier = lookup.string(resource, "cluster_identifier")
    owner = lookup.find(cluster_type, "cluster_identifier", identifier) if identifier else None
    if owner is None:
        found_owner = [
            c for c in lookup.referenced(resource, "cluster_identifier") if c.type == cluster_type
        ]
        owner = found_owner[0] if len(found_owner) == 1 else None
    placement = _member_placement(resource, owner, lookup)
    return Contribution((placement,), owner=(owner.file, owner.base) if owner else None)


def _member_placement(resource: Resource, owner: Resource | None, lookup: Lookup) -> Placement:
    region = region_of(resource, lookup)
    name = lookup.string(resource, "availability_zone")
    if name:
        return at_zone(
            resource.address, aws_zone(name, region.name if region else None), "availability_zone"
        )
    source = resource if resource.type in _SUBNET_GROUP else owner
    problems = [_unknown(resource, lookup, "availability_zone")]
    if source is not None and source.type in _SUBNET_GROUP:
        key, group_type = _SUBNET_GROUP[source.type]
        found = subnet_group_zones(source, lookup, key, group_type)
        if len(found.zones) == 1 and not found.unresolved:
            return at_zone(resource.address, found.zones[0], found.via)
        region = _region(resource, lookup, found.zones) or region
        problems.append(_which(found))
    return unplaced(resource.address, region, _why(*problems))


def elasticache(resource: Resource, lookup: Lookup) -> Contribution | str:
    """Cache nodes: one replica per node, at its preferred zone (in order) or its
    subnet group's only zone."""
    if resource.type == "aws_elasticache_replication_group":
        shards = lookup.integer(resource, "num_node_groups")
        if shards is not None and shards > 1:
            return "cluster mode (several shards) is not mapped"
        count = (
            lookup.integer(resource, "num_cache_clusters")
            or lookup.integer(resource, "number_cache_clusters")
            or (lookup.integer(resource, "replicas_per_node_group") or 0) + 1
        )
        preferred_key = "preferred_cache_cluster_azs"
        preferred = lookup.strings(resource, preferred_key)
        if not preferred:
            preferred_key = "availability_zones"
            preferred = lookup.strings(resource, preferred_key)
    else:
        count = lookup.integer(resource, "num_cache_nodes") or 1
        preferred_key = "preferred_availability_zones"
        preferred = lookup.strings(resource, preferred_key)
        single = lookup.string(resource, "availability_zone")
        if not preferred and single:
            preferred_key, preferred = "availability_zone", [single] * count
    region = region_of(resource, lookup)
    fallback_region = region.name if region else None
    zones = [aws_zone(n, fallback_region) for n in (preferred or [])[:count]]
    region = _region(resource, lookup, zones)
    placements = []
    if zones:
        spots = merged((zone, 1) for zone in zones)
        placements.append(Placement(resource.address, spots, preferred_key))
    rest = count - len(zones)
    if rest > 0:
        key, group_type = _SUBNET_GROUP[resource.type]
        found = subnet_group_zones(resource, lookup, key, group_type)
        if len(found.zones) == 1 and not found.unresolved:
            placements.append(at_zone(resource.address, found.zones[0], found.via, rest))
        else:
            why = _why(f"no {preferred_key} for {rest} node(s)", _which(found))
            placements.append(
                unplaced(
                    resource.address, _region(resource, lookup, found.zones) or region, why, rest
                )
            )
    return Contribution(tuple(placements))


HANDLERS: dict[str, Handler] = {
    "aws_instance": instance,
    "aws_autoscaling_group": autoscaling_group,
    "aws_db_instance": database,
    "aws_rds_cluster": cluster,
    "aws_neptune_cluster": cluster,
    "aws_docdb_cluster": cluster,
    "aws_rds_cluster_instance": cluster_member,
    "aws_neptune_cluster_instance": cluster_member,
    "aws_docdb_cluster_instance": cluster_member,
    "aws_elasticache_cluster": elasticache,
    "aws_elasticache_replication_group": elasticache,
}
