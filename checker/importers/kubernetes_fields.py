"""Typed reads from Kubernetes objects, and label selectors with an index to apply them.

Each reader returns the value at a path of an object, a default when it is absent or
null, and raises :class:`~checker.core.errors.InputError` at the exact file:line:col
when it has the wrong shape (docs/importing-kubernetes.md). Positions are found only
on error, so reading 100,000 objects costs plain dictionary lookups.

Selectors follow the Kubernetes label selector semantics: ``matchLabels`` pairs and
``matchExpressions`` (``In``, ``NotIn``, ``Exists``, ``DoesNotExist``), all ANDed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Generic, NamedTuple, TypeVar

from checker.core.errors import InputError
from checker.importers.kubernetes_read import KubeObject

T = TypeVar("T")
_MISSING: Any = object()


def value(obj: KubeObject, *path: str | int) -> Any:
    """The raw value at ``path`` (``None`` when absent); a non-mapping on the way is an error."""
    current: Any = obj.body
    for depth, part in enumerate(path):
        if isinstance(current, dict) and isinstance(part, str):  # nearly always
            current = current.get(part)
        elif current is None:
            return None
        elif isinstance(current, list) and isinstance(part, int):
            current = current[part] if part < len(current) else None
        else:
            raise shape_error(obj, path[:depth], "a list" if isinstance(part, int) else "a mapping")
    return current


def mapping(obj: KubeObject, *path: str | int) -> dict[str, Any]:
    found = value(obj, *path)
    if found is None:
        return {}
    if not isinstance(found, dict):
        raise shape_error(obj, path, "a mapping")
    return found


def listing(obj: KubeObject, *path: str | int) -> list[Any]:
    found = value(obj, *path)
    if found is None:
        return []
    if not isinstance(found, list):
        raise shape_error(obj, path, "a list")
    return found


def string(obj: KubeObject, *path: str | int, default: str | None = None) -> str | None:
    found = value(obj, *path)
    if found is None:
        return default
    if not isinstance(found, str):
        raise shape_error(obj, path, "a string")
    return found


def integer(obj: KubeObject, *path: str | int, default: int | None = None) -> int | None:
    found = value(obj, *path)
    if found is None:
        return default
    if isinstance(found, bool) or not isinstance(found, int) or found < 0:
        raise shape_error(obj, path, "a whole number, 0 or more")
    return found


def labels(obj: KubeObject, *path: str | int) -> dict[str, str]:
    """A label map (string to string): YAML's unquoted ``true`` or ``1`` is an error."""
    found = mapping(obj, *path)
    for key, item in found.items():
        if not isinstance(item, str):
            dotted = ".".join(str(p) for p in path)
            raise InputError(
                f"{obj.kind} {obj.key}: {dotted}.{key} must be a string (quote it)",
                obj.where(*path, key),
            )
    return found


def shape_error(obj: KubeObject, path: tuple[str | int, ...], expected: str) -> InputError:
    """The error for a value at ``path`` that is not ``expected`` (e.g. "a list")."""
    dotted = ".".join(str(p) for p in path) or "the object"
    return InputError(f"{obj.kind} {obj.key}: {dotted} must be {expected}", obj.where(*path))


class Selector(NamedTuple):
    """A label selector: ``match_labels`` pairs and ``(key, operator, values)`` expressions."""

    match_labels: tuple[tuple[str, str], ...]
    expressions: tuple[tuple[str, str, frozenset[str]], ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.match_labels and not self.expressions

    def matches(self, labels: Mapping[str, str]) -> bool:
        for key, wanted in self.match_labels:
            if labels.get(key) != wanted:
                return False
        for key, operator, values in self.expressions:
            present = key in labels
            if operator == "In":
                ok = present and labels[key] in values
            elif operator == "NotIn":
                ok = not present or labels[key] not in values
            elif operator == "Exists":
                ok = present
            else:  # DoesNotExist; other operators are refused when read
                ok = not present
            if not ok:
                return False
        return True


_OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def label_selector(obj: KubeObject, *path: str | int) -> Selector | None:
    """A ``LabelSelector`` (matchLabels/matchExpressions); ``None`` when absent."""
    if value(obj, *path) is None:
        return None
    mapping(obj, *path)  # the shape check
    pairs = tuple(sorted(labels(obj, *path, "matchLabels").items()))
    expressions = []
    for index, item in enumerate(listing(obj, *path, "matchExpressions")):
        here = (*path, "matchExpressions", index)
        if not isinstance(item, dict):
            raise shape_error(obj, here, "a mapping")
        key = string(obj, *here, "key")
        operator = string(obj, *here, "operator")
        if not key:
            raise shape_error(obj, (*here, "key"), "a label key")
        if operator not in _OPERATORS:
            raise InputError(
                f"{obj.kind} {obj.key}: selector operator {operator!r} is not one of "
                + ", ".join(_OPERATORS),
                obj.where(*here, "operator"),
            )
        values = listing(obj, *here, "values")
        if not all(isinstance(v, str) for v in values):
            raise shape_error(obj, (*here, "values"), "a list of strings")
        expressions.append((key, operator, frozenset(values)))
    return Selector(pairs, tuple(expressions))


def plain_selector(obj: KubeObject, *path: str | int) -> Selector | None:
    """A Service's ``selector`` (a plain label map); ``None`` when absent or empty."""
    pairs = labels(obj, *path)
    return Selector(tuple(sorted(pairs.items()))) if pairs else None


class LabelIndex(Generic[T]):
    """Items by namespace and label pair, so a selector looks only at likely candidates.

    A selector with ``matchLabels`` starts from the smallest set of items holding one
    of its pairs; one with expressions only scans its namespace. Matching every
    selector of an input thus costs about the size of the matches, not a full scan.
    """

    def __init__(self) -> None:
        self._by_pair: dict[tuple[str, str, str], list[tuple[Mapping[str, str], T]]] = {}
        self._by_namespace: dict[str, list[tuple[Mapping[str, str], T]]] = {}

    def add(self, namespace: str, item_labels: Mapping[str, str], item: T) -> None:
        entry = (item_labels, item)
        self._by_namespace.setdefault(namespace, []).append(entry)
        for key, label_value in item_labels.items():
            self._by_pair.setdefault((namespace, key, label_value), []).append(entry)

    def select(self, namespace: str, selector: Selector) -> list[T]:
        """The items of ``namespace`` whose labels ``selector`` matches, in insertion order."""
        if selector.match_labels:
            candidates = min(
                (self._by_pair.get((namespace, k, v), []) for k, v in selector.match_labels),
                key=len,
            )
        else:
            candidates = self._by_namespace.get(namespace, [])
        return [item for item_labels, item in candidates if selector.matches(item_labels)]
