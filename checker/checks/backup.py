"""``backup``: a service's data has a copy outside every domain (of a kind) its replicas run in.

What it does
    Finds the KIND-domain (as for ``spread``) of each instance and each backup. It passes
    when at least one backup's KIND-domain is that of no instance, and, if
    ``max_interval`` is given, such an off-site backup runs at least that often. No
    backups at all fails; a backup or instance whose KIND-domain cannot be found
    cannot prove anything, and the message says so.

Why it matters
    A backup in the same building as the primary is not a backup: the OVHcloud SBG
    fire (2021) destroyed both, and the NIRS G-Drive (Daejeon, 2025) had none at all.

Example
    ``backup: {outside: facility}`` fails ``shop-db`` in ``rbx`` whose only backup is at
    ``rbx/vault``.

Fix
    Back up to another facility (or region, for ``outside: region``) and schedule it at
    least as often as the recovery point objective requires.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict, Field

from checker.checks.base import Context, Verdict
from checker.core.durations import format_duration, parse_duration
from checker.core.model import Backup, Entity, Service
from checker.core.words import listing
from checker.manifest.fields import Duration

#: The rule key that names this check in a policy.
NAME = "backup"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = "A backup lies outside every instance's domain of kind 'outside'."
APPLIES_TO = frozenset({"service"})


class Params(BaseModel):
    # Built on first use: a policy's rule model inlines this schema, so on most runs
    # no validator of its own is needed (start-up, docs/decisions.md "Speed").
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    outside: str = Field(min_length=1)
    max_interval: Duration | None = None


def offsite_backups(
    context: Context, service: Service, kind: str
) -> tuple[list[Backup], list[str], list[str]]:
    """(backups outside every instance's KIND-domain, instances and backups not placed).

    An instance whose KIND-domain is unknown could be anywhere, so while there is one
    no backup can be shown to be off-site.
    """
    sites_in_order, unplaced_instances = context.instance_sites(service, kind)
    sites = set(sites_in_order)
    offsite: list[Backup] = []
    unplaced_backups: list[str] = []
    for backup in service.backups:
        site = context.kind_domain(backup.at, kind)
        if site is None:
            unplaced_backups.append(backup.at)
        elif site not in sites and not unplaced_instances:
            offsite.append(backup)
    return offsite, unplaced_instances, unplaced_backups


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict]:
    kind = params.outside
    limit = parse_duration(params.max_interval) if params.max_interval else None
    for service in entities:
        assert isinstance(service, Service)
        if not service.backups:
            yield Verdict(service.id, False, "has no backups")
            continue
        offsite, unplaced_instances, unplaced_backups = offsite_backups(context, service, kind)
        if unplaced_instances:
            yield Verdict(
                service.id,
                False,
                f"cannot tell which {kind} instances at {listing(unplaced_instances)} are in "
                f"(no enclosing domain of kind {kind!r}), so no backup can be shown to be "
                "outside it",
            )
            continue
        unknown = (
            f" ({listing(unplaced_backups)} in no {kind}, so cannot prove anything)"
            if unplaced_backups
            else ""
        )
        if not offsite:
            places = listing([b.at for b in service.backups])
            yield Verdict(
                service.id,
                False,
                f"has no backup outside the {kind} of its instances: backups at {places}{unknown}",
            )
            continue
        if limit is not None:
            fresh = [b for b in offsite if b.every_seconds <= limit]
            if not fresh:
                shortest = min(offsite, key=lambda b: b.every_seconds)
                yield Verdict(
                    service.id,
                    False,
                    f"off-site backups run every {shortest.every} at best, "
                    f"more than the allowed {format_duration(limit)}",
                )
                continue
            offsite = fresh
        best = min(offsite, key=lambda b: b.every_seconds)
        yield Verdict(
            service.id,
            True,
            f"backup at {best.at} (every {best.every}) is outside the {kind} of every instance",
        )
