"""Time ``resilint import kubernetes`` against a bare parse of the same input.

Generates a synthetic ``kubectl get ... -A -o json`` List of exactly ``--objects``
objects (one ``random.Random(seed)`` drives every choice, so the same arguments give
the same bytes), then times, in this process and best of ``--repeat``:

- ``json.load`` of the file (``yaml.load_all`` with libyaml's CSafeLoader for
  ``--format yaml``): the floor, reading the input at all;
- the import: read and parse the file as resilint does, map it, render the manifest
  and the skipped/notes listing (everything ``resilint import kubernetes`` does but
  start-up and writing).

It prints both times and their ratio (target: at most 3x, docs/importing-kubernetes.md).
The two run in turns (so that both see the same load on a shared machine), with the
garbage collector off, as in the CLI (``checker/cli/errors.py``).

The mix, per application (repeated until the budget is spent): a Deployment (75%),
StatefulSet (20%) or DaemonSet (5%) with 1-5 replicas; a Service (90%); a
PodDisruptionBudget (50%: minAvailable or maxUnavailable, integer or percentage, a
quarter of them with matchExpressions); an HPA for a third of the Deployments; the
current ReplicaSet (80% present) and up to two old ones scaled to 0; the pods (5%
pending, 3% without owner references, each with every field the API server adds:
tolerations, the projected token volume, conditions, container statuses); a ConfigMap
(30%) and a Secret (10%, skipped).
Env values name earlier applications' Services in every supported form, beside values
that name nothing. Nodes (one per 150 objects) carry zone and region labels.

Usage::

    python bench/import_kubernetes.py --objects 100000 [--seed 1] [--repeat 3]
                                      [--format json|yaml] [--keep PATH]
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# A 100,000-object kubectl dump is larger than the default limit for one input file.
os.environ.setdefault("RESILINT_MAX_FILE_BYTES", str(1024 * 1024 * 1024))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ZONES = ("eu-west-1a", "eu-west-1b", "eu-west-1c")
BUDGETS = (
    {"minAvailable": 1},
    {"minAvailable": "50%"},
    {"maxUnavailable": 1},
    {"maxUnavailable": "34%"},
)
T = "2026-11-02T09:14:07Z"


class Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.items: list[dict[str, Any]] = []
        self.apps: list[tuple[str, str, int]] = []  # (namespace, name, port)
        self.serial = 0

    def uid(self) -> str:
        self.serial += 1
        return f"{self.rng.getrandbits(32):08x}-4c1d-9f0e-{self.serial:012d}"

    def meta(self, name: str, namespace: str | None, **extra: Any) -> dict[str, Any]:
        meta: dict[str, Any] = {"creationTimestamp": T, "name": name}
        if namespace is not None:
            meta["namespace"] = namespace
        meta["resourceVersion"] = str(100000 + self.serial)
        meta["uid"] = self.uid()
        meta.update(extra)
        return meta

    def owner(self, kind: str, name: str) -> list[dict[str, Any]]:
        return [
            {
                "apiVersion": "apps/v1",
                "blockOwnerDeletion": True,
                "controller": True,
                "kind": kind,
                "name": name,
                "uid": self.uid(),
            }
        ]

    def nodes(self, count: int) -> list[str]:
        names = []
        for i in range(count):
            zone = ZONES[i % 3]
            name = f"ip-10-{i // 250}-{i % 250}-{i % 7}.eu-west-1.compute.internal"
            legacy = self.rng.random() < 0.2
            prefix = "failure-domain.beta.kubernetes.io" if legacy else "topology.kubernetes.io"
            labels = {
                "kubernetes.io/hostname": name.split(".")[0],
                "kubernetes.io/os": "linux",
                "node.kubernetes.io/instance-type": self.rng.choice(["m6i.large", "c6i.xlarge"]),
                "pool": f"pool-{i % 4}",
                f"{prefix}/region": "eu-west-1",
                f"{prefix}/zone": zone,
            }
            self.items.append(
                {
                    "apiVersion": "v1",
                    "kind": "Node",
                    "metadata": self.meta(name, None, labels=labels),
                    "spec": {"providerID": f"aws:///{zone}/i-{i:017x}"},
                    "status": {"nodeInfo": {"kubeletVersion": "v1.30.4", "osImage": "Linux"}},
                }
            )
            names.append(name)
        return names

    def env(self, namespace: str) -> list[dict[str, Any]]:
        values: list[dict[str, Any]] = [
            {"name": "PORT", "value": str(self.rng.choice([8080, 9090, 50051]))},
            {"name": "LOG_LEVEL", "value": self.rng.choice(["info", "debug", "warn"])},
            {"name": "DISABLE_PROFILER", "value": "1"},
        ]
        for n in range(self.rng.randint(0, 4)):
            if not self.apps:
                break
            ns, name, port = self.rng.choice(self.apps[-200:])
            form = self.rng.randrange(5)
            if form == 0 and ns == namespace:
                value = f"{name}:{port}"
            elif form == 1:
                value = f"http://{name}.{ns}.svc.cluster.local:{port}/v1"
            elif form == 2:
                value = f"{name}.{ns}:{port}"
            elif form == 3:
                value = f"grpc://{name}.{ns}.svc:{port}"
            else:
                value = f"https://api{n}.example.com/hooks"
            values.append({"name": f"DEP_{n}_ADDR", "value": value})
        if self.rng.random() < 0.05:
            values.append({"name": "GHOST_ADDR", "value": "ghost-service:80"})
        return values

    def application(self, index: int, nodes: list[str]) -> None:
        rng = self.rng
        namespace = f"team-{index % 40}"
        name = f"app-{index}"
        port = rng.choice([80, 7070, 8080, 50051])
        roll = rng.random()
        kind = "Deployment" if roll < 0.75 else "StatefulSet" if roll < 0.95 else "DaemonSet"
        replicas = rng.randint(1, 5)
        labels = {"app": name, "app.kubernetes.io/part-of": f"suite-{index % 13}"}
        if rng.random() < 0.4:
            labels["resilint.io/tier"] = rng.choice(["critical", "high", "medium", "low"])
        pod_spec: dict[str, Any] = {
            "containers": [
                {
                    "name": "main",
                    "image": f"registry.example.com/{namespace}/{name}:1.{index % 9}.0",
                    "env": self.env(namespace),
                    "ports": [{"containerPort": port, "protocol": "TCP"}],
                    "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}},
                    "readinessProbe": {"httpGet": {"path": "/healthz", "port": port}},
                }
            ],
            "restartPolicy": "Always",
        }
        if rng.random() < 0.3:
            pod_spec["topologySpreadConstraints"] = [
                {
                    "labelSelector": {"matchLabels": {"app": name}},
                    "maxSkew": 1,
                    "topologyKey": "topology.kubernetes.io/zone",
                    "whenUnsatisfiable": "ScheduleAnyway",
                }
            ]
        if kind == "DaemonSet":
            pod_spec["nodeSelector"] = {"pool": f"pool-{index % 4}"}
        spec: dict[str, Any] = {
            "selector": {"matchLabels": {"app": name}},
            "template": {"metadata": {"labels": {"app": name}}, "spec": pod_spec},
        }
        if kind != "DaemonSet":
            spec["replicas"] = replicas
        self.items.append(
            {
                "apiVersion": "apps/v1",
                "kind": kind,
                "metadata": self.meta(name, namespace, labels=labels),
                "spec": spec,
                "status": {"observedGeneration": 2, "replicas": replicas},
            }
        )
        if rng.random() < 0.9:
            self.items.append(
                {
                    "apiVersion": "v1",
                    "kind": "Service",
                    "metadata": self.meta(name, namespace, labels={"app": name}),
                    "spec": {
                        "ports": [{"port": port, "protocol": "TCP", "targetPort": port}],
                        "selector": {"app": name},
                        "type": "ClusterIP",
                    },
                }
            )
            self.apps.append((namespace, name, port))
        if rng.random() < 0.5:
            budget = rng.choice(BUDGETS)
            selector: dict[str, Any] = {"matchLabels": {"app": name}}
            if rng.random() < 0.25:
                expression = {"key": "app", "operator": "In", "values": [name]}
                selector = {"matchExpressions": [expression]}
            self.items.append(
                {
                    "apiVersion": "policy/v1",
                    "kind": "PodDisruptionBudget",
                    "metadata": self.meta(name, namespace),
                    "spec": {**budget, "selector": selector},
                }
            )
        if kind == "Deployment" and rng.random() < 0.33:
            self.items.append(
                {
                    "apiVersion": "autoscaling/v2",
                    "kind": "HorizontalPodAutoscaler",
                    "metadata": self.meta(name, namespace),
                    "spec": {
                        "minReplicas": replicas,
                        "maxReplicas": replicas * 3,
                        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": kind, "name": name},
                    },
                }
            )
        self.pods(kind, name, namespace, replicas, nodes, pod_spec)
        if rng.random() < 0.3:
            self.items.append(
                {
                    "apiVersion": "v1",
                    "kind": "ConfigMap",
                    "metadata": self.meta(f"{name}-config", namespace),
                    "data": {"UPSTREAM": self.env(namespace)[-1]["value"], "MODE": "live"},
                }
            )
        if rng.random() < 0.1:
            self.items.append(
                {
                    "apiVersion": "v1",
                    "kind": "Secret",
                    "metadata": self.meta(f"{name}-token", namespace),
                    "type": "Opaque",
                    "data": {"token": "c2VjcmV0"},
                }
            )

    def pods(
        self,
        kind: str,
        name: str,
        namespace: str,
        replicas: int,
        nodes: list[str],
        pod_spec: dict[str, Any],
    ) -> None:
        rng = self.rng
        owner_kind, owner_name = kind, name
        if kind == "Deployment":
            template_hash = f"{rng.getrandbits(36):09x}"
            owner_kind, owner_name = "ReplicaSet", f"{name}-{template_hash}"
            for old in range(rng.randint(0, 2) + (rng.random() < 0.8)):
                rs_name = owner_name if old == 0 else f"{name}-{rng.getrandbits(36):09x}"
                self.items.append(
                    {
                        "apiVersion": "apps/v1",
                        "kind": "ReplicaSet",
                        "metadata": self.meta(
                            rs_name,
                            namespace,
                            labels={"app": name},
                            ownerReferences=self.owner(kind, name),
                        ),
                        "spec": {"replicas": replicas if old == 0 else 0},
                    }
                )
        for i in range(replicas):
            suffix = str(i) if kind == "StatefulSet" else f"{rng.getrandbits(25):05x}"
            pod_name = f"{owner_name}-{suffix}"
            labels = {"app": name}
            if kind == "Deployment":
                labels["pod-template-hash"] = owner_name.rpartition("-")[2]
            extra: dict[str, Any] = {"labels": labels}
            if rng.random() >= 0.03:
                extra["ownerReferences"] = self.owner(owner_kind, owner_name)
            pending = rng.random() < 0.05
            node = None if pending else rng.choice(nodes)
            self.items.append(
                {
                    "apiVersion": "v1",
                    "kind": "Pod",
                    "metadata": self.meta(pod_name, namespace, **extra),
                    "spec": pod_defaults(pod_spec, namespace, node, self.serial),
                    "status": pod_status(node, pod_spec, self.serial),
                }
            )


def pod_defaults(
    template: dict[str, Any], namespace: str, node: str | None, serial: int
) -> dict[str, Any]:
    """A pod's spec as the API server returns it: the template plus every default."""
    volume = f"kube-api-access-{serial % 99991:05x}"
    containers = [
        {
            **container,
            "imagePullPolicy": "IfNotPresent",
            "terminationMessagePath": "/dev/termination-log",
            "terminationMessagePolicy": "File",
            "volumeMounts": [
                {
                    "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                    "name": volume,
                    "readOnly": True,
                }
            ],
        }
        for container in template["containers"]
    ]
    spec: dict[str, Any] = {
        "containers": containers,
        "dnsPolicy": "ClusterFirst",
        "enableServiceLinks": True,
        "preemptionPolicy": "PreemptLowerPriority",
        "priority": 0,
        "restartPolicy": "Always",
        "schedulerName": "default-scheduler",
        "securityContext": {},
        "serviceAccount": "default",
        "serviceAccountName": "default",
        "terminationGracePeriodSeconds": 30,
        "tolerations": [
            {
                "effect": "NoExecute",
                "key": f"node.kubernetes.io/{taint}",
                "operator": "Exists",
                "tolerationSeconds": 300,
            }
            for taint in ("not-ready", "unreachable")
        ],
        "volumes": [
            {
                "name": volume,
                "projected": {
                    "defaultMode": 420,
                    "sources": [
                        {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                        {
                            "configMap": {
                                "items": [{"key": "ca.crt", "path": "ca.crt"}],
                                "name": "kube-root-ca.crt",
                            }
                        },
                        {
                            "downwardAPI": {
                                "items": [
                                    {
                                        "fieldRef": {
                                            "apiVersion": "v1",
                                            "fieldPath": "metadata.namespace",
                                        },
                                        "path": "namespace",
                                    }
                                ]
                            }
                        },
                    ],
                },
            }
        ],
    }
    if node is not None:
        spec["nodeName"] = node
    if template.get("topologySpreadConstraints"):
        spec["topologySpreadConstraints"] = template["topologySpreadConstraints"]
    return spec


def pod_status(node: str | None, template: dict[str, Any], serial: int) -> dict[str, Any]:
    """A pod's status as kubectl shows it: conditions, container statuses, addresses."""
    if node is None:
        return {
            "conditions": [
                {
                    "lastProbeTime": None,
                    "lastTransitionTime": T,
                    "message": "0/40 nodes are available: 40 Insufficient cpu.",
                    "reason": "Unschedulable",
                    "status": "False",
                    "type": "PodScheduled",
                }
            ],
            "phase": "Pending",
            "qosClass": "Burstable",
        }
    ip = f"10.{serial % 250}.{serial // 250 % 250}.{serial % 199}"
    kinds = ("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled")
    return {
        "conditions": [
            {"lastProbeTime": None, "lastTransitionTime": T, "status": "True", "type": kind}
            for kind in kinds
        ],
        "containerStatuses": [
            {
                "containerID": f"containerd://{serial:064x}",
                "image": container["image"],
                "imageID": f"{container['image']}@sha256:{serial:064x}",
                "lastState": {},
                "name": container["name"],
                "ready": True,
                "restartCount": 0,
                "started": True,
                "state": {"running": {"startedAt": T}},
            }
            for container in template["containers"]
        ],
        "hostIP": "10.0.0.1",
        "hostIPs": [{"ip": "10.0.0.1"}],
        "phase": "Running",
        "podIP": ip,
        "podIPs": [{"ip": ip}],
        "qosClass": "Burstable",
        "startTime": T,
    }


def generate(objects: int, seed: int) -> dict[str, Any]:
    """A kubectl List of exactly ``objects`` items."""
    generator = Generator(seed)
    nodes = generator.nodes(max(3, objects // 150))
    index = 0
    while len(generator.items) < objects:
        generator.application(index, nodes)
        index += 1
    return {"apiVersion": "v1", "kind": "List", "items": generator.items[:objects], "metadata": {}}


def best_of(repeat: int, *works: Callable[[], object]) -> list[float]:
    """The best time of each piece of work, run in turns so that both see the same load."""
    best = [float("inf")] * len(works)
    for _ in range(repeat):
        for index, work in enumerate(works):
            gc.collect()
            gc.disable()
            start = time.perf_counter()
            work()
            best[index] = min(best[index], time.perf_counter() - start)
            gc.enable()
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--format", choices=("json", "yaml"), default="json")
    parser.add_argument("--keep", type=Path, help="Write the generated input here and keep it.")
    args = parser.parse_args()

    import yaml

    from checker.importers.common import render_manifest, skipped_summary
    from checker.importers.kubernetes import import_kubernetes
    from checker.importers.kubernetes_read import read_inputs

    document = generate(args.objects, args.seed)
    with tempfile.TemporaryDirectory() as scratch:
        path = args.keep or Path(scratch, f"cluster.{args.format}")
        with path.open("w", encoding="utf-8") as stream:
            if args.format == "json":
                json.dump(document, stream, indent=4)  # as kubectl writes it
            else:
                loader_free = yaml.CSafeDumper if hasattr(yaml, "CSafeDumper") else yaml.SafeDumper
                yaml.dump_all(document["items"], stream, Dumper=loader_free, sort_keys=False)
        del document
        size = path.stat().st_size / 1_048_576

        def plain() -> object:
            with path.open("rb") as stream:
                if args.format == "json":
                    return json.load(stream)
                loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
                return list(yaml.load_all(stream, Loader=loader))

        counts: dict[str, int] = {}

        def imported() -> object:
            read = read_inputs([path])
            inventory = import_kubernetes(read.objects, None, read.skipped)
            text = render_manifest(inventory, "resilint import kubernetes bench")
            listing = skipped_summary(inventory.skipped) + inventory.notes
            counts.update(
                services=len(inventory.services),
                domains=len(inventory.domains),
                skipped=len(inventory.skipped),
                notes=len(inventory.notes),
                lines=text.count("\n") + len(listing),
            )
            return text

        parse_time, import_time = best_of(args.repeat, plain, imported)
    loader_name = "json.load" if args.format == "json" else "yaml.load_all (CSafeLoader)"
    print(
        f"{args.objects} objects, {size:.1f} MiB of {args.format}: "
        f"{counts['services']} services, {counts['domains']} domains, "
        f"{counts['skipped']} skipped, {counts['notes']} notes"
    )
    print(f"{loader_name:>28}: {parse_time:8.3f} s (best of {args.repeat})")
    print(f"{'import (parse+map+render)':>28}: {import_time:8.3f} s (best of {args.repeat})")
    print(f"{'ratio':>28}: {import_time / parse_time:8.2f}x (target <= 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
