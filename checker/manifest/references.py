"""Reference checks on a merged model: every id resolves, ``parent`` forms a forest."""

from __future__ import annotations

from checker.core.errors import ManifestError, Problem
from checker.core.location import Pointer
from checker.core.model import Domain, Model, Requirement, Service
from checker.core.words import suggest
from checker.manifest.entities import Referenced
from checker.manifest.nesting import MAX_PARENT_DEPTH, check_parent_depth

#: Suggestions scan every id; only the first few dangling references get one.
_SUGGESTIONS = 5


def _all_resolve(model: Model) -> bool:
    """The common case, checked with the least work: every reference resolves."""
    domains = model.domains
    known = domains.keys() | model.services.keys()

    def resolves(requires: tuple[Requirement, ...]) -> bool:
        for requirement in requires:
            members = requirement.members
            if not requirement.is_group:
                if members[0] not in known:
                    return False
            elif (
                requirement.min > len(members)
                or len(set(members)) != len(members)
                or not known.issuperset(members)
            ):
                return False
        return True

    for domain in domains.values():
        if domain.parent is not None and domain.parent not in domains:
            return False
        if domain.requires and not resolves(domain.requires):
            return False
    for service in model.services.values():
        for placement in service.instances:
            if placement.at not in domains:
                return False
        for backup in service.backups:
            if backup.at not in domains:
                return False
        if service.requires and not resolves(service.requires):
            return False
    return True


def _all_referenced_resolve(model: Model, referenced: Referenced) -> bool:
    """What :func:`_all_resolve` says, from the references that the model's entities
    were built with and that were not found among its ids then (the others resolve)."""
    domains, services = model.domains, model.services
    if not all(map(domains.__contains__, referenced.domains)):
        return False
    for requirement in referenced.requirements:
        members = requirement.members
        if requirement.is_group and (
            requirement.min > len(members) or len(set(members)) != len(members)
        ):
            return False
        for member in members:
            if member not in services and member not in domains:
                return False
    return True


def check_references(
    model: Model,
    collect: list[Problem] | None = None,
    elsewhere: frozenset[str] | None = frozenset(),
    referenced: Referenced | None = None,
) -> None:
    """Every reference resolves and parents form a forest; else a ManifestError.

    With ``collect``, problems are appended to it instead. ``elsewhere`` holds ids that
    files which did not load define (a reference to one is not reported as unknown);
    None when a file could not be read at all, so that no id can be called unknown.
    ``referenced``: every reference of the model's entities, when the builder knows.
    """
    problems: list[Problem] = [] if collect is None else collect
    if _all_resolve(model) if referenced is None else _all_referenced_resolve(model, referenced):
        if _shallow_forest(model):
            return  # what the two checks below would say, in one pass
        cycles = _parent_cycles(model)
        problems.extend(cycles)
        if not cycles:
            # Depth is only measured on a forest whose every parent resolves.
            try:
                check_parent_depth(model)
            except ManifestError as error:
                problems.extend(error.problems)
        if problems and collect is None:
            raise ManifestError(problems)
        return
    before = len(problems)
    suggestions = [_SUGGESTIONS]

    def dangling(entity: Domain | Service, pointer: Pointer, target: str, wanted: str) -> None:
        if elsewhere is None or target in elsewhere:
            return  # perhaps defined in a file that did not load: it is reported there
        hint = ""
        if suggestions[0] > 0:
            suggestions[0] -= 1
            pool = [*model.domains] if wanted == "domain" else [*model.domains, *model.services]
            hint = suggest(target, [*pool, *(elsewhere or ())])
        problems.append(
            Problem(
                f"{entity.entity} {entity.id!r} refers to unknown {wanted} {target!r}{hint}",
                model.location(entity, pointer),
            )
        )

    def requirements(entity: Domain | Service, requires: tuple[Requirement, ...]) -> None:
        for index, requirement in enumerate(requires):
            pointer: Pointer = ("depends_on", index)
            if requirement.is_group:
                if requirement.min > len(requirement.members):
                    problems.append(
                        Problem(
                            f"{entity.entity} {entity.id!r}: any_of needs min {requirement.min} "
                            f"but lists only {len(requirement.members)} entities",
                            model.location(entity, (*pointer, "min")),
                        )
                    )
                if len(set(requirement.members)) != len(requirement.members):
                    problems.append(
                        Problem(
                            f"{entity.entity} {entity.id!r}: any_of lists an entity twice",
                            model.location(entity, (*pointer, "any_of")),
                        )
                    )
                for position, member in enumerate(requirement.members):
                    if model.entity(member) is None:
                        dangling(entity, (*pointer, "any_of", position), member, "entity")
            elif model.entity(requirement.members[0]) is None:
                dangling(entity, pointer, requirement.members[0], "entity")

    for domain in model.domains.values():
        if domain.parent is not None and domain.parent not in model.domains:
            what = "a service, not a domain" if domain.parent in model.services else None
            if what:
                problems.append(
                    Problem(
                        f"domain {domain.id!r}: parent {domain.parent!r} is {what}",
                        model.location(domain, ("parent",)),
                    )
                )
            else:
                dangling(domain, ("parent",), domain.parent, "domain")
        requirements(domain, domain.requires)
    for service in model.services.values():
        for index, placement in enumerate(service.instances):
            if placement.at not in model.domains:
                dangling(service, ("instances", index), placement.at, "domain")
        for index, backup in enumerate(service.backups):
            if backup.at not in model.domains:
                dangling(service, ("backups", index, "at"), backup.at, "domain")
        requirements(service, service.requires)
    if len(problems) == before:
        problems.extend(_parent_cycles(model))
    if problems and collect is None:
        raise ManifestError(problems)


def _shallow_forest(model: Model) -> bool:
    """Whether parents (which all resolve) form a forest no deeper than the limit: each
    domain's depth found once, from the nearest ancestor whose depth is known."""
    domains = model.domains
    depth = {"": 0}  # "" (no id) above the roots
    for start in domains:
        path: list[str] = []
        current = start
        while current not in depth:
            depth[current] = -1  # on the path being followed: met again, a cycle
            path.append(current)
            current = domains[current].parent or ""
        level = depth[current]
        if level < 0:
            return False
        for domain_id in reversed(path):
            level += 1
            if level > MAX_PARENT_DEPTH:
                return False
            depth[domain_id] = level
    return True


def _parent_cycles(model: Model) -> list[Problem]:
    problems: list[Problem] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: known to reach a root
    for start in model.domains:
        path: list[str] = []
        current: str | None = start
        while current is not None and state.get(current) is None:
            state[current] = 1
            path.append(current)
            parent = model.domains[current].parent
            current = parent if parent in model.domains else None
        if current is not None and state[current] == 1:
            cycle = path[path.index(current) :]
            domain = model.domains[current]
            problems.append(
                Problem(
                    "parent cycle: "
                    + " -> ".join([*cycle, current])
                    + " (parents must form a tree)",
                    model.location(domain, ("parent",)),
                )
            )
        for node in path:
            state[node] = 2
    return problems
