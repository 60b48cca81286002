"""Reading Kubernetes objects: multi-document YAML and ``kubectl get -o json`` lists.

Files and directories (walked for ``.yaml``/``.yml``/``.json`` in sorted order) become
one flat list of :class:`KubeObject`, each remembering the document and pointer it
came from, so a wrong shape anywhere later is reported at its file:line:col
(docs/importing-kubernetes.md). YAML is read with the project's safe reader
(:func:`checker.loading.yaml_source.parse_yaml_stream`), JSON with its strict one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from checker.core.errors import InputError
from checker.core.location import Location, Pointer
from checker.importers.common import Skipped
from checker.loading.discovery import discover
from checker.loading.document import Document
from checker.loading.files import display_path, read_text, real_path
from checker.loading.json_source import parse_json
from checker.loading.yaml_source import parse_yaml_stream

#: Kinds that live outside namespaces; every other kind defaults to ``default``.
CLUSTER_SCOPED = frozenset({"Node", "Namespace", "PersistentVolume", "StorageClass"})


KUBE_SUFFIXES = (".yaml", ".yml", ".json")


class KubeObject(NamedTuple):
    """One Kubernetes object and where it is written."""

    kind: str
    name: str
    #: ``None`` for cluster-scoped kinds (Node, Namespace...).
    namespace: str | None
    body: dict[str, Any]
    document: Document
    pointer: Pointer

    @property
    def key(self) -> str:
        """``namespace/name``, or ``name`` for a cluster-scoped object."""
        return self.name if self.namespace is None else f"{self.namespace}/{self.name}"

    def where(self, *path: str | int) -> Location:
        """The position of ``path`` inside this object (of the object itself when empty)."""
        return self.document.location((*self.pointer, *path))


class ReadResult(NamedTuple):
    objects: list[KubeObject]
    #: Documents that are not Kubernetes objects (not a mapping, no kind).
    skipped: list[Skipped]


def read_inputs(paths: Iterable[Path]) -> ReadResult:
    """Every object of every input file, in input order (directories in sorted order)."""
    given = list(paths)
    named = {real_path(path) for path in given if not path.is_dir()}
    # A directory is walked for Kubernetes files only; a file named is always read.
    files = [
        path
        for path in discover(given)
        if path.suffix.lower() in KUBE_SUFFIXES or real_path(path) in named
    ]
    objects: list[KubeObject] = []
    skipped: list[Skipped] = []
    for path in files:
        for document in parse_inputs(path):
            _collect(document, (), None, objects, skipped)
    return ReadResult(objects, skipped)


def parse_inputs(path: Path) -> list[Document]:
    """The documents of one file: JSON is one document, YAML may hold several."""
    shown = display_path(path)
    text = read_text(path, shown)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return [parse_json(text, shown)]
    if suffix not in (".yaml", ".yml"):
        raise InputError(
            f"unsupported file type {suffix!r}: expected .yaml, .yml or .json "
            "(Kubernetes manifests or `kubectl get -o json` output)",
            Location(shown),
        )
    return parse_yaml_stream(text, shown)


def _collect(
    document: Document,
    pointer: Pointer,
    default_kind: str | None,
    objects: list[KubeObject],
    skipped: list[Skipped],
) -> None:
    data = _at(document.data, pointer)
    if not isinstance(data, dict):
        where = str(document.location(pointer))
        skipped.append(Skipped("document", where, "not a mapping, so not a Kubernetes object"))
        return
    kind = data.get("kind") or default_kind
    if not isinstance(kind, str) or not kind:
        skipped.append(Skipped("document", str(document.location(pointer)), "has no kind"))
        return
    if kind.endswith("List") and "items" in data:
        items = data["items"]
        if items is None:
            return
        if not isinstance(items, list):
            raise InputError(
                f"{kind}.items must be a list of objects", document.location((*pointer, "items"))
            )
        # Typed lists from the API (DeploymentList) may leave the items' kind out.
        item_kind = kind[: -len("List")] or None
        for index in range(len(items)):
            _collect(document, (*pointer, "items", index), item_kind, objects, skipped)
        return
    objects.append(_object(kind, data, document, pointer))


def _object(kind: str, data: dict[str, Any], document: Document, pointer: Pointer) -> KubeObject:
    metadata = data.get("metadata")
    if not isinstance(metadata, dict):
        raise InputError(
            f"{kind} has no metadata mapping", document.location((*pointer, "metadata"))
        )
    name = metadata.get("name")
    if not isinstance(name, str) or not name:
        raise InputError(
            f"{kind} metadata.name must be a non-empty string",
            document.location((*pointer, "metadata", "name")),
        )
    namespace: str | None = None
    if kind not in CLUSTER_SCOPED:
        namespace = metadata.get("namespace") or "default"
        if not isinstance(namespace, str):
            raise InputError(
                f"{kind} {name!r}: metadata.namespace must be a string",
                document.location((*pointer, "metadata", "namespace")),
            )
    return KubeObject(kind, name, namespace, data, document, pointer)


def _at(data: Any, pointer: Pointer) -> Any:
    for part in pointer:
        data = data[part]
    return data
