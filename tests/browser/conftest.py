"""A real browser for the html report and the SVG pictures (docs/report.md).

Chromium from the system's packages (Debian: ``apt-get install chromium``), driven by
Playwright's Python package launching it by path: nothing is downloaded. Under CI
(``CI=true``, which ``.ci/run`` sets) a missing browser fails these tests, so a skip
can never pass for a check; elsewhere they skip and say why.
"""

from __future__ import annotations

import base64
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


def chromium_path() -> str | None:
    configured = os.environ.get("RESILINT_CHROMIUM")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _unavailable(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason}: the browser tests must run in CI (.ci/run installs chromium)")
    pytest.skip(reason)


# Closed with the package's last test: Playwright's event loop runs in threads, and a
# process with threads must not fork (tests/cli/test_split.py forks for real).
@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    executable = chromium_path()
    if executable is None:
        _unavailable("no chromium on PATH (apt-get install chromium)")
    with sync_playwright() as driver:
        # No GPU in containers: without this, screenshots of large pages can stall.
        launched = driver.chromium.launch(executable_path=executable, args=["--disable-gpu"])
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Watched:
    """A page with every console message, page error and request it caused."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Any]:
    pages: list[Any] = []

    def open_file(path: Path, width: int = 1400, height: int = 1000) -> Watched:
        page = browser.new_page(viewport={"width": width, "height": height})
        pages.append(page)
        watched = Watched(page)
        page.on(
            "console",
            lambda m: (
                watched.errors.append(f"{m.type}: {m.text}")
                if m.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda e: watched.errors.append(f"pageerror: {e}"))
        page.on("request", lambda r: watched.requests.append(r.url))
        page.goto(path.resolve().as_uri())
        return watched

    yield open_file
    for page in pages:
        page.close()


def distinct_colours(browser: Any, png: bytes) -> int:
    """How many colours a screenshot holds (a blank page has one), decoded by the browser."""
    page = browser.new_page()
    try:
        page.set_content("<canvas id=c></canvas>")
        data_url = "data:image/png;base64," + base64.b64encode(png).decode()
        count: int = page.evaluate(
            """async (url) => {
                const image = new Image();
                image.src = url;
                await image.decode();
                const canvas = document.getElementById("c");
                canvas.width = image.width; canvas.height = image.height;
                const context = canvas.getContext("2d");
                context.drawImage(image, 0, 0);
                const pixels = context.getImageData(0, 0, image.width, image.height).data;
                const seen = new Set();
                for (let i = 0; i < pixels.length; i += 4) {
                    seen.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
                }
                return seen.size;
            }""",
            data_url,
        )
        return count
    finally:
        page.close()
