"""A fast acceptance test for manifest documents, equivalent to the pydantic schema.

Validating 100,000 services through pydantic models costs seconds, most of it
building model objects we would throw away. Valid input is the common case, so each
entity document is first checked here with plain type tests; only a file that fails
is handed to pydantic, which then says precisely what is wrong and where. The tests
check on random documents that both accept exactly the same inputs.

A whole file is checked in one pass (:func:`survey`): what costs a Python call per
value when checked value by value (an id's pattern, a duration's, the types in a
``labels`` mapping) is collected and checked at the end in bulk, at C speed. The same
pass tallies what the JSON loader must know about a file's limits (docs/limits.md),
so that a valid manifest is not walked a second time for them.
"""

from __future__ import annotations

import re
import string
from collections.abc import Collection, Iterable
from itertools import chain
from typing import Any

from checker.core.durations import PATTERN as DURATION_PATTERN
from checker.loading.limits import INT_LIMIT, MAX_DEPTH, MAX_KEY_LENGTH, Survey, every_string
from checker.loading.limits import survey as survey_data
from checker.manifest.fields import KEYS_BY_MODEL

# fullmatch, not match: a Python "$" also matches before a trailing newline, and the
# schema's patterns (pydantic's regex engine) do not accept one.
_is_duration = re.compile(DURATION_PATTERN).fullmatch
#: The characters an id may hold (the class of fields.ID_PATTERN; a test holds the two
#: together). Ids are checked all at once: none is empty, and their concatenation
#: holds no other character (bytes.translate deletes them at C speed).
_ID_BYTES = (string.ascii_letters + string.digits + "._-/:").encode("ascii")
# The key sets come from the pydantic models: one definition of the format.
_DOMAIN_KEYS = frozenset(KEYS_BY_MODEL["domain"])
_SERVICE_KEYS = frozenset(KEYS_BY_MODEL["service"])
_FILE_KEYS = frozenset(KEYS_BY_MODEL["file"])
_ANY_OF_KEYS = frozenset(KEYS_BY_MODEL["any_of"])
_INSTANCE_KEYS = frozenset(KEYS_BY_MODEL["instance"])
_BACKUP_KEYS = frozenset(KEYS_BY_MODEL["backup"])
_EXTEND_KEYS = frozenset(KEYS_BY_MODEL["extend"])
#: Every key a valid manifest's mappings below its sections can hold, but labels'.
_FIELD_KEYS = (
    _DOMAIN_KEYS | _SERVICE_KEYS | _EXTEND_KEYS | _ANY_OF_KEYS | _INSTANCE_KEYS | _BACKUP_KEYS
)
_STR = frozenset({str})
#: A field left out (None is a value: ``parent: null`` is allowed, ``depends_on: null`` not).
_ABSENT: Any = object()


def ids_ok(ids: Collection[str]) -> bool:
    """Whether every one of ``ids`` (strings) is an id (fields.ID_PATTERN), at C speed.

    Joined with NULs (no id holds one), the ids are bytes from which deleting the
    characters ids may hold leaves their separators only, and none is empty when no
    separator is next to another or at an end.
    """
    joined = "\0".join(ids)
    if not joined.isascii():
        return False
    written = joined.encode("ascii")
    return (
        written.translate(None, _ID_BYTES) == b"\0" * (len(ids) - 1)
        and b"\0\0" not in written
        and not (written.startswith(b"\0") or written.endswith(b"\0"))
        and (written != b"" or not ids)
    )


