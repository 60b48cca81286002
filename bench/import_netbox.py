"""Time ``resilint import netbox`` against a plain ``json.load`` of the same export.

Generates a synthetic NetBox ``dumpdata`` export of exactly N objects (``--objects``),
shaped like the real one (every field NetBox 3.6 dumps, not only those resilint
reads; ``--indent 2`` as the demo export is written), then times in this process,
interleaved round by round, best of ``--repeat``:

- ``json.load``: reading the file at all, the floor;
- the import: read (parse + check + normalize) + map + render the manifest text, as
  ``resilint import netbox FILE`` does, without starting a process.

Both run with the garbage collector off, as the CLI runs. Each is given as wall-clock
and CPU seconds (CPU time is steadier on a shared machine); the target is an import
within 3x ``json.load`` (docs/importing-netbox.md).

``--mix`` says what the objects are (see :data:`MIXES`). Both mixes vary the shapes:
nested regions and locations, racks with and without a location, A/B feeds (4%
planned), devices unnamed (10%), planned (3%), tagged (a third), with custom fields
(10%); PDUs with outlets, power ports cabled to them (2% of cables planned); VMs on a
cluster, a third also on a device, 5% offline; the rest interfaces, which resilint
does not read.

Usage::

    python bench/import_netbox.py [--objects 10000,100000] [--mix real|dense]
                                  [--seed 1] [--repeat 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

STAMP = {"created": "2021-04-05T00:00:00Z", "last_updated": "2021-04-05T20:26:09.610Z"}


class Export:
    """Builds the rows of one export; ``pk`` counters per model."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.rows: list[dict[str, Any]] = []
        self.next_pk: dict[str, int] = {}

    def add(self, model: str, **fields: Any) -> int:
        pk = self.next_pk.get(model, 0) + 1
        self.next_pk[model] = pk
        self.rows.append({"model": model, "pk": pk, "fields": {**STAMP, **fields}})
        return pk

    def count(self, model: str) -> int:
        return self.next_pk.get(model, 0)


def _common(**fields: Any) -> dict[str, Any]:
    return {"custom_field_data": {}, "description": "", "comments": "", **fields}


#: Fractions of all objects per kind. ``real`` follows a real export: the NetBox demo
#: (tests/data/netbox) has, of 6,915 objects, 1% devices, 0.6% racks, 0.7% feeds,
#: 2.6% VMs and 23% interfaces, plus ports, IP addresses, permissions...; ``real`` has
#: three times its share of devices and twice its VMs. ``dense`` makes a third of all
#: objects entities: a stress test of the mapping and the writer, not a likely export.
MIXES: dict[str, dict[str, float]] = {
    "real": {
        "region": 0.005, "site": 0.004, "location": 0.002, "rack": 0.008, "panel": 0.001,
        "feed_pairs": 0.006, "device": 0.03, "outlet": 0.03, "port": 0.04, "cable": 0.02,
        "cluster": 0.003, "vm": 0.05,
    },
    "dense": {
        "region": 0.003, "site": 0.005, "location": 0.01, "rack": 0.04, "panel": 0.005,
        "feed_pairs": 0.04, "device": 0.20, "outlet": 0.12, "port": 0.14, "cable": 0.04,
        "cluster": 0.005, "vm": 0.10,
    },
}  # fmt: skip


