"""The Kubernetes importer's mapping, on real manifests (microservices-demo) and on a
cluster snapshot built in the shape of ``kubectl get -A -o json`` output."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from checker.core.errors import InputError
from checker.importers.common import Inventory, Skipped
from checker.importers.kubernetes import KubernetesOptions, import_kubernetes
from checker.importers.kubernetes_placement import DomainKinds
from checker.importers.kubernetes_read import read_inputs

DATA = Path(__file__).resolve().parent.parent / "data" / "kubernetes"
DEMO = DATA / "microservices-demo.yaml"
SNAPSHOT = DATA / "snapshot.json"
ZOOKEEPER = DATA / "zookeeper.yaml"
A1, A2 = (
    "node:ip-10-0-1-10.eu-west-1.compute.internal",
    "node:ip-10-0-1-11.eu-west-1.compute.internal",
)
B1, B2 = (
    "node:ip-10-0-2-10.eu-west-1.compute.internal",
    "node:ip-10-0-2-11.eu-west-1.compute.internal",
)
C1, C2 = (
    "node:ip-10-0-3-10.eu-west-1.compute.internal",
    "node:ip-10-0-3-11.eu-west-1.compute.internal",
)


def run(*paths: Path, options: KubernetesOptions | None = None) -> Inventory:
    read = read_inputs(paths)
    return import_kubernetes(read.objects, options, read.skipped)


def from_text(tmp_path: Path, text: str, name: str = "in.yaml", **options: Any) -> Inventory:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return run(path, options=KubernetesOptions(**options) if options else None)


def stream(*documents: str) -> str:
    """Documents as one multi-document YAML text."""
    return "\n---\n".join(d.strip("\n") for d in documents) + "\n"


def failure(tmp_path: Path, text: str, name: str = "in.yaml") -> str:
    with pytest.raises(InputError) as caught:
        from_text(tmp_path, text, name)
    return str(caught.value).replace(str(tmp_path) + "/", "")


# --- microservices-demo (real, vendored byte-exact) ---------------------------------------


@pytest.fixture(scope="module")
def demo() -> Inventory:
    return run(DEMO)


def test_demo_frontend_depends_on_exactly_the_seven_services_its_env_names(
    demo: Inventory,
) -> None:
    assert demo.services["default/frontend"]["depends_on"] == [
        "default/adservice",
        "default/cartservice",
        "default/checkoutservice",
        "default/currencyservice",
        "default/productcatalogservice",
        "default/recommendationservice",
        "default/shippingservice",
    ]


def test_demo_shoppingassistantservice_is_reported_unresolved(demo: Inventory) -> None:
    assert demo.notes == [
        "default/frontend: unresolved: names Service default/shoppingassistantservice "
        "('shoppingassistantservice:80'), which is not in the input; no dependency written"
    ]


def test_demo_call_graph_from_addr_values(demo: Inventory) -> None:
    graph = {sid: s.get("depends_on", []) for sid, s in demo.services.items()}
    assert graph == {
        "default/adservice": [],
        "default/cartservice": ["default/redis-cart"],
        "default/checkoutservice": [
            "default/cartservice",
            "default/currencyservice",
            "default/emailservice",
            "default/paymentservice",
            "default/productcatalogservice",
            "default/shippingservice",
        ],
        "default/currencyservice": [],
        "default/emailservice": [],
        "default/frontend": graph["default/frontend"],
        # Its init container's shell script says "Pinging frontend:" in prose: only the
        # FRONTEND_ADDR values count, and they name the same Service.
        "default/loadgenerator": ["default/frontend"],
        "default/paymentservice": [],
        "default/productcatalogservice": [],
        "default/recommendationservice": ["default/productcatalogservice"],
        "default/redis-cart": [],
        "default/shippingservice": [],
    }


def test_demo_deployment_becomes_a_service_on_the_cluster_domain(demo: Inventory) -> None:
    assert demo.services["default/adservice"] == {
        "tier": "medium",
        "instances": ["cluster:kubernetes"],
        "labels": {"app": "adservice"},
        "meta": {
            "replicas": 1,
            "source": {
                "system": "kubernetes",
                "kind": "Deployment",
                "name": "adservice",
                "namespace": "default",
            },
        },
    }
    assert demo.domains == {
        "cluster:kubernetes": {
            "kind": "cluster",
            "meta": {"source": {"system": "kubernetes", "kind": "cluster", "name": "kubernetes"}},
        }
    }


def test_demo_service_accounts_are_listed_as_skipped(demo: Inventory) -> None:
    assert len(demo.skipped) == 11
    assert {s.kind for s in demo.skipped} == {"ServiceAccount"}
    assert Skipped("ServiceAccount", "default/frontend", "kind not imported") in demo.skipped


# --- the runtime snapshot (nodes in zones, pods on nodes) --------------------------------


@pytest.fixture(scope="module")
def snapshot() -> Inventory:
    return run(SNAPSHOT)


def test_snapshot_nodes_sit_in_zones_in_regions_legacy_labels_too(snapshot: Inventory) -> None:
    domains = {k: (d["kind"], d.get("parent")) for k, d in snapshot.domains.items()}
    assert domains == {
        A1: ("host", "zone:eu-west-1a"),
        A2: ("host", "zone:eu-west-1a"),
        B1: ("host", "zone:eu-west-1b"),
        B2: ("host", "zone:eu-west-1b"),
        C1: ("host", "zone:eu-west-1c"),
        C2: ("host", "zone:eu-west-1c"),
        "region:eu-west-1": ("region", None),
        "zone:eu-west-1a": ("facility", "region:eu-west-1"),
        "zone:eu-west-1b": ("facility", "region:eu-west-1"),
        "zone:eu-west-1c": ("facility", "region:eu-west-1"),
    }
    # The zone's source kind is the label key it was read from.
    assert snapshot.domains["zone:eu-west-1c"]["meta"]["source"] == {
        "system": "kubernetes",
        "kind": "failure-domain.beta.kubernetes.io/zone",
        "name": "eu-west-1c",
    }
    assert snapshot.domains["zone:eu-west-1a"]["meta"]["source"]["kind"] == (
        "topology.kubernetes.io/zone"
    )


def test_snapshot_running_pods_are_the_instances(snapshot: Inventory) -> None:
    instances = {k: s["instances"] for k, s in snapshot.services.items()}
    assert instances == {
        "monitoring/node-exporter": [A1, A2, B1, B2, C1, C2],
        # Pods owned by a ReplicaSet that is in the input...
        "shop/web": [A1, B1, C1],
        # ...and by one that is not (found by name prefix and selector).
        "shop/cart": [A1, A2, B2, C2],
        "shop/cart-redis": [A2, B1, C1],
        "shop/catalog": [B1, B2],
        # The pending pod runs nowhere: it is no instance.
        "shop/worker": [A2, C2],
    }


def test_snapshot_budgets_autoscaler_and_replicas(snapshot: Inventory) -> None:
    sizes = {
        k: (s.get("min_healthy", 1), s["meta"]["replicas"], s["meta"]["running"])
        for k, s in snapshot.services.items()
    }
    assert sizes == {
        "monitoring/node-exporter": (1, 6, 6),  # a DaemonSet: the six linux nodes
        "shop/web": (2, 3, 3),  # minAvailable: 2
        "shop/cart": (3, 4, 4),  # minAvailable: 60% of 4 = 2.4, rounded up
        "shop/cart-redis": (2, 3, 3),  # maxUnavailable: 1
        "shop/catalog": (1, 2, 2),  # no budget
        "shop/worker": (2, 3, 2),  # minAvailable: 2 of 3 wanted
    }
    assert snapshot.services["shop/cart"]["meta"] == {
        "autoscaler": "cart",
        "autoscaler_min_replicas": 4,
        "disruption_budget": "cart",
        "replicas": 4,
        "running": 4,
        "source": {
            "system": "kubernetes",
            "kind": "Deployment",
            "name": "cart",
            "namespace": "shop",
        },
    }


def test_snapshot_tiers_from_label_then_template_then_default(snapshot: Inventory) -> None:
    tiers = {k: s["tier"] for k, s in snapshot.services.items()}
    assert tiers == {
        "monitoring/node-exporter": "low",  # pod template label
        "shop/web": "critical",  # workload label
        "shop/cart": "critical",  # pod template label
        "shop/cart-redis": "critical",
        "shop/catalog": "high",
        "shop/worker": "high",  # workload label (its template has none)
    }


def test_snapshot_spread_intent_is_kept_as_labels(snapshot: Inventory) -> None:
    assert snapshot.services["shop/web"]["labels"] == {
        "app": "web",
        "resilint.io/tier": "critical",
        "spread.maxSkew": "1",
        "spread.topologyKey": "topology.kubernetes.io/zone",
        "spread.whenUnsatisfiable": "DoNotSchedule",
    }
    assert snapshot.services["shop/cart-redis"]["labels"] == {
        "antiAffinity.preferred": "topology.kubernetes.io/zone",
        "antiAffinity.required": "kubernetes.io/hostname",
        "app": "cart-redis",
    }


def test_snapshot_dependencies_notes_and_skips(snapshot: Inventory) -> None:
    graph = {k: s.get("depends_on", []) for k, s in snapshot.services.items()}
    assert graph == {
        "monitoring/node-exporter": [],
        # cart:7070 and http://catalog.shop.svc.cluster.local:8080/api/v2
        "shop/web": ["shop/cart", "shop/catalog"],
        # redis://cart-redis:6379/0
        "shop/cart": ["shop/cart-redis"],
        # Its own peer name ($(POD_NAME).cart-redis) is no dependency.
        "shop/cart-redis": [],
        # An RDS host name is outside the cluster.
        "shop/catalog": [],
        # cart.shop:7070 (namespace shop is in the input)
        "shop/worker": ["shop/cart"],
    }
    assert snapshot.notes == [
        "shop/worker: 3 replicas wanted, 2 running on a node, 1 Pending; "
        "only running pods are instances",
        "shop/worker: unresolved: names Service billing/payments "
        "('http://payments.billing.svc:8443/v1/charge'), which is not in the input; "
        "no dependency written",
    ]
    assert snapshot.skipped == [
        Skipped(
            "Pod",
            "shop/db-migrate-29012345-8xq2v",
            "owned by Job 'db-migrate-29012345', not a Deployment, StatefulSet or DaemonSet",
        )
    ]


# --- a StatefulSet with a headless Service and a PodDisruptionBudget (multi-document) -----


def test_statefulset_with_headless_service_and_budget() -> None:
    inventory = run(ZOOKEEPER)
    assert inventory.services["default/zk"] == {
        "tier": "high",
        "instances": [{"at": "cluster:kubernetes", "count": 3}],
        "min_healthy": 2,  # maxUnavailable: 1 of 3
        "labels": {"antiAffinity.required": "kubernetes.io/hostname"},
        "meta": {
            "replicas": 3,
            "disruption_budget": "zk-pdb",
            "source": {
                "system": "kubernetes",
                "kind": "StatefulSet",
                "name": "zk",
                "namespace": "default",
            },
        },
    }
    # zk-0.zk-hs:2181 names a member behind the headless Service; zk's own peer
    # addresses (zk-0.zk-hs.default.svc.cluster.local:2888:3888) are no dependency.
    assert inventory.services["default/orders"]["depends_on"] == ["default/zk"]
    assert "depends_on" not in inventory.services["default/zk"]
    assert (inventory.notes, inventory.skipped) == ([], [])


# --- rules on small shapes taken from the data above --------------------------------------

DEPLOYMENT = """
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: {namespace}}}
spec:
  {replicas}
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      containers:
        - name: main
          image: example/app:1
          env: {env}
