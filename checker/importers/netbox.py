"""NetBox objects -> failure domains (and, via ``netbox_services``, services).

- region -> ``region`` ``region/<slug>``, inside its parent region;
- site -> ``facility`` ``<slug>``, inside its region;
- location -> ``hall`` ``<site>/<slug>``, inside its parent location, else its site;
- rack -> ``rack`` ``<location or site>/<name>``, inside that; requires any_of its
  active power feeds;
- power panel -> ``power-panel`` ``<location or site>/<name>``, inside that;
- power feed -> ``power-feed`` ``<panel>/<name>``, beside its panel; requires it;
- device -> ``host`` ``<site>/<name>`` (unnamed: ``<site>/device-<pk>``), inside its
  rack, else location, else site; requires any_of what its power ports are cabled to;
- cluster -> ``cluster`` ``cluster/<name>``, inside its site if any; requires any_of
  its devices.

The whole table, with what is lost and what is reported, is docs/importing-netbox.md.
Every pass visits each object once, by key, in key order: the mapping is linear and
its output does not depend on the order of the input.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from checker.importers.common import Inventory, Origin, slug
from checker.importers.netbox_schema import NetBoxData, Record, Ref
from checker.importers.netbox_services import Grouping, add_services

SYSTEM = "netbox"


def build_inventory(data: NetBoxData, grouping: Grouping) -> Inventory:
    """The manifest content for ``data``; services grouped as ``grouping`` says."""
    mapper = _Mapper(data)
    mapper.domains()
    add_services(mapper.inventory, data, mapper.ids, grouping)
    mapper.report()
    return mapper.inventory


class _Mapper:
    def __init__(self, data: NetBoxData) -> None:
        self.data = data
        self.inventory = Inventory(SYSTEM)
        #: (model, key) -> domain id.
        self.ids: dict[Ref, str] = {}
        self.docs: dict[Ref, dict[str, Any]] = {}
        #: (model, field, target model) -> how many objects name a missing target.
        self.missing: Counter[tuple[str, str, str]] = Counter()
        self.missing_example: dict[tuple[str, str, str], str] = {}

    def records(self, model: str) -> list[Record]:
        table = self.data.records.get(model, {})
        return [table[pk] for pk in sorted(table)]

    def related_slug(self, model: str, key: int | None) -> str | None:
        if key is None:
            return None
        found = self.data.related.get((model, key))
        return found.slug if found else f"{model.split('.')[1]}-{key}"

    def resolve(self, model: str, record: Record, field: str, target: str) -> str | None:
        """The domain id of what ``record.fields[field]`` points to; a miss is counted."""
        key = record.fields.get(field)
        if key is None:
            return None
        found = self.ids.get((target, key))
        if found is None:
            self.count_missing((model, field, target), f"{model} {record.pk} -> {target} {key}")
        return found

    def count_missing(self, where: tuple[str, str, str], example: str, count: int = 1) -> None:
        self.missing[where] += count
        self.missing_example.setdefault(where, example)

    def add(
        self, model: str, record: Record, wanted: str, kind: str, name: str, labels: dict[str, Any]
    ) -> dict[str, Any]:
        entity_id = self.inventory.unique_id(wanted)
        source = Origin(SYSTEM, model, name, pk=record.pk)
        clean = {k: v for k, v in labels.items() if isinstance(v, str) and v}
        doc = self.inventory.add_domain(entity_id, kind, source, labels=clean)
        self.ids[(model, record.pk)] = entity_id
        self.docs[(model, record.pk)] = doc
        return doc

    def site_prefix(self, model: str, record: Record) -> str:
        """The site's id, else a stand-in that keeps ids of one missing site together."""
        site = self.resolve(model, record, "site", "dcim.site")
        if site is not None:
            return site
        key = record.fields.get("site")
        return "no-site" if key is None else f"site-{key}"

    # The passes, in containment order: an id is built from its container's id.

    def domains(self) -> None:
        self.regions()
        self.sites()
        self.locations()
        self.racks()
        self.power()
        self.devices()
        self.clusters()

    def regions(self) -> None:
        records = self.records("dcim.region")
        for r in records:
            f = r.fields
            self.add(
                "dcim.region",
                r,
                f"region/{slug(f['slug'] or f['name'] or str(r.pk))}",
                "region",
                f["name"] or "",
                {},
            )
        for r in records:
            self.set_parent(
                "dcim.region", r, self.resolve("dcim.region", r, "parent", "dcim.region")
            )

    def sites(self) -> None:
        for r in self.records("dcim.site"):
            f = r.fields
            labels = {
                "status": f["status"],
                "site-group": self.related_slug("dcim.sitegroup", f["group"]),
                "tenant": self.related_slug("tenancy.tenant", f["tenant"]),
            }
            self.add(
                "dcim.site",
                r,
                slug(f["slug"] or f["name"] or f"site-{r.pk}"),
                "facility",
                f["name"] or "",
                labels,
            )
            self.set_parent("dcim.site", r, self.resolve("dcim.site", r, "region", "dcim.region"))

    def locations(self) -> None:
        records = self.records("dcim.location")
        for r in records:
            f = r.fields
            labels = {
                "status": f["status"],
                "tenant": self.related_slug("tenancy.tenant", f["tenant"]),
            }
            wanted = f"{self.site_prefix('dcim.location', r)}/{slug(f['slug'] or f['name'] or '')}"
            self.add("dcim.location", r, wanted, "hall", f["name"] or "", labels)
        for r in records:
            parent = self.resolve("dcim.location", r, "parent", "dcim.location")
            self.set_parent(
                "dcim.location", r, parent or self.ids.get(("dcim.site", r.fields["site"]))
            )

    def container(self, model: str, record: Record) -> str | None:
        """The location an object is in, else its site."""
        location = self.resolve(model, record, "location", "dcim.location")
        return location or self.ids.get(("dcim.site", record.fields["site"]))

    def racks(self) -> None:
        for r in self.records("dcim.rack"):
            f = r.fields
            labels = {
                "status": f["status"],
                "role": self.related_slug("dcim.rackrole", f["role"]),
                "tenant": self.related_slug("tenancy.tenant", f["tenant"]),
            }
            parent = self.container("dcim.rack", r)
            prefix = parent or self.site_prefix("dcim.rack", r)
            self.add(
                "dcim.rack",
                r,
                f"{prefix}/{slug(f['name'] or f'rack-{r.pk}')}",
                "rack",
                f["name"] or "",
                labels,
            )
            self.set_parent("dcim.rack", r, parent)

    def power(self) -> None:
        """Panels, feeds, and each rack's requirement on its active feeds."""
        for r in self.records("dcim.powerpanel"):
            parent = self.container("dcim.powerpanel", r)
            prefix = parent or self.site_prefix("dcim.powerpanel", r)
            name = r.fields["name"] or f"panel-{r.pk}"
            self.add("dcim.powerpanel", r, f"{prefix}/{slug(name)}", "power-panel", name, {})
            self.set_parent("dcim.powerpanel", r, parent)
        feeds_of_rack: dict[int, list[tuple[str, str]]] = {}
        for r in self.records("dcim.powerfeed"):
            f = r.fields
            panel = self.resolve("dcim.powerfeed", r, "power_panel", "dcim.powerpanel")
            name = f["name"] or f"feed-{r.pk}"
            wanted = f"{panel or 'power-feed'}/{slug(name)}"
            doc = self.add(
                "dcim.powerfeed",
                r,
                wanted,
                "power-feed",
                name,
                {"status": f["status"], "type": f["type"]},
            )
            if panel is not None:
                # A feed is a breaker in its panel: where the panel burns, so does the feed;
                # and a feed fails with its panel (as a requirement, so what-if says "requires").
                panel_doc = self.inventory.domains[panel]
                if "parent" in panel_doc:
                    doc["parent"] = panel_doc["parent"]
                doc["depends_on"] = [panel]
            rack = f["rack"]
            if rack is not None:
                feeds_of_rack.setdefault(rack, []).append(
                    (self.ids[("dcim.powerfeed", r.pk)], f["status"] or "active")
                )
        for rack, feeds in sorted(feeds_of_rack.items()):
            self.rack_power(rack, feeds)

    def rack_power(self, rack: int, feeds: list[tuple[str, str]]) -> None:
        doc = self.docs.get(("dcim.rack", rack))
        if doc is None:
            example = f"{feeds[0][0]} -> dcim.rack {rack}"
            self.count_missing(("dcim.powerfeed", "rack", "dcim.rack"), example, len(feeds))
            return
        active = sorted(feed for feed, status in feeds if status == "active")
        if active:
            doc.setdefault("depends_on", []).append({"any_of": active, "min": 1})
        else:
            statuses = ", ".join(sorted({status for _, status in feeds}))
            self.inventory.notes.append(
                f"rack {self.ids[('dcim.rack', rack)]}: none of its {len(feeds)} power feeds is "
                f"active ({statuses}), so no power requirement is written for it"
            )

    def devices(self) -> None:
        model = "dcim.device"
        for r in self.records(model):
            f = r.fields
            labels = {
                "status": f["status"],
                "role": self.related_slug("dcim.devicerole", f["role"]),
                "tenant": self.related_slug("tenancy.tenant", f["tenant"]),
            }
            name = f["name"] or ""
            wanted = f"{self.site_prefix(model, r)}/{slug(name) if name else f'device-{r.pk}'}"
            self.add(model, r, wanted, "host", name, labels)
            parent = self.resolve(model, r, "rack", "dcim.rack") or self.container(model, r)
            self.set_parent(model, r, parent)
        for device, sources in sorted(self.power_sources().items()):
            doc = self.docs[(model, device)]
            doc.setdefault("depends_on", []).append({"any_of": sorted(sources), "min": 1})

    def power_sources(self) -> dict[int, set[str]]:
        """Device -> the domains its power ports are cabled to: PDUs (by their outlets) or feeds.

        One cable hop from each port. A PDU is a device like any other, so its own
        input ports are followed when it is mapped: a chain feed -> PDU -> server
        becomes server requires PDU, PDU requires feed.
        """
        data = self.data
        outlets = data.records.get("dcim.poweroutlet", {})
        sources: dict[int, set[str]] = {}
        for pk, port in sorted(data.records.get("dcim.powerport", {}).items()):
            ref = ("dcim.powerport", pk)
            if data.cable_of.get(ref) in data.dead_cables:
                continue
            device = self.resolve("dcim.powerport", port, "device", "dcim.device")
            if device is None:
                continue
            for peer_model, peer in sorted(data.peers.get(ref, ())):
                source: str | None = None
                if peer_model == "dcim.poweroutlet":
                    outlet = outlets.get(peer)
                    pdu = (
                        outlet.fields["device"]
                        if outlet
                        else data.port_device.get((peer_model, peer))
                    )
                    source = self.ids.get(("dcim.device", pdu)) if pdu is not None else None
                elif peer_model == "dcim.powerfeed":
                    source = self.ids.get(("dcim.powerfeed", peer))
                else:
                    continue
                if source is None:
                    self.count_missing(
                        ("dcim.powerport", "cable", peer_model),
                        f"dcim.powerport {pk} -> {peer_model} {peer}",
                    )
                elif source != device:
                    sources.setdefault(port.fields["device"], set()).add(source)
        return sources

    def clusters(self) -> None:
        model = "virtualization.cluster"
        hosts: dict[int, list[str]] = {}
        for r in self.records("dcim.device"):
            cluster = r.fields["cluster"]
            if cluster is not None:
                hosts.setdefault(cluster, []).append(self.ids[("dcim.device", r.pk)])
        for r in self.records(model):
            f = r.fields
            labels = {
                "status": f["status"],
                "cluster-type": self.related_slug("virtualization.clustertype", f["type"]),
                "cluster-group": self.related_slug("virtualization.clustergroup", f["group"]),
                "tenant": self.related_slug("tenancy.tenant", f["tenant"]),
            }
            name = f["name"] or f"cluster-{r.pk}"
            doc = self.add(model, r, f"cluster/{slug(name)}", "cluster", name, labels)
            self.set_parent(model, r, self.resolve(model, r, "site", "dcim.site"))
            members = hosts.get(r.pk)
            if members:
                # A cluster is up while any of its hosts is: its VMs can run on any of them.
                doc["depends_on"] = [{"any_of": sorted(members), "min": 1}]

    def set_parent(self, model: str, record: Record, parent: str | None) -> None:
        if parent is not None and parent != self.ids[(model, record.pk)]:
            self.docs[(model, record.pk)]["parent"] = parent

    def report(self) -> None:
        notes = self.inventory.notes
        for (model, field, target), count in sorted(self.missing.items()):
            example = self.missing_example[(model, field, target)]
            notes.append(
                f"{count} {model} {'object names' if count == 1 else 'objects name'} a {target} "
                f"(field {field}) that is not in the input, e.g. {example}; left out"
            )
        self.inventory.notes.extend(self.data.notes)
        self.inventory.skipped.extend(self.data.skipped)
        if self.data.not_read:
            counts = ", ".join(f"{n} {m}" for m, n in sorted(self.data.not_read.items()))
            notes.append(f"not imported (no failure-domain meaning): {counts}")
