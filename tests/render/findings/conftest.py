"""Golden-file fixtures for the CI formats.

The result comes from ``tests/golden/input`` (a manifest set, a policy, a waivers file
and a baseline) judged on a fixed date, with the working directory at the repository
root so paths read ``tests/golden/input/...``. The tool version and the repository root
are fixed placeholders, so the goldens do not change with releases or checkouts.

Regenerate the goldens after an intended change with::

    python -m pytest tests/render/findings --update-golden

(the option is defined here, so name this directory on the command line).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from pathlib import PurePosixPath

import pytest

from checker.cli.project import load_project
from checker.core.findings import Result
from checker.evaluate import evaluate
from checker.gate.baseline import apply_baseline, load_baseline
from checker.gate.waivers import apply_waivers, load_waivers
from checker.queries.pictures import pictures
from checker.render.findings import ReportOptions
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "golden"
INPUT = GOLDEN / "input"
#: The day the goldens are judged on: the first waiver is in force, the second expired.
TODAY = date(2026, 3, 1)
GOLDEN_VERSION = "0.0.0-golden"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        default=False,
        help="Rewrite tests/golden/<format>/ files from the current reporters.",
    )


def golden_result_at(today: date) -> Result:
    """Evaluate the golden input as ``check --config tests/golden/input/resilint.toml`` would."""
    project = load_project([], INPUT / "resilint.toml", [])
    result = evaluate(project.model, project.rules)
    result = apply_waivers(result, load_waivers(INPUT / "waivers.yaml"), today)
    result = apply_baseline(result, load_baseline(INPUT / "baseline.json"))
    return dataclasses.replace(result, config="tests/golden/input/resilint.toml")


@pytest.fixture
def golden_result(monkeypatch: pytest.MonkeyPatch) -> Result:
    monkeypatch.chdir(REPO)
    return golden_result_at(TODAY)


@pytest.fixture
def golden_options() -> ReportOptions:
    root = PurePosixPath("/repo")
    return ReportOptions(
        fail_on="medium", tool_version=GOLDEN_VERSION, repo_root=root, workdir=root
    )


@pytest.fixture
def check_golden(request: pytest.FixtureRequest) -> Callable[[str, str], None]:
    """Compare ``text`` with ``tests/golden/<name>``, or rewrite it with --update-golden."""
    update = bool(request.config.getoption("--update-golden", default=False))

    def check(name: str, text: str) -> None:
        path = GOLDEN / name
        if update:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="")
            return
        assert path.is_file(), f"no golden {name}: run pytest tests/render/findings --update-golden"
        assert text == path.read_text(encoding="utf-8"), (
            f"{name} differs from the golden; if the change is intended, "
            "run: python -m pytest tests/render/findings --update-golden"
        )

    return check


@pytest.fixture
def golden_html_options(
    golden_options: ReportOptions, monkeypatch: pytest.MonkeyPatch
) -> ReportOptions:
    monkeypatch.chdir(REPO)
    project = load_project([], INPUT / "resilint.toml", [])
    return ReportOptions(
        fail_on=golden_options.fail_on,
        tool_version=golden_options.tool_version,
        repo_root=golden_options.repo_root,
        workdir=golden_options.workdir,
        pictures=pictures(project.model),
        config_file="tests/golden/input/resilint.toml",
        policies=("policy.yaml",),
    )
