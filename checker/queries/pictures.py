"""What the HTML report draws, computed once from the failure engine (docs/report.md).

A reporter gets no model, only values: :func:`pictures` turns the model into a
:class:`Pictures` the ``html`` format of ``check`` can draw without computing anything
about failures itself:

* ``entities``: every domain (with its kind and parent) and service (tier, owner);
* ``overview``: the :func:`~checker.queries.layout.layout` of the whole model, when it
  is small enough to be read as one picture (:data:`OVERVIEW_LIMIT`);
* ``what_if``: for every domain, what goes down when it fails alone, as the engine's
  own links: each downed entity, the entity whose loss took it down and the engine's
  sentence. Following the links from a service back to the domain gives exactly the
  cause chain ``resilint what-if`` prints.

Blast radii of findings need nothing more: a finding carries its cause chain, and
:func:`chain_entities` reads the entity of each link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from checker.core.model import Model
from checker.engine.graph import FailureGraph
from checker.queries.layout import Layout, layout

#: Above this many drawn nodes (domains, services, any_of gates) one picture of the
#: whole model is unreadable (and heavy): the report offers the what-if list alone.
OVERVIEW_LIMIT = 400


class EntityInfo(NamedTuple):
    id: str
    is_domain: bool
    #: A domain's kind or a service's tier.
    sub: str
    parent: str | None = None
    owner: str | None = None


class Link(NamedTuple):
    """One downed entity of a scenario: who took it down (None: failed itself), and why."""

    entity: str
    trigger: str | None
    #: The engine's sentence: ``auth is down: 0 of 2 instances up (needs 1)``.
    sentence: str


@dataclass(frozen=True)
class Pictures:
    entities: tuple[EntityInfo, ...]
    overview: Layout | None
    #: Per domain, in manifest order: what goes down when it fails alone.
    what_if: Mapping[str, tuple[Link, ...]] = field(default_factory=dict)
    #: Entities down even with nothing failed (they are down in every scenario too).
    down_anyway: tuple[str, ...] = ()
    #: Nodes the overview would have: the reason it is left out when it is.
    size: int = 0
    #: The configured tiers, most important first.
    tiers: tuple[str, ...] = ()


def pictures(model: Model, graph: FailureGraph | None = None) -> Pictures:
    graph = graph or FailureGraph(model)
    entities = tuple(
        [EntityInfo(d.id, True, d.kind, d.parent) for d in model.domains.values()]
        + [EntityInfo(s.id, False, s.tier, None, s.owner) for s in model.services.values()]
    )
    requirements = [d.requires for d in model.domains.values()]
    requirements += [s.requires for s in model.services.values()]
    gates = sum(1 for requires in requirements for r in requires if r.is_group)
    size = len(entities) + gates
    overview = layout(model) if size <= OVERVIEW_LIMIT else None
    anyway = graph.nothing_failed()
    down_anyway = tuple(anyway.down_ids())
    broken = set(down_anyway)
    what_if: dict[str, tuple[Link, ...]] = {}
    for domain in model.domains:
        outcome = graph.propagate([domain])
        links: list[Link] = []
        for entity in outcome.down_ids():
            if entity in broken:
                continue
            chain = outcome.causes(entity)
            trigger = chain_entities(chain[1:2])[0] if len(chain) > 1 else None
            links.append(Link(entity, trigger, chain[0]))
        what_if[domain] = tuple(links)
    return Pictures(entities, overview, what_if, down_anyway, size, model.tiers)


def chain_entities(causes: Sequence[str]) -> list[str]:
    """The entity of each link of a cause chain: its first word (ids hold no spaces)."""
    return [cause.split(" ", 1)[0] for cause in causes]
