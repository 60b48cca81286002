"""``resilint import netbox --url``: against a stub NetBox on 127.0.0.1, started here.

The stub serves the demo as NetBox 3.6 API pages (40 objects a page, as a NetBox with
MAX_PAGE_SIZE=40 would), checks the token, and can misbehave on request.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from typing import Any

import pytest

from checker.core.location import Location, Pointer
from checker.importers.common import render_manifest
from checker.importers.netbox import build_inventory
from checker.importers.netbox_dump import read_dumpdata
from checker.importers.netbox_schema import LIVE_ENDPOINTS
from checker.importers.netbox_services import Grouping
from tests.conftest import Run
from tests.importers.netbox_api import ApiShapes, demo_rows, pages
from tests.quiet_server import QuietServer

TOKEN = "0123456789abcdef-not-a-real-token"
PAGE = 40


class Stub:
    """A NetBox API on 127.0.0.1: routes (path?query -> status, body) and what it was asked."""

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, bytes, dict[str, str]]] = {}
        self.requests: list[tuple[str, str | None]] = []
        self.delay = 0.0
        self.anonymous_ok = False
        self.closed = False
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                stub.requests.append((self.path, self.headers.get("Authorization")))
                if stub.delay:
                    time.sleep(stub.delay)
                status, body, headers = stub.answer(self.path, self.headers.get("Authorization"))
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def answer(self, path: str, auth: str | None) -> tuple[int, bytes, dict[str, str]]:
        if auth != f"Token {TOKEN}" and not (auth is None and self.anonymous_ok):
            return 403, b'{"detail": "Invalid token"}', {}
        return self.routes.get(path, (404, b'{"detail": "Not found."}', {}))

    def serve_demo(self, next_base: str | None = None) -> None:
        """Every endpoint in pages; ``next`` links written with ``next_base`` (a proxy's view)."""
        shapes = ApiShapes(demo_rows(), self.base)
        for endpoint, objects in shapes.endpoints().items():
            link = f"{next_base or self.base}/api/{endpoint}/?limit=1000&offset={{offset}}"
            for number, page in enumerate(pages(objects, PAGE, link)):
                query = "limit=1000" + (f"&offset={number * PAGE}" if number else "")
                self.routes[f"/api/{endpoint}/?{query}"] = (200, json.dumps(page).encode(), {})

    def close(self) -> None:
        if not self.closed:
            self.closed = True
            self.server.shutdown()
            self.server.server_close()


@pytest.fixture
def stub() -> Iterator[Stub]:
    server = Stub()
    yield server
    server.close()


@pytest.fixture(scope="module")
def dump_body() -> str:
    def nowhere(pointer: Pointer) -> Location:
        return Location("demo.json")

    inventory = build_inventory(read_dumpdata(demo_rows(), "demo.json", nowhere), Grouping())
    return _body(render_manifest(inventory, "x"))


def _body(manifest: str) -> str:
    return manifest.split("version: 1\n", 1)[1]


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NETBOX_TOKEN", TOKEN)


@pytest.mark.usefixtures("token")
@pytest.mark.parametrize("next_base", [None, "http://netbox.internal:8080"])
def test_a_live_netbox_gives_the_same_manifest_as_its_dump(
    run_cli: Callable[..., Run], stub: Stub, dump_body: str, next_base: str | None
) -> None:
    stub.serve_demo(next_base)
    result = run_cli("import", "netbox", "--url", stub.base + "/")
    assert result.code == 0, result.err
    assert _body(result.out) == dump_body
    assert (
        result.out.splitlines()[1]
        == f"# Regenerate with: resilint import netbox --url {stub.base}/"
    )
    # Every page was asked for on 127.0.0.1 (a `next` on another host is followed here),
    # always with the token; the token is printed nowhere.
    paths = [path for path, _ in stub.requests]
    live = {p for p in stub.routes if p.split("/")[2] + "/" + p.split("/")[3] in LIVE_ENDPOINTS}
    assert len(paths) == len(set(paths))
    assert set(paths) == live
    assert {auth for _, auth in stub.requests} == {f"Token {TOKEN}"}
    assert TOKEN not in result.out + result.err
    assert "/api/virtualization/virtual-machines/?limit=1000&offset=160" in paths


def test_a_wrong_token_is_exit_2_with_netbox_s_reason(
    run_cli: Callable[..., Run], stub: Stub, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NB", "wrong-token")
    result = run_cli("import", "netbox", "--url", stub.base, "--token-env", "NB")
    assert result.code == 2
    assert result.err == (
        f"resilint: error: GET {stub.base}/api/dcim/regions/?limit=1000: NetBox answered "
        "HTTP 403 Forbidden: Invalid token\n"
    )
    assert stub.requests == [("/api/dcim/regions/?limit=1000", "Token wrong-token")]


def test_without_a_token_netbox_is_asked_anonymously(
    run_cli: Callable[..., Run], stub: Stub, monkeypatch: pytest.MonkeyPatch, dump_body: str
) -> None:
    monkeypatch.delenv("NETBOX_TOKEN", raising=False)
    refused = run_cli("import", "netbox", "--url", stub.base)
    assert refused.code == 2
    assert stub.requests == [("/api/dcim/regions/?limit=1000", None)]
    stub.anonymous_ok = True
    stub.serve_demo()
    allowed = run_cli("import", "netbox", "--url", stub.base)
    assert allowed.code == 0
    assert _body(allowed.out) == dump_body
    assert allowed.err.splitlines()[-1] == (
        "resilint: note: no token in $NETBOX_TOKEN: NetBox was read anonymously"
    )


@pytest.mark.usefixtures("token")
@pytest.mark.parametrize(
    ("status", "body", "message"),
    [
        (500, b"<h1>Server Error</h1>", "NetBox answered HTTP 500 Internal Server Error"),
        (404, b'{"detail": "Not found."}', "NetBox answered HTTP 404 Not Found: Not found."),
        # Past Python's JSON recursion: once an internal error.
        (403, b"[" * 60_000 + b"]" * 60_000, "NetBox answered HTTP 403 Forbidden"),
    ],
)
def test_http_errors_are_exit_2(
    run_cli: Callable[..., Run], stub: Stub, status: int, body: bytes, message: str
) -> None:
    stub.routes["/api/dcim/regions/?limit=1000"] = (status, body, {})
    result = run_cli("import", "netbox", "--url", stub.base)
    assert result.code == 2
    assert (
        result.err == f"resilint: error: GET {stub.base}/api/dcim/regions/?limit=1000: {message}\n"
    )


@pytest.mark.usefixtures("token")
def test_bad_json_is_exit_2_at_its_position(run_cli: Callable[..., Run], stub: Stub) -> None:
    # A missing comma: Python's json words it the same from 3.10 to 3.13 (a trailing
    # comma it words differently since 3.13).
    stub.routes["/api/dcim/regions/?limit=1000"] = (200, b'{"results": [\n  {"id": 1 "x": 2}]}', {})
    result = run_cli("import", "netbox", "--url", stub.base)
    assert result.code == 2
    assert result.err == (
        f"{stub.base}/api/dcim/regions/?limit=1000:2:12: error: invalid JSON: "
        "Expecting ',' delimiter\n"
    )


@pytest.mark.usefixtures("token")
def test_a_page_that_links_to_itself_is_exit_2(run_cli: Callable[..., Run], stub: Stub) -> None:
    page = {"count": 9, "next": f"{stub.base}/api/dcim/regions/?limit=1000", "results": []}
    stub.routes["/api/dcim/regions/?limit=1000"] = (200, json.dumps(page).encode(), {})
    result = run_cli("import", "netbox", "--url", stub.base)
    assert result.code == 2
    assert result.err == (
        f"resilint: error: GET {stub.base}/api/dcim/regions/?limit=1000: the pages of "
        "dcim/regions loop back to a page read\n"
    )


@pytest.mark.usefixtures("token")
def test_a_slow_netbox_times_out(run_cli: Callable[..., Run], stub: Stub) -> None:
    stub.delay = 1.0
    result = run_cli("import", "netbox", "--url", stub.base, "--timeout", "0.2")
    assert result.code == 2
    assert result.err == (
        f"resilint: error: GET {stub.base}/api/dcim/regions/?limit=1000: no answer within "
        "0.2 s (--timeout)\n"
    )


@pytest.mark.usefixtures("token")
def test_an_unreachable_netbox_is_exit_2(run_cli: Callable[..., Run], stub: Stub) -> None:
    base = stub.base
    stub.close()
    result = run_cli("import", "netbox", "--url", base)
    assert result.code == 2
    assert result.err.startswith(
        f"resilint: error: GET {base}/api/dcim/regions/?limit=1000: cannot reach NetBox: "
    )
    assert "refused" in result.err.lower()


@pytest.mark.usefixtures("token")
def test_the_token_is_not_sent_along_a_redirect(run_cli: Callable[..., Run], stub: Stub) -> None:
    elsewhere = Stub()
    try:
        target = f"{elsewhere.base}/api/dcim/regions/?limit=1000"
        stub.routes["/api/dcim/regions/?limit=1000"] = (302, b"{}", {"Location": target})
        result = run_cli("import", "netbox", "--url", stub.base)
        assert result.code == 2
        assert elsewhere.requests == [("/api/dcim/regions/?limit=1000", None)]
    finally:
        elsewhere.close()


def test_urls_of_the_stub_are_only_local(stub: Stub) -> None:
    assert urllib.parse.urlsplit(stub.base).hostname == "127.0.0.1"
