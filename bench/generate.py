"""Generate synthetic resilience manifests of any size, deterministically from a seed.

The shape follows docs/manifest.md (format version 1):

- domains: regions ``r1`` > facilities ``r1/f3`` > per facility a battery room
  (``r1/f3/battery``), two UPS (``ups-a`` always on the battery room, ``ups-b`` on it in
  about half of the facilities: a shared battery room is a hidden single point of
  failure), two utility feeds (``feed-a``, ``feed-b``) > halls ``r1/f3/h2`` on the A/B
  feeds (``any_of``) and on both UPS, or on one UPS only > racks ``r1/f3/h2/rk17``.
  The domain budget is met exactly by scaling the number of facilities, halls and racks.
- services ``svc-000123``: mixed tiers (5% critical, 15% high, 40% medium, 40% low),
  2-4 replicas on random racks (a few at hall level) spread over 1-3 facilities,
  ``min_healthy`` 1, 2 or ``majority``, ``depends_on`` only on services with a smaller
  index (so the hard dependency graph is a DAG), mostly of the same or a more important
  tier, some ``any_of`` groups; about 30% have backups, most critical ones ``rto``/``rpo``.

Two profiles (``--profile``):

- ``healthy`` (the default, described above): an estate that mostly passes; the
  ``baseline`` pack fails about one finding in nine.
- ``broken``: the estate a team brings on its first run, where failures are the bulk
  of the output. ``--failing F`` (default 1/3) is the share of services with a tier
  inversion (a hard requirement on an earlier service of a lower tier); a quarter of
  ``F`` of the critical services sit in one facility (so they, and what requires them,
  do not survive its loss); a tenth of the services have an ``any_of`` group, a fifth
  a backup (of which ``F`` on a rack of their own facility), a tenth label their
  ``data`` without any backup, ``F`` of the critical ones declare no ``rto``/``rpo``,
  and ``F``/50 of the services close a hard-dependency cycle of two.

Same arguments, same bytes: every random choice comes from one ``random.Random(seed)``
(and the ``healthy`` profile gives the bytes it always gave).

Usage::

    python bench/generate.py --services 100000 --domains 20000 --seed 1 \
        --format json --out bench/out/manifest.json
    python bench/generate.py --services 100000 --domains 20000 --profile broken \
        --failing 0.5 --out bench/out/broken.json

As a module: ``generate(services, domains, seed, profile=HEALTHY) -> dict`` (``broken(F)``
gives the other profile) and ``write(doc, path, fmt)``.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

Document = dict[str, Any]

FORMATS = ("json", "yaml")
TIERS = ("critical", "high", "medium", "low")
TIER_WEIGHTS = (5, 15, 40, 40)

INFRA_PER_FACILITY = 5  # battery room, ups-a, ups-b, feed-a, feed-b
DOMAINS_PER_FACILITY = 89  # 5 infra + 4 halls x (1 + 20 racks): the target density
FACILITIES_PER_REGION = 8
MAX_HALLS_PER_FACILITY = 4
SMALLEST_FACILITY = 1 + INFRA_PER_FACILITY + 2  # the facility, its infra, one hall, one rack
MIN_DOMAINS = 1 + SMALLEST_FACILITY  # one region and one smallest facility

REPLICA_CHOICES = (2, 2, 3, 3, 3, 4)
CRITICAL_REPLICA_CHOICES = (3, 3, 4)
FACILITY_SPREAD_WEIGHTS = (15, 55, 30)  # replicas in 1, 2 or 3 facilities
DEPENDENCY_COUNT_WEIGHTS = (25, 35, 25, 15)  # 0, 1, 2 or 3 hard dependencies
BACKUP_INTERVALS = ("1h", "6h", "24h", "24h", "24h")
RTO_CHOICES = ("15m", "30m", "1h", "4h")
RPO_CHOICES = ("1m", "5m", "15m", "1h")


@dataclass(frozen=True)
class Profile:
    """The shares that shape the services; ``healthy`` is the original bench estate."""

    name: str
    #: Services with an ``any_of`` group among their requirements (of those that can).
    any_of: float = 0.12
    #: Services with one backup, and the share of those on a rack of their own facility.
    backups: float = 0.30
    backups_onsite: float = 0.10
    #: Everything below is off in ``healthy``, so its bytes never change.
    #: Services (of the tiers that can have one) given a hard lower-tier requirement.
    inversions: float = 0.0
    #: Critical services all of whose replicas sit in one facility.
    critical_single_facility: float = 0.0
    #: Services labelled ``data`` that have no backup.
    data_without_backup: float = 0.0
    #: Critical services with no ``rto``/``rpo`` declared (besides the usual 20%).
    no_objectives: float = 0.0
    #: Services that close a two-service cycle of hard requirements.
    cycles: float = 0.0


HEALTHY = Profile("healthy")
DEFAULT_FAILING = 1 / 3


def broken(failing: float = DEFAULT_FAILING) -> Profile:
    """An estate in bad shape; ``failing`` (0 to 1) scales every kind of failure in it."""
    if not 0.0 <= failing <= 1.0:
        raise ValueError(f"--failing must be between 0 and 1, got {failing}")
    lower_tiers = 1 - TIER_WEIGHTS[-1] / sum(TIER_WEIGHTS)  # the lowest tier cannot invert
    return Profile(
        "broken",
        any_of=0.10,
        backups=0.20,
        backups_onsite=failing,
        inversions=min(1.0, failing / lower_tiers),
        critical_single_facility=failing / 4,
        data_without_backup=0.10,
        no_objectives=failing,
        cycles=failing / 50,
    )


PROFILES = ("healthy", "broken")


@dataclass(frozen=True)
class Topology:
    """How many of each domain level the budget pays for."""

    regions: int
    facilities: int
    halls_per_facility: int
    racks: int

    @property
    def halls(self) -> int:
        return self.facilities * self.halls_per_facility

    @property
    def total(self) -> int:
        facility_domains = self.facilities * (1 + INFRA_PER_FACILITY)
        return self.regions + facility_domains + self.halls + self.racks


@dataclass
class Facility:
    """A facility's id with the ids of its halls and of the racks in each hall."""

    id: str
    region: int
    halls: list[str]
    racks_by_hall: list[list[str]]


