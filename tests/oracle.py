"""The failure semantics of docs/manifest.md, naively: the oracle the engine is held to.

It reads the manifest *document* as written, not the model the loader builds nor the
engine's gates, and applies the rules of "Failure semantics" until nothing changes: an
entity is down when it is a failed domain, a domain whose ``parent`` is down, an entity
with an unmet requirement (a hard id that is down, an ``any_of`` group with fewer than
``min`` members up), or a service with fewer than ``min_healthy`` replicas up. Starting
from nothing down, this reaches the least fixed point, so a cycle of healthy services
stays up. Slow on purpose (every rule re-checked on every pass): small manifests only.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Set
from typing import Any


def _unmet(requirements: Iterable[Any], down: Set[str]) -> bool:
    for requirement in requirements:
        if isinstance(requirement, str):
            if requirement in down:
                return True
        else:
            up = sum(1 for member in requirement["any_of"] if member not in down)
            if up < requirement.get("min", 1):
                return True
    return False


def _replicas_up(service: Mapping[str, Any], down: Set[str]) -> tuple[int, int]:
    """(replicas up, replicas in all) over the service's ``instances``."""
    total = up = 0
    for instance in service.get("instances", []):
        if isinstance(instance, str):
            at, count = instance, 1
        else:
            at, count = instance["at"], instance.get("count", 1)
        total += count
        up += 0 if at in down else count
    return up, total


def naive_down(doc: Mapping[str, Any], failed: Set[str]) -> set[str]:
    """Every entity down when the ``failed`` domains fail."""
    down: set[str] = set()
    changed = True
    while changed:
        changed = False
        for domain_id, domain in doc.get("domains", {}).items():
            if domain_id in down:
                continue
            if (
                domain_id in failed
                or domain.get("parent") in down
                or _unmet(domain.get("depends_on", []), down)
            ):
                down.add(domain_id)
                changed = True
        for service_id, service in doc.get("services", {}).items():
            if service_id in down:
                continue
            up, total = _replicas_up(service, down)
            need = service.get("min_healthy", 1)
            if need == "majority":
                need = total // 2 + 1
            if up < need or _unmet(service.get("depends_on", []), down):
                down.add(service_id)
                changed = True
    return down
