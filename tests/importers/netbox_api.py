"""The vendored NetBox demo dump, re-dressed as NetBox 3.6 REST API responses.

The API shapes follow NetBox 3.6's serializers for the fields the importer reads:
foreign keys as nested objects (``{"id", "url", "display", "name", "slug"}``),
choices as ``{"value", "label"}``, ``tags`` as nested tags, ``custom_fields``, and
for power ports, outlets and feeds ``cable``, ``link_peers`` / ``link_peers_type``
and ``connected_endpoints`` / ``connected_endpoints_type``. Devices carry both
``role`` and the deprecated ``device_role``, as 3.6 does.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from checker.importers.netbox_schema import CHOICE, DATA, ENDPOINTS, LOOKUPS, READ, TEXT

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "netbox"
DEMO = DATA_DIR / "netbox-demo-v3.6.json"
PYNETBOX = DATA_DIR / "pynetbox"

_ENDPOINT_OF = {model: endpoint for endpoint, model in ENDPOINTS.items()}


def demo_rows() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(DEMO.read_text(encoding="utf-8"))
    return rows


class ApiShapes:
    """Builds API objects for every endpoint the importer reads, from dump rows."""

    def __init__(self, rows: list[dict[str, Any]], base: str) -> None:
        self.base = base.rstrip("/")
        self.rows: dict[str, dict[int, dict[str, Any]]] = defaultdict(dict)
        for row in rows:
            if isinstance(row.get("pk"), int):
                self.rows[row["model"]][row["pk"]] = row["fields"]
        self.tags: dict[tuple[str, int], list[int]] = defaultdict(list)
        for fields in self.rows["extras.taggeditem"].values():
            model = ".".join(fields["content_type"])
            self.tags[(model, fields["object_id"])].append(fields["tag"])
        self.ends: dict[tuple[str, int], tuple[int, list[tuple[str, int]]]] = {}
        by_cable: dict[int, dict[str, list[tuple[str, int]]]] = defaultdict(
            lambda: {"A": [], "B": []}
        )
        for fields in self.rows["dcim.cabletermination"].values():
            model = ".".join(fields["termination_type"])
            by_cable[fields["cable"]][fields["cable_end"]].append((model, fields["termination_id"]))
        for cable, sides in by_cable.items():
            for here, there in (("A", "B"), ("B", "A")):
                for end in sides[here]:
                    self.ends[end] = (cable, sides[there])

    def url(self, model: str, pk: int) -> str:
        return f"{self.base}/api/{_ENDPOINT_OF[model]}/{pk}/"

    def nested(self, model: str, pk: int) -> dict[str, Any]:
        fields = self.rows[model].get(pk, {})
        name = fields.get("name") or fields.get("model") or str(pk)
        nested: dict[str, Any] = {"id": pk, "display": name, "name": name}
        if model in _ENDPOINT_OF:
            nested["url"] = self.url(model, pk)
        if "slug" in fields:
            nested["slug"] = fields["slug"]
        if model in ("dcim.poweroutlet", "dcim.powerport"):
            nested["device"] = self.nested("dcim.device", fields["device"])
            nested["cable"] = self.ends[(model, pk)][0] if (model, pk) in self.ends else None
        return nested

    def objects(self, model: str) -> list[dict[str, Any]]:
        if model in LOOKUPS:
            return [
                {**self.nested(model, pk), "url": self.url(model, pk)}
                for pk in sorted(self.rows[model])
            ]
        return [self.object(model, pk) for pk in sorted(self.rows[model])]

    def object(self, model: str, pk: int) -> dict[str, Any]:
        fields = self.rows[model][pk]
        obj: dict[str, Any] = {"id": pk, "url": self.url(model, pk), "display": fields.get("name")}
        for name, kind in READ[model].items():
            value = fields.get(name)
            if kind == TEXT:
                obj[name] = value
            elif kind == CHOICE:
                obj[name] = None if not value else {"value": value, "label": value.title()}
            elif kind == DATA:
                obj["custom_fields"] = value or {}
            else:
                obj[name] = None if value is None else self.nested(kind, value)
        if model == "dcim.device":
            obj["device_role"] = obj["role"]
        obj["tags"] = [
            {**self.nested("extras.tag", tag), "color": "9e9e9e"} for tag in self.tags[(model, pk)]
        ]
        if model in ("dcim.powerport", "dcim.poweroutlet", "dcim.powerfeed"):
            cable, peers = self.ends.get((model, pk), (None, []))
            obj["cable"] = None if cable is None else {"id": cable, "label": ""}
            obj["link_peers"] = [self.nested(m, k) for m, k in peers]
            obj["link_peers_type"] = peers[0][0] if peers else None
            obj["connected_endpoints"] = obj["link_peers"] or None
            obj["connected_endpoints_type"] = obj["link_peers_type"]
        return obj

    def endpoints(self) -> dict[str, list[dict[str, Any]]]:
        """Endpoint -> all its objects, for every endpoint the importer knows but cables."""
        return {
            endpoint: self.objects(model)
            for endpoint, model in ENDPOINTS.items()
            if model != "dcim.cable"
        }


def pages(objects: list[dict[str, Any]], page_size: int, page_url: str) -> list[dict[str, Any]]:
    """Paged list responses; ``page_url`` is formatted with ``offset``."""
    result = []
    starts = list(range(0, len(objects), page_size)) or [0]
    for number, start in enumerate(starts):
        later = number + 1 < len(starts)
        result.append(
            {
                "count": len(objects),
                "next": page_url.format(offset=start + page_size) if later else None,
                "previous": page_url.format(offset=start - page_size) if number else None,
                "results": objects[start : start + page_size],
            }
        )
    return result
