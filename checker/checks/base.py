"""What every check receives and returns."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from typing import Any, NamedTuple, Protocol

from pydantic import BaseModel

from checker.core.model import Entity, Model, Service
from checker.engine.graph import FailureGraph, requirement_cone
from checker.engine.killsets import single_failure_kills


class Verdict(NamedTuple):
    """A check's answer for one entity, before it becomes a finding."""

    entity: str
    passed: bool
    message: str
    causes: tuple[str, ...] = ()
    detail: str = ""


class Passes(NamedTuple):
    """Consecutive entities of the selection that all pass: a check's shortcut.

    A check over a whole large manifest yields these around its detailed verdicts
    instead of one :class:`Verdict` per passing entity, so passes that are only
    counted cost nothing each; ``message`` is asked only when a report lists them.
    """

    entities: Sequence[Entity]
    message: Callable[[Entity], str]
    detail: str = ""


def around(
    entities: Sequence[Entity],
    detailed: Iterable[tuple[int, Verdict]],
    message: Callable[[Entity], str],
) -> Iterator[Verdict | Passes]:
    """Every entity's verdict in selection order: ``detailed`` ones (by position in
    ``entities``, increasing) as given, the entities between them as :class:`Passes`."""
    start = 0
    for position, verdict in detailed:
        if position > start:
            yield Passes(entities[start:position], message)
        yield verdict
        start = position + 1
    if start < len(entities):
        yield Passes(entities[start:], message)


class ServiceEdges(NamedTuple):
    """The hard requirements between services, as integer edges (service order).

    Shared by the checks that look at every service's requirements (``acyclic``,
    ``tier_dependencies``): on a large manifest, building it is one pass over every
    requirement, done once per evaluation.
    """

    ids: list[str]
    position: dict[str, int]
    #: Per service, the services it hard-requires (with repeats, in written order).
    edges: list[list[int]]
    #: Services with at least one ``any_of`` requirement.
    with_groups: set[int]


def service_edges(model: Model) -> ServiceEdges:
    ids = list(model.services)
    index = dict(zip(ids, range(len(ids)), strict=True))
    position = index.get
    edges: list[list[int]] = []
    with_groups: set[int] = set()
    for node, service in enumerate(model.services.values()):
        # Plain loops, not comprehensions over generators: this runs for every service.
        row: list[int] = []
        for requirement in service.requires:
            if requirement.is_group:
                with_groups.add(node)
            else:
                target = position(requirement.members[0])
                if target is not None:
                    row.append(target)
        edges.append(row)
    return ServiceEdges(ids, index, edges, with_groups)


class Context:
    """Shared, lazily built state for one evaluation: the failure graph and cached scenarios."""

    def __init__(self, model: Model) -> None:
        self.model = model
        self._graph: FailureGraph | None = None
        self._only: set[str] | None = None
        self._kind_ancestors: dict[tuple[str, str], str | None] = {}
        self._service_edges: ServiceEdges | None = None

    def limit_to(self, entity_ids: Iterable[str]) -> None:
        """Compile only what these entities require: all that checks will ask about.

        Must be called before the graph is first used.
        """
        assert self._graph is None, "the failure graph is already compiled"
        self._only = requirement_cone(self.model, entity_ids)

    @property
    def service_edges(self) -> ServiceEdges:
        if self._service_edges is None:
            self._service_edges = service_edges(self.model)
        return self._service_edges

    @property
    def graph(self) -> FailureGraph:
        if self._graph is None:
            self._graph = FailureGraph(self.model, self._only)
        return self._graph

    def single_failure_kills(
        self, kinds: tuple[str, ...] | None, within: AbstractSet[int]
    ) -> tuple[list[str], list[int]]:
        """(candidates of ``kinds``, per entity the bitset of candidates that kill it).

        Bit ``i`` of a kill set stands for ``candidates[i]``. Only entities ``within``
        (the cone of the entities asked about: nothing outside it can change their
        fate) are computed.
        """
        graph = self.graph
        candidates = graph.domains_of_kind(kinds)
        kills = single_failure_kills(graph, [graph.index[d] for d in candidates], within)
        return candidates, kills

    def instance_sites(self, service: Service, kind: str) -> tuple[list[str], list[str]]:
        """(the distinct KIND-domains of the service's instances, in order; instance
        domains with no enclosing domain of KIND)."""
        sites: dict[str, None] = {}  # ordered, and a set: thousands of instances stay linear
        unplaced: list[str] = []
        for placement in service.instances:
            site = self.kind_domain(placement.at, kind)
            if site is None:
                unplaced.append(placement.at)
            else:
                sites.setdefault(site)
        return list(sites), unplaced

    def kind_domain(self, domain_id: str, kind: str) -> str | None:
        """The domain of ``kind`` that contains ``domain_id`` (itself included), if any."""
        key = (domain_id, kind)
        if key not in self._kind_ancestors:
            self._kind_ancestors[key] = self.model.kind_ancestor(domain_id, kind)
        return self._kind_ancestors[key]


class Check(Protocol):
    """A check kind: a module with these names (see :data:`checker.checks.CHECKS`)."""

    #: The key that names the check in a rule (``spread: {...}``).
    NAME: str
    #: One line: what passing means.
    SUMMARY: str
    #: Which entities it can judge: ``{"service"}`` or ``{"service", "domain"}``.
    APPLIES_TO: frozenset[str]

    # A property: read-only, so each module may provide its own subclass.
    @property
    def Params(self) -> type[BaseModel]:
        """The parameters' pydantic model."""

    # ``params`` is an instance of the module's own ``Params``: a protocol cannot say
    # "your own class" of a module, so this one parameter stays untyped here.
    def run(
        self, context: Context, entities: Sequence[Entity], params: Any
    ) -> Iterator[Verdict | Passes]: ...


def kinds_of(value: str | Iterable[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def count_of_kind(model: Model, kinds: tuple[str, ...] | None) -> int:
    """How many domains of these kinds the whole manifest has (all for None)."""
    if kinds is None:
        return len(model.domains)
    return sum(1 for d in model.domains.values() if d.kind in kinds)


def check_sections(check: Check) -> dict[str, str]:
    """The sections of a check module's docstring (What it does, Why it matters, ...)."""
    doc = check.__doc__ or ""
    sections: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in doc.splitlines()[1:]:
        if line and not line[0].isspace():
            current = sections.setdefault(line.strip(), [])
        elif current is not None:
            current.append(line)
    return {name: textwrap.dedent("\n".join(body)).strip() for name, body in sections.items()}
