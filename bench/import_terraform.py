"""Time ``resilint import terraform`` against a bare ``json.load`` of the same plan.

Generates a synthetic ``terraform show -json`` plan of N resource instances
(``--objects``), deterministically from ``--seed``, in the shape Terraform writes it:
``planned_values`` (with child modules), ``resource_changes`` (each with ``after`` and
``after_unknown``) and ``configuration`` (one block per resource, with references). The
mix varies shapes: AWS instances (count copies; zone known, or only through a subnet
reference, or not at all), autoscaling groups over subnets, Multi-AZ and single-AZ
databases, subnets and subnet groups, Google instances and regional instance groups,
Azure machines and scale sets, a quarter of resource types that are not mapped
(skipped), a fifth of everything inside modules. Every resource also carries the
attribute set of the real aws_instance in tests/data/terraform/checkov-plan-tfplan.json
(about 2 KB a resource, as in that plan; newer Terraform versions write more).

Then, in this process, best of ``--repeat`` rounds (default 5), the two interleaved:

- ``json.load`` of the file: the floor, reading the document at all;
- the import: read and parse the file, map it, render the manifest and the stderr
  summary (everything ``resilint import terraform FILE`` does but print).

Both run with the cyclic garbage collector off, as the CLI runs.

Prints both times and their ratio (the target is at most 3x). Usage::

    python bench/import_terraform.py --objects 100000 [--seed 1] [--repeat 5] [--keep PATH]
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

# A 100,000-resource plan is larger than the CLI's default input limit of 64 MiB.
os.environ.setdefault("RESILINT_MAX_FILE_BYTES", str(1 << 30))

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.importers.common import render_manifest, skipped_summary
from checker.importers.terraform import import_terraform
from checker.loading.files import read_text
from checker.loading.json_source import parse_export

# Every resource carries the attribute set Terraform writes for the vendored checkov
# plan's aws_instance (tests/data/terraform/checkov-plan-tfplan.json): its planned values
# and its "known after apply" attributes, about 2 KB a resource as in that plan.
_FILLER_VALUES: dict[str, Any] = {
    "credit_specification": [],
    "disable_api_termination": None,
    "ebs_optimized": None,
    "get_password_data": False,
    "hibernation": None,
    "iam_instance_profile": None,
    "instance_initiated_shutdown_behavior": None,
    "monitoring": None,
    "source_dest_check": True,
    "timeouts": None,
    "user_data": None,
    "user_data_base64": None,
}
# fmt: off
_FILLER_UNKNOWN: dict[str, Any] = dict.fromkeys(
    (
        "arn", "associate_public_ip_address", "cpu_core_count", "cpu_threads_per_core",
        "ebs_block_device", "ephemeral_block_device", "host_id", "id", "instance_state",
        "ipv6_address_count", "ipv6_addresses", "key_name", "metadata_options",
        "network_interface", "outpost_arn", "password_data", "placement_group",
        "primary_network_interface_id", "private_dns", "private_ip", "public_dns",
        "public_ip", "root_block_device", "secondary_private_ips", "security_groups",
        "tenancy", "volume_tags", "vpc_security_group_ids",
    ),
    True,
)
# fmt: on

AWS_ZONES = [f"{r}{z}" for r in ("us-east-1", "eu-west-1", "ap-south-1") for z in "abc"]
GOOGLE_ZONES = [f"{r}-{z}" for r in ("europe-west1", "us-central1") for z in "bcd"]
AZURE = ["westeurope", "eastus2"]
UNMAPPED = ["aws_s3_bucket", "aws_iam_role", "aws_security_group", "aws_route53_record"]


class _Plan:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.modules: dict[str, list[dict[str, Any]]] = {"": []}
        self.changes: list[dict[str, Any]] = []
        self.config: dict[str, list[dict[str, Any]]] = {"": []}
        self.subnets: dict[str, list[str]] = {}  # module -> subnet names
        self.count = 0

    def add(
        self,
        module: str,
        kind: str,
        name: str,
        copies: list[dict[str, Any]],
        unknown: dict[str, Any],
        expressions: dict[str, Any],
    ) -> None:
        prefix = f"{module}." if module else ""
        provider = kind.split("_", 1)[0]
        unknown = {**_FILLER_UNKNOWN, **unknown}
        for index, shape_values in enumerate(copies):
            values = {**_FILLER_VALUES, **shape_values}
            suffix = f"[{index}]" if len(copies) > 1 else ""
            address = f"{prefix}{kind}.{name}{suffix}"
            entry: dict[str, Any] = {
                "address": address,
                "mode": "managed",
                "type": kind,
                "name": name,
            }
            if suffix:
                entry["index"] = index
            entry.update(
                {
                    "provider_name": f"registry.terraform.io/hashicorp/{provider}",
                    "schema_version": 1,
                    "values": values,
                    "sensitive_values": {},
                }
            )
            self.modules.setdefault(module, []).append(entry)
            change = {
                "address": address,
                "mode": "managed",
                "type": kind,
                "name": name,
                "provider_name": entry["provider_name"],
                "change": {
                    "actions": ["create"],
                    "before": None,
                    "after": values,
                    "after_unknown": unknown,
                },
            }
            if module:
                change["module_address"] = module
            self.changes.append(change)
        block: dict[str, Any] = {
            "address": f"{kind}.{name}",
            "mode": "managed",
            "type": kind,
            "name": name,
            "provider_config_key": provider,
            "expressions": expressions,
            "schema_version": 1,
        }
        if len(copies) > 1:
            block["count_expression"] = {"constant_value": len(copies)}
        self.config.setdefault(module, []).append(block)
        self.count += len(copies)

    def document(self) -> dict[str, Any]:
        def config_module(path: str) -> dict[str, Any]:
            return {"resources": self.config.get(path, [])}

        children = sorted(m for m in self.modules if m)
        return {
            "format_version": "1.2",
            "terraform_version": "1.6.6",
            "planned_values": {
                "root_module": {
                    "resources": self.modules[""],
                    "child_modules": [
                        {"resources": self.modules[m], "address": m} for m in children
                    ],
                }
            },
            "resource_changes": self.changes,
            "configuration": {
                "provider_config": {
                    "aws": {
                        "name": "aws",
                        "expressions": {"region": {"constant_value": "us-east-1"}},
                    },
                    "google": {
                        "name": "google",
                        "expressions": {"region": {"constant_value": "europe-west1"}},
                    },
                },
                "root_module": {
                    **config_module(""),
                    "module_calls": {
                        m.split(".", 1)[1]: {"source": "./modules/app", "module": config_module(m)}
                        for m in children
                    },
                },
            },
        }


def _ref(name: str) -> dict[str, Any]:
    return {"references": [f"{name}.id", name]}


def generate(objects: int, seed: int) -> dict[str, Any]:
    """A plan of exactly ``objects`` resource instances."""
    plan = _Plan(seed)
    rng = plan.rng
    n = 0
    while plan.count < objects:
        n += 1
        left = objects - plan.count
        module = f"module.m{rng.randrange(50)}" if rng.random() < 0.2 else ""
        subnets = plan.subnets.setdefault(module, [])
        tags = {"Name": f"r{n}", "tier": rng.choice(["critical", "high", "medium", "low"])}
        roll = rng.random()
        if roll < 0.06 or not subnets:
            zone = rng.choice(AWS_ZONES)
            values = {
                "availability_zone": zone,
                "cidr_block": f"10.{n % 250}.0.0/24",
                "tags": {"Name": f"s{n}"},
            }
            plan.add(module, "aws_subnet", f"s{n}", [values], {"id": True, "arn": True}, {})
            subnets.append(f"aws_subnet.s{n}")
        elif roll < 0.36:
            copies = min(left, rng.choice([1, 1, 2, 3, 4]))
            base = {"ami": "ami-0fc5d935ebf8bc3bc", "instance_type": "t3.large", "tags": tags}
            shape = rng.random()
            unknown = {"arn": True, "id": True, "private_ip": True, "subnet_id": True}
            expressions: dict[str, Any] = {"instance_type": {"constant_value": "t3.large"}}
            if shape < 0.5:
                zone_copies = [
                    {**base, "availability_zone": rng.choice(AWS_ZONES)} for _ in range(copies)
                ]
            else:
                zone_copies = [dict(base) for _ in range(copies)]
                unknown["availability_zone"] = True
                if shape < 0.9:
                    expressions["subnet_id"] = _ref(rng.choice(subnets))
            plan.add(module, "aws_instance", f"i{n}", zone_copies, unknown, expressions)
        elif roll < 0.42:
            chosen = rng.sample(subnets, min(len(subnets), rng.choice([1, 2, 3])))
            values = {
                "desired_capacity": rng.choice([2, 3, 4, 6]),
                "min_size": rng.choice([1, 2]),
                "max_size": 8,
                "tag": [{"key": "tier", "value": tags["tier"], "propagate_at_launch": True}],
            }
            expressions = {
                "vpc_zone_identifier": {"references": [r for s in chosen for r in (f"{s}.id", s)]}
            }
            plan.add(
                module,
                "aws_autoscaling_group",
                f"g{n}",
                [values],
                {"vpc_zone_identifier": True, "arn": True},
                expressions,
            )
        elif roll < 0.47:
            group = f"aws_db_subnet_group.dbg{n}"
            chosen = rng.sample(subnets, min(len(subnets), 2))
            plan.add(
                module,
                "aws_db_subnet_group",
                f"dbg{n}",
                [{"name": f"dbg{n}"}],
                {"subnet_ids": True},
                {"subnet_ids": {"references": [r for s in chosen for r in (f"{s}.id", s)]}},
            )
            values = {
                "engine": "postgres",
                "instance_class": "db.r6g.large",
                "multi_az": rng.random() < 0.6,
                "db_subnet_group_name": f"dbg{n}",
                "tags": tags,
            }
            plan.add(
                module,
                "aws_db_instance",
                f"db{n}",
                [values],
                {"availability_zone": True, "id": True},
                {"db_subnet_group_name": _ref(group)},
            )
        elif roll < 0.57:
            copies = min(left, rng.choice([1, 2, 3]))
            plan.add(
                module,
                "google_compute_instance",
                f"gi{n}",
                [
                    {
                        "zone": rng.choice(GOOGLE_ZONES),
                        "machine_type": "e2-standard-4",
                        "labels": tags,
                    }
                    for _ in range(copies)
                ],
                {"id": True, "self_link": True},
                {},
            )
        elif roll < 0.60:
            region = rng.choice(["europe-west1", "us-central1"])
            plan.add(
                module,
                "google_compute_region_instance_group_manager",
                f"mig{n}",
                [
                    {
                        "region": region,
                        "target_size": rng.choice([2, 3, 5]),
                        "distribution_policy_zones": [f"{region}-{z}" for z in "bcd"],
                    }
                ],
                {"id": True},
                {},
            )
        elif roll < 0.67:
            copies = min(left, rng.choice([1, 2]))
            location = rng.choice(AZURE)
            plan.add(
                module,
                "azurerm_linux_virtual_machine",
                f"vm{n}",
                [
                    {
                        "location": location,
                        "zone": rng.choice(["1", "2", "3", None]),
                        "size": "Standard_D2s_v5",
                        "tags": tags,
                    }
                    for _ in range(copies)
                ],
                {"id": True},
                {},
            )
        elif roll < 0.70:
            plan.add(
                module,
                "azurerm_linux_virtual_machine_scale_set",
                f"ss{n}",
                [
                    {
                        "location": rng.choice(AZURE),
                        "instances": rng.choice([2, 3, 4]),
                        "zones": ["1", "2", "3"],
                        "tags": tags,
                    }
                ],
                {"id": True},
                {},
            )
        else:
            kind = rng.choice(UNMAPPED)
            plan.add(
                module,
                kind,
                f"x{n}",
                [{"name": f"x{n}", "tags": tags}],
                {"id": True, "arn": True},
                {},
            )
    return plan.document()


def best_of(repeat: int, *actions: Callable[[], object]) -> list[float]:
    """The best time of each action over ``repeat`` rounds, run interleaved: a busy spell
    of the machine then slows both sides of the comparison, not one."""
    best = [float("inf")] * len(actions)
    for _ in range(repeat):
        for n, action in enumerate(actions):
            start = time.perf_counter()
            action()
            best[n] = min(best[n], time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--objects", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="write the generated plan here and keep it")
    args = parser.parse_args()

    document = generate(args.objects, args.seed)
    target = args.keep or Path(tempfile.mkstemp(suffix=".json")[1])
    target.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    del document
    try:
        size = target.stat().st_size

        def plain() -> object:
            with target.open(encoding="utf-8") as stream:
                return json.load(stream)

        def imported() -> object:
            text = read_text(target, target.name)
            inventory = import_terraform([parse_export(text, target.name)])
            manifest = render_manifest(inventory, f"resilint import terraform {target.name}")
            return manifest, skipped_summary(inventory.skipped), len(inventory.notes)

        # As the CLI runs (checker/cli/errors.py): no cyclic garbage collector.
        gc.disable()
        floor, taken = best_of(args.repeat, plain, imported)
        manifest, _, _ = imported()  # type: ignore[misc]
    finally:
        if args.keep is None:
            target.unlink()
    print(
        f"{args.objects} objects, {size / 1_048_576:.1f} MiB plan -> "
        f"{len(manifest) / 1_048_576:.1f} MiB manifest; best of {args.repeat}"
    )
    print(f"json.load  {floor:8.3f} s")
    print(f"import     {taken:8.3f} s")
    print(f"ratio      {taken / floor:8.2f} x (target: at most 3x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