"""


def deployment(
    name: str, namespace: str = "default", replicas: int | None = 1, env: str = "[]"
) -> str:
    line = "" if replicas is None else f"replicas: {replicas}"
    return DEPLOYMENT.format(name=name, namespace=namespace, replicas=line, env=env)


def budget(name: str, app: str, field: str, value: str) -> str:
    return f"""
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {{name: {name}}}
spec:
  {field}: {value}
  selector: {{matchLabels: {{app: {app}}}}}
"""


@pytest.mark.parametrize(
    ("replicas", "field", "value", "min_healthy"),
    [
        (4, "minAvailable", "'60%'", 3),  # 2.4 rounds up
        (4, "minAvailable", "'50%'", 2),
        (5, "minAvailable", "2", 2),
        (4, "maxUnavailable", "'25%'", 3),  # 4 - 1
        (4, "maxUnavailable", "'30%'", 2),  # 4 - ceil(1.2)
        (10, "maxUnavailable", "'33%'", 6),  # 10 - ceil(3.3)
        (3, "maxUnavailable", "1", 2),
        (3, "maxUnavailable", "0", 3),
        (3, "maxUnavailable", "'100%'", 1),  # nothing must stay up: the floor of 1
        (2, "minAvailable", "3", 3),  # more than it has: reported, kept
    ],
)
def test_budget_rounding(
    tmp_path: Path, replicas: int, field: str, value: str, min_healthy: int
) -> None:
    text = stream(deployment("api", replicas=replicas), budget("api", "api", field, value))
    inventory = from_text(tmp_path, text)
    assert inventory.services["default/api"].get("min_healthy", 1) == min_healthy
    over = min_healthy > replicas
    assert inventory.notes == (
        [
            f"default/api: PodDisruptionBudget api keeps {min_healthy} of {replicas} "
            "replicas up, more than it has: it counts as down"
        ]
        if over
        else []
    )


def test_a_budget_that_selects_nothing_is_skipped(tmp_path: Path) -> None:
    inventory = from_text(
        tmp_path, stream(deployment("api"), budget("x", "other", "minAvailable", "1"))
    )
    assert inventory.skipped == [
        Skipped("PodDisruptionBudget", "default/x", "selects the pods of no workload in the input")
    ]


def test_autoscaler_min_replicas_without_a_snapshot(tmp_path: Path) -> None:
    hpa = """
