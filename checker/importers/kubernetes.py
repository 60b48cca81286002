"""Kubernetes objects in, a resilint inventory out (docs/importing-kubernetes.md).

Deployments, StatefulSets and DaemonSets become services ``NAMESPACE/NAME``; their
replicas, PodDisruptionBudgets and HorizontalPodAutoscalers size them; the Services
their containers name become ``depends_on``. With a runtime snapshot (Pods, and
Nodes with topology labels) replicas sit on their nodes, in zones and regions;
without one, on a single domain standing for the cluster. Pure: no files, no
printing; everything not understood is listed in ``inventory.skipped`` or ``notes``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from checker.core.model import DEFAULT_TIERS
from checker.importers.common import Inventory, Origin, Skipped, slug
from checker.importers.kubernetes_dependencies import Dependencies
from checker.importers.kubernetes_fields import (
    LabelIndex,
    Selector,
    integer,
    labels,
    listing,
    mapping,
)
from checker.importers.kubernetes_placement import (
    DomainKinds,
    PodOwners,
    add_topology,
    node_id,
    place_pod,
)
from checker.importers.kubernetes_read import KubeObject
from checker.importers.kubernetes_workloads import (
    WORKLOAD_KINDS,
    Autoscaler,
    Workload,
    budget_min_healthy,
    budget_selector,
    read_workload,
)

#: Kinds the importer reads; every other kind is listed as skipped.
USED_KINDS = frozenset(
    {
        *WORKLOAD_KINDS,
        "Service",
        "PodDisruptionBudget",
        "HorizontalPodAutoscaler",
        "Node",
        "Pod",
        "ReplicaSet",
        "ConfigMap",
        "Namespace",
    }
)


@dataclass(frozen=True)
class KubernetesOptions:
    """The choices a user can make; the defaults are documented in docs/importing-kubernetes.md."""

    #: The label (or annotation) that holds a workload's tier.
    tier_label: str = "resilint.io/tier"
    default_tier: str = "medium"
    tiers: tuple[str, ...] = DEFAULT_TIERS
    kinds: DomainKinds = field(default_factory=DomainKinds)
    #: Without a runtime snapshot, replicas are placed on this one domain.
    cluster: str = "kubernetes"
    cluster_kind: str = "cluster"
    #: A DaemonSet's replicas when the input has no Nodes and no status to count from.
    daemonset_replicas: int = 1


@dataclass
class Catalog:
    """The input's objects by kind and key; later duplicates are skipped."""

    by_kind: dict[str, dict[tuple[str | None, str], KubeObject]] = field(default_factory=dict)
    namespaces: set[str] = field(default_factory=set)

    def of(self, kind: str) -> list[KubeObject]:
        """Objects of ``kind`` sorted by namespace and name: input order never shows."""
        found = self.by_kind.get(kind, {})
        return [found[key] for key in sorted(found, key=lambda k: (k[0] or "", k[1]))]


def import_kubernetes(
    objects: Iterable[KubeObject],
    options: KubernetesOptions | None = None,
    skipped: Iterable[Skipped] = (),
) -> Inventory:
    """The inventory for the objects of one or more inputs (files already read)."""
    options = options or KubernetesOptions()
    inventory = Inventory("kubernetes")
    inventory.skipped.extend(skipped)
    catalog = _catalog(objects, inventory)
    workloads = _workloads(catalog, inventory)
    nodes = catalog.of("Node")
    add_topology(inventory, nodes, options.kinds)
    _autoscalers(catalog, workloads, inventory)
    snapshot = bool(catalog.by_kind.get("Pod"))
    _size(workloads.values(), nodes, snapshot, options)
    if snapshot:
        _place_pods(catalog, workloads, inventory, options.kinds.node)
    _budgets(catalog, workloads.values(), inventory)
    dependencies = Dependencies(
        catalog.of("Service"), catalog.of("ConfigMap"), workloads.values(), catalog.namespaces
    )
    cluster_id = None
    if workloads and not snapshot:
        cluster_id = f"cluster:{slug(options.cluster)}"
        inventory.add_domain(
            cluster_id, options.cluster_kind, Origin("kubernetes", "cluster", options.cluster)
        )
    for workload in sorted(workloads.values(), key=lambda w: w.id):
        document = _service(workload, options, inventory, cluster_id)
        depends_on = dependencies.of(workload)
        if depends_on:
            document["depends_on"] = depends_on
        obj = workload.obj
        inventory.add_service(
            workload.id, document, Origin("kubernetes", obj.kind, obj.name, obj.namespace)
        )
    inventory.notes.extend(dependencies.notes)
    return inventory