class _Pass:
    """One pass over a manifest's entities.

    Each method checks what it can at once and returns whether it passed; ids,
    durations, labels and counts are collected for :meth:`done`. Entity keys and
    mappings are tallied on the way (for :class:`~checker.loading.limits.Survey`).
    """

    def __init__(self) -> None:
        self.ids: list[str] = []  # every id: keys of sections and references
        self.durations: list[str] = []
        self.labels: list[dict[Any, Any]] = []
        self.meta: list[Any] = []  # free data (``meta``) of domains and services
        self.too_large = False  # some count, min or min_healthy is over the integer limit
        self.keys = 0  # entries of every mapping but the labels
        self.mappings = 0  # mappings but the labels
        self.longest = 0  # the longest id used as a key

    def section(self, entities: Any, kind: str) -> bool:
        if type(entities) is not dict:
            return False
        if entities:
            if not set(map(type, entities)) <= _STR:
                return False
            self.ids.extend(entities)
            self.longest = max(self.longest, max(map(len, entities)))
        self.keys += len(entities)
        self.mappings += 1
        if kind == "extend":
            return all(map(self.extend, entities.values()))
        check = self.domains if kind == "domains" else self.services
        return check(entities.values())

    # domains() and services() are one loop each, with the checks of the common cases
    # written out: a call per field of 100,000 services was most of their cost.

    def domains(self, docs: Iterable[Any]) -> bool:
        add_id, add_labels = self.ids.append, self.labels.append
        keys = mappings = 0
        for doc in docs:
            if type(doc) is not dict or not doc.keys() <= _DOMAIN_KEYS:
                return False
            get = doc.get
            kind = get("kind")
            if type(kind) is not str or not kind:
                return False
            value = get("parent")
            if value is not None:
                if type(value) is not str:
                    return False
                add_id(value)
            value = get("depends_on", _ABSENT)
            if value is not _ABSENT and not self._requirements(value):
                return False
            value = get("labels", _ABSENT)
            if value is not _ABSENT:
                if type(value) is not dict:
                    return False
                add_labels(value)
            if "meta" in doc:
                self.meta.append(doc["meta"])
            keys += len(doc)
            mappings += 1
        self.keys += keys
        self.mappings += mappings
        return True

    def services(self, docs: Iterable[Any]) -> bool:
        add_id, add_labels = self.ids.append, self.labels.append
        add_duration = self.durations.append
        keys = mappings = 0
        for doc in docs:
            if type(doc) is not dict or not doc.keys() <= _SERVICE_KEYS:
                return False
            get = doc.get
            value = get("tier")
            if type(value) is not str or not value:
                return False
            value = get("owner")
            if value is not None and type(value) is not str:
                return False
            value = get("min_healthy", 1)
            if value != "majority":
                if type(value) is not int or value < 1:
                    return False
                if value >= INT_LIMIT:
                    self.too_large = True
            value = get("instances", _ABSENT)
            if value is not _ABSENT:
                if type(value) is not list:
                    return False
                for item in value:
                    if type(item) is str:
                        add_id(item)
                    elif not self._instance(item):
                        return False
            value = get("depends_on", _ABSENT)
            if value is not _ABSENT:
                if type(value) is not list:
                    return False
                for item in value:
                    if type(item) is str:
                        add_id(item)
                    elif not self._group(item):
                        return False
            value = get("backups", _ABSENT)
            if value is not _ABSENT and not self._backups(value):
                return False
            value = get("rto")
            if value is not None:
                if type(value) is not str:
                    return False
                add_duration(value)
            value = get("rpo")
            if value is not None:
                if type(value) is not str:
                    return False
                add_duration(value)
            value = get("labels", _ABSENT)
            if value is not _ABSENT:
                if type(value) is not dict:
                    return False
                add_labels(value)
            if "meta" in doc:
                self.meta.append(doc["meta"])
            keys += len(doc)
            mappings += 1
        self.keys += keys
        self.mappings += mappings
        return True

    def extend(self, doc: Any) -> bool:
        if type(doc) is not dict or not doc.keys() <= _EXTEND_KEYS:
            return False
        get = doc.get
        tier, owner = get("tier"), get("owner")
        if (tier is not None and (type(tier) is not str or tier == "")) or (
            owner is not None and type(owner) is not str
        ):
            return False
        self.keys += len(doc)
        self.mappings += 1
        return (
            self._parent(get("parent"))
            and self._duration(get("rto"))
            and self._duration(get("rpo"))
            and self._labels(get("labels", _ABSENT))
            and self._requirements(get("depends_on", _ABSENT))
            and self._backups(get("backups", _ABSENT))
        )

    def _parent(self, parent: Any) -> bool:
        if parent is None:
            return True
        if type(parent) is not str:
            return False
        self.ids.append(parent)
        return True

    def _duration(self, value: Any) -> bool:
        if value is None:
            return True
        if type(value) is not str:
            return False
        self.durations.append(value)
        return True

    def _labels(self, value: Any) -> bool:
        if value is _ABSENT:
            return True
        if type(value) is not dict:
            return False
        self.labels.append(value)
        return True

    def _requirements(self, value: Any) -> bool:
        if value is _ABSENT:
            return True
        if type(value) is not list:
            return False
        add_id = self.ids.append
        for item in value:
            if type(item) is str:
                add_id(item)
            elif not self._group(item):
                return False
        return True

    def _group(self, item: Any) -> bool:
        """``{any_of: [...], min: K}``."""
        if type(item) is not dict:
            return False
        members = item.get("any_of")
        if (
            not item.keys() <= _ANY_OF_KEYS
            or type(members) is not list
            or not members
            or not set(map(type, members)) <= _STR
            or ("min" in item and not self._count(item["min"]))
        ):
            return False
        self.ids.extend(members)
        self.keys += len(item)
        self.mappings += 1
        return True

    def _count(self, value: Any) -> bool:
        if type(value) is not int or value < 1:
            return False
        if value >= INT_LIMIT:
            self.too_large = True
        return True

    def _instance(self, item: Any) -> bool:
        """``{at: ID, count: N, labels: {...}}``."""
        if type(item) is not dict or not item.keys() <= _INSTANCE_KEYS:
            return False
        at = item.get("at")
        if (
            type(at) is not str
            or ("count" in item and not self._count(item["count"]))
            or not self._labels(item.get("labels", _ABSENT))
        ):
            return False
        self.ids.append(at)
        self.keys += len(item)
        self.mappings += 1
        return True

    def _backups(self, value: Any) -> bool:
        if value is _ABSENT:
            return True
        if type(value) is not list:
            return False
        for backup in value:
            if (
                type(backup) is not dict
                or backup.keys() != _BACKUP_KEYS
                or type(backup["at"]) is not str
                or type(backup["every"]) is not str
            ):
                return False
            self.ids.append(backup["at"])
            self.durations.append(backup["every"])
            self.keys += 2
            self.mappings += 1
        return True

    def done(self) -> bool:
        """Check what was collected: ids, durations, the labels' keys and values."""
        return (
            ids_ok(self.ids)
            and all(map(_is_duration, set(self.durations)))
            and set(map(type, chain.from_iterable(self.labels))) <= _STR
            and set(map(type, chain.from_iterable(map(dict.values, self.labels)))) <= _STR
        )


