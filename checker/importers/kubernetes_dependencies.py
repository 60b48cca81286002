"""From a Service a container names to the workload behind it: a ``depends_on`` entry.

A Service routes to the pods its selector matches; the workload whose pod template
carries those labels is what the caller needs (docs/importing-kubernetes.md,
"Dependencies"). One workload behind the Service is a hard requirement; several
(a canary beside the main Deployment) are an ``any_of`` group, since either serves.
"""

from __future__ import annotations

from collections.abc import Iterable, Set
from typing import Any

from checker.importers.kubernetes_fields import LabelIndex, plain_selector, string
from checker.importers.kubernetes_read import KubeObject
from checker.importers.kubernetes_refs import ConfigMaps, container_texts, references_in
from checker.importers.kubernetes_workloads import Workload


class Dependencies:
    """Resolves the Services named by each workload; collects notes on what is missing."""

    def __init__(
        self,
        services: Iterable[KubeObject],
        config_maps: Iterable[KubeObject],
        workloads: Iterable[Workload],
        namespaces: Set[str],
    ) -> None:
        self._services = {(s.namespace or "default", s.name): s for s in services}
        self._config_maps = ConfigMaps(
            {(c.namespace or "default", c.name): _data(c) for c in config_maps}
        )
        self._index: LabelIndex[Workload] = LabelIndex()
        for workload in workloads:
            self._index.add(workload.namespace, workload.template_labels, workload)
        self._namespaces = namespaces
        self._behind: dict[tuple[str, str], tuple[str, ...]] = {}
        self.notes: list[str] = []

    def of(self, workload: Workload) -> list[str | dict[str, Any]]:
        """The workload's requirements: hard ids sorted, then ``any_of`` groups sorted."""
        hard: set[str] = set()
        groups: set[tuple[str, ...]] = set()
        unresolved: dict[str, str] = {}
        texts = container_texts(workload.pod_spec, workload.namespace, self._config_maps)
        for text in texts:
            for reference in references_in(
                text, workload.namespace, self._namespaces, self._is_service
            ):
                key = (reference.namespace, reference.service)
                if key not in self._services:
                    if reference.addressed:
                        unresolved.setdefault("/".join(key), reference.written)
                    continue
                behind = tuple(w for w in self._workloads_behind(key) if w != workload.id)
                if len(behind) == 1:
                    hard.add(behind[0])
                elif behind:
                    groups.add(behind)
        for name, written in sorted(unresolved.items()):
            self.notes.append(
                f"{workload.id}: unresolved: names Service {name} ({written!r}), "
                "which is not in the input; no dependency written"
            )
        return [*sorted(hard), *({"any_of": list(g)} for g in sorted(groups))]

    def _is_service(self, namespace: str, name: str) -> bool:
        return (namespace, name) in self._services

    def _workloads_behind(self, key: tuple[str, str]) -> tuple[str, ...]:
        """Ids of the workloads a Service selects (once per Service, with a note if none)."""
        found = self._behind.get(key)
        if found is not None:
            return found
        service = self._services[key]
        selector = plain_selector(service, "spec", "selector")
        if selector is None:
            kind = string(service, "spec", "type") or "ClusterIP"
            self.notes.append(
                f"Service {service.key} ({kind}) has no selector, so no workload behind it: "
                "dependencies on it are not written"
            )
            found = ()
        else:
            found = tuple(sorted({w.id for w in self._index.select(key[0], selector)}))
            if not found:
                self.notes.append(
                    f"Service {service.key} selects the pods of no workload in the input: "
                    "dependencies on it are not written"
                )
        self._behind[key] = found
        return found


def _data(config_map: KubeObject) -> dict[str, Any]:
    data = config_map.body.get("data")
    return data if isinstance(data, dict) else {}
