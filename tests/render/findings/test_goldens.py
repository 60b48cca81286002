"""Every file under tests/golden/<format>/ belongs to a test: no forgotten goldens."""

from __future__ import annotations

from tests.render.findings.conftest import GOLDEN

#: The goldens the reporter tests compare against (``check_golden`` names).
REFERENCED = {
    "sarif/report.sarif",
    "sarif/github-actions.sarif",
    "junit/report.xml",
    "gitlab/report.json",
    "github/report.txt",
    "markdown/report.md",
    "html/report.html",
    "text/report.txt",
    "text/report-all.txt",
    "json/report.json",
}


def test_no_unreferenced_goldens() -> None:
    found = {
        path.relative_to(GOLDEN).as_posix()
        for path in GOLDEN.rglob("*")
        if path.is_file() and path.relative_to(GOLDEN).parts[0] != "input"
    }
    assert found == REFERENCED
