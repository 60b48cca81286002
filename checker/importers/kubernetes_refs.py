"""Finding the Services a container names in its env values, command and args.

Real clusters write their call graph as configuration: ``CART_SERVICE_ADDR=cartservice:7070``,
``--db=postgres://db.shop.svc.cluster.local:5432/app``. A piece of text names a Service
in one of two ways (docs/importing-kubernetes.md, "Dependencies"):

* **An address**: ``host:port``, a URL (``scheme://host...``), or a name ending in
  ``.svc`` / ``.svc.<cluster domain>``, anywhere in the text. Its host is read as
  ``svc``, ``svc.ns`` (only when ``ns`` is a namespace of the input, else it is an
  outside name such as ``example.com``), ``pod.svc`` (a StatefulSet pod behind a
  headless Service of the same namespace), ``svc.ns.svc[...]`` or
  ``pod.svc.ns.svc[...]``. An address whose Service is not in the input is reported.
* **A bare name**: a whole value, a whole argument, one element of a comma-separated
  list, or the part after ``=`` (``--upstream=cart``). It counts only when a Service of
  that name exists in the right namespace; other words (``PORT``'s ``8080``, ``1``,
  ``true``, prose in a shell script) name nothing and are never reported.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Set
from typing import Any, NamedTuple
from urllib.parse import urlsplit

#: A Service name (DNS-1035 label) and a namespace (DNS-1123 label).
_SERVICE_NAME = re.compile(r"[a-z]([-a-z0-9]{0,61}[a-z0-9])?\Z")
_NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\Z")
_TOKEN_SEPARATORS = re.compile(r"[\s,;'\"`()\[\]{}<>|&=]+")
_HOST_PORT = re.compile(r"([A-Za-z0-9.-]+):(\d{1,5})(?:/\S*)?\Z")
#: Texts without a letter name no Service (8080, 1, 0.0.0.0:9090): the usual env values.
_NOTHING_TO_READ = re.compile(r"[^A-Za-z]*\Z")
#: Names that look like Services but always mean the pod itself.
_NOT_SERVICES = frozenset({"localhost"})


class Reference(NamedTuple):
    """A Service named in a piece of text."""

    namespace: str
    service: str
    #: Written as an address (host:port, URL, .svc name): a missing Service is worth reporting.
    addressed: bool
    #: The text as written, for messages.
    written: str


def references_in(
    text: str, namespace: str, namespaces: Set[str], is_service: Callable[[str, str], bool]
) -> list[Reference]:
    """The Services ``text`` names, for a container in ``namespace``; in order, repeated.

    ``namespaces`` are the namespaces the input knows (to read ``svc.ns``), and
    ``is_service(namespace, name)`` says whether the input defines that Service (bare
    names count only then).
    """
    if _NOTHING_TO_READ.match(text):
        return []
    found: list[Reference] = []
    for token in _TOKEN_SEPARATORS.split(text):
        if not token:
            continue
        reference = _address(token, namespace, namespaces, is_service)
        if reference is not None:
            found.append(reference)
    addressed = {(r.namespace, r.service) for r in found}
    for item in _items(text):
        target = _service_of(item, namespace, namespaces, is_service)
        if target is not None and target not in addressed and is_service(*target):
            found.append(Reference(target[0], target[1], False, item))
    return found


def _items(text: str) -> Iterator[str]:
    """The parts of ``text`` that may be a bare name: whole, comma parts, after ``=``."""
    stripped = text.strip()
    yield stripped
    if "=" in stripped:
        yield stripped.split("=", 1)[1].strip()
    if "," in stripped:
        for part in stripped.split(","):
            yield part.strip()


def _address(
    token: str, namespace: str, namespaces: Set[str], is_service: Callable[[str, str], bool]
) -> Reference | None:
    if "://" in token:
        try:
            host = urlsplit(token).hostname
        except ValueError:  # a malformed URL (e.g. a bad IPv6 literal) names nothing
            return None
    else:
        match = _HOST_PORT.match(token)
        if match is not None:
            host = match.group(1)
        elif ".svc" in token.lower():
            # ``zk-0.zk-hs.ns.svc.cluster.local:2888:3888``: the host is before any port.
            host = token.split(":", 1)[0].split("/", 1)[0].rstrip(".")
            if not (host.lower().endswith(".svc") or ".svc." in host.lower()):
                return None
        else:
            return None
    if not host:
        return None
    target = _service_of(host, namespace, namespaces, is_service)
    if target is None:
        return None
    return Reference(target[0], target[1], True, token)


def _service_of(
    host: str, namespace: str, namespaces: Set[str], is_service: Callable[[str, str], bool]
) -> tuple[str, str] | None:
    """(namespace, service) a host name stands for inside the cluster, if it can be one."""
    parts = host.lower().rstrip(".").split(".")
    if "svc" in parts[2:]:
        # ``svc.ns.svc[.cluster.local]`` or a StatefulSet pod's ``pod.svc.ns.svc...``
        at = len(parts) - 1 - parts[::-1].index("svc")
        service, target_namespace = parts[at - 2], parts[at - 1]
    elif len(parts) == 1:
        service, target_namespace = parts[0], namespace
    elif len(parts) == 2 and parts[1] in namespaces:
        service, target_namespace = parts
    elif len(parts) == 2 and is_service(namespace, parts[1]):
        service, target_namespace = parts[1], namespace
    else:
        return None
    if (
        service in _NOT_SERVICES
        or not _SERVICE_NAME.match(service)
        or not _NAMESPACE.match(target_namespace)
    ):
        return None
    return target_namespace, service


class ConfigMaps(NamedTuple):
    """ConfigMap data by (namespace, name), for env values taken from ConfigMaps."""

    data: dict[tuple[str, str], dict[str, Any]]

    def value(self, namespace: str, name: Any, key: Any) -> str | None:
        found = self.data.get((namespace, name), {}).get(key) if isinstance(name, str) else None
        return found if isinstance(found, str) else None

    def values(self, namespace: str, name: Any) -> list[str]:
        if not isinstance(name, str):
            return []
        data = self.data.get((namespace, name), {})
        return [data[key] for key in sorted(data) if isinstance(data[key], str)]


def container_texts(
    pod_spec: dict[str, Any], namespace: str, config_maps: ConfigMaps
) -> Iterator[str]:
    """Every text of a pod template that may name a Service.

    Containers and init containers (an init container waiting for a Service is a
    start-up dependency): ``env[].value``, env values and ``envFrom`` taken from a
    ConfigMap of the input, ``command[]`` and ``args[]``. Shapes are checked by the
    caller; anything unexpected here is simply not text.
    """
    for section in ("initContainers", "containers"):
        containers = pod_spec.get(section)
        if not isinstance(containers, list):
            continue
        for container in containers:
            if not isinstance(container, dict):
                continue
            yield from _container_texts(container, namespace, config_maps)


def _container_texts(
    container: dict[str, Any], namespace: str, config_maps: ConfigMaps
) -> Iterator[str]:
    for variable in _dicts(container.get("env")):
        text = variable.get("value")
        if isinstance(text, str):
            yield text
            continue
        source = variable.get("valueFrom")
        reference = source.get("configMapKeyRef") if isinstance(source, dict) else None
        if isinstance(reference, dict):
            found = config_maps.value(namespace, reference.get("name"), reference.get("key"))
            if found is not None:
                yield found
    for source in _dicts(container.get("envFrom")):
        reference = source.get("configMapRef")
        if isinstance(reference, dict):
            yield from config_maps.values(namespace, reference.get("name"))
    for section in ("command", "args"):
        words = container.get(section)
        if isinstance(words, list):
            yield from (word for word in words if isinstance(word, str))


def _dicts(items: Any) -> Iterator[dict[str, Any]]:
    if isinstance(items, list):
        yield from (item for item in items if isinstance(item, dict))