def _catalog(objects: Iterable[KubeObject], inventory: Inventory) -> Catalog:
    catalog = Catalog()
    for obj in objects:
        if obj.namespace is not None:
            catalog.namespaces.add(obj.namespace)
        if obj.kind not in USED_KINDS:
            inventory.skip(obj.kind, obj.key, "kind not imported")
            continue
        if obj.kind == "Namespace":
            catalog.namespaces.add(obj.name)
        bucket = catalog.by_kind.setdefault(obj.kind, {})
        key = (obj.namespace, obj.name)
        first = bucket.get(key)
        if first is not None:
            inventory.skip(
                obj.kind, obj.key, f"defined twice; the first, at {first.where()}, is used"
            )
            continue
        bucket[key] = obj
    return catalog


def _workloads(catalog: Catalog, inventory: Inventory) -> dict[tuple[str, str, str], Workload]:
    """Workloads by (kind, namespace, name), given ids in (namespace, name, kind) order."""
    objects = [obj for kind in WORKLOAD_KINDS for obj in catalog.of(kind)]
    objects.sort(key=lambda o: (o.namespace or "", o.name, WORKLOAD_KINDS.index(o.kind)))
    workloads: dict[tuple[str, str, str], Workload] = {}
    taken: set[str] = set()
    for obj in objects:
        namespace = obj.namespace or "default"
        wanted = f"{slug(namespace)}/{slug(obj.name)}"
        workload_id = wanted
        n = 1
        while workload_id in taken:
            n += 1
            workload_id = f"{wanted}-{n}"
        if workload_id != wanted:
            inventory.notes.append(
                f"{obj.kind} {obj.key} is written as {workload_id!r}: another workload "
                f"already has the id {wanted!r}"
            )
        taken.add(workload_id)
        workloads[(obj.kind, namespace, obj.name)] = read_workload(obj, workload_id)
    return workloads


def _autoscalers(
    catalog: Catalog, workloads: dict[tuple[str, str, str], Workload], inventory: Inventory
) -> None:
    for obj in catalog.of("HorizontalPodAutoscaler"):
        autoscaler = Autoscaler(obj)
        workload = workloads.get(autoscaler.target)
        if workload is None:
            kind, namespace, name = autoscaler.target
            inventory.skip(
                obj.kind, obj.key, f"targets {kind} {namespace}/{name}, not in the input"
            )
            continue
        workload.autoscaler = obj.name
        workload.autoscaler_min = autoscaler.min_replicas


def _size(
    workloads: Iterable[Workload],
    nodes: list[KubeObject],
    snapshot: bool,
    options: KubernetesOptions,
) -> None:
    """Each workload's planning replicas (docs/importing-kubernetes.md, "Replicas")."""
    node_index: LabelIndex[KubeObject] = LabelIndex()
    for node in nodes:
        node_index.add("", labels(node, "metadata", "labels"), node)
    for workload in workloads:
        if workload.obj.kind == "DaemonSet":
            workload.replicas = _daemon_replicas(workload, node_index, bool(nodes), options)
        elif snapshot or workload.autoscaler_min is None:
            # A snapshot's spec.replicas is what the autoscaler chose; else the floor it keeps.
            fallback = workload.autoscaler_min or 1
            workload.replicas = _or(workload.spec_replicas, fallback)
        else:
            workload.replicas = workload.autoscaler_min


def _or(found: int | None, fallback: int) -> int:
    return fallback if found is None else found


def _daemon_replicas(
    workload: Workload,
    node_index: LabelIndex[KubeObject],
    has_nodes: bool,
    options: KubernetesOptions,
) -> int:
    """One per Node its nodeSelector matches; else its status; else the default."""
    obj = workload.obj
    if has_nodes:
        node_selector = labels(obj, "spec", "template", "spec", "nodeSelector")
        return len(node_index.select("", Selector(tuple(sorted(node_selector.items())))))
    scheduled = integer(obj, "status", "desiredNumberScheduled")
    return _or(scheduled, options.daemonset_replicas)


def _place_pods(
    catalog: Catalog,
    workloads: dict[tuple[str, str, str], Workload],
    inventory: Inventory,
    node_kind: str,
) -> None:
    replica_sets = {obj.key: obj for obj in catalog.of("ReplicaSet")}
    owners = PodOwners(workloads, replica_sets)
    for pod in catalog.of("Pod"):
        found = owners.owner(pod)
        if isinstance(found, str):
            inventory.skip("Pod", pod.key, found)
        else:
            place_pod(pod, found)
    for workload in workloads.values():
        node_names = sorted(workload.pods_on)
        for name in node_names:
            domain = node_id(name)
            if domain not in inventory.domains:
                inventory.add_domain(domain, node_kind, Origin("kubernetes", "Node", name))
                inventory.notes.append(
                    f"node {name!r} runs pods but is not in the input: written without a zone"
                )


