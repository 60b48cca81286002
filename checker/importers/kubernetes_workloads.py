"""Workloads and what sizes them: replicas, HorizontalPodAutoscalers, PodDisruptionBudgets.

A Deployment, StatefulSet or DaemonSet becomes one service. Its replica count is the
one resilint plans with; a PodDisruptionBudget that selects its pods says how many of
them must stay up, rounded as the Kubernetes disruption controller rounds
(docs/importing-kubernetes.md, "Replicas and min_healthy").
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from checker.core.errors import InputError
from checker.importers.kubernetes_fields import (
    Selector,
    integer,
    label_selector,
    labels,
    listing,
    mapping,
    shape_error,
    value,
)
from checker.importers.kubernetes_read import KubeObject

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet")


@dataclass
class Workload:
    """A workload as read, and the facts gathered for it while importing.

    Mutable on purpose: autoscalers, budgets and pods of the input each add to it
    once, in one pass over them.
    """

    obj: KubeObject
    #: Its manifest id, ``NAMESPACE/NAME``.
    id: str
    selector: Selector
    template_labels: dict[str, str]
    pod_spec: dict[str, Any]
    #: ``spec.replicas`` as written (``None`` when absent; always absent for a DaemonSet).
    spec_replicas: int | None
    autoscaler: str | None = None
    autoscaler_min: int | None = None
    #: The replica count resilint plans with; set once the inputs are all read.
    replicas: int = 1
    budget: str | None = None
    min_healthy: int = 1
    #: Running pods per node name (snapshot inputs only).
    pods_on: Counter[str] = field(default_factory=Counter)
    #: Pods of the workload that run on no node (pending, finished, unknown), by phase.
    not_running: Counter[str] = field(default_factory=Counter)

    @property
    def namespace(self) -> str:
        assert self.obj.namespace is not None
        return self.obj.namespace


def read_workload(obj: KubeObject, workload_id: str) -> Workload:
    """The parts of a workload the importer uses, shape-checked."""
    template_labels = labels(obj, "spec", "template", "metadata", "labels")
    selector = label_selector(obj, "spec", "selector")
    if selector is None:
        # Older API versions defaulted the selector to the template's labels.
        selector = Selector(tuple(sorted(template_labels.items())))
    spec = ("spec", "template", "spec")
    pod_spec = mapping(obj, *spec)
    for section in ("containers", "initContainers"):
        for index, container in enumerate(listing(obj, *spec, section)):
            if not isinstance(container, dict):
                raise shape_error(obj, (*spec, section, index), "a mapping")
            # What the dependency search reads must have the shape it expects.
            for key in ("env", "envFrom", "command", "args"):
                found = container.get(key)
                if found is not None and not isinstance(found, list):
                    raise shape_error(obj, (*spec, section, index, key), "a list")
    spec_replicas = None if obj.kind == "DaemonSet" else integer(obj, "spec", "replicas")
    return Workload(obj, workload_id, selector, template_labels, pod_spec, spec_replicas)


class Autoscaler:
    """A HorizontalPodAutoscaler's target and floor (autoscaling/v1 and v2 alike)."""

    def __init__(self, obj: KubeObject) -> None:
        self.obj = obj
        mapping(obj, "spec", "scaleTargetRef")  # the shape check
        kind = value(obj, "spec", "scaleTargetRef", "kind")
        name = value(obj, "spec", "scaleTargetRef", "name")
        if not isinstance(kind, str) or not isinstance(name, str):
            raise InputError(
                f"HorizontalPodAutoscaler {obj.key}: spec.scaleTargetRef needs a kind and a name",
                obj.where("spec", "scaleTargetRef"),
            )
        self.target = (kind, obj.namespace or "default", name)
        # minReplicas defaults to 1 in the API.
        self.min_replicas = integer(obj, "spec", "minReplicas", default=1) or 1


def scaled(obj: KubeObject, field_name: str, replicas: int) -> int | None:
    """An IntOrString budget field as a pod count; a percentage of ``replicas`` rounds UP.

    The disruption controller rounds both ``minAvailable`` and ``maxUnavailable``
    percentages up (``GetScaledValueFromIntOrPercent(..., roundUp=true)``).
    """
    raw = value(obj, "spec", field_name)
    if raw is None:
        return None
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return raw
    if isinstance(raw, str) and raw.endswith("%") and raw[:-1].isdigit():
        percent = int(raw[:-1])
        return (percent * replicas + 99) // 100
    raise InputError(
        f"PodDisruptionBudget {obj.key}: spec.{field_name} must be a whole number or a "
        f"percentage such as '50%', not {raw!r}",
        obj.where("spec", field_name),
    )


def budget_min_healthy(pdb: KubeObject, replicas: int) -> int:
    """How many of ``replicas`` pods the budget keeps up: the service's ``min_healthy``.

    ``maxUnavailable`` wins when both are written (as in the disruption controller);
    a budget with neither keeps 1. The manifest's floor is 1: a service with no
    replica up is down, whatever the budget allows.
    """
    max_unavailable = scaled(pdb, "maxUnavailable", replicas)
    if max_unavailable is not None:
        return max(replicas - max_unavailable, 1)
    min_available = scaled(pdb, "minAvailable", replicas)
    if min_available is not None:
        return max(min_available, 1)
    return 1


def budget_selector(pdb: KubeObject) -> Selector | None:
    """The budget's selector; ``None`` (a null selector) selects no pod."""
    return label_selector(pdb, "spec", "selector")
