"""Read NetBox REST API list responses: ``{"results": [...]}`` pages, plain lists, or one object.

Which endpoint a response comes from is read from the ``url`` of its objects
(``.../api/dcim/power-feeds/12/``); when they have none (hand-written or trimmed
files), from the file name: ``dcim_power-feeds.json``, ``power_feeds.json`` and
``power-feed.json`` all mean ``dcim/power-feeds``. Cable ends come from each power
port's, outlet's and feed's ``link_peers`` (NetBox 3.3+), ``cable_peer`` (2.10-3.2),
``connected_endpoint(s)`` or, oldest, a port's nested ``power_outlet``; a
``dcim/cables`` response, when given, adds cables and says which are not connected.
See docs/importing-netbox.md.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from checker.core.errors import InputError
from checker.core.location import Location, Pointer
from checker.importers.common import Skipped
from checker.importers.netbox_schema import (
    ENDPOINTS,
    LOOKUPS,
    POWER_MODELS,
    Locate,
    NetBoxData,
    Record,
    Tag,
    key_of,
    learn_related,
    normalize,
)

_OBJECT_URL = re.compile(r"/api/([a-z0-9-]+)/([a-z0-9-]+)/\d+/?$")
#: Peer fields of power terminations, newest first; the first one present is used.
_PEER_FIELDS = (
    ("link_peers", "link_peers_type"),
    ("cable_peer", "cable_peer_type"),
    ("connected_endpoints", "connected_endpoints_type"),
    ("connected_endpoint", "connected_endpoint_type"),
)


def _file_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for endpoint in ENDPOINTS:
        app, plural = endpoint.split("/")
        for base in (plural, plural.removesuffix("s")):
            stem = base.replace("-", "_")
            names[stem] = endpoint
            names[f"{app}_{stem}"] = endpoint
    return names


#: Normalized file stem -> endpoint.
FILE_NAMES = _file_names()


def endpoint_from_name(stem: str) -> str | None:
    return FILE_NAMES.get(stem.lower().replace("-", "_"))


def endpoint_from_url(url: str) -> str | None:
    match = _OBJECT_URL.search(url.split("?", 1)[0])
    return f"{match.group(1)}/{match.group(2)}" if match else None


def objects_of(value: Any, locate: Locate) -> tuple[list[Any], Pointer]:
    """The objects of a response, and the pointer of the list holding them."""
    if isinstance(value, list):
        return value, ()
    if isinstance(value, dict):
        results = value.get("results")
        if isinstance(results, list):
            return results, ("results",)
        if "id" in value:
            return [value], ()
    raise InputError(
        'expected a NetBox API list response ({"results": [...]}), a list of objects '
        "or one object with an 'id'",
        locate(()),
    )


def read_rest(
    value: Any,
    shown: str,
    locate: Locate,
    data: NetBoxData,
    *,
    endpoint: str | None = None,
    file_stem: str | None = None,
) -> None:
    """Add one response to ``data``. ``endpoint`` (known when fetched) beats any guess."""
    objects, base = objects_of(value, locate)
    if endpoint is None:
        endpoint = _guess_endpoint(objects, file_stem)
        if endpoint is None:
            data.skipped.append(
                Skipped(
                    "file",
                    shown,
                    "not a NetBox endpoint resilint reads: its objects have no 'url' and "
                    "its name is not one (e.g. dcim_sites.json, power-feeds.json)",
                )
            )
            return
    model = ENDPOINTS.get(endpoint)
    if model is None:
        data.not_read[endpoint] += len(objects)
        return
    for index, obj in enumerate(objects):
        pointer = (*base, index)
        if not isinstance(obj, dict) or type(obj.get("id")) is not int:
            raise InputError(
                f"{endpoint}: expected an object with an integer 'id'", locate(pointer)
            )
        _read_object(model, obj, shown, _inside(locate, pointer), data)


def _guess_endpoint(objects: list[Any], file_stem: str | None) -> str | None:
    for obj in objects[:1]:
        url = obj.get("url") if isinstance(obj, dict) else None
        if isinstance(url, str):
            found = endpoint_from_url(url)
            if found is not None:
                return found
    return endpoint_from_name(file_stem) if file_stem else None


def _inside(locate: Locate, pointer: Pointer) -> Locate:
    def located(inner: Pointer) -> Location:
        return locate((*pointer, *inner))

    return located


def _read_object(
    model: str, obj: dict[str, Any], shown: str, locate: Locate, data: NetBoxData
) -> None:
    pk: int = obj["id"]
    if model == "dcim.cable":
        _read_cable(pk, obj, data)
        return
    if model in LOOKUPS:
        learn_related(data, model, pk, obj)
        return
    fields = normalize(model, obj, data, locate, rest=True)
    data.add(model, Record(pk, fields), shown)
    tags = obj.get("tags")
    if isinstance(tags, list) and tags:
        data.tags[(model, pk)] = [t for t in map(_tag, tags) if t is not None]
    if model in POWER_MODELS:
        _read_peers(model, pk, obj, data)
        cable = obj.get("cable")
        if isinstance(cable, Mapping) and type(cable.get("id")) is int:
            data.cable_of[(model, pk)] = cable["id"]


def _tag(value: Any) -> Tag | None:
    if isinstance(value, str):
        return Tag(None, value, value)
    if isinstance(value, Mapping):
        name, slug, pk = value.get("name"), value.get("slug"), value.get("id")
        if isinstance(slug, str) or isinstance(name, str):
            text_name = name if isinstance(name, str) else str(slug)
            return Tag(pk if type(pk) is int else None, text_name, slug or text_name)
    return None


def _read_peers(model: str, pk: int, obj: Mapping[str, Any], data: NetBoxData) -> None:
    for peers_field, type_field in _PEER_FIELDS:
        peers = obj.get(peers_field)
        peer_model = obj.get(type_field)
        if not peers or not isinstance(peer_model, str):
            continue
        for peer in peers if isinstance(peers, list) else [peers]:
            _link_nested(data, (model, pk), peer_model, peer)
        return
    # NetBox 2.x: a power port names its outlet, an outlet its port's key.
    outlet = obj.get("power_outlet")
    if model == "dcim.powerport" and isinstance(outlet, Mapping):
        _link_nested(data, (model, pk), "dcim.poweroutlet", outlet)
    port = obj.get("connected_port")
    if model == "dcim.poweroutlet" and type(port) is int:
        data.link((model, pk), ("dcim.powerport", port))


def _link_nested(data: NetBoxData, own: tuple[str, int], peer_model: str, peer: Any) -> None:
    try:
        key = key_of(peer)
    except ValueError:
        return
    if key is None:
        return
    data.link(own, (peer_model, key))
    device = peer.get("device") if isinstance(peer, Mapping) else None
    if isinstance(device, Mapping) and type(device.get("id")) is int:
        data.port_device.setdefault((peer_model, key), device["id"])


def _read_cable(pk: int, obj: Mapping[str, Any], data: NetBoxData) -> None:
    status = obj.get("status")
    value = status.get("value") if isinstance(status, Mapping) else status
    if isinstance(value, str) and value != "connected":
        data.dead_cables.add(pk)
        return
    a_side = _cable_side(obj, "a")
    b_side = _cable_side(obj, "b")
    for a in a_side:
        for b in b_side:
            data.link(a, b)


def _cable_side(obj: Mapping[str, Any], side: str) -> list[tuple[str, int]]:
    ends: list[tuple[str, int]] = []
    terminations = obj.get(f"{side}_terminations")
    if isinstance(terminations, list):  # NetBox 3.3 and later
        for term in terminations:
            if not isinstance(term, Mapping):
                continue
            model, key = term.get("object_type"), term.get("object_id")
            if isinstance(model, str) and type(key) is int:
                ends.append((model, key))
        return ends
    model, key = obj.get(f"termination_{side}_type"), obj.get(f"termination_{side}_id")
    if isinstance(model, str) and type(key) is int:
        ends.append((model, key))
    return ends