apiVersion: autoscaling/v1
kind: HorizontalPodAutoscaler
metadata: {name: api-hpa}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: api}
  minReplicas: 3
  maxReplicas: 9
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: ghost}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ghost}
  maxReplicas: 9
"""
    inventory = from_text(tmp_path, stream(deployment("api", replicas=None), hpa))
    api = inventory.services["default/api"]
    assert api["instances"] == [{"at": "cluster:kubernetes", "count": 3}]
    assert api["meta"]["autoscaler"] == "api-hpa"
    assert inventory.skipped == [
        Skipped(
            "HorizontalPodAutoscaler",
            "default/ghost",
            "targets Deployment default/ghost, not in the input",
        )
    ]


def test_replicas_default_to_one_and_zero_means_no_instances(tmp_path: Path) -> None:
    text = stream(deployment("a", replicas=None), deployment("b", replicas=0))
    inventory = from_text(tmp_path, text)
    assert inventory.services["default/a"]["instances"] == ["cluster:kubernetes"]
    assert inventory.services["default/b"]["instances"] == []
    assert inventory.notes == ["default/b: scaled to 0 replicas, so written with none"]


DAEMONSET = """
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      nodeSelector: {pool: edge}
      containers: [{name: agent, image: example/agent:1}]
"""


def test_daemonset_replicas_default_status_and_matching_nodes(tmp_path: Path) -> None:
    inventory = from_text(tmp_path, DAEMONSET, daemonset_replicas=2)
    assert inventory.services["kube-system/agent"]["instances"] == [
        {"at": "cluster:kubernetes", "count": 2}
    ]
    with_status = DAEMONSET + "status: {desiredNumberScheduled: 5}\n"
    inventory = from_text(tmp_path, with_status)
    assert inventory.services["kube-system/agent"]["meta"]["replicas"] == 5
    nodes = "".join(
        f"---\napiVersion: v1\nkind: Node\nmetadata: {{name: n{i}, labels: {{pool: {pool}}}}}\n"
        for i, pool in enumerate(["edge", "core", "edge"])
    )
    inventory = from_text(tmp_path, with_status + nodes)
    assert inventory.services["kube-system/agent"]["meta"]["replicas"] == 2


def test_a_service_selecting_two_workloads_is_an_any_of_group(tmp_path: Path) -> None:
    text = stream(
        *[
            deployment("api-stable").replace("app: api-stable", "app: api"),
            deployment("api-canary").replace("app: api-canary", "app: api"),
            deployment("web", env='[{name: API, value: "http://api/v1"}]'),
            "apiVersion: v1\nkind: Service\nmetadata: {name: api}\nspec: {selector: {app: api}}\n",
        ]
    )
    inventory = from_text(tmp_path, text)
    assert inventory.services["default/web"]["depends_on"] == [
        {"any_of": ["default/api-canary", "default/api-stable"]}
    ]


def test_services_without_selector_or_workload_are_noted(tmp_path: Path) -> None:
    env = '[{name: A, value: "ext:443"}, {name: B, value: "idle:80"}]'
    text = stream(
        *[
            deployment("web", env=env),
            "apiVersion: v1\nkind: Service\nmetadata: {name: ext}\n"
            "spec: {type: ExternalName, externalName: api.example.com}\n",
            "apiVersion: v1\nkind: Service\nmetadata: {name: idle}\nspec: {selector: {app: x}}\n",
        ]
    )
    inventory = from_text(tmp_path, text)
    assert "depends_on" not in inventory.services["default/web"]
    assert inventory.notes == [
        "Service default/ext (ExternalName) has no selector, so no workload behind it: "
        "dependencies on it are not written",
        "Service default/idle selects the pods of no workload in the input: "
        "dependencies on it are not written",
    ]


SERVICE = (
    "apiVersion: v1\nkind: Service\nmetadata: {{name: {name}}}\n"
    "spec: {{selector: {{app: {name}}}}}\n"
)


def test_env_from_config_maps_names_services(tmp_path: Path) -> None:
    web = deployment("web").replace(
        "env: []",
        "envFrom: [{configMapRef: {name: urls}}]\n"
        "          env: [{name: C, valueFrom: {configMapKeyRef: {name: one, key: cart}}}]",
    )
    text = stream(
        *[
            web,
            deployment("cart"),
            deployment("search"),
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: urls}\n"
            "data: {SEARCH_URL: 'http://search:9200', LEVEL: debug}\n",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: one}\ndata: {cart: cart}\n",
            SERVICE.format(name="cart"),
            SERVICE.format(name="search"),
        ]
    )
    inventory = from_text(tmp_path, text)
    assert inventory.services["default/web"]["depends_on"] == ["default/cart", "default/search"]


def test_tier_label_option_and_bad_tier_values(tmp_path: Path) -> None:
    text = deployment("a").replace(
        "metadata: {name: a,", "metadata: {labels: {team/tier: high}, name: a,"
    )
    text = stream(
        text,
        deployment("b").replace(
            "metadata: {name: b,", "metadata: {annotations: {team/tier: gold}, name: b,"
        ),
    )
    inventory = from_text(tmp_path, text, tier_label="team/tier", default_tier="low")
    assert (inventory.services["default/a"]["tier"], inventory.services["default/b"]["tier"]) == (
        "high",
        "low",
    )
    assert inventory.notes == [
        "default/b: team/tier='gold' is not a tier (critical, high, medium, low); using 'low'"
    ]


def test_same_name_in_two_workload_kinds_gets_unique_ids(tmp_path: Path) -> None:
    statefulset = deployment("db").replace("kind: Deployment", "kind: StatefulSet")
    inventory = from_text(tmp_path, stream(statefulset, deployment("db")))
    assert sorted(inventory.services) == ["default/db", "default/db-2"]
    assert inventory.services["default/db-2"]["meta"]["source"]["kind"] == "StatefulSet"
    assert inventory.notes == [
        "StatefulSet default/db is written as 'default/db-2': another workload already "
        "has the id 'default/db'"
    ]


def test_typed_lists_and_documents_that_are_not_objects(tmp_path: Path) -> None:
    text = """
    apiVersion: apps/v1
    kind: DeploymentList
    items:
      - metadata: {name: a}
        spec: {template: {metadata: {labels: {app: a}}, spec: {containers: []}}}
    ---
    - just
    - a list
    ---
    metadata: {name: nameless-kind}
    ---
    apiVersion: v1
    kind: Secret
    metadata: {name: token, namespace: ops}
    ---
    apiVersion: apps/v1
    kind: DeploymentList
    items:
      - metadata: {name: a}
        spec: {template: {metadata: {labels: {app: a}}, spec: {containers: []}}}
    """
    inventory = from_text(tmp_path, text)
    assert list(inventory.services) == ["default/a"]
    assert sorted(inventory.skipped) == [
        Skipped(
            "Deployment",
            "default/a",
            f"defined twice; the first, at {tmp_path}/in.yaml:4:5, is used",
        ),
        Skipped("Secret", "ops/token", "kind not imported"),
        Skipped("document", f"{tmp_path}/in.yaml:10:1", "has no kind"),
        Skipped("document", f"{tmp_path}/in.yaml:7:1", "not a mapping, so not a Kubernetes object"),
    ]


def test_directories_are_walked_in_sorted_order_for_kubernetes_files(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.yml").write_text(deployment("two"), encoding="utf-8")
    (tmp_path / "a.json").write_text(
        '{"kind": "List", "items": [{"kind": "Service", "metadata": {"name": "two"},'
        ' "spec": {"selector": {"app": "two"}}}]}',
        encoding="utf-8",
    )
    (tmp_path / "c.yaml").write_text(
        deployment("one", env='[{name: T, value: "two:1"}]'), encoding="utf-8"
    )
    (tmp_path / "resilint.toml").write_text("not = 'read'\n", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not read", encoding="utf-8")
    inventory = run(tmp_path)
    assert sorted(inventory.services) == ["default/one", "default/two"]
    assert inventory.services["default/one"]["depends_on"] == ["default/two"]


# --- bad input: exit 2 material, with file:line:col ---------------------------------------


def test_wrong_shapes_are_reported_at_their_position(tmp_path: Path) -> None:
    assert failure(tmp_path, deployment("a").replace("replicas: 1", "replicas: three")) == (
        "in.yaml:5:3: Deployment default/a: spec.replicas must be a whole number, 0 or more"
    )
    assert failure(tmp_path, "kind: Deployment\nmetadata: [a]\n") == (
        "in.yaml:2:1: Deployment has no metadata mapping"
    )
    assert failure(tmp_path, '{"kind": "List", "items": {"a": 1}}', "in.json") == (
        "in.json:1:18: List.items must be a list of objects"
    )
    assert failure(tmp_path, deployment("a").replace("app: a}}", "app: 1}}", 1)) == (
        "in.yaml:6:28: Deployment default/a: spec.selector.matchLabels.app must be a string "
        "(quote it)"
    )
    assert failure(tmp_path, deployment("a", env="{PORT: '80'}")) == (
        "in.yaml:13:11: Deployment default/a: spec.template.spec.containers.0.env must be a list"
    )
    text = stream(deployment("a"), budget("a", "a", "minAvailable", "'half'"))
    assert failure(tmp_path, text) == (
        "in.yaml:19:3: PodDisruptionBudget default/a: spec.minAvailable must be a whole "
        "number or a percentage such as '50%', not 'half'"
    )


def test_unreadable_files_are_reported_with_position(tmp_path: Path) -> None:
    assert failure(tmp_path, "kind: Service\nmetadata: {name: [\n") == (
        "in.yaml:3:1: invalid YAML: did not find expected node content (while parsing a flow node)"
    )
    assert failure(tmp_path, '{"kind": "List",\n "items": [,]}', "in.json") == (
        "in.json:2:12: invalid JSON: Expecting value"
    )
    assert failure(tmp_path, "kind: x\n", "in.toml") == (
        "in.toml:1:1: unsupported file type '.toml': expected .yaml, .yml or .json "
        "(Kubernetes manifests or `kubectl get -o json` output)"
    )


def pod(name: str, labels: str, owner: str = "", node: str = "n1", phase: str = "Running") -> str:
    owners = f", ownerReferences: [{owner}]" if owner else ""
    return (
        f"apiVersion: v1\nkind: Pod\nmetadata: {{name: {name}, labels: {labels}{owners}}}\n"
        f"spec: {{nodeName: {node}, containers: []}}\nstatus: {{phase: {phase}}}\n"
    )


def test_pod_owners_by_reference_prefix_and_selector(tmp_path: Path) -> None:
    text = stream(
        deployment("api", replicas=3),
        "apiVersion: v1\nkind: Node\nmetadata: {name: n1}\n",
        # no owner references: the selector decides
        pod("api-manual", "{app: api}"),
        # a ReplicaSet that is not in the input: the name prefix decides
        pod(
            "api-6d9f-x1",
            "{app: api, pod-template-hash: 6d9f}",
            "{kind: ReplicaSet, name: api-6d9f, controller: true}",
            node="n9",
        ),
        # a ReplicaSet in the input that no Deployment owns
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: loose}\n",
        pod("loose-x", "{app: loose}", "{kind: ReplicaSet, name: loose}"),
        # finished, and owned by a workload that is not in the input
        pod("api-old", "{app: api}", phase="Succeeded"),
        pod("db-0", "{app: db}", "{kind: StatefulSet, name: db}"),
        pod("stray", "{app: nobody}"),
    )
    inventory = from_text(tmp_path, text, kinds=DomainKinds(node="server"))
    assert inventory.services["default/api"]["instances"] == ["node:n1", "node:n9"]
    assert inventory.domains["node:n9"]["kind"] == "server"
    assert inventory.notes == [
        "node 'n9' runs pods but is not in the input: written without a zone",
        "default/api: 3 replicas wanted, 2 running on a node, 1 Succeeded; "
        "only running pods are instances",
    ]
    assert sorted(inventory.skipped) == [
        Skipped("Pod", "default/db-0", "its StatefulSet default/db is not in the input"),
        Skipped("Pod", "default/loose-x", "its ReplicaSet default/loose belongs to no Deployment"),
        Skipped(
            "Pod", "default/stray", "has no owner and no workload's selector matches its labels"
        ),
    ]


def test_svc_dot_ns_is_a_service_only_in_a_namespace_of_the_input(tmp_path: Path) -> None:
    env = '[{name: A, value: "http://cart.payments:80"}, {name: B, value: "cart.example:80"}]'
    namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: payments}\n"
    inventory = from_text(tmp_path, stream(deployment("web", env=env), namespace))
    # payments is a namespace (a Namespace object says so); example is not.
    assert inventory.notes == [
        "default/web: unresolved: names Service payments/cart ('http://cart.payments:80'), "
        "which is not in the input; no dependency written"
    ]
    assert inventory.skipped == []
