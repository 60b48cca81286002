"""Which texts name a Service: addresses anywhere, bare names only where they are whole
values and only when the Service exists. Shapes taken from microservices-demo and
from connection strings real clusters write."""

from __future__ import annotations

import pytest

from checker.importers.kubernetes_refs import Reference, references_in

#: The Services the input defines, by namespace.
SERVICES = {("shop", "cart"), ("shop", "web"), ("shop", "zk-hs"), ("data", "pg")}
NAMESPACES = {"shop", "data", "monitoring"}


def named(text: str) -> list[tuple[str, str, bool]]:
    found = references_in(text, "shop", NAMESPACES, lambda ns, name: (ns, name) in SERVICES)
    return sorted({(r.namespace, r.service, r.addressed) for r in found})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # host:port, as microservices-demo writes every *_ADDR
        ("cart:7070", [("shop", "cart", True)]),
        ("shoppingassistantservice:80", [("shop", "shoppingassistantservice", True)]),
        # URLs, with user info, paths and queries
        ("redis://cart:6379/0", [("shop", "cart", True)]),
        ("http://web.shop:8080/path?x=1", [("shop", "web", True)]),
        ("postgres://app:secret@pg.data.svc.cluster.local:5432/db", [("data", "pg", True)]),
        ("http://orders", [("shop", "orders", True)]),
        # the cluster DNS forms
        ("pg.data.svc", [("data", "pg", True)]),
        ("pg.data.svc.cluster.local", [("data", "pg", True)]),
        ("pg-0.pg.data.svc.cluster.local:5432", [("data", "pg", True)]),
        ("zk-0.zk-hs.shop.svc.cluster.local:2888:3888", [("shop", "zk-hs", True)]),
        # pod.service behind a headless Service of the same namespace
        ("zk-0.zk-hs:2181,zk-1.zk-hs:2181", [("shop", "zk-hs", True)]),
        # bare names: whole value, after '=', in a comma list; only when the Service exists
        ("cart", [("shop", "cart", False)]),
        ("--upstream=cart", [("shop", "cart", False)]),
        ("web,cart", [("shop", "cart", False), ("shop", "web", False)]),
        ("pg.data", [("data", "pg", False)]),
        (" cart ", [("shop", "cart", False)]),
    ],
)
def test_texts_that_name_services(text: str, expected: list[tuple[str, str, bool]]) -> None:
    assert named(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        # microservices-demo's other env values
        "8080",
        "1",
        "0",
        "true",
        "shop_session-id=x-readiness-probe",
        # a bare word that is no Service of the input
        "orders",
        "info",
        # prose in an init container's shell script
        "echo Pinging cart: ${FRONTEND_ADDR}... cart is reachable.",
        "wget --server-response http://${FRONTEND_ADDR}",
        # outside names, the pod itself, addresses that are no host
        "api.example.com:443",
        "https://storage.googleapis.com/bucket",
        "catalog-db.c9akciq32.eu-west-1.rds.amazonaws.com:5432",
        "localhost:6379",
        "0.0.0.0:8080",
        "127.0.0.1:9000",
        ":8080",
        "12:30",
        "registry.example.com/shop/web:2.8.1",
        "busybox:1.38.0",
        "http://[::1",
        # svc.ns where ns is no namespace of the input
        "cart.elsewhere:80",
    ],
)
def test_texts_that_name_nothing(text: str) -> None:
    assert named(text) == []


def test_a_reference_keeps_the_text_as_written() -> None:
    found = references_in(
        "CATALOG_URL=http://web.shop.svc.cluster.local:8080/api",
        "shop",
        NAMESPACES,
        lambda *_: True,
    )
    assert found == [
        Reference("shop", "web", True, "http://web.shop.svc.cluster.local:8080/api"),
    ]
