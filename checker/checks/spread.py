"""``spread``: replicas must lie in at least N distinct domains of a kind.

What it does
    For each selected service, finds the KIND-domain of every instance (the domain it
    is placed at if of KIND, else its nearest ancestor of KIND through ``parent``)
    and counts the distinct ones.

Why it matters
    A fire, flood or power cut takes a whole building at once; replicas in two halls
    of one facility die together (Pangyo, 2022). Zones are not buildings either
    (europe-west9, 2023): check spread at the level that burns.

Example
    ``spread: {across: facility, min: 2}`` fails a service whose two replicas sit in
    ``pangyo/hall-a`` and ``pangyo/hall-b``.

Fix
    Place replicas in at least ``min`` domains of the kind. An instance with no
    ancestor of the kind cannot prove anything: give its domain a ``parent`` chain.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from pydantic import BaseModel, ConfigDict, Field

from checker.checks.base import Context, Verdict
from checker.core.model import Entity, Service
from checker.core.words import listing, plural

#: The rule key that names this check in a policy.
NAME = "spread"
#: One line for the policy JSON Schema and ``resilint rules``.
SUMMARY = "Instances lie in at least 'min' distinct domains of kind 'across'."
APPLIES_TO = frozenset({"service"})


class Params(BaseModel):
    # Built on first use: a policy's rule model inlines this schema, so on most runs
    # no validator of its own is needed (start-up, docs/decisions.md "Speed").
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)

    across: str = Field(min_length=1)
    min: int = Field(default=2, ge=1)


def run(context: Context, entities: Sequence[Entity], params: Params) -> Iterator[Verdict]:
    across = params.across
    for service in entities:
        assert isinstance(service, Service)
        if not service.instances:
            yield Verdict(service.id, False, "has no instances, so it runs in no " + across)
            continue
        found, unplaced = context.instance_sites(service, across)
        if unplaced:
            yield Verdict(
                service.id,
                False,
                f"cannot tell which {across} instances at {listing(unplaced)} are in: "
                f"no enclosing domain of kind {across!r} (set `parent` up to one)",
            )
        elif len(found) < params.min:
            yield Verdict(
                service.id,
                False,
                f"runs in {plural(len(found), across)} ({listing(found)}), "
                f"needs at least {params.min}",
            )
        else:
            yield Verdict(
                service.id, True, f"runs in {plural(len(found), across)}: {listing(found)}"
            )
