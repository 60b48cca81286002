"""A fast acceptance test for manifest documents, equivalent to the pydantic schema.

Validating 100,000 services through pydantic models costs seconds, most of it
building model objects we would throw away. Valid input is the common case, so each
entity document is first checked here with plain type tests; only a file that fails
is handed to pydantic, which then says precisely what is wrong and where. The tests
check on random documents that both accept exactly the same inputs.
"""

from __future__ import annotations

import re
from typing import Any

from checker.core.durations import PATTERN as DURATION_PATTERN
from checker.manifest.fields import ID_PATTERN, KEYS_BY_MODEL

# fullmatch, not match: a Python "$" also matches before a trailing newline, and the
# schema's patterns (pydantic's regex engine) do not accept one.
_is_id = re.compile(ID_PATTERN).fullmatch
_is_duration = re.compile(DURATION_PATTERN).fullmatch
# The key sets are the pydantic models' (tests/manifest/test_fast.py holds them equal).
_DOMAIN_KEYS = frozenset(KEYS_BY_MODEL["domain"])
_SERVICE_KEYS = frozenset(KEYS_BY_MODEL["service"])
_FILE_KEYS = frozenset(KEYS_BY_MODEL["file"])
_ANY_OF_KEYS = frozenset(KEYS_BY_MODEL["any_of"])
_INSTANCE_KEYS = frozenset(KEYS_BY_MODEL["instance"])
_BACKUP_KEYS = frozenset(KEYS_BY_MODEL["backup"])
_EXTEND_KEYS = frozenset(KEYS_BY_MODEL["extend"])


def _id(value: Any) -> bool:
    return type(value) is str and _is_id(value) is not None


def _positive(value: Any) -> bool:
    return type(value) is int and value >= 1


def _labels(value: Any) -> bool:
    return type(value) is dict and all(type(k) is str and type(v) is str for k, v in value.items())


def _duration(value: Any) -> bool:
    return type(value) is str and _is_duration(value) is not None


def _requirements(value: Any) -> bool:
    if type(value) is not list:
        return False
    for item in value:
        if type(item) is str:
            if _is_id(item) is None:
                return False
        elif type(item) is dict:
            members = item.get("any_of")
            if (
                not item.keys() <= _ANY_OF_KEYS
                or type(members) is not list
                or not members
                or not all(_id(m) for m in members)
                or ("min" in item and not _positive(item["min"]))
            ):
                return False
        else:
            return False
    return True


def domain_ok(doc: Any) -> bool:
    if type(doc) is not dict or not doc.keys() <= _DOMAIN_KEYS:
        return False
    kind = doc.get("kind")
    if type(kind) is not str or not kind:
        return False
    parent = doc.get("parent")
    return (
        (parent is None or _id(parent))
        and ("depends_on" not in doc or _requirements(doc["depends_on"]))
        and ("labels" not in doc or _labels(doc["labels"]))
    )


def _instances(value: Any) -> bool:
    if type(value) is not list:
        return False
    for item in value:
        if type(item) is str:
            if _is_id(item) is None:
                return False
        elif (
            type(item) is not dict
            or not item.keys() <= _INSTANCE_KEYS
            or not _id(item.get("at"))
            or ("count" in item and not _positive(item["count"]))
            or ("labels" in item and not _labels(item["labels"]))
        ):
            return False
    return True


def _backups(value: Any) -> bool:
    return type(value) is list and all(
        type(b) is dict and b.keys() == _BACKUP_KEYS and _id(b["at"]) and _duration(b["every"])
        for b in value
    )


def service_ok(doc: Any) -> bool:
    if type(doc) is not dict or not doc.keys() <= _SERVICE_KEYS:
        return False
    tier = doc.get("tier")
    if type(tier) is not str or not tier:
        return False
    get = doc.get
    owner = get("owner")
    min_healthy = get("min_healthy", 1)
    rto, rpo = get("rto"), get("rpo")
    return (
        (owner is None or type(owner) is str)
        and ("instances" not in doc or _instances(doc["instances"]))
        and (min_healthy == "majority" or _positive(min_healthy))
        and ("depends_on" not in doc or _requirements(doc["depends_on"]))
        and ("backups" not in doc or _backups(doc["backups"]))
        and (rto is None or _duration(rto))
        and (rpo is None or _duration(rpo))
        and ("labels" not in doc or _labels(doc["labels"]))
    )


def extend_ok(doc: Any) -> bool:
    if type(doc) is not dict or not doc.keys() <= _EXTEND_KEYS:
        return False
    tier, owner, parent = doc.get("tier"), doc.get("owner"), doc.get("parent")
    rto, rpo = doc.get("rto"), doc.get("rpo")
    return (
        (tier is None or (type(tier) is str and tier != ""))
        and (owner is None or type(owner) is str)
        and (parent is None or _id(parent))
        and (rto is None or _duration(rto))
        and (rpo is None or _duration(rpo))
        and ("labels" not in doc or _labels(doc["labels"]))
        and ("depends_on" not in doc or _requirements(doc["depends_on"]))
        and ("backups" not in doc or _backups(doc["backups"]))
    )


def file_ok(data: Any) -> bool:
    """Whether a whole manifest document is valid (``version`` checked by the caller)."""
    if type(data) is not dict or not data.keys() <= _FILE_KEYS:
        return False
    if data.get("$schema") is not None and type(data["$schema"]) is not str:
        return False
    domains = data.get("domains", {})
    services = data.get("services", {})
    extend = data.get("extend", {})
    if type(domains) is not dict or type(services) is not dict or type(extend) is not dict:
        return False
    return (
        all(_id(k) and domain_ok(v) for k, v in domains.items())
        and all(_id(k) and service_ok(v) for k, v in services.items())
        and all(_id(k) and extend_ok(v) for k, v in extend.items())
    )