def _budgets(catalog: Catalog, workloads: Iterable[Workload], inventory: Inventory) -> None:
    index: LabelIndex[Workload] = LabelIndex()
    for workload in workloads:
        index.add(workload.namespace, workload.template_labels, workload)
    for pdb in catalog.of("PodDisruptionBudget"):
        selector = budget_selector(pdb)
        matched = [] if selector is None else index.select(pdb.namespace or "default", selector)
        if not matched:
            inventory.skip(pdb.kind, pdb.key, "selects the pods of no workload in the input")
            continue
        if len(matched) > 1:
            names = ", ".join(sorted(w.id for w in matched))
            inventory.notes.append(
                f"PodDisruptionBudget {pdb.key} selects the pods of several workloads ({names}); "
                "Kubernetes budgets them together, resilint applies it to each"
            )
        for workload in matched:
            wanted = budget_min_healthy(pdb, workload.replicas)
            if workload.budget is not None:
                inventory.notes.append(
                    f"{workload.id}: selected by PodDisruptionBudgets {workload.budget} and "
                    f"{pdb.name}; the stricter is used"
                )
                wanted = max(wanted, workload.min_healthy)
                workload.budget = f"{workload.budget},{pdb.name}"
            else:
                workload.budget = pdb.name
            workload.min_healthy = wanted


def _service(
    workload: Workload, options: KubernetesOptions, inventory: Inventory, cluster_id: str | None
) -> dict[str, Any]:
    """The service document of a workload, without its dependencies."""
    document: dict[str, Any] = {"tier": _tier(workload, options, inventory)}
    meta: dict[str, Any] = {"replicas": workload.replicas}
    if cluster_id is not None:
        count = workload.replicas
        document["instances"] = [cluster_id] if count == 1 else [{"at": cluster_id, "count": count}]
        if count == 0:
            document["instances"] = []
            inventory.notes.append(f"{workload.id}: scaled to 0 replicas, so written with none")
    else:
        document["instances"] = [
            node_id(name) if n == 1 else {"at": node_id(name), "count": n}
            for name, n in sorted(workload.pods_on.items())
        ]
        running = sum(workload.pods_on.values())
        meta["running"] = running
        if running != workload.replicas or workload.not_running:
            others = "".join(f", {n} {phase}" for phase, n in sorted(workload.not_running.items()))
            inventory.notes.append(
                f"{workload.id}: {workload.replicas} replicas wanted, {running} running on "
                f"a node{others}; only running pods are instances"
            )
    if workload.min_healthy != 1:
        document["min_healthy"] = workload.min_healthy
    if workload.budget is not None and workload.min_healthy > workload.replicas:
        inventory.notes.append(
            f"{workload.id}: PodDisruptionBudget {workload.budget} keeps {workload.min_healthy} "
            f"of {workload.replicas} replicas up, more than it has: it counts as down"
        )
    if workload.budget is not None:
        meta["disruption_budget"] = workload.budget
    if workload.autoscaler is not None:
        meta["autoscaler"] = workload.autoscaler
        meta["autoscaler_min_replicas"] = workload.autoscaler_min
    service_labels = {**labels(workload.obj, "metadata", "labels"), **_spread_labels(workload)}
    if service_labels:
        document["labels"] = service_labels
    document["meta"] = meta
    return document


def _tier(workload: Workload, options: KubernetesOptions, inventory: Inventory) -> str:
    """From the tier label, else annotation, else pod template label; else the default."""
    obj = workload.obj
    for where in (("metadata", "labels"), ("metadata", "annotations")):
        found = labels(obj, *where).get(options.tier_label)
        if found is not None:
            break
    else:
        found = workload.template_labels.get(options.tier_label)
    if found is None:
        return options.default_tier
    if found not in options.tiers:
        inventory.notes.append(
            f"{workload.id}: {options.tier_label}={found!r} is not a tier "
            f"({', '.join(options.tiers)}); using {options.default_tier!r}"
        )
        return options.default_tier
    return found


def _spread_labels(workload: Workload) -> dict[str, str]:
    """Spread intent kept as labels: topology spread constraints and pod anti-affinity."""
    obj = workload.obj
    spec = ("spec", "template", "spec")
    constraints = [
        c for c in listing(obj, *spec, "topologySpreadConstraints") if isinstance(c, dict)
    ]
    found: dict[str, list[str]] = {}
    for constraint in constraints:
        for key, label in (
            ("topologyKey", "spread.topologyKey"),
            ("maxSkew", "spread.maxSkew"),
            ("whenUnsatisfiable", "spread.whenUnsatisfiable"),
        ):
            if constraint.get(key) is not None:
                found.setdefault(label, []).append(str(constraint[key]))
    anti = mapping(obj, *spec, "affinity", "podAntiAffinity")
    for term in _dicts(anti.get("requiredDuringSchedulingIgnoredDuringExecution")):
        if isinstance(term.get("topologyKey"), str):
            found.setdefault("antiAffinity.required", []).append(term["topologyKey"])
    for weighted in _dicts(anti.get("preferredDuringSchedulingIgnoredDuringExecution")):
        preferred = weighted.get("podAffinityTerm")
        if isinstance(preferred, dict) and isinstance(preferred.get("topologyKey"), str):
            found.setdefault("antiAffinity.preferred", []).append(preferred["topologyKey"])
    return {label: ",".join(values) for label, values in found.items()}


def _dicts(items: Any) -> list[dict[str, Any]]:
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []
