"""The Terraform importer: each mapping rule on real plans (vendored) or on shapes taken
from them, the golden facts of tests/data/terraform, and what is skipped or noted."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from checker.core.errors import InputError
from checker.importers.common import Inventory, skipped_summary
from checker.importers.terraform import DEFAULTS, Options, import_terraform, service_id
from checker.loading.json_source import parse_export

DATA = Path(__file__).resolve().parent.parent / "data" / "terraform"
CHECKOV = "checkov-plan-tfplan.json"
TAGS_VARIETY = "checkov-plan_tags_variety-tfplan.json"
NESTED = "terraform-json-nested_config_keys-plan.json"


def load(*names: str, options: Options = DEFAULTS) -> Inventory:
    documents = [parse_export((DATA / name).read_text(encoding="utf-8"), name) for name in names]
    return import_terraform(documents, options)


def shape(document: dict[str, Any], options: Options = DEFAULTS, name: str = "x.json") -> Inventory:
    return import_terraform([parse_export(json.dumps(document, indent=1), name)], options)


def placements(inventory: Inventory) -> dict[str, list[Any]]:
    return {sid: doc["instances"] for sid, doc in inventory.services.items()}


def state(
    *resources: dict[str, Any], modules: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    root: dict[str, Any] = {"resources": list(resources)}
    if modules:
        root["child_modules"] = modules
    return {"format_version": "1.0", "terraform_version": "1.7.5", "values": {"root_module": root}}


def resource(
    address: str, values: dict[str, Any], index: int | str | None = None
) -> dict[str, Any]:
    kind, name = re.sub(r"\[[^\]]*\]$", "", address).split(".")[-2:]
    item: dict[str, Any] = {"address": address, "mode": "managed", "type": kind, "name": name}
    if index is not None:
        item["index"] = index
    item["values"] = values
    return item


# -- the checkov plan (Terraform 0.12, us-west-2) ---------------------------------------


def test_checkov_plan_zones_regions_and_services() -> None:
    inventory = load(CHECKOV)
    domains = {i: (d["kind"], d.get("parent")) for i, d in inventory.domains.items()}
    assert domains == {
        "us-west-2": ("region", None),
        "us-west-2a": ("facility", "us-west-2"),
        "us-west-2b": ("facility", "us-west-2"),
    }
    assert placements(inventory) == {
        # Both instances sit on web_subnet only: the zone comes from the reference.
        "aws_instance.web_host": ["us-west-2a"],
        "aws_instance.db_app": ["us-west-2a"],
        # Single-AZ, zone known after apply, subnet group over two zones: not placed.
        "aws_db_instance.default": ["us-west-2"],
        # One cluster instance, its zone and subnet group unknown: not placed.
        "aws_neptune_cluster.default": ["us-west-2"],
    }
    assert {i: d["tier"] for i, d in inventory.services.items()} == dict.fromkeys(
        inventory.services, "critical"
    )


def test_zone_through_the_configuration_reference() -> None:
    service = load(CHECKOV).services["aws_instance.web_host"]
    assert service["meta"] == {
        "placement": {"aws_instance.web_host": "us-west-2a (subnet_id -> aws_subnet.web_subnet)"},
        "source": {
            "system": "terraform",
            "kind": "aws_instance",
            "name": "web_host",
            "address": "aws_instance.web_host",
        },
    }


def test_zone_domains_record_where_they_come_from() -> None:
    domains = load(CHECKOV).domains
    assert domains["us-west-2b"]["meta"]["source"] == {
        "system": "terraform",
        "kind": "aws_availability_zone",
        "name": "us-west-2b",
        "address": "aws_subnet.eks_subnet2",
    }
    assert domains["us-west-2"]["meta"]["source"] == {
        "system": "terraform",
        "kind": "aws_region",
        "name": "us-west-2",
        "address": "aws_db_instance.default",
    }


def test_unplaced_replicas_are_noted_with_the_reason() -> None:
    notes = load(CHECKOV).notes
    assert notes == [
        "aws_db_instance.default: not placed in a zone (1 on us-west-2): no zone: "
        "availability_zone known after apply; db_subnet_group_name -> "
        "aws_db_subnet_group.default -> subnet_ids -> aws_subnet.web_subnet, "
        "aws_subnet.web_subnet2: could be in us-west-2a or us-west-2b",
        "aws_neptune_cluster_instance.default[0]: not placed in a zone (1 on us-west-2): "
        "no zone: availability_zone known after apply; neptune_subnet_group_name: no "
        "subnet group to follow",
    ]


def test_cluster_instances_are_replicas_of_their_cluster() -> None:
    service = load(CHECKOV).services["aws_neptune_cluster.default"]
    assert list(service["meta"]["placement"]) == ["aws_neptune_cluster_instance.default[0]"]
    assert service["meta"]["source"]["kind"] == "aws_neptune_cluster"


def test_unmapped_resources_are_listed_and_counted() -> None:
    inventory = load(CHECKOV)
    # 55 resources: 4 subnets and a subnet group place the 5 services' 5 resources.
    assert len(inventory.skipped) == 45
    lines = skipped_summary(inventory.skipped)
    assert (
        lines[0]
        == "skipped aws_db_option_group 'aws_db_option_group.default': resource type not mapped"
    )
    assert lines[-1] == (
        "skipped in all: 1 aws_db_option_group, 1 aws_db_parameter_group, 1 aws_ebs_snapshot, "
        "1 aws_ebs_volume, 1 aws_ecr_repository, 1 aws_eks_cluster, 1 aws_elasticsearch_domain, "
        "1 aws_elasticsearch_domain_policy, 1 aws_elb, 1 aws_flow_log, 1 aws_iam_access_key, "
        "1 aws_iam_instance_profile, 3 aws_iam_role, 1 aws_iam_role_policy, "
        "2 aws_iam_role_policy_attachment, 1 aws_iam_user, 1 aws_iam_user_policy, "
        "1 aws_internet_gateway, 1 aws_kms_alias, 1 aws_kms_key, 1 aws_lambda_function, "
        "1 aws_neptune_cluster_snapshot, 1 aws_network_interface, 1 aws_route, "
        "1 aws_route_table, 2 aws_route_table_association, 6 aws_s3_bucket, "
        "1 aws_s3_bucket_object, 2 aws_security_group, 2 aws_security_group_rule, "
        "1 aws_volume_attachment, 2 aws_vpc, 1 null_resource"
    )
    # Subnets and subnet groups place others: neither services nor skipped.
    assert not {s.kind for s in inventory.skipped} & {"aws_subnet", "aws_db_subnet_group"}


# -- the other two real plans -------------------------------------------------------------


def test_a_computed_zone_and_subnet_cannot_be_placed() -> None:
    inventory = load(NESTED)
    assert placements(inventory) == {"aws_instance.foo": ["us-east-1"]}
    assert inventory.domains["us-east-1"]["kind"] == "region"
    assert inventory.notes == [
        "aws_instance.foo: not placed in a zone (1 on us-east-1): no zone: availability_zone "
        "known after apply; subnet_id known after apply, no reference to a subnet"
    ]


def test_autoscaling_groups_without_known_subnets_or_region() -> None:
    inventory = load(TAGS_VARIETY)
    # No provider region in this plan: the replicas go to the `unplaced` domain.
    assert placements(inventory) == {
        "aws_autoscaling_group.example": ["unplaced"],
        "aws_autoscaling_group.example2": ["unplaced"],
    }
    assert inventory.domains["unplaced"]["kind"] == "unplaced"
    assert "min_healthy" not in inventory.services["aws_autoscaling_group.example"]
    assert inventory.notes[0] == (
        "aws_autoscaling_group.example: not placed in a zone (1 on unplaced): no zone: "
        "vpc_zone_identifier arn:aws:vpc:some_vpc not in the input; availability_zones "
        "known after apply"
    )
    assert [(s.kind, s.name) for s in inventory.skipped] == [
        ("aws_dynamodb_table", "aws_dynamodb_table.basic-dynamodb-table")
    ]


# -- AWS shapes: count copies, groups, databases, modules ---------------------------------


def test_aws_three_tier_plan() -> None:
    inventory = load("aws-three-tier-plan.json")
    assert placements(inventory) == {
        "aws_instance.api": ["eu-west-1a", "eu-west-1b", "eu-west-1c"],
        "aws_instance.bastion": ["eu-west-1a"],
        "aws_autoscaling_group.web": [{"at": "eu-west-1a", "count": 2}, "eu-west-1b"],
        "aws_db_instance.orders": ["eu-west-1a", "eu-west-1b"],
        "aws_db_instance.reports": ["eu-west-1b"],
        "aws_rds_cluster.ledger": ["eu-west-1a", "eu-west-1c"],
        "module.app.aws_instance.worker": ["eu-west-1b"],
        "module.cache.aws_elasticache_replication_group.redis": ["eu-west-1a", "eu-west-1b"],
    }
    tiers = {i: d["tier"] for i, d in inventory.services.items()}
    assert tiers == {
        "aws_instance.api": "critical",  # tag Tier = "Critical": any case
        "aws_instance.bastion": "low",
        "aws_autoscaling_group.web": "high",  # an autoscaling group's `tag` block
        "aws_db_instance.orders": "critical",
        "aws_db_instance.reports": "medium",
        "aws_rds_cluster.ledger": "high",
        "module.app.aws_instance.worker": "critical",  # no tag: the default
        "module.cache.aws_elasticache_replication_group.redis": "high",
    }
    # The region comes from the provider block's `region = var.region`.
    assert {d.get("parent") for d in inventory.domains.values()} == {None, "eu-west-1"}
    assert inventory.notes == []


def test_count_copies_are_one_service_with_one_replica_each() -> None:
    service = load("aws-three-tier-plan.json").services["aws_instance.api"]
    assert service["meta"]["placement"] == {
        "aws_instance.api[0]": "eu-west-1a (availability_zone)",
        "aws_instance.api[1]": "eu-west-1b (availability_zone)",
        "aws_instance.api[2]": "eu-west-1c (availability_zone)",
    }
    assert service["meta"]["source"]["address"] == "aws_instance.api"


def test_autoscaling_group_desired_capacity_over_its_subnets_zones() -> None:
    service = load("aws-three-tier-plan.json").services["aws_autoscaling_group.web"]
    assert service["min_healthy"] == 2
    assert service["meta"]["placement"] == {
        "aws_autoscaling_group.web": "2 x eu-west-1a, eu-west-1b (vpc_zone_identifier -> "
        "aws_subnet.private_a, aws_subnet.private_b; the remainder assumed in the first zones)"
    }


def test_multi_az_database_is_two_replicas_in_two_zones_of_its_subnet_group() -> None:
    service = load("aws-three-tier-plan.json").services["aws_db_instance.orders"]
    assert service["meta"]["placement"] == {
        "aws_db_instance.orders": "eu-west-1a, eu-west-1b (multi_az: primary and standby in "
        "two zones of db_subnet_group_name -> aws_db_subnet_group.main -> subnet_ids -> "
        "aws_subnet.private_a, aws_subnet.private_b)"
    }


def test_module_input_variable_is_followed_to_the_subnet() -> None:
    service = load("aws-three-tier-plan.json").services["module.app.aws_instance.worker"]
    assert service["meta"]["source"] == {
        "system": "terraform",
        "kind": "aws_instance",
        "name": "worker",
        "namespace": "module.app",
        "address": "module.app.aws_instance.worker",
    }
    assert service["meta"]["placement"] == {
        "module.app.aws_instance.worker": "eu-west-1b (subnet_id -> aws_subnet.private_b)"
    }


def test_state_subnet_ids_are_found_across_input_files() -> None:
    alone = load("aws-app-state.json")
    # The subnet ids are not in this file, but a state knows the group's zones too.
    assert placements(alone)["aws_autoscaling_group.workers"] == [
        {"at": "us-east-1a", "count": 2},
        "us-east-1b",
        "us-east-1c",
    ]
    # The primary's zone is known; the standby's other zone is in the network state.
    assert placements(alone)["module.db.aws_db_instance.this"] == ["us-east-1", "us-east-1b"]
    both = load("aws-app-state.json", "aws-network-state.json")
    assert placements(both) == {
        "aws_autoscaling_group.workers": [
            {"at": "us-east-1a", "count": 2},
            "us-east-1b",
            "us-east-1c",
        ],
        "aws_instance.web": ["us-east-1a", "us-east-1b"],
        "module.db.aws_db_instance.this": ["us-east-1a", "us-east-1b"],
    }
    assert both.services["aws_autoscaling_group.workers"]["min_healthy"] == 2
    assert both.notes == []


def test_availability_zones_of_an_autoscaling_group() -> None:
    group = resource(
        "aws_autoscaling_group.api",
        {"availability_zones": ["us-east-1b", "us-east-1a"], "min_size": 3, "desired_capacity": 3},
    )
    inventory = shape(state(group))
    assert placements(inventory) == {
        "aws_autoscaling_group.api": [{"at": "us-east-1a", "count": 2}, "us-east-1b"]
    }
    assert inventory.services["aws_autoscaling_group.api"]["min_healthy"] == 3


def test_elasticache_cluster_nodes_on_their_preferred_zones() -> None:
    cache = resource(
        "aws_elasticache_cluster.memcached",
        {"num_cache_nodes": 3, "preferred_availability_zones": ["eu-west-1a", "eu-west-1b"]},
    )
    inventory = shape(state(cache), name="c.json")
    assert placements(inventory) == {
        "aws_elasticache_cluster.memcached": ["eu-west-1", "eu-west-1a", "eu-west-1b"]
    }
    assert inventory.notes == [
        "aws_elasticache_cluster.memcached: not placed in a zone (1 on eu-west-1): no zone: no "
        "preferred_availability_zones for 1 node(s); subnet_group_name: no subnet group to follow"
    ]


def test_rds_multi_az_db_cluster_without_instances_and_aurora_without() -> None:
    multi = resource(
        "aws_rds_cluster.events",
        {
            "db_cluster_instance_class": "db.r6gd.large",
            "availability_zones": ["us-east-1a", "us-east-1b", "us-east-1c"],
        },
    )
    aurora = resource("aws_rds_cluster.empty", {"engine": "aurora-mysql"})
    inventory = shape(state(multi, aurora))
    assert placements(inventory) == {
        "aws_rds_cluster.events": ["us-east-1a", "us-east-1b", "us-east-1c"],
        "aws_rds_cluster.empty": [],
    }
    assert inventory.notes == [
        "aws_rds_cluster.empty: no replica in the input, so it is down with nothing failed"
    ]


def test_a_cluster_instance_without_its_cluster_is_a_service_of_its_own() -> None:
    member = resource(
        "aws_rds_cluster_instance.orphan",
        {"cluster_identifier": "gone", "availability_zone": "us-east-1a"},
    )
    inventory = shape(state(member))
    assert placements(inventory) == {"aws_rds_cluster_instance.orphan": ["us-east-1a"]}
    assert inventory.notes == [
        "aws_rds_cluster_instance.orphan: its aws_rds_cluster is not in the input; written "
        "as a service of its own"
    ]


def test_a_reference_to_every_copy_is_not_a_zone() -> None:
    # `subnet_id = aws_subnet.app[count.index].id`: the JSON lists only `aws_subnet.app`.
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [
                    resource("aws_subnet.app[0]", {"availability_zone": "us-east-1a"}, 0),
                    resource("aws_subnet.app[1]", {"availability_zone": "us-east-1b"}, 1),
                    resource("aws_instance.web[0]", {"instance_type": "t3.micro"}, 0),
                    resource("aws_instance.pinned", {"instance_type": "t3.micro"}),
                ]
            }
        },
        "configuration": {
            "provider_config": {
                "aws": {"name": "aws", "expressions": {"region": {"constant_value": "us-east-1"}}}
            },
            "root_module": {
                "resources": [
                    {
                        "address": "aws_instance.web",
                        "provider_config_key": "aws",
                        "expressions": {
                            "subnet_id": {"references": ["aws_subnet.app", "count.index"]}
                        },
                    },
                    {
                        "address": "aws_instance.pinned",
                        "provider_config_key": "aws",
                        "expressions": {
                            "subnet_id": {
                                "references": [
                                    "aws_subnet.app[1].id",
                                    "aws_subnet.app[1]",
                                    "aws_subnet.app",
                                ]
                            }
                        },
                    },
                ]
            },
        },
    }
    inventory = shape(plan)
    assert placements(inventory) == {
        "aws_instance.pinned": ["us-east-1b"],
        "aws_instance.web": ["us-east-1"],
    }
    assert inventory.notes == [
        "aws_instance.web[0]: not placed in a zone (1 on us-east-1): no zone: no "
        "availability_zone; subnet_id -> aws_subnet.app[0], aws_subnet.app[1]: could be in "
        "us-east-1a or us-east-1b"
    ]


def test_module_output_is_followed_to_the_subnet() -> None:
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {
                "resources": [resource("aws_instance.edge", {"instance_type": "t3.micro"})],
                "child_modules": [
                    {
                        "address": "module.net",
                        "resources": [
                            resource(
                                "module.net.aws_subnet.edge", {"availability_zone": "sa-east-1c"}
                            )
                        ],
                    }
                ],
            }
        },
        "configuration": {
            "root_module": {
                "resources": [
                    {
                        "address": "aws_instance.edge",
                        "expressions": {
                            "subnet_id": {"references": ["module.net.edge_subnet_id", "module.net"]}
                        },
                    }
                ],
                "module_calls": {
                    "net": {
                        "module": {
                            "outputs": {
                                "edge_subnet_id": {
                                    "expression": {
                                        "references": ["aws_subnet.edge.id", "aws_subnet.edge"]
                                    }
                                }
                            },
                            "resources": [{"address": "aws_subnet.edge", "expressions": {}}],
                        }
                    }
                },
            }
        },
    }
    inventory = shape(plan)
    assert placements(inventory) == {"aws_instance.edge": ["sa-east-1c"]}
    assert inventory.domains["sa-east-1c"]["parent"] == "sa-east-1"


def test_for_each_copies_and_module_instances() -> None:
    copies = [
        resource(
            'module.eu["prod"].aws_instance.web["a"]', {"availability_zone": "eu-west-1a"}, "a"
        ),
        resource(
            'module.eu["prod"].aws_instance.web["b"]', {"availability_zone": "eu-west-1b"}, "b"
        ),
    ]
    inventory = shape(state(modules=[{"address": 'module.eu["prod"]', "resources": copies}]))
    assert placements(inventory) == {
        "module.eu-prod.aws_instance.web": ["eu-west-1a", "eu-west-1b"]
    }
    source = inventory.services["module.eu-prod.aws_instance.web"]["meta"]["source"]
    assert (source["address"], source["namespace"]) == (
        'module.eu["prod"].aws_instance.web',
        'module.eu["prod"]',
    )
    assert (
        service_id('module.a[0].module.b["x y"].aws_instance.c')
        == "module.a-0.module.b-x-y.aws_instance.c"
    )


def test_the_same_address_in_two_files_is_two_services() -> None:
    one = json.dumps(state(resource("aws_instance.web", {"availability_zone": "us-east-1a"})))
    two = json.dumps(state(resource("aws_instance.web", {"availability_zone": "us-east-1b"})))
    inventory = import_terraform([parse_export(one, "a.json"), parse_export(two, "b.json")])
    assert placements(inventory) == {
        "aws_instance.web": ["us-east-1a"],
        "aws_instance.web-2": ["us-east-1b"],
    }
    assert inventory.notes == [
        "aws_instance.web of b.json has the id of an entity already written; written as "
        "aws_instance.web-2"
    ]


# -- Google Cloud and Azure ----------------------------------------------------------------


def test_google_cloud_state() -> None:
    inventory = load("gcp-state.json")
    assert placements(inventory) == {
        "google_compute_instance.frontend": ["europe-west1-b", "europe-west1-c"],
        # target_size 4 over three zones: 2, 1, 1.
        "google_compute_region_instance_group_manager.api": [
            {"at": "europe-west1-b", "count": 2},
            "europe-west1-c",
            "europe-west1-d",
        ],
        "google_compute_instance_group_manager.batch": [{"at": "europe-west1-b", "count": 2}],
        # REGIONAL: a primary and a standby zone; ZONAL: one.
        "google_sql_database_instance.main": ["europe-west1-b", "europe-west1-c"],
        "google_sql_database_instance.analytics": ["europe-west1-d"],
    }
    tiers = {i: d["tier"] for i, d in inventory.services.items()}
    assert tiers["google_compute_instance.frontend"] == "critical"  # labels
    assert tiers["google_sql_database_instance.analytics"] == "medium"  # settings.user_labels
    assert inventory.domains["europe-west1-d"] == {
        "kind": "facility",
        "parent": "europe-west1",
        "meta": {
            "source": {
                "system": "terraform",
                "kind": "google_compute_zone",
                "name": "europe-west1-d",
                "address": "google_compute_region_instance_group_manager.api",
            }
        },
    }
    assert sorted(s.kind for s in inventory.skipped) == [
        "google_compute_network",
        "google_storage_bucket",
    ]


def test_google_instance_on_the_provider_zone() -> None:
    plan = {
        "format_version": "1.2",
        "planned_values": {
            "root_module": {"resources": [resource("google_compute_instance.vm", {"name": "vm"})]}
        },
        "configuration": {
            "provider_config": {
                "google": {
                    "name": "google",
                    "expressions": {"zone": {"constant_value": "asia-east1-a"}},
                }
            },
            "root_module": {
                "resources": [
                    {"address": "google_compute_instance.vm", "provider_config_key": "google"}
                ]
            },
        },
    }
    inventory = shape(plan)
    assert placements(inventory) == {"google_compute_instance.vm": ["asia-east1-a"]}
    assert inventory.domains["asia-east1-a"]["parent"] == "asia-east1"


def test_azure_state() -> None:
    inventory = load("azure-state.json")
    assert placements(inventory) == {
        "azurerm_linux_virtual_machine.app": ["westeurope-1", "westeurope-2"],
        # No zone: a regional machine, on its region, never counted as spread.
        "azurerm_windows_virtual_machine.ad": ["westeurope"],
        "azurerm_linux_virtual_machine_scale_set.web": [
            "westeurope-1",
            "westeurope-2",
            "westeurope-3",
        ],
        # location "West Europe" is westeurope.
        "azurerm_virtual_machine.legacy": ["westeurope-3"],
    }
    assert inventory.domains["westeurope-2"]["parent"] == "westeurope"
    assert inventory.domains["westeurope-2"]["meta"]["source"]["name"] == "2"
    assert inventory.notes == [
        "azurerm_windows_virtual_machine.ad: not placed in a zone (1 on westeurope): no zone: "
        "zone not set, a regional machine (Azure may place it anywhere)"
    ]
    assert inventory.services["azurerm_virtual_machine.legacy"]["tier"] == "low"


def test_azure_scale_set_without_zones() -> None:
    scale_set = resource(
        "azurerm_orchestrated_virtual_machine_scale_set.jobs",
        {"location": "northeurope", "instances": 2, "zones": []},
    )
    inventory = shape(state(scale_set))
    assert placements(inventory) == {
        "azurerm_orchestrated_virtual_machine_scale_set.jobs": [{"at": "northeurope", "count": 2}]
    }


# -- options ------------------------------------------------------------------------------


def test_zone_kind_tier_tag_and_default_tier() -> None:
    options = Options(zone_kind="availability-zone", tier_tag="Name", default_tier="low")
    inventory = load("aws-three-tier-plan.json", options=options)
    assert {d["kind"] for d in inventory.domains.values()} == {"availability-zone", "region"}
    # Name tags are no tiers: noted, and the default applies.
    assert inventory.services["aws_instance.bastion"]["tier"] == "low"
    assert (
        "aws_instance.bastion: tag Name='bastion' is not a tier (critical, high, medium, "
        "low); ignored" in inventory.notes
    )


def test_copies_that_disagree_take_the_most_important_tier() -> None:
    low = resource(
        "aws_instance.w[0]", {"availability_zone": "us-east-1a", "tags": {"tier": "low"}}, 0
    )
    high = resource(
        "aws_instance.w[1]", {"availability_zone": "us-east-1b", "tags": {"tier": "high"}}, 1
    )
    assert shape(state(low, high)).services["aws_instance.w"]["tier"] == "high"


# -- input that is not a plan or state ----------------------------------------------------


def test_empty_state_is_no_error() -> None:
    inventory = shape({"format_version": "1.0"})
    assert (inventory.domains, inventory.services) == ({}, {})
    assert inventory.notes == ["the input holds no resources"]


_RESOURCES_NOT_A_LIST = '{\n "values": {\n  "root_module": {\n   "resources": {}\n  }\n }\n}'
_TYPE_NOT_A_STRING = """{
 "values": {"root_module": {"resources": [
  {"address": "a.b", "type": 3}
 ]}}
}"""
_ZONE_NOT_A_STRING = """{
 "values": {"root_module": {"resources": [
  {"address": "aws_instance.a", "type": "aws_instance", "name": "a",
   "values": {"availability_zone": 5}}
 ]}}
}"""


@pytest.mark.parametrize(
    ("text", "message", "line"),
    [
        ("[]", "expected the JSON object that `terraform show -json` writes", 1),
        ('{"format_version": "1.0", "outputs": {}}', "not `terraform show -json` output", 1),
        ('{"version": 4, "resources": []}', "this is a raw state file", 1),
        (_RESOURCES_NOT_A_LIST, "`resources` must be a list", 4),
        (_TYPE_NOT_A_STRING, "`type` must be a non-empty string", 3),
        (_ZONE_NOT_A_STRING, "aws_instance.a: `availability_zone` must be a string", 4),
    ],
)
def test_wrong_shapes_are_input_errors_with_a_position(text: str, message: str, line: int) -> None:
    with pytest.raises(InputError) as raised:
        import_terraform([parse_export(text, "bad.json")])
    problem = raised.value.problems[0]
    assert problem.message.startswith(message)
    assert (problem.location.path, problem.location.line) == ("bad.json", line)  # type: ignore[union-attr]


def test_invalid_json_is_an_input_error_at_its_position() -> None:
    with pytest.raises(InputError) as raised:
        parse_export('{\n  "values": {,\n}', "broken.json")
    assert (
        str(raised.value)
        == "broken.json:2:14: invalid JSON: Expecting property name enclosed in double quotes"
    )


def test_instance_zone_from_a_known_subnet_id() -> None:
    subnet = resource("aws_subnet.a", {"id": "subnet-0abc", "availability_zone": "ap-south-1b"})
    web = resource("aws_instance.web", {"subnet_id": "subnet-0abc"})
    inventory = shape(state(subnet, web))
    assert placements(inventory) == {"aws_instance.web": ["ap-south-1b"]}
    assert inventory.services["aws_instance.web"]["meta"]["placement"] == {
        "aws_instance.web": "ap-south-1b (subnet_id -> aws_subnet.a)"
    }


def test_multi_az_standby_among_several_zones_is_assumed() -> None:
    subnets = [
        resource(f"aws_subnet.s{z}", {"id": f"subnet-{z}", "availability_zone": f"us-east-1{z}"})
        for z in "abc"
    ]
    group = resource(
        "aws_db_subnet_group.g", {"name": "g", "subnet_ids": ["subnet-a", "subnet-b", "subnet-c"]}
    )
    db = resource(
        "aws_db_instance.db",
        {"multi_az": True, "availability_zone": "us-east-1b", "db_subnet_group_name": "g"},
    )
    inventory = shape(state(*subnets, group, db))
    assert placements(inventory) == {"aws_db_instance.db": ["us-east-1a", "us-east-1b"]}
    assert inventory.services["aws_db_instance.db"]["meta"]["placement"] == {
        "aws_db_instance.db": "us-east-1b, us-east-1a (multi_az: primary in availability_zone, "
        "standby in another zone of db_subnet_group_name -> aws_db_subnet_group.g -> "
        "subnet_ids -> aws_subnet.sa, aws_subnet.sb, aws_subnet.sc (AWS picks the "
        "standby's; the first assumed))"
    }


def test_regional_shapes_without_zones() -> None:
    group = resource(
        "google_compute_region_instance_group_manager.api",
        {"region": "us-central1", "target_size": 3, "distribution_policy_zones": []},
    )
    sql = resource(
        "google_sql_database_instance.db",
        {
            "region": "us-central1",
            "settings": [
                {
                    "availability_type": "REGIONAL",
                    "location_preference": [{"zone": "us-central1-a"}],
                }
            ],
        },
    )
    legacy = resource(
        "azurerm_virtual_machine_scale_set.old",
        {
            "location": "eastus",
            "sku": [{"capacity": 2, "name": "Standard_A1"}],
            "zones": ["1", "2"],
        },
    )
    inventory = shape(state(group, sql, legacy))
    assert placements(inventory) == {
        "google_compute_region_instance_group_manager.api": [{"at": "us-central1", "count": 3}],
        # REGIONAL with no secondary zone given: the standby's zone is not known.
        "google_sql_database_instance.db": ["us-central1", "us-central1-a"],
        "azurerm_virtual_machine_scale_set.old": ["eastus-1", "eastus-2"],
    }
    assert inventory.notes == [
        "google_compute_region_instance_group_manager.api: not placed in a zone (3 on "
        "us-central1): no zone: distribution_policy_zones not known (Google picks zones)",
        "google_sql_database_instance.db: not placed in a zone (1 on us-central1): no zone: "
        "standby: location_preference.secondary_zone not set",
    ]


def test_data_sources_and_cluster_mode_caches_are_skipped() -> None:
    ami = {"address": "data.aws_ami.linux", "mode": "data", "type": "aws_ami", "name": "linux"}
    sharded = resource("aws_elasticache_replication_group.r", {"num_node_groups": 3})
    inventory = shape(state(ami, sharded))
    assert inventory.skipped == [
        ("aws_ami", "data.aws_ami.linux", "data source"),
        ("aws_elasticache_replication_group", "aws_elasticache_replication_group.r",
         "cluster mode (several shards) is not mapped"),
    ]  # fmt: skip
    assert inventory.services == {}