def plan_topology(domains: int) -> Topology:
    """Choose region/facility/hall/rack counts whose total is exactly ``domains``."""
    if domains < MIN_DOMAINS:
        raise ValueError(f"need at least {MIN_DOMAINS} domains, got {domains}")
    facilities = max(1, round(domains / DOMAINS_PER_FACILITY))
    # Small budgets still get up to three facilities, so services can spread.
    facilities = max(facilities, min(3, (domains - 1) // SMALLEST_FACILITY))
    regions = math.ceil(facilities / FACILITIES_PER_REGION)
    budget = domains - regions - facilities * (1 + INFRA_PER_FACILITY)
    halls_per_facility = min(MAX_HALLS_PER_FACILITY, max(1, budget // (facilities * 4)))
    racks = budget - facilities * halls_per_facility
    return Topology(regions, facilities, halls_per_facility, racks)


def generate(services: int, domains: int, seed: int, profile: Profile = HEALTHY) -> Document:
    """Return a manifest document with ``services`` services over exactly ``domains`` domains."""
    if services < 0:
        raise ValueError(f"services must be >= 0, got {services}")
    rng = random.Random(seed)
    topology = plan_topology(domains)
    domain_docs, facilities = _build_domains(rng, topology)
    service_docs = _build_services(rng, services, facilities, profile)
    if profile.cycles:
        _close_cycles(rng, service_docs, profile.cycles)
    return {"version": 1, "domains": domain_docs, "services": service_docs}


# ---------------------------------------------------------------------------- domains


def _build_domains(rng: random.Random, topology: Topology) -> tuple[Document, list[Facility]]:
    docs: Document = {}
    facilities: list[Facility] = []
    racks_per_hall = _split_evenly(topology.racks, topology.halls)
    for region in range(topology.regions):
        docs[f"r{region + 1}"] = {"kind": "region"}
        for index in _facilities_of_region(region, topology):
            hall_racks = racks_per_hall[index * topology.halls_per_facility :]
            facility = _add_facility(rng, docs, region, index, hall_racks, topology)
            facilities.append(facility)
    return docs, facilities


def _facilities_of_region(region: int, topology: Topology) -> range:
    start = region * topology.facilities // topology.regions
    stop = (region + 1) * topology.facilities // topology.regions
    return range(start, stop)


def _split_evenly(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if part < extra else 0) for part in range(parts)]


def _add_facility(
    rng: random.Random,
    docs: Document,
    region: int,
    index: int,
    racks_per_hall: list[int],
    topology: Topology,
) -> Facility:
    region_id = f"r{region + 1}"
    fid = f"{region_id}/f{index + 1}"
    facility_doc: Document = {"kind": "facility", "parent": region_id}
    if rng.random() < 0.5:
        facility_doc["labels"] = {"operator": f"op-{rng.randrange(1, 6)}"}
    docs[fid] = facility_doc
    power = _add_power(rng, docs, fid)
    facility = Facility(fid, region, [], [])
    for hall in range(topology.halls_per_facility):
        hall_id = f"{fid}/h{hall + 1}"
        docs[hall_id] = {"kind": "hall", "parent": fid, "depends_on": _hall_power(rng, power)}
        racks = [f"{hall_id}/rk{rack + 1}" for rack in range(racks_per_hall[hall])]
        for rack_id in racks:
            docs[rack_id] = {"kind": "rack", "parent": hall_id}
        facility.halls.append(hall_id)
        facility.racks_by_hall.append(racks)
    return facility


def _add_power(rng: random.Random, docs: Document, fid: str) -> dict[str, str]:
    """Add the battery room, both UPS and both feeds; return their ids by role."""
    ids = {role: f"{fid}/{role}" for role in ("battery", "ups-a", "ups-b", "feed-a", "feed-b")}
    docs[ids["battery"]] = {"kind": "battery-room", "parent": fid}
    docs[ids["ups-a"]] = {"kind": "ups", "parent": fid, "depends_on": [ids["battery"]]}
    ups_b: Document = {"kind": "ups", "parent": fid}
    if rng.random() < 0.5:  # both UPS on one battery room: the SK C&C Pangyo layout
        ups_b["depends_on"] = [ids["battery"]]
    docs[ids["ups-b"]] = ups_b
    docs[ids["feed-a"]] = {"kind": "power-feed", "parent": fid}
    docs[ids["feed-b"]] = {"kind": "power-feed", "parent": fid}
    return ids


def _hall_power(rng: random.Random, power: dict[str, str]) -> list[Any]:
    feeds: list[Any] = [{"any_of": [power["feed-a"], power["feed-b"]]}]
    draw = rng.random()
    if draw < 0.60:
        return [*feeds, {"any_of": [power["ups-a"], power["ups-b"]]}]
    if draw < 0.85:
        return feeds
    return [*feeds, power["ups-a"]]  # one UPS feeds the whole hall


# --------------------------------------------------------------------------- services


def _build_services(
    rng: random.Random, count: int, facilities: list[Facility], profile: Profile
) -> Document:
    width = max(6, len(str(max(count - 1, 0))))
    ids = [f"svc-{index:0{width}d}" for index in range(count)]
    facilities_by_region: dict[int, list[int]] = {}
    for position, facility in enumerate(facilities):
        facilities_by_region.setdefault(facility.region, []).append(position)
    tiers = rng.choices(range(len(TIERS)), weights=TIER_WEIGHTS, k=count)
    earlier_by_tier: list[list[str]] = [[] for _ in TIERS]
    docs: Document = {}
    for index, sid in enumerate(ids):
        tier = tiers[index]
        placed = _pick_facilities(rng, facilities, facilities_by_region)
        single = profile.critical_single_facility
        if tier == 0 and single and rng.random() < single:
            placed = placed[:1]
        doc = _service_doc(rng, index, tier, placed)
        _add_dependencies(rng, doc, tier, ids, index, earlier_by_tier, profile)
        _add_backups_and_recovery(rng, doc, tier, placed, facilities, profile)
        _add_free_data(rng, doc, index, count)
        unsaved = profile.data_without_backup
        if unsaved and "backups" not in doc and rng.random() < unsaved:
            doc.setdefault("labels", {})["data"] = "customer"
        docs[sid] = doc
        earlier_by_tier[tier].append(sid)
    return docs


def _pick_facilities(
    rng: random.Random, facilities: list[Facility], by_region: dict[int, list[int]]
) -> list[Facility]:
    """Pick 1-3 distinct facilities, the later ones mostly in the first one's region."""
    wanted = rng.choices((1, 2, 3), weights=FACILITY_SPREAD_WEIGHTS)[0]
    wanted = min(wanted, len(facilities))
    first = rng.randrange(len(facilities))
    chosen = [first]
    while len(chosen) < wanted:
        neighbours = by_region[facilities[first].region]
        pool = neighbours if rng.random() < 0.7 and len(neighbours) > len(chosen) else None
        candidate = rng.choice(pool) if pool else rng.randrange(len(facilities))
        if candidate not in chosen:
            chosen.append(candidate)
    return [facilities[position] for position in chosen]


def _service_doc(rng: random.Random, index: int, tier: int, placed: list[Facility]) -> Document:
    choices = CRITICAL_REPLICA_CHOICES if tier == 0 else REPLICA_CHOICES
    replicas = max(rng.choice(choices), len(placed))
    doc: Document = {"tier": TIERS[tier], "instances": _place_replicas(rng, replicas, placed)}
    draw = rng.random()
    if replicas >= 3 and draw < 0.15:
        doc["min_healthy"] = "majority"
    elif replicas >= 3 and draw < 0.20:
        doc["min_healthy"] = 2
    return doc


def _place_replicas(rng: random.Random, replicas: int, placed: list[Facility]) -> list[Any]:
    """One rack (rarely a whole hall) per replica; repeats become ``{at, count}``."""
    counts: dict[str, int] = {}
    for replica in range(replicas):
        facility = placed[replica % len(placed)]
        hall = rng.randrange(len(facility.halls))
        if rng.random() < 0.03:
            location = facility.halls[hall]
        else:
            location = rng.choice(facility.racks_by_hall[hall])
        counts[location] = counts.get(location, 0) + 1
    return [
        location if count == 1 else {"at": location, "count": count}
        for location, count in counts.items()
    ]


def _add_dependencies(
    rng: random.Random,
    doc: Document,
    tier: int,
    ids: list[str],
    index: int,
    earlier_by_tier: list[list[str]],
    profile: Profile,
) -> None:
    """Depend only on services with a smaller index, mostly of the same or a higher tier."""
    if index == 0:
        return
    wanted = rng.choices(range(4), weights=DEPENDENCY_COUNT_WEIGHTS)[0]
    picks = [_pick_earlier(rng, tier, ids, index, earlier_by_tier) for _ in range(wanted)]
    if profile.inversions and rng.random() < profile.inversions:
        lower = [other for other in range(tier + 1, len(TIERS)) if earlier_by_tier[other]]
        if lower:
            picks.append(rng.choice(earlier_by_tier[rng.choice(lower)]))
    hard = list(dict.fromkeys(picks))
    requirements: list[Any] = list(hard)
    if index >= 3 and rng.random() < profile.any_of:
        group = _any_of_group(rng, tier, ids, index, earlier_by_tier, hard)
        if group is not None:
            requirements.append(group)
    if requirements:
        doc["depends_on"] = requirements


def _pick_earlier(
    rng: random.Random, tier: int, ids: list[str], index: int, earlier_by_tier: list[list[str]]
) -> str:
    if rng.random() < 0.9:
        tiers = [candidate for candidate in range(tier + 1) if earlier_by_tier[candidate]]
        if tiers:
            return rng.choice(earlier_by_tier[rng.choice(tiers)])
    return ids[rng.randrange(index)]


def _any_of_group(
    rng: random.Random,
    tier: int,
    ids: list[str],
    index: int,
    earlier_by_tier: list[list[str]],
    exclude: list[str],
) -> Document | None:
    """An ``any_of`` group of 2 (min 1) or 3 (min 2) members; None if too few candidates."""
    size, minimum = (3, 2) if rng.random() < 0.2 else (2, 1)
    members: list[str] = []
    for _ in range(size * 4):  # a few tries; small manifests may not have enough candidates
        candidate = _pick_earlier(rng, tier, ids, index, earlier_by_tier)
        if candidate not in members and candidate not in exclude:
            members.append(candidate)
        if len(members) == size:
            break
    if len(members) < 2:
        return None
    return {"any_of": members, "min": min(minimum, len(members) - 1)}


def _add_backups_and_recovery(
    rng: random.Random,
    doc: Document,
    tier: int,
    placed: list[Facility],
    all_: list[Facility],
    profile: Profile,
) -> None:
    if rng.random() < profile.backups:
        site = _backup_site(rng, placed, all_, profile.backups_onsite)
        doc["backups"] = [{"at": site, "every": _backup_interval(rng)}]
    declares = (tier == 0 and rng.random() < 0.8) or (tier == 1 and rng.random() < 0.3)
    undeclared = profile.no_objectives
    if declares and not (tier == 0 and undeclared and rng.random() < undeclared):
        doc["rto"] = rng.choice(RTO_CHOICES)
        doc["rpo"] = rng.choice(RPO_CHOICES)


def _backup_site(
    rng: random.Random, placed: list[Facility], all_: list[Facility], onsite: float
) -> str:
    """Mostly another facility; sometimes a rack of the primary facility (not a real backup)."""
    if rng.random() < onsite:
        primary = placed[0]
        return rng.choice(primary.racks_by_hall[rng.randrange(len(primary.halls))])
    return all_[rng.randrange(len(all_))].id


def _backup_interval(rng: random.Random) -> str:
    return rng.choice(BACKUP_INTERVALS)


def _add_free_data(rng: random.Random, doc: Document, index: int, count: int) -> None:
    if rng.random() < 0.6:
        doc["owner"] = f"team-{rng.randrange(max(1, count // 50)):04d}"
    if rng.random() < 0.25:
        doc["labels"] = {"app": f"app-{index // 7}", "env": rng.choice(("prod", "prod", "stage"))}


def _close_cycles(rng: random.Random, services: Document, share: float) -> None:
    """Make ``share`` of the services hard-required back by one of their requirements."""
    ids = list(services)
    for _ in range(round(share * len(ids))):
        sid = rng.choice(ids)
        hard = [ref for ref in services[sid].get("depends_on", []) if isinstance(ref, str)]
        if hard:
            required = services[rng.choice(hard)]
            back = required.setdefault("depends_on", [])
            if sid not in back:
                back.insert(0, sid)


# ------------------------------------------------------------------------------ output


def write(doc: Document, path: str | Path, fmt: str) -> None:
    """Write ``doc`` to ``path`` as compact JSON or block YAML (libyaml when available)."""
    Path(path).write_text(dumps(doc, fmt), encoding="utf-8")


def dumps(doc: Document, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(doc, separators=(",", ":"), ensure_ascii=False) + "\n"
    if fmt == "yaml":
        dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
        text: str = yaml.dump(
            doc, Dumper=dumper, sort_keys=False, default_flow_style=None, width=1_000_000
        )
        return text
    raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")


# -------------------------------------------------------------------------- validation


def validate(doc: Document) -> list[str]:
    """Return the problems a loader would report: unknown or shared ids, cycles."""
    domains: Document = doc.get("domains", {})
    services: Document = doc.get("services", {})
    problems = [f"id {key!r} is both a domain and a service" for key in domains if key in services]
    known = domains.keys() | services.keys()
    for entity_id, entity in (*domains.items(), *services.items()):
        problems.extend(
            f"{entity_id}: unknown id {ref!r}" for ref in _references(entity) if ref not in known
        )
    problems.extend(_cycle_problems("parent", _parent_edges(domains)))
    problems.extend(_cycle_problems("service depends_on", _service_edges(services)))
    return problems


def _references(entity: Document) -> list[str]:
    refs: list[str] = [entity["parent"]] if "parent" in entity else []
    refs.extend(_requirement_ids(entity))
    for instance in entity.get("instances", []):
        refs.append(instance if isinstance(instance, str) else instance["at"])
    refs.extend(backup["at"] for backup in entity.get("backups", []))
    return refs


def _requirement_ids(entity: Document) -> list[str]:
    ids: list[str] = []
    for requirement in entity.get("depends_on", []):
        if isinstance(requirement, str):
            ids.append(requirement)
        else:
            ids.extend(requirement["any_of"])
    return ids


def _parent_edges(domains: Document) -> dict[str, list[str]]:
    return {key: [value["parent"]] if "parent" in value else [] for key, value in domains.items()}


def _service_edges(services: Document) -> dict[str, list[str]]:
    return {
        key: [ref for ref in _requirement_ids(value) if ref in services]
        for key, value in services.items()
    }


def _cycle_problems(what: str, edges: dict[str, list[str]]) -> list[str]:
    """Kahn's algorithm: whatever cannot be ordered lies on or behind a cycle."""
    indegree = dict.fromkeys(edges, 0)
    for targets in edges.values():
        for target in targets:
            if target in indegree:
                indegree[target] += 1
    ready = [node for node, degree in indegree.items() if degree == 0]
    ordered = 0
    while ready:
        node = ready.pop()
        ordered += 1
        for target in edges[node]:
            if target in indegree:
                indegree[target] -= 1
                if indegree[target] == 0:
                    ready.append(target)
    stuck = len(edges) - ordered
    return [f"{what}: {stuck} entities on or behind a cycle"] if stuck else []


# --------------------------------------------------------------------------------- cli


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, required=True, help="number of services")
    parser.add_argument("--domains", type=int, required=True, help="number of domains (exact)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument(
        "--profile", choices=PROFILES, default="healthy", help="estate shape (default healthy)"
    )
    parser.add_argument(
        "--failing",
        type=float,
        help=f"broken profile: share of services failing (0-1, default {DEFAULT_FAILING:.2f})",
    )
    parser.add_argument("--format", choices=FORMATS, help="default: from --out's suffix, else json")
    parser.add_argument("--out", required=True, type=Path, help="output file")
    parser.add_argument("--validate", action="store_true", help="check ids, references, cycles")
    return parser.parse_args(argv)


def format_for(path: Path, explicit: str | None) -> str:
    if explicit:
        return explicit
    return "yaml" if path.suffix in (".yaml", ".yml") else "json"


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    fmt = format_for(args.out, args.format)
    started = time.perf_counter()
    try:
        if args.failing is not None and args.profile != "broken":
            raise ValueError("--failing needs --profile broken")
        failing = DEFAULT_FAILING if args.failing is None else args.failing
        profile = broken(failing) if args.profile == "broken" else HEALTHY
        doc = generate(args.services, args.domains, args.seed, profile)
    except ValueError as error:
        print(f"generate.py: {error}", file=sys.stderr)
        return 2
    generated = time.perf_counter()
    write(doc, args.out, fmt)
    written = time.perf_counter()
    size_mib = args.out.stat().st_size / 2**20
    print(
        f"{args.out}: {len(doc['services'])} services, {len(doc['domains'])} domains, "
        f"{size_mib:.1f} MiB {fmt}; generate {generated - started:.2f} s, "
        f"write {written - generated:.2f} s",
        file=sys.stderr,
    )
    if args.validate:
        problems = validate(doc)
        for problem in problems[:20]:
            print(f"invalid: {problem}", file=sys.stderr)
        print(f"validate: {len(problems)} problems", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
