"""The html report at scale, measured in a real browser (docs/report.md).

Generates a model (bench/generate.py), checks it with bench/policies/report.yaml (about
one failing finding per service, each with a cause chain), writes ``-f html`` and opens
it in the system's Chromium through Playwright (pip install playwright; apt-get install
chromium). Prints the page's size, how long it takes to open, and how long a filter,
a search and a what-if take in the page, up to the next layout.

Usage::

    python bench/report.py [--services 10000] [--domains 2000] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ACTIONS = {
    "filter by severity": "const s = document.getElementById('f-sev'); s.value = '=medium';"
    " s.dispatchEvent(new Event('change'));",
    "free-text search": "const s = document.getElementById('f-q'); s.value = 'r1/f3';"
    " s.dispatchEvent(new Event('input'));",
    "what-if of a region": "const s = document.getElementById('whatif-domain');"
    " s.value = s.options[1].value; s.dispatchEvent(new Event('change'));",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--domains", type=int, default=2_000)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        manifest, report = Path(folder) / "manifest.json", Path(folder) / "report.html"
        subprocess.run(
            [
                sys.executable,
                str(HERE / "generate.py"),
                "--services",
                str(args.services),
                "--domains",
                str(args.domains),
                "--out",
                str(manifest),
            ],
            check=True,
            capture_output=True,
        )
        started = time.perf_counter()
        subprocess.run(
            [
                sys.executable,
                "-m",
                "checker",
                "check",
                str(manifest),
                "-p",
                str(HERE / "policies" / "report.yaml"),
                "-f",
                f"html={report}",
            ],
            check=False,
            capture_output=True,
        )
        written = time.perf_counter() - started
        record: dict[str, object] = {
            "services": args.services,
            "domains": args.domains,
            "check_and_write_seconds": round(written, 2),
            "megabytes": round(report.stat().st_size / 2**20, 2),
        }
        with sync_playwright() as driver:
            browser = driver.chromium.launch(executable_path=args.chromium, args=["--disable-gpu"])
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            started = time.perf_counter()
            page.goto(report.as_uri())
            page.wait_for_selector("#rows tr[data-i]")
            record["open_seconds"] = round(time.perf_counter() - started, 2)
            record["findings"] = page.inner_text("#count")
            for name, action in ACTIONS.items():
                record[name + " ms"] = round(
                    page.evaluate(
                        "() => { const t0 = performance.now(); { " + action + " }"
                        " document.body.offsetHeight; return performance.now() - t0; }"
                    ),
                    1,
                )
            browser.close()
    print(json.dumps(record, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