def _check(doc: Any, kind: str) -> bool:
    checks = _Pass()
    return checks.section({"id": doc}, kind) and checks.done()


def domain_ok(doc: Any) -> bool:
    return _check(doc, "domains")


def service_ok(doc: Any) -> bool:
    return _check(doc, "services")


def extend_ok(doc: Any) -> bool:
    return _check(doc, "extend")


def survey(data: Any) -> Survey | None:
    """None if ``data`` is not a valid manifest file (``version`` checked by the caller);
    else its limits survey (:func:`checker.loading.limits.survey`, strings aside),
    tallied while validating it, with the keys its mappings below the sections hold.

    Outside its free data (``meta``), a valid manifest nests at most 6 deep, and holds
    long keys and large integers only in a few places (ids, labels; counts), which are
    all the survey looks at; the free data is surveyed as any data.
    """
    if type(data) is not dict or not data.keys() <= _FILE_KEYS:
        return None
    if data.get("$schema") is not None and type(data["$schema"]) is not str:
        return None
    checks = _Pass()
    for kind in ("domains", "services", "extend"):
        if kind in data and not checks.section(data[kind], kind):
            return None
    if not checks.done():
        return None
    labels = checks.labels
    label_keys = frozenset(chain.from_iterable(labels))
    # Free data is 4 levels deep (file, section, entity, meta): 2 in the list of it.
    meta = survey_data(checks.meta, ints=True, strings=False, depth=MAX_DEPTH - 2)
    version = data.get("version")
    ok = (
        meta.ok
        and checks.longest <= MAX_KEY_LENGTH
        and max(map(len, label_keys), default=0) <= MAX_KEY_LENGTH
        and not checks.too_large
        and type(version) not in (dict, list)
        and (type(version) is not int or -INT_LIMIT < version < INT_LIMIT)
    )
    return Survey(
        ok,
        keys=len(data) + checks.keys + sum(map(len, labels)) + meta.keys,
        mappings=1 + checks.mappings + len(labels) + meta.mappings,
        deep_keys=_FIELD_KEYS | label_keys | frozenset(every_string(checks.meta, values=False)),
        plain_below=True,  # the keys of the sections are ids: no quote, no backslash
    )


def file_ok(data: Any) -> bool:
    """Whether a whole manifest document is valid (``version`` checked by the caller)."""
    return survey(data) is not None
