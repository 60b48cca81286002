"""The NetBox mapping, on the real NetBox demo export (tests/data/netbox, MIT).

Facts are asserted exactly as they are in the data: counts per kind, ids, parents,
power requirements, services. Variations (a feed planned, a PDU cabled to a feed,
tags and custom fields on devices) are the demo's own rows with one field changed.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest

from checker.core.location import Location, Pointer
from checker.importers.common import Inventory, render_manifest
from checker.importers.netbox import build_inventory
from checker.importers.netbox_dump import read_dumpdata
from checker.importers.netbox_services import Grouping
from tests.importers.netbox_api import demo_rows

Rows = list[dict[str, Any]]


@pytest.fixture(scope="module")
def rows() -> Rows:
    return demo_rows()


@pytest.fixture(scope="module")
def demo(rows: Rows) -> Inventory:
    return inventory_of(rows)


def _nowhere(pointer: Pointer) -> Location:
    return Location("demo.json")


def inventory_of(rows: Rows, grouping: Grouping | None = None) -> Inventory:
    return build_inventory(read_dumpdata(rows, "demo.json", _nowhere), grouping or Grouping())


def changed(rows: Rows, model: str, pk: int, **fields: Any) -> Rows:
    """The rows with some fields of one object replaced (the original rows untouched)."""
    result = []
    for row in rows:
        if row["model"] == model and row.get("pk") == pk:
            row = {**row, "fields": {**row["fields"], **fields}}
        result.append(row)
    return result


def of_kind(inventory: Inventory, kind: str) -> dict[str, dict[str, Any]]:
    return {k: d for k, d in inventory.domains.items() if d["kind"] == kind}


def test_every_physical_object_becomes_one_domain(demo: Inventory) -> None:
    kinds = Counter(d["kind"] for d in demo.domains.values())
    assert kinds == {
        "region": 67,
        "facility": 24,
        "hall": 4,
        "rack": 42,
        "host": 72,
        "power-panel": 4,
        "power-feed": 48,
        "cluster": 32,
    }


def test_unnamed_devices_get_ids_from_their_primary_key(demo: Inventory) -> None:
    unnamed = {k: d for k, d in of_kind(demo, "host").items() if d["meta"]["source"]["name"] == ""}
    assert len(unnamed) == 22
    for entity_id, doc in unnamed.items():
        site = entity_id.split("/")[0]
        assert entity_id == f"{site}/device-{doc['meta']['source']['pk']}"
    assert sorted(k for k in unnamed if k.startswith("ncsu-065/")) == [
        "ncsu-065/device-100",
        "ncsu-065/device-101",
        "ncsu-065/device-102",
        "ncsu-065/device-103",
        "ncsu-065/device-104",
        "ncsu-065/device-105",
        "ncsu-065/device-106",
        "ncsu-065/device-98",
        "ncsu-065/device-99",
    ]
    assert demo.domains["ncsu-065/device-98"]["parent"] == "ncsu-065/row-1/R105"


def test_regions_nest_by_parent(demo: Inventory) -> None:
    assert demo.domains["region/us-nc"]["parent"] == "region/us"
    assert demo.domains["region/us"]["parent"] == "region/north-america"
    assert "parent" not in demo.domains["region/north-america"]
    assert demo.domains["region/us-nc"]["meta"] == {
        "source": {"system": "netbox", "kind": "dcim.region", "name": "North Carolina", "pk": 40}
    }


def test_sites_are_facilities_in_their_region_with_group_tenant_and_status(demo: Inventory) -> None:
    assert demo.domains["ncsu-065"] == {
        "kind": "facility",
        "parent": "region/us-nc",
        "labels": {"status": "active", "tenant": "nc-state"},
        "meta": {"source": {"system": "netbox", "kind": "dcim.site", "name": "MDF", "pk": 21}},
    }
    assert demo.domains["dm-akron"]["labels"] == {
        "site-group": "branch-offices",
        "status": "active",
        "tenant": "dunder-mifflin",
    }


def test_locations_are_halls_in_their_site(demo: Inventory) -> None:
    assert sorted(of_kind(demo, "hall")) == [
        "ncsu-065/row-1",
        "ncsu-065/row-2",
        "ncsu-065/row-3",
        "ncsu-065/row-4",
    ]
    assert demo.domains["ncsu-065/row-1"]["parent"] == "ncsu-065"


def test_racks_sit_in_their_location_else_site_and_need_one_active_feed(demo: Inventory) -> None:
    assert demo.domains["ncsu-065/row-1/R101"] == {
        "kind": "rack",
        "parent": "ncsu-065/row-1",
        "depends_on": [{"any_of": ["ncsu-065/Panel-1/P1-1A", "ncsu-065/Panel-2/P2-1B"], "min": 1}],
        "labels": {"role": "infrastructure", "status": "active", "tenant": "nc-state"},
        "meta": {"source": {"system": "netbox", "kind": "dcim.rack", "name": "R101", "pk": 14}},
    }
    closet = demo.domains["dm-akron/Comms-closet"]
    assert closet["parent"] == "dm-akron"
    assert "depends_on" not in closet
    # An "available" rack still has its feeds.
    assert demo.domains["ncsu-065/row-3/R305"]["depends_on"] == [
        {"any_of": ["ncsu-065/Panel-3/P3-5A", "ncsu-065/Panel-4/P4-5B"], "min": 1}
    ]
    fed = [k for k, d in of_kind(demo, "rack").items() if "depends_on" in d]
    assert len(fed) == 24


def test_power_panels_and_feeds(demo: Inventory) -> None:
    assert demo.domains["ncsu-065/Panel-1"] == {
        "kind": "power-panel",
        "parent": "ncsu-065",
        "meta": {
            "source": {"system": "netbox", "kind": "dcim.powerpanel", "name": "Panel 1", "pk": 1}
        },
    }
    assert demo.domains["ncsu-065/Panel-2/P2-1B"] == {
        "kind": "power-feed",
        "parent": "ncsu-065",
        "depends_on": ["ncsu-065/Panel-2"],
        "labels": {"status": "active", "type": "redundant"},
        "meta": {
            "source": {"system": "netbox", "kind": "dcim.powerfeed", "name": "P2-1B", "pk": 2}
        },
    }
    assert len(of_kind(demo, "power-feed")) == 48


def test_devices_sit_in_their_rack_and_need_the_pdu_they_are_cabled_to(demo: Inventory) -> None:
    router = demo.domains["dm-akron/dmi01-akron-rtr01"]
    assert router == {
        "kind": "host",
        "parent": "dm-akron/Comms-closet",
        "depends_on": [{"any_of": ["dm-akron/dmi01-akron-pdu01"], "min": 1}],
        "labels": {"role": "router", "status": "active", "tenant": "dunder-mifflin"},
        "meta": {
            "source": {
                "system": "netbox",
                "kind": "dcim.device",
                "name": "dmi01-akron-rtr01",
                "pk": 1,
            }
        },
    }
    # The PDU's own input is not cabled in the demo: it needs nothing.
    assert "depends_on" not in demo.domains["dm-akron/dmi01-akron-pdu01"]
    # Core switches have power ports, none cabled: no power requirement beyond their rack.
    assert demo.domains["ncsu-065/ncsu-coreswitch1"]["parent"] == "ncsu-065/row-1/R103"
    assert "depends_on" not in demo.domains["ncsu-065/ncsu-coreswitch1"]
    powered = [k for k, d in of_kind(demo, "host").items() if "depends_on" in d]
    assert len(powered) == 26


def test_clusters_are_domains(demo: Inventory) -> None:
    assert demo.domains["cluster/DO-NYC1"] == {
        "kind": "cluster",
        "labels": {
            "cluster-group": "north-america",
            "cluster-type": "digitalocean",
            "status": "active",
        },
        "meta": {
            "source": {
                "system": "netbox",
                "kind": "virtualization.cluster",
                "name": "DO-NYC1",
                "pk": 1,
            }
        },
    }


def test_devices_and_vms_grouped_by_role(demo: Inventory) -> None:
    counts = {k: len(s["instances"]) for k, s in demo.services.items()}
    assert counts == {
        "role/access-switch": 13,
        "role/application-server": 181,
        "role/core-switch": 2,
        "role/distribution-switch": 3,
        "role/patch-panel": 19,
        "role/pdu": 13,
        "role/router": 13,
        "role/tor-switch": 8,
    }
    router = demo.services["role/router"]
    assert router["tier"] == "medium"
    assert router["meta"] == {
        "source": {"system": "netbox", "kind": "dcim.devicerole", "name": "Router", "pk": 1}
    }
    # A device is an instance on its own host (whose meta.source names the device).
    assert router["instances"][:2] == ["dm-akron/dmi01-akron-rtr01", "dm-albany/dmi01-albany-rtr01"]
    app = demo.services["role/application-server"]["instances"]
    assert app[0] == "ncsu-065/device-106"
    # A VM with no device runs on its cluster, and the instance says which VM it is.
    assert app[1] == {
        "at": "cluster/DO-AMS3",
        "labels": {"name": "vm1", "source": "virtualization.virtualmachine/361"},
    }
    assert demo.skipped == []


def test_group_by_tenant_skips_objects_without_one(rows: Rows) -> None:
    inventory = inventory_of(rows, Grouping("tenant"))
    assert {k: len(s["instances"]) for k, s in inventory.services.items()} == {
        "tenant/dunder-mifflin": 39,
        "tenant/nc-state": 19,
    }
    assert inventory.services["tenant/nc-state"]["meta"]["source"] == {
        "system": "netbox",
        "kind": "tenancy.tenant",
        "name": "NC State University",
        "pk": 13,
    }
    assert Counter(s.kind for s in inventory.skipped) == {
        "dcim.device": 14,
        "virtualization.virtualmachine": 180,
    }
    assert ("dcim.device", "ncsu-065/device-106") in {(s.kind, s.name) for s in inventory.skipped}
    assert {s.reason for s in inventory.skipped} == {"no tenant (--group-by tenant): in no service"}


def _tag_rows(rows: Rows, tagged: dict[int, list[int]]) -> Rows:
    """Tag devices as the demo tags its sites (extras.taggeditem rows)."""
    extra = [
        {
            "model": "extras.taggeditem",
            "pk": 1000 + index,
            "fields": {"content_type": ["dcim", "device"], "object_id": device, "tag": tag},
        }
        for index, (device, tag) in enumerate((d, t) for d, tags in tagged.items() for t in tags)
    ]
    return rows + extra


def test_group_by_tag_puts_an_object_in_each_of_its_tags(rows: Rows) -> None:
    tagged = _tag_rows(rows, {96: [1, 2], 97: [1]})  # ncsu-coreswitch1: Alpha, Bravo
    inventory = inventory_of(tagged, Grouping("tag"))
    assert {k: s["instances"] for k, s in inventory.services.items()} == {
        "tag/alpha": ["ncsu-065/ncsu-coreswitch1", "ncsu-065/ncsu-coreswitch2"],
        "tag/bravo": ["ncsu-065/ncsu-coreswitch1"],
    }
    assert inventory.services["tag/alpha"]["meta"]["source"] == {
        "system": "netbox",
        "kind": "extras.tag",
        "name": "Alpha",
        "pk": 1,
    }
    assert len(inventory.skipped) == 70 + 180


def test_group_by_custom_field_and_tiers_from_a_custom_field(rows: Rows) -> None:
    edited = changed(rows, "dcim.device", 96, custom_field_data={"app": "core", "tier": "high"})
    edited = changed(
        edited, "dcim.device", 97, custom_field_data={"app": "core", "tier": "critical"}
    )
    edited = changed(edited, "dcim.device", 93, custom_field_data={"app": "dist", "tier": "gold"})
    edited = changed(edited, "dcim.device", 94, custom_field_data={"app": ["dist", "edge"]})
    grouping = Grouping("custom-field", "app", "custom-field", "tier", "low")
    inventory = inventory_of(edited, grouping)
    assert {k: (s["tier"], len(s["instances"])) for k, s in inventory.services.items()} == {
        "app/core": ("critical", 2),
        "app/dist": ("low", 2),
        "app/edge": ("low", 1),
    }
    assert inventory.services["app/core"]["meta"]["source"] == {
        "system": "netbox",
        "kind": "extras.customfield",
        "name": "app=core",
    }
    assert inventory.notes[0] == (
        "dcim.device ncsu128-distswitch1: tier 'gold' (--tier-from custom-field:tier) is not "
        "one of critical, high, medium, low; ignored"
    )


def test_tiers_from_tags_with_a_prefix(rows: Rows) -> None:
    tagged = _tag_rows(rows, {1: [26]})  # Zulu on dmi01-akron-rtr01
    tagged = [
        {**r, "fields": {**r["fields"], "slug": "tier-critical"}}
        if r["model"] == "extras.tag" and r["pk"] == 26
        else r
        for r in tagged
    ]
    inventory = inventory_of(tagged, Grouping("role", None, "tag", "tier-"))
    assert inventory.services["role/router"]["tier"] == "critical"
    assert inventory.services["role/pdu"]["tier"] == "medium"


def test_objects_not_active_are_domains_but_no_instances(rows: Rows) -> None:
    edited = changed(rows, "dcim.device", 1, status="planned")
    edited = changed(edited, "virtualization.virtualmachine", 361, status="offline")
    inventory = inventory_of(edited)
    assert "dm-akron/dmi01-akron-rtr01" in inventory.domains
    assert len(inventory.services["role/router"]["instances"]) == 12
    assert [(s.kind, s.name, s.reason) for s in inventory.skipped] == [
        ("dcim.device", "dmi01-akron-rtr01", "status planned: not an instance of any service"),
        ("virtualization.virtualmachine", "vm1", "status offline: not an instance of any service"),
    ]


def test_feeds_not_active_do_not_count_and_a_rack_with_none_is_noted(rows: Rows) -> None:
    edited = changed(rows, "dcim.powerfeed", 1, status="planned")
    edited = changed(edited, "dcim.powerfeed", 3, status="offline")
    edited = changed(edited, "dcim.powerfeed", 4, status="failed")
    inventory = inventory_of(edited)
    assert inventory.domains["ncsu-065/row-1/R101"]["depends_on"] == [
        {"any_of": ["ncsu-065/Panel-2/P2-1B"], "min": 1}
    ]
    assert "depends_on" not in inventory.domains["ncsu-065/row-1/R102"]
    assert inventory.domains["ncsu-065/Panel-1/P1-1A"]["labels"]["status"] == "planned"
    assert (
        "rack ncsu-065/row-1/R102: none of its 2 power feeds is active (failed, offline), "
        "so no power requirement is written for it"
    ) in inventory.notes


def _cable(rows: Rows, pk: int, a: tuple[str, int], b: tuple[str, int], status: str) -> Rows:
    """A power cable as NetBox 3.6 dumps it: a dcim.cable and two dcim.cabletermination rows."""
    return [
        *rows,
        {"model": "dcim.cable", "pk": pk, "fields": {"status": status, "type": "power"}},
        *(
            {
                "model": "dcim.cabletermination",
                "pk": pk * 10 + i,
                "fields": {
                    "cable": pk,
                    "cable_end": end,
                    "termination_type": list(model.split(".")),
                    "termination_id": key,
                },
            }
            for i, (end, (model, key)) in enumerate((("A", a), ("B", b)))
        ),
    ]


def test_a_pdu_cabled_to_a_feed_needs_the_feed_and_passes_it_on(rows: Rows) -> None:
    # The akron PDU's input (power port 14) cabled to feed P1-1A (pk 1).
    edited = _cable(rows, 900, ("dcim.powerport", 14), ("dcim.powerfeed", 1), "connected")
    inventory = inventory_of(edited)
    assert inventory.domains["dm-akron/dmi01-akron-pdu01"]["depends_on"] == [
        {"any_of": ["ncsu-065/Panel-1/P1-1A"], "min": 1}
    ]
    assert inventory.domains["dm-akron/dmi01-akron-rtr01"]["depends_on"] == [
        {"any_of": ["dm-akron/dmi01-akron-pdu01"], "min": 1}
    ]


def test_a_cable_not_connected_carries_no_power(rows: Rows) -> None:
    edited = _cable(rows, 900, ("dcim.powerport", 14), ("dcim.powerfeed", 1), "planned")
    edited = changed(edited, "dcim.cable", 61, status="decommissioning")
    inventory = inventory_of(edited)
    assert "depends_on" not in inventory.domains["dm-akron/dmi01-akron-pdu01"]
    assert "depends_on" not in inventory.domains["dm-akron/dmi01-akron-rtr01"]
    assert "depends_on" in inventory.domains["dm-akron/dmi01-akron-sw01"]


def test_references_to_objects_not_in_the_input_are_counted_in_a_note(rows: Rows) -> None:
    without_akron = [r for r in rows if not (r["model"] == "dcim.site" and r["pk"] == 2)]
    inventory = inventory_of(without_akron)
    assert "dm-akron" not in inventory.domains
    assert "site-2/dmi01-akron-rtr01" in inventory.domains
    assert inventory.domains["site-2/Comms-closet"].get("parent") is None
    assert (
        "4 dcim.device objects name a dcim.site (field site) that is not in the input, "
        "e.g. dcim.device 1 -> dcim.site 2; left out"
    ) in inventory.notes


def test_models_without_failure_domain_meaning_are_counted(demo: Inventory) -> None:
    note = demo.notes[-1]
    assert note.startswith(
        "not imported (no failure-domain meaning): 12 admin.logentry, 1 auth.group, "
    )
    assert "1586 dcim.interface" in note
    assert "720 virtualization.vminterface" in note


def test_output_does_not_depend_on_input_order(rows: Rows, demo: Inventory) -> None:
    shuffled = list(rows)
    random.Random(7).shuffle(shuffled)
    first = render_manifest(demo, "x")
    assert render_manifest(inventory_of(shuffled), "x") == first
    assert render_manifest(inventory_of(rows), "x") == first


def test_a_duplicate_object_is_noted_and_the_first_kept(rows: Rows) -> None:
    site = next(r for r in rows if r["model"] == "dcim.site" and r["pk"] == 21)
    twice = [*rows, {**site, "fields": {**site["fields"], "slug": "elsewhere"}}]
    inventory = inventory_of(twice)
    assert "ncsu-065" in inventory.domains
    assert "elsewhere" not in inventory.domains
    assert f"dcim.site 21 is given again in demo.json item {len(rows)}; the first is kept" in (
        inventory.notes
    )


def test_nested_locations_and_objects_without_a_rack(rows: Rows) -> None:
    edited = changed(rows, "dcim.location", 2, parent=1)  # Row 2 inside Row 1
    edited = changed(edited, "dcim.device", 97, rack=None)  # ncsu-coreswitch2, in Row 1
    edited = changed(edited, "dcim.device", 1, rack=None)  # the akron router: no location
    edited = changed(edited, "dcim.powerpanel", 3, location=3)  # Panel 3 in Row 3
    inventory = inventory_of(edited)
    assert inventory.domains["ncsu-065/row-2"]["parent"] == "ncsu-065/row-1"
    assert inventory.domains["ncsu-065/row-2/R201"]["parent"] == "ncsu-065/row-2"
    assert inventory.domains["ncsu-065/ncsu-coreswitch2"]["parent"] == "ncsu-065/row-1"
    assert inventory.domains["dm-akron/dmi01-akron-rtr01"]["parent"] == "dm-akron"
    assert "ncsu-065/row-3/Panel-3" in inventory.domains
    assert inventory.domains["ncsu-065/row-3/Panel-3"]["parent"] == "ncsu-065/row-3"
    # A feed sits where its panel sits.
    assert inventory.domains["ncsu-065/row-3/Panel-3/P3-1A"]["parent"] == "ncsu-065/row-3"


def test_a_cluster_needs_any_of_its_devices_and_vms_run_where_they_are_placed(
    rows: Rows,
) -> None:
    # Two application servers in cluster DO-NYC1 (pk 1), which is given site MDF.
    edited = changed(rows, "dcim.device", 106, cluster=1)
    edited = changed(edited, "dcim.device", 96, cluster=1)
    edited = changed(edited, "virtualization.cluster", 1, site=21)
    edited = changed(edited, "virtualization.virtualmachine", 361, device=106)
    edited = changed(edited, "virtualization.virtualmachine", 362, cluster=None, site=22)
    edited = changed(edited, "virtualization.virtualmachine", 363, cluster=None)
    inventory = inventory_of(edited)
    cluster = inventory.domains["cluster/DO-NYC1"]
    assert cluster["parent"] == "ncsu-065"
    assert cluster["depends_on"] == [
        {"any_of": ["ncsu-065/device-106", "ncsu-065/ncsu-coreswitch1"], "min": 1}
    ]
    instances = inventory.services["role/application-server"]["instances"]
    assert instances[1:3] == [
        {
            "at": "ncsu-065/device-106",
            "labels": {"name": "vm1", "source": "virtualization.virtualmachine/361"},
        },
        {
            "at": "ncsu-117",
            "labels": {"name": "vm2", "source": "virtualization.virtualmachine/362"},
        },
    ]
    assert [(s.kind, s.name, s.reason) for s in inventory.skipped] == [
        ("virtualization.virtualmachine", "vm3", "no device, cluster or site to place it on")
    ]


def test_ids_that_would_clash_get_a_suffix(rows: Rows) -> None:
    # A device named like a location of its site.
    edited = changed(rows, "dcim.device", 96, name="row-1")
    inventory = inventory_of(edited)
    assert inventory.domains["ncsu-065/row-1"]["kind"] == "hall"
    assert inventory.domains["ncsu-065/row-1-2"]["meta"]["source"]["name"] == "row-1"