def generate(objects: int, seed: int, mix: str = "real") -> list[dict[str, Any]]:
    rng = random.Random(seed)
    x = Export(rng)
    shares = MIXES[mix]
    share = lambda kind: max(1, int(objects * shares[kind]))  # noqa: E731
    for name in ("router", "switch", "server", "pdu", "patch-panel", "storage"):
        x.add("dcim.devicerole", name=name.title(), slug=name, color="4caf50", vm_role=False)
    for name in ("compute", "network"):
        x.add("dcim.rackrole", name=name.title(), slug=name, color="2196f3")
    for i in range(8):
        x.add("tenancy.tenant", **_common(name=f"Tenant {i}", slug=f"tenant-{i}", group=None))
    for i in range(20):
        x.add("extras.tag", name=f"Tag {i}", slug=f"tag-{i}", color="aa1409", description="")
    x.add("dcim.sitegroup", **_tree(name="Branches", slug="branches", parent=None))
    x.add("virtualization.clustertype", name="VMware", slug="vmware", description="")
    x.add("virtualization.clustergroup", name="Prod", slug="prod", description="")

    regions = [x.add("dcim.region", **_tree(name="World", slug="world", parent=None))]
    for i in range(share("region")):
        regions.append(
            x.add("dcim.region", **_tree(name=f"R{i}", slug=f"r{i}", parent=rng.choice(regions)))
        )
    sites = [
        x.add(
            "dcim.site",
            **_common(
                name=f"Site {i}",
                _name=f"Site {i:08}",
                slug=f"site-{i}",
                status=rng.choice(["active"] * 9 + ["planned"]),
                region=rng.choice(regions),
                group=1 if rng.random() < 0.5 else None,
                tenant=rng.randint(1, 8),
                facility="",
                time_zone=None,
                physical_address="",
                shipping_address="",
                latitude=None,
                longitude=None,
                asns=[],
            ),
        )
        for i in range(share("site"))
    ]
    location_site: dict[int, int] = {}
    for i in range(share("location")):
        site = rng.choice(sites)
        nested = [loc for loc, s in location_site.items() if s == site][:1]
        parent = nested[0] if nested and rng.random() < 0.1 else None
        pk = x.add(
            "dcim.location",
            **_common(
                **_tree(name=f"Hall {i}", slug=f"hall-{i}", parent=parent),
                site=site,
                status="active",
                tenant=None,
            ),
        )
        location_site[pk] = site
    site_locations: dict[int, list[int]] = {}
    for loc, site in location_site.items():
        site_locations.setdefault(site, []).append(loc)
    rack_site: dict[int, int] = {}
    for i in range(share("rack")):
        site = rng.choice(sites)
        locs = site_locations.get(site)
        pk = x.add(
            "dcim.rack",
            **_rack(i, site, rng.choice(locs) if locs and rng.random() < 0.7 else None, rng),
        )
        rack_site[pk] = site
    site_panels: dict[int, list[int]] = {}
    for i in range(share("panel")):
        site = rng.choice(sites)
        pk = x.add("dcim.powerpanel", **_common(site=site, location=None, name=f"Panel {i}"))
        site_panels.setdefault(site, []).append(pk)
    racks = list(rack_site)
    for i in range(share("feed_pairs")):
        rack = racks[i % len(racks)]
        panels = site_panels.get(rack_site[rack]) or [rng.randint(1, x.count("dcim.powerpanel"))]
        for side in "AB":
            x.add("dcim.powerfeed", **_feed(f"F{i}{side}", rng.choice(panels), rack, rng))
    devices_of_rack: dict[int, list[int]] = {}
    pdus: dict[int, int] = {}  # rack -> PDU device
    for i in range(share("device")):
        rack = rng.choice(racks)
        role = 4 if rack not in pdus else rng.randint(1, 6)
        pk = x.add("dcim.device", **_device(i, rack_site[rack], rack, role, rng))
        if role == 4 and rack not in pdus:
            pdus[rack] = pk
        devices_of_rack.setdefault(rack, []).append(pk)
        if rng.random() < 0.33:
            x.add(
                "extras.taggeditem",
                content_type=["dcim", "device"],
                object_id=pk,
                tag=rng.randint(1, 20),
            )
    outlets_of_pdu: dict[int, list[int]] = {}
    for i in range(share("outlet")):
        pdu = list(pdus.values())[i % len(pdus)]
        outlets_of_pdu.setdefault(pdu, []).append(
            x.add("dcim.poweroutlet", **_port(pdu, f"Outlet {i}", power_port=None, feed_leg=""))
        )
    cables = share("cable")
    for i in range(share("port")):
        rack = rng.choice(racks)
        device = rng.choice(devices_of_rack.get(rack) or [1])
        port = x.add("dcim.powerport", **_port(device, f"PSU{i}", type="iec-60320-c14"))
        pdu = pdus.get(rack)
        if pdu is not None and pdu != device and cables > 0:
            cables -= 1
            cable = x.add("dcim.cable", **_cable(rng))
            outlet = rng.choice(outlets_of_pdu.get(pdu) or [1])
            for end, kind, key in (("A", "powerport", port), ("B", "poweroutlet", outlet)):
                x.add(
                    "dcim.cabletermination",
                    cable=cable,
                    cable_end=end,
                    termination_type=["dcim", kind],
                    termination_id=key,
                    _device=None,
                    _rack=rack,
                    _location=None,
                    _site=rack_site[rack],
                )
    for i in range(share("cluster")):
        x.add(
            "virtualization.cluster",
            **_common(
                name=f"cluster-{i}",
                type=1,
                group=1,
                status="active",
                tenant=None,
                site=rng.choice(sites),
            ),
        )
    for i in range(share("vm")):
        x.add("virtualization.virtualmachine", **_vm(i, x, rng))
    while len(x.rows) < objects:
        x.add("dcim.interface", **_interface(x, rng))
    return x.rows[:objects]


