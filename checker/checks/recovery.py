"""``recovery``: a service declares recovery objectives (RTO/RPO) that are within bounds and honest.

What it does
    Passes when the service declares both ``rto`` and ``rpo``, each within ``rto_max`` /
    ``rpo_max`` when given, and, if it has backups, its ``rpo`` is no shorter than the
    most frequent off-site backup (outside the ``offsite`` kind, default ``facility``;
    when no backup is off-site, the most frequent backup): an RPO the data cannot meet
    is a claim, not an objective.

Why it matters
    Kakao's main services were out for 127 hours in 2022 while Naver, with cross-site
    redundancy and planned recovery, was mostly back within 12. Undeclared objectives
    cannot be tested, funded or met.

Example
    ``recovery: {}`` fails ``message-db`` with ``rpo: 15m`` whose only off-site backup
    runs every 24h.

Fix
    Declare ``rto`` and ``rpo`` that the design can meet: back up at least as often as
    the RPO, or relax the RPO to what the backups give.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict, Field

from checker.checks.backup import offsite_backups
from checker.checks.base import Context, Verdict
from checker.core.durations import format_duration, parse_duration
from checker.core.model import Entity, Service
from checker.manifest.fields import Duration

#: The rule key that names this check in a policy.
NAME = "recovery"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = "rto/rpo are declared, within bounds, and met by the backups."
APPLIES_TO = frozenset({"service"})


class Params(BaseModel):
    # Built on first use: a policy's rule model inlines this schema, so on most runs
    # no validator of its own is needed (start-up, docs/decisions.md "Speed").
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    rto_max: Duration | None = None
    rpo_max: Duration | None = None
    offsite: str = Field(default="facility", min_length=1)


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict]:
    rto_max = parse_duration(params.rto_max) if params.rto_max else None
    rpo_max = parse_duration(params.rpo_max) if params.rpo_max else None
    for service in entities:
        assert isinstance(service, Service)
        missing = [
            name
            for name, value in (("rto", service.rto_seconds), ("rpo", service.rpo_seconds))
            if value is None
        ]
        if missing:
            yield Verdict(service.id, False, f"declares no {' or '.join(missing)}")
            continue
        rto, rpo = service.rto_seconds, service.rpo_seconds
        assert rto is not None and rpo is not None
        problems = []
        if rto_max is not None and rto > rto_max:
            problems.append(f"rto {format_duration(rto)} exceeds {format_duration(rto_max)}")
        if rpo_max is not None and rpo > rpo_max:
            problems.append(f"rpo {format_duration(rpo)} exceeds {format_duration(rpo_max)}")
        if service.backups:
            offsite, _, _ = offsite_backups(context, service, params.offsite)
            pool = offsite or list(service.backups)
            best = min(pool, key=lambda b: b.every_seconds)
            if rpo < best.every_seconds:
                where = "off-site " if offsite else ""
                problems.append(
                    f"rpo {format_duration(rpo)} is shorter than the most frequent {where}backup "
                    f"(at {best.at}, every {best.every}): the data cannot meet it"
                )
        if problems:
            yield Verdict(service.id, False, "; ".join(problems))
        else:
            yield Verdict(
                service.id,
                True,
                f"declares rto {format_duration(rto)} and rpo {format_duration(rpo)}",
            )
