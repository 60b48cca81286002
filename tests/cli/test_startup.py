"""Start-up: what ``--version`` and ``check`` import, in a fresh interpreter.

bench/run.py times start-up; these tests hold the part of it that does not depend on
the machine, without a clock: ``--version`` imports nothing but the package, and a
check of a valid project loads no module that only other commands, other formats or
invalid inputs need (each of them a measurable share of start-up: jsonschema alone
takes longer to import than the Pangyo example takes to check).
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent.parent
PANGYO = str(REPO / "examples" / "pangyo-2022")

#: Runs ``main(ARGS)`` and prints its exit code and the modules it loaded, as JSON.
_PROBE = """
import json, sys
before = set(sys.modules)
from checker.cli import main
code = main(sys.argv[1:])
sys.stdout.flush()
print("\\n" + json.dumps([code, sorted(set(sys.modules) - before)]))
"""

#: Never needed to check a valid YAML project in the text or json format.
NOT_FOR_A_VALID_CHECK = (
    # Only for schemas that are not plain, and for `schema` checks (checks/schema_plain.py).
    "jsonschema",
    "referencing",
    "rpds",
    "checker.checks.safe_validator",
    # Only for a regex in a policy. (Not difflib: click uses it as soon as an option is
    # short, like -f, to suggest long ones.)
    "re2",
    # The manifest models and the wording of errors explain invalid inputs only.
    "checker.manifest.format",
    "checker.loading.problems",
    "checker.loading.words",
    "checker.cli.failed_run",
    # Waivers, baselines and --diff-base, when the run has none.
    "checker.gate.waivers",
    "checker.gate.baseline",
    "checker.cli.diffbase",
    "subprocess",
    # The html report and its pictures, other formats, other commands.
    "checker.cli.html_report",
    "checker.queries.pictures",
    "checker.render.findings.html",
    "checker.render.svg",
    "checker.render.dot",
    "checker.render.mermaid",
    "checker.render.findings.sarif",
    "checker.render.findings.junit",
    "checker.render.findings.gitlab",
    "checker.render.findings.github",
    "checker.render.findings.markdown",
    "checker.engine.riskgroups",
    "checker.importers",
    "checker.export",
    "checker.cli.what_if",
    "checker.cli.risk_groups",
    "checker.cli.graph",
    # JSON manifests: the Pangyo example is YAML (and TOML for its config).
    "checker.loading.json_source",
)


def _loaded(*args: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert done.returncode == 0, done.stderr
    code, modules = json.loads(done.stdout.splitlines()[-1])
    return code, set(modules)


def test_version_imports_only_the_package() -> None:
    code, modules = _loaded("--version")
    assert code == 0
    assert modules <= {"checker", "checker.cli"}


@pytest.mark.parametrize("output", [[], ["-f", "json"]])
def test_a_valid_check_loads_nothing_it_does_not_use(output: list[str]) -> None:
    code, modules = _loaded("check", PANGYO, *output)
    assert code == 1  # it ran: the example fails, as it should
    assert "checker.evaluate" in modules
    loaded = sorted(
        name
        for name in modules
        if any(name == unused or name.startswith(unused + ".") for unused in NOT_FOR_A_VALID_CHECK)
    )
    assert loaded == []


@pytest.mark.parametrize("name", NOT_FOR_A_VALID_CHECK)
def test_each_module_named_exists(name: str) -> None:
    # A renamed module would make the test above pass without looking.
    assert importlib.util.find_spec(name) is not None