def _tree(**fields: Any) -> dict[str, Any]:
    return {
        **fields,
        "lft": 1,
        "rght": 2,
        "tree_id": 1,
        "level": 0,
        "custom_field_data": {},
        "description": "",
    }


def _rack(i: int, site: int, location: int | None, rng: random.Random) -> dict[str, Any]:
    return _common(
        weight=None, weight_unit="", _abs_weight=None, name=f"R{i}", _name=f"R{i:08}",
        facility_id=None, site=site, location=location, tenant=None,
        status=rng.choice(["active"] * 9 + ["available"]), role=rng.choice([1, 2, None]),
        serial="", asset_tag=None, type="4-post-cabinet", width=19, u_height=42,
        desc_units=False, outer_width=None, outer_depth=None, outer_unit="",
        max_weight=None, _abs_max_weight=None, mounting_depth=None,
    )  # fmt: skip


def _feed(name: str, panel: int, rack: int, rng: random.Random) -> dict[str, Any]:
    return _common(
        cable=None, cable_end="", mark_connected=False, _path=None, power_panel=panel,
        rack=rack, name=name, status="planned" if rng.random() < 0.04 else "active",
        type="primary" if name.endswith("A") else "redundant", supply="ac",
        phase="single-phase", voltage=220, amperage=20, max_utilization=80, available_power=3520,
    )  # fmt: skip


def _device(i: int, site: int, rack: int, role: int, rng: random.Random) -> dict[str, Any]:
    named = rng.random() >= 0.1 or role == 4
    fields = _common(
        local_context_data=None, device_type=1, role=role, tenant=rng.choice([None, 1, 2, 3]),
        platform=None, name=f"dev-{i}" if named else None, _name=f"dev-{i:08}",
        serial="", asset_tag=None, site=site, location=None, rack=rack,
        position=f"{rng.randint(1, 42)}.0", face="front",
        status="planned" if rng.random() < 0.03 else "active", airflow="",
        primary_ip4=None, primary_ip6=None, cluster=None, virtual_chassis=None,
        vc_position=None, vc_priority=None,
    )  # fmt: skip
    if rng.random() < 0.1:
        fields["custom_field_data"] = {"app": f"app-{rng.randint(1, 50)}", "tier": "high"}
    return fields


def _port(device: int, name: str, **extra: Any) -> dict[str, Any]:
    return {
        "custom_field_data": {}, "device": device, "name": name, "_name": name, "label": "",
        "description": "", "module": None, "cable": None, "cable_end": "",
        "mark_connected": False, "_path": None, **extra,
    }  # fmt: skip


def _cable(rng: random.Random) -> dict[str, Any]:
    status = "planned" if rng.random() < 0.02 else "connected"
    return _common(type="power", status=status, tenant=None, label="", color="", length=None,
                   length_unit="", _abs_length=None)  # fmt: skip


