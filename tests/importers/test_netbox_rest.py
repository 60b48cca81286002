"""REST API responses on disk: the demo re-dressed as NetBox 3.6 API pages, and pynetbox's
hand-written fixtures (older shapes: NetBox 2.x choices, nested ``power_outlet``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.core.location import Location, Pointer
from checker.importers.common import Inventory, render_manifest
from checker.importers.netbox import build_inventory
from checker.importers.netbox_dump import read_dumpdata
from checker.importers.netbox_read import read_inputs
from checker.importers.netbox_rest import endpoint_from_name, endpoint_from_url
from checker.importers.netbox_services import Grouping
from tests.importers.netbox_api import PYNETBOX, ApiShapes, demo_rows, pages

BASE = "https://netbox.example.com"


def _nowhere(pointer: Pointer) -> Location:
    return Location("demo.json")


@pytest.fixture(scope="module")
def dump_manifest() -> str:
    inventory = build_inventory(read_dumpdata(demo_rows(), "demo.json", _nowhere), Grouping())
    return render_manifest(inventory, "x")


@pytest.fixture(scope="module")
def shapes() -> ApiShapes:
    return ApiShapes(demo_rows(), BASE)


def _write(path: Path, value: Any) -> None:
    path.write_text(json.dumps(value, indent=1), encoding="utf-8")


def test_paged_responses_named_anyhow_give_the_same_manifest_as_the_dump(
    tmp_path: Path, shapes: ApiShapes, dump_manifest: str
) -> None:
    # Pages of 50 in files whose names say nothing: the objects' url decides.
    number = 0
    for endpoint, objects in shapes.endpoints().items():
        url = f"{BASE}/api/{endpoint}/?limit=50&offset={{offset}}"
        for page in pages(objects, 50, url):
            number += 1
            _write(tmp_path / f"page-{number:03}.json", page)
    inventory = build_inventory(read_inputs([tmp_path]), Grouping())
    assert render_manifest(inventory, "x") == dump_manifest
    assert inventory.skipped == []


@pytest.mark.parametrize(
    "style",
    [
        lambda app, name: f"{app}_{name}",  # dcim_power-feeds.json
        lambda app, name: name.replace("-", "_"),  # power_feeds.json
    ],
)
def test_plain_lists_without_urls_are_known_by_file_name(
    tmp_path: Path, shapes: ApiShapes, dump_manifest: str, style: Any
) -> None:
    for endpoint, objects in shapes.endpoints().items():
        app, name = endpoint.split("/")
        _write(tmp_path / f"{style(app, name)}.json", [_without_url(o) for o in objects])
    inventory = build_inventory(read_inputs([tmp_path]), Grouping())
    assert render_manifest(inventory, "x") == dump_manifest


def _without_url(obj: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in obj.items() if k != "url"}


def test_file_names_and_urls_that_name_endpoints() -> None:
    assert endpoint_from_name("dcim_power-feeds") == "dcim/power-feeds"
    assert endpoint_from_name("Power_Feed") == "dcim/power-feeds"
    assert endpoint_from_name("virtualization_virtual_machines") == (
        "virtualization/virtual-machines"
    )
    assert endpoint_from_name("sites") == "dcim/sites"
    assert endpoint_from_name("prefixes") is None
    assert endpoint_from_url("https://nb/api/dcim/power-feeds/12/") == "dcim/power-feeds"
    assert endpoint_from_url("https://nb/netbox/api/ipam/prefixes/3/") == "ipam/prefixes"
    assert endpoint_from_url("https://nb/dcim/sites/") is None


def test_unknown_files_are_skipped_and_unread_endpoints_counted(tmp_path: Path) -> None:
    _write(tmp_path / "notes.json", [{"id": 1, "text": "x"}])
    _write(
        tmp_path / "whatever.json",
        {"results": [{"id": i, "url": f"{BASE}/api/ipam/prefixes/{i}/"} for i in (1, 2)]},
    )
    inventory = build_inventory(read_inputs([tmp_path]), Grouping())
    assert [(s.kind, s.reason.split(":")[0]) for s in inventory.skipped] == [
        ("file", "not a NetBox endpoint resilint reads")
    ]
    assert inventory.notes == ["not imported (no failure-domain meaning): 2 ipam/prefixes"]


def _pynetbox() -> Inventory:
    return build_inventory(read_inputs([PYNETBOX]), Grouping())


def test_pynetbox_fixtures_parse_into_sites_racks_and_devices() -> None:
    inventory = _pynetbox()
    hosts = sorted(k for k, d in inventory.domains.items() if d["kind"] == "host")
    assert hosts == [
        f"test1/test1-{n}"
        for n in (
            "core1",
            "core2",
            "edge1",
            "edge2",
            "leaf1",
            "leaf2",
            "oob1",
            "pdu1",
            "pdu2",
            "spine1",
            "spine2",
        )
    ]
    assert inventory.domains["test1"]["meta"]["source"] == {
        "system": "netbox",
        "kind": "dcim.site",
        "name": "TEST1",
        "pk": 1,
    }
    assert inventory.domains["test1/A1R2"]["parent"] == "test1"
    # NetBox 2.x status {"value": true, "label": "Active"}: the label says it.
    assert inventory.domains["test1/test1-edge1"]["labels"] == {
        "role": "router",
        "status": "active",
    }
    assert inventory.domains["cluster/vm-test-cluster"]["parent"] == "test1"


def test_pynetbox_power_ports_name_their_pdu_outlets() -> None:
    inventory = _pynetbox()
    # edge1's PEM0 and PEM1 are on test1-pdu1 and test1-pdu2 (nested power_outlet).
    assert inventory.domains["test1/test1-edge1"]["depends_on"] == [
        {"any_of": ["test1/test1-pdu1", "test1/test1-pdu2"], "min": 1}
    ]
    assert "depends_on" not in inventory.domains["test1/test1-oob1"]
    assert {k: len(s["instances"]) for k, s in inventory.services.items()} == {
        "role/core-switch": 2,
        "role/leaf-switch": 2,
        "role/oob-switch": 1,
        "role/pdu": 2,
        "role/router": 2,
        "role/spine-switch": 2,
    }


def _device(pk: int, **extra: Any) -> dict[str, Any]:
    return {
        "id": pk,
        "name": f"d{pk}",
        "site": {"id": 1, "name": "S", "slug": "s"},
        "status": {"value": "active", "label": "Active"},
        **extra,
    }


def test_older_shapes_device_role_and_cable_peer(tmp_path: Path) -> None:
    _write(tmp_path / "sites.json", [{"id": 1, "name": "S", "slug": "s"}])
    _write(
        tmp_path / "devices.json",
        [
            _device(1, device_role={"id": 4, "name": "Server", "slug": "server"}),
            _device(2, device_role={"id": 5, "name": "PDU", "slug": "pdu"}),
        ],
    )
    _write(
        tmp_path / "power_ports.json",
        [
            {
                "id": 10,
                "device": {"id": 1},
                "name": "PSU",
                "cable": {"id": 7},
                "cable_peer_type": "dcim.poweroutlet",
                "cable_peer": {"id": 20, "device": {"id": 2, "name": "d2"}, "name": "1"},
            }
        ],
    )
    inventory = build_inventory(read_inputs([tmp_path]), Grouping())
    assert inventory.domains["s/d1"]["labels"]["role"] == "server"
    assert inventory.domains["s/d1"]["depends_on"] == [{"any_of": ["s/d2"], "min": 1}]


def test_a_cables_response_says_which_cables_are_not_connected(tmp_path: Path) -> None:
    _write(tmp_path / "sites.json", [{"id": 1, "name": "S", "slug": "s"}])
    _write(tmp_path / "devices.json", [_device(1), _device(2)])
    _write(
        tmp_path / "power_ports.json",
        [
            {
                "id": 10,
                "device": {"id": 1},
                "cable": {"id": 7},
                "link_peers_type": "dcim.poweroutlet",
                "link_peers": [{"id": 20, "device": {"id": 2}}],
            }
        ],
    )
    _write(tmp_path / "dcim_cables.json", [{"id": 7, "status": {"value": "planned"}}])
    inventory = build_inventory(read_inputs([tmp_path]), Grouping())
    assert "depends_on" not in inventory.domains["s/d1"]
    _write(
        tmp_path / "dcim_cables.json",
        [
            {
                "id": 7,
                "status": {"value": "connected"},
                "a_terminations": [{"object_type": "dcim.powerport", "object_id": 10}],
                "b_terminations": [{"object_type": "dcim.poweroutlet", "object_id": 20}],
            }
        ],
    )
    inventory = build_inventory(read_inputs([tmp_path]), Grouping())
    assert inventory.domains["s/d1"]["depends_on"] == [{"any_of": ["s/d2"], "min": 1}]
