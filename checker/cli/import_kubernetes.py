"""``resilint import kubernetes INPUT...``: workloads, Services and a runtime snapshot.

The mapping is :mod:`checker.importers.kubernetes`; this module only reads options
and files and hands over to :func:`checker.cli.importing.finish`
(docs/importing-kubernetes.md).
"""

from __future__ import annotations

from pathlib import Path

import click

from checker.cli.importing import finish, output_option
from checker.core.model import DEFAULT_TIERS
from checker.importers.kubernetes import KubernetesOptions, import_kubernetes
from checker.importers.kubernetes_placement import DomainKinds
from checker.importers.kubernetes_read import read_inputs

#: Option name -> default, in the order the header's regenerate command lists them.
_DEFAULTS: dict[str, object] = {
    "tier_label": "resilint.io/tier",
    "default_tier": "medium",
    "zone_kind": "facility",
    "region_kind": "region",
    "node_kind": "host",
    "cluster": "kubernetes",
    "cluster_kind": "cluster",
    "daemonset_replicas": 1,
}


def _not_empty(ctx: click.Context, param: click.Parameter, value: str) -> str:
    if not value.strip():
        raise click.BadParameter("must not be empty")
    return value


@click.command("kubernetes")
@click.argument(
    "inputs", nargs=-1, required=True, type=click.Path(path_type=Path), metavar="INPUT..."
)
@click.option(
    "--tier-label",
    default=_DEFAULTS["tier_label"],
    show_default=True,
    metavar="KEY",
    help="Label or annotation of a workload (or its pod template) that holds its tier.",
)
@click.option(
    "--default-tier",
    type=click.Choice(DEFAULT_TIERS),
    default=_DEFAULTS["default_tier"],
    show_default=True,
    help="Tier of a workload without the tier label.",
)
@click.option(
    "--zone-kind",
    callback=_not_empty,
    default=_DEFAULTS["zone_kind"],
    show_default=True,
    metavar="KIND",
    help="Domain kind for zones (topology.kubernetes.io/zone).",
)
@click.option(
    "--region-kind",
    callback=_not_empty,
    default=_DEFAULTS["region_kind"],
    show_default=True,
    metavar="KIND",
    help="Domain kind for regions (topology.kubernetes.io/region).",
)
@click.option(
    "--node-kind",
    callback=_not_empty,
    default=_DEFAULTS["node_kind"],
    show_default=True,
    metavar="KIND",
    help="Domain kind for Nodes.",
)
@click.option(
    "--cluster",
    callback=_not_empty,
    default=_DEFAULTS["cluster"],
    show_default=True,
    metavar="NAME",
    help="Name of the domain that holds all replicas when the input has no Pods.",
)
@click.option(
    "--cluster-kind",
    callback=_not_empty,
    default=_DEFAULTS["cluster_kind"],
    show_default=True,
    metavar="KIND",
    help="Domain kind of that cluster domain.",
)
@click.option(
    "--daemonset-replicas",
    type=click.IntRange(min=0),
    default=_DEFAULTS["daemonset_replicas"],
    show_default=True,
    metavar="N",
    help="Replicas of a DaemonSet when the input has no Nodes and no DaemonSet status.",
)
@output_option
def kubernetes(
    inputs: tuple[Path, ...],
    tier_label: str,
    default_tier: str,
    zone_kind: str,
    region_kind: str,
    node_kind: str,
    cluster: str,
    cluster_kind: str,
    daemonset_replicas: int,
    output: Path | None,
) -> int:
    """Write a manifest from Kubernetes manifests (multi-document YAML) or
    `kubectl get ... -o json` output: files, or directories of .yaml/.yml/.json.

    Deployments, StatefulSets and DaemonSets become services NAMESPACE/NAME, sized
    by replicas, HorizontalPodAutoscalers and PodDisruptionBudgets; the Services
    their env, command and args name become dependencies. With Pods and Nodes in the
    input, replicas sit on their nodes, in zones and regions.

    \b
    Example:
      kubectl get deploy,sts,ds,svc,pdb,hpa,rs,cm,pods,nodes -A -o json > cluster.json
      resilint import kubernetes cluster.json -o cluster.resilint.yaml
    """
    options = KubernetesOptions(
        tier_label=tier_label,
        default_tier=default_tier,
        kinds=DomainKinds(node=node_kind, zone=zone_kind, region=region_kind),
        cluster=cluster,
        cluster_kind=cluster_kind,
        daemonset_replicas=daemonset_replicas,
    )
    read = read_inputs(inputs)
    inventory = import_kubernetes(read.objects, options, read.skipped)
    chosen: dict[str, object] = {
        "tier_label": tier_label,
        "default_tier": default_tier,
        "zone_kind": zone_kind,
        "region_kind": region_kind,
        "node_kind": node_kind,
        "cluster": cluster,
        "cluster_kind": cluster_kind,
        "daemonset_replicas": daemonset_replicas,
    }
    words = [str(path) for path in inputs]
    for name, default in _DEFAULTS.items():
        if chosen[name] != default:
            words += [f"--{name.replace('_', '-')}", str(chosen[name])]
    return finish(inventory, output, words)