def _vm(i: int, x: Export, rng: random.Random) -> dict[str, Any]:
    on_device = rng.random() < 0.33
    return _common(
        local_context_data=None, site=None,
        cluster=rng.randint(1, x.count("virtualization.cluster")),
        device=rng.randint(1, x.count("dcim.device")) if on_device else None,
        tenant=None, platform=None, name=f"vm-{i}", _name=f"vm-{i:08}",
        status=rng.choice(["active"] * 19 + ["offline"]), role=3, primary_ip4=None,
        primary_ip6=None, vcpus=2, memory=4096, disk=40,
    )  # fmt: skip


def _interface(x: Export, rng: random.Random) -> dict[str, Any]:
    return _port(
        rng.randint(1, x.count("dcim.device")), f"eth{x.count('dcim.interface')}",
        enabled=True, mtu=None, mac_address=None, mgmt_only=False, type="1000base-t",
        mode="", lag=None, parent=None, bridge=None, untagged_vlan=None, vrf=None,
    )  # fmt: skip


class Timing:
    """Best wall-clock and best CPU time over the rounds, in seconds."""

    def __init__(self) -> None:
        self.wall = float("inf")
        self.cpu = float("inf")

    def run(self, work: Callable[[], object]) -> None:
        gc.collect()
        gc.disable()  # as the CLI runs (checker/cli/errors.py)
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        gc.enable()
        self.wall = min(self.wall, wall)
        self.cpu = min(self.cpu, cpu)


def load_once(path: Path) -> object:
    with path.open("rb") as stream:
        return json.load(stream)


def import_once(path: Path) -> str:
    from checker.importers.common import render_manifest
    from checker.importers.netbox import build_inventory
    from checker.importers.netbox_read import read_inputs
    from checker.importers.netbox_services import Grouping

    inventory = build_inventory(read_inputs([path]), Grouping())
    return render_manifest(inventory, f"resilint import netbox {path}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--objects", default="10000,100000", help="comma-separated sizes")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="rounds; the best is kept")
    parser.add_argument("--mix", choices=sorted(MIXES), default="real")
    parser.add_argument("--keep", type=Path, help="write the exports here (else a temp dir)")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    print(f"mix {args.mix}, seed {args.seed}, best of {args.repeat} (wall / cpu seconds)")
    header = ("objects", "MiB", "domains", "instances", "json.load", "import", "ratio")
    print(f"{header[0]:>8} {header[1]:>5} {header[2]:>8} {header[3]:>9} {header[4]:>15} "
          f"{header[5]:>15} {header[6]:>11}")  # fmt: skip
    with tempfile.TemporaryDirectory() as scratch:
        folder = args.keep or Path(scratch)
        folder.mkdir(parents=True, exist_ok=True)
        for count in (int(part) for part in args.objects.split(",")):
            path = folder / f"netbox-{args.mix}-{count}-{args.seed}.json"
            # dumpdata --indent 2, as the demo export is written.
            path.write_text(json.dumps(generate(count, args.seed, args.mix), indent=2))
            text = import_once(path)  # a warm-up (imports), and the counts below
            plain, full = Timing(), Timing()
            for _ in range(args.repeat):  # interleaved: both see the same machine
                plain.run(lambda p=path: load_once(p))
                full.run(lambda p=path: import_once(p))
            domain_part, _, service_part = text.partition("\nservices:\n")
            domains = domain_part.count("\n    kind: ")
            instances = service_part.count("\n    - ")
            mib = path.stat().st_size / 1_048_576
            print(
                f"{count:>8} {mib:>5.1f} {domains:>8} {instances:>9} "
                f"{plain.wall:>7.3f}/{plain.cpu:<7.3f} {full.wall:>7.3f}/{full.cpu:<7.3f} "
                f"{full.wall / plain.wall:>5.2f}/{full.cpu / plain.cpu:<5.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
