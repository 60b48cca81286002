"""Where replicas run: nodes in zones in regions, and each pod matched to its workload.

A runtime snapshot (the input holds Pods) places every running pod on its node
(``spec.nodeName``); nodes sit in the zone and region of their topology labels. Pods
are matched to workloads by ownerReferences (Pod -> ReplicaSet -> Deployment, or
straight to a StatefulSet/DaemonSet), falling back to the ReplicaSet name prefix and
the workload's selector (docs/importing-kubernetes.md, "Runtime snapshot").
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from checker.importers.common import Inventory, Origin, slug
from checker.importers.kubernetes_fields import labels, listing, string
from checker.importers.kubernetes_read import KubeObject
from checker.importers.kubernetes_workloads import Workload

ZONE_LABELS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
REGION_LABELS = ("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region")
#: Pod phases whose pod serves from its node; Pending, Succeeded, Failed, Unknown do not.
_SERVING_PHASES = frozenset({"Running"})


class DomainKinds(NamedTuple):
    node: str = "host"
    zone: str = "facility"
    region: str = "region"


def node_id(name: str) -> str:
    return f"node:{slug(name)}"


def add_topology(inventory: Inventory, nodes: Iterable[KubeObject], kinds: DomainKinds) -> None:
    """A host domain per Node, inside its zone (a ``kinds.zone`` domain) and region."""
    for node in sorted(nodes, key=lambda n: n.name):
        node_labels = labels(node, "metadata", "labels")
        region = _first_label(node_labels, REGION_LABELS)
        zone = _first_label(node_labels, ZONE_LABELS)
        parent = None
        if region is not None:
            parent = _ensure(inventory, "region", region, kinds.region, None)
        if zone is not None:
            parent = _ensure(inventory, "zone", zone, kinds.zone, parent)
        inventory.add_domain(
            node_id(node.name), kinds.node, Origin("kubernetes", "Node", node.name), parent=parent
        )


def _first_label(node_labels: dict[str, str], keys: tuple[str, ...]) -> tuple[str, str] | None:
    for key in keys:
        found = node_labels.get(key)
        if found:
            return key, found
    return None


def _ensure(
    inventory: Inventory, prefix: str, label: tuple[str, str], kind: str, parent: str | None
) -> str:
    key, name = label
    domain_id = f"{prefix}:{slug(name)}"
    existing = inventory.domains.get(domain_id)
    if existing is None:
        inventory.add_domain(domain_id, kind, Origin("kubernetes", key, name), parent=parent)
    elif parent is not None and existing.get("parent") != parent:
        if "parent" not in existing:
            existing["parent"] = parent
        else:
            inventory.notes.append(
                f"zone {name!r} has nodes in regions {existing['parent']!r} and {parent!r}; "
                f"kept {existing['parent']!r}"
            )
    return domain_id


class PodOwners:
    """Finds the workload a pod belongs to, by owner references, else by selector."""

    def __init__(
        self, workloads: dict[tuple[str, str, str], Workload], replica_sets: dict[str, KubeObject]
    ) -> None:
        self._workloads = workloads
        self._replica_sets = replica_sets
        self._by_selector: _SelectorIndex | None = None

    def owner(self, pod: KubeObject) -> Workload | str:
        """The pod's workload, or why it has none (a reason for the skipped list)."""
        namespace = pod.namespace or "default"
        pod_labels = labels(pod, "metadata", "labels")
        owner = _controller(pod)
        if owner is None:
            return self._by_labels(namespace, pod_labels)
        kind, name = owner
        if kind in ("StatefulSet", "DaemonSet", "Deployment"):
            found = self._workloads.get((kind, namespace, name))
            return found or f"its {kind} {namespace}/{name} is not in the input"
        if kind != "ReplicaSet":
            return f"owned by {kind} {name!r}, not a Deployment, StatefulSet or DaemonSet"
        replica_set = self._replica_sets.get(f"{namespace}/{name}")
        if replica_set is not None:
            rs_owner = _controller(replica_set)
            if rs_owner is None or rs_owner[0] != "Deployment":
                return f"its ReplicaSet {namespace}/{name} belongs to no Deployment"
            found = self._workloads.get(("Deployment", namespace, rs_owner[1]))
            return found or f"its Deployment {namespace}/{rs_owner[1]} is not in the input"
        # The ReplicaSet is not in the input: its name is the Deployment's plus the hash.
        template_hash = pod_labels.get("pod-template-hash")
        if template_hash and name.endswith(f"-{template_hash}"):
            deployment = name[: -len(template_hash) - 1]
        else:
            deployment = name.rpartition("-")[0]
        found = self._workloads.get(("Deployment", namespace, deployment))
        if found is not None and found.selector.matches(pod_labels):
            return found
        return f"its ReplicaSet {namespace}/{name} is not in the input and no Deployment matches"

    def _by_labels(self, namespace: str, pod_labels: dict[str, str]) -> Workload | str:
        if self._by_selector is None:
            self._by_selector = _SelectorIndex(self._workloads.values())
        candidates = self._by_selector.candidates(namespace, pod_labels)
        matching = {w.id: w for w in candidates if w.selector.matches(pod_labels)}
        if len(matching) == 1:
            return next(iter(matching.values()))
        if not matching:
            return "has no owner and no workload's selector matches its labels"
        return f"has no owner and several workloads select it ({', '.join(sorted(matching))})"


class _SelectorIndex:
    """Workloads by one pair of their selector, so a pod's labels find the candidates.

    Each workload is filed under its selector's first ``matchLabels`` pair (any pair it
    needs will do); one with expressions only is a candidate for every pod of its
    namespace. Candidates are then matched in full.
    """

    def __init__(self, workloads: Iterable[Workload]) -> None:
        self._any: dict[str, list[Workload]] = {}
        self._pairs: dict[tuple[str, str, str], list[Workload]] = {}
        for workload in workloads:
            if workload.selector.match_labels:
                key, wanted = workload.selector.match_labels[0]
                self._pairs.setdefault((workload.namespace, key, wanted), []).append(workload)
            else:
                self._any.setdefault(workload.namespace, []).append(workload)

    def candidates(self, namespace: str, pod_labels: dict[str, str]) -> list[Workload]:
        found = list(self._any.get(namespace, []))
        for key, wanted in pod_labels.items():
            found.extend(self._pairs.get((namespace, key, wanted), []))
        return found


def _controller(obj: KubeObject) -> tuple[str, str] | None:
    """(kind, name) of the object's controlling owner (else its first owner)."""
    owners = listing(obj, "metadata", "ownerReferences")
    chosen: Any = None
    for owner in owners:
        if isinstance(owner, dict) and owner.get("controller") is True:
            chosen = owner
            break
    if chosen is None and owners and isinstance(owners[0], dict):
        chosen = owners[0]
    if chosen is None:
        return None
    kind, name = chosen.get("kind"), chosen.get("name")
    if not isinstance(kind, str) or not isinstance(name, str):
        return None
    return kind, name


def place_pod(pod: KubeObject, workload: Workload) -> None:
    """Count the pod as a replica on its node when it serves there, else as not running."""
    node = string(pod, "spec", "nodeName")
    phase = string(pod, "status", "phase")
    # A hand-written pod with a node and no status is taken as running.
    if node and (phase is None or phase in _SERVING_PHASES):
        workload.pods_on[node] += 1
    else:
        workload.not_running[phase or "Pending"] += 1
