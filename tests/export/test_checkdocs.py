"""docs/checks.md is generated from the check registry and committed as generated."""

from __future__ import annotations

from pathlib import Path

from checker.checks import CHECKS
from checker.export.checkdocs import render

REPO = Path(__file__).resolve().parents[2]


def test_the_committed_page_is_the_generated_one() -> None:
    committed = (REPO / "docs" / "checks.md").read_text(encoding="utf-8")
    assert committed == render(), (
        "docs/checks.md is stale: python -m checker.export.checkdocs > docs/checks.md"
    )


def test_every_check_has_a_section_with_its_parameters() -> None:
    page = render()
    for name, check in CHECKS.items():
        section = page.split(f"## `{name}`\n", 1)[1].split("\n## ", 1)[0]
        assert check.SUMMARY.replace("``", "`") in section
        assert "### What it does" in section and "### Parameters" in section
        for parameter in getattr(check.Params, "model_fields", {}):
            if name != "schema":
                assert f"| `{parameter}` |" in section
