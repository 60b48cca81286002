"""Read a live NetBox over its REST API, with the standard library only.

Each endpoint in :data:`LIVE_ENDPOINTS` is fetched page by page, following ``next``.
The token goes in an ``Authorization`` header that is never forwarded on a redirect,
never printed and never written. A ``next`` link is followed on the origin given by
the user (its path and query only): a NetBox behind a proxy often announces
``http://`` or an internal host name, and the token must not go there. Every failure
(HTTP status, unreachable host, timeout, bad JSON) is an :class:`InputError`
naming the URL (docs/importing-netbox.md).
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from typing import Any, NamedTuple

from checker.core.errors import InputError
from checker.importers.netbox_read import parse_json_text
from checker.importers.netbox_rest import read_rest
from checker.importers.netbox_schema import LIVE_ENDPOINTS, NetBoxData

#: Objects per page; NetBox caps it at MAX_PAGE_SIZE (default 1000).
PAGE_SIZE = 1000
#: More pages than this for one endpoint means the server's ``next`` links loop.
MAX_PAGES = 100_000


class Live(NamedTuple):
    url: str
    token: str | None
    timeout: float


def check_base_url(url: str) -> str:
    """The base URL without a trailing slash; user:password in it is refused."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"--url must be an http:// or https:// URL, not {url!r}")
    if parts.username is not None or parts.password is not None:
        raise InputError(
            "--url must not hold a user or password: give the token in the environment"
        )
    if parts.query or parts.fragment:
        raise InputError("--url is the NetBox base URL, without ?query or #fragment")
    return url.rstrip("/")


def fetch_all(live: Live, opener: Callable[..., Any] | None = None) -> NetBoxData:
    data = NetBoxData()
    base = check_base_url(live.url)
    origin = urllib.parse.urlsplit(base)
    open_url = opener or urllib.request.urlopen
    for endpoint in LIVE_ENDPOINTS:
        url: str | None = f"{base}/api/{endpoint}/?limit={PAGE_SIZE}"
        seen: set[str] = set()
        while url is not None:
            if url in seen or len(seen) >= MAX_PAGES:
                raise InputError(f"GET {url}: the pages of {endpoint} loop back to a page read")
            seen.add(url)
            text = _get(url, live, open_url)
            value, locate = parse_json_text(text, url)
            read_rest(value, url, locate, data, endpoint=endpoint)
            url = _next_page(value, origin)
    return data


def _next_page(value: Any, origin: urllib.parse.SplitResult) -> str | None:
    link = value.get("next") if isinstance(value, dict) else None
    if not isinstance(link, str) or not link:
        return None
    given = urllib.parse.urlsplit(link)
    return urllib.parse.urlunsplit((origin.scheme, origin.netloc, given.path, given.query, ""))


def _get(url: str, live: Live, open_url: Callable[..., Any]) -> str:
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    if live.token:
        scheme = "Bearer" if live.token.startswith("nbt_") else "Token"
        # Unredirected: urllib copies ordinary headers to wherever a redirect points.
        request.add_unredirected_header("Authorization", f"{scheme} {live.token}")
    try:
        with open_url(request, timeout=live.timeout) as response:
            body: bytes = response.read()
    except urllib.error.HTTPError as error:
        problem = f"NetBox answered HTTP {error.code} {error.reason}{_detail(error)}"
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            problem = f"no answer within {live.timeout:g} s (--timeout)"
        else:
            problem = f"cannot reach NetBox: {error.reason}"
    except TimeoutError:
        problem = f"no answer within {live.timeout:g} s (--timeout)"
    except OSError as error:
        problem = f"cannot read from NetBox: {error}"
    else:
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            problem = "the answer is not UTF-8 text"
    # The URL, never the headers: the token must not reach a terminal or a CI log.
    raise InputError(f"GET {url}: {problem}")


def _detail(error: urllib.error.HTTPError) -> str:
    """NetBox explains refusals in ``{"detail": ...}`` (e.g. "Invalid token")."""
    try:
        body = json.loads(error.read(65536).decode("utf-8"))
    except (OSError, ValueError, RecursionError):  # whatever the server sent, no detail
        return ""
    detail = body.get("detail") if isinstance(body, dict) else None
    return f": {detail}" if isinstance(detail, str) else ""
