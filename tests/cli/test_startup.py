"""Start-up: what ``--version`` and ``check`` import, in a fresh interpreter.

bench/run.py times start-up; these tests hold the part of it that does not depend on
the machine, without a clock: ``--version`` imports nothing but the package, a check of
a valid project loads no module that only other commands, other formats or invalid
inputs need (each of them a measurable share of start-up: jsonschema alone takes longer
to import than the Pangyo example takes to check), and it builds no pydantic validator
it does not use.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.checks import CHECKS

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
    # (Python 3.10's platform module, which click imports through uuid, imports it.)
    *(("subprocess",) if sys.version_info >= (3, 11) else ()),
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


#: Runs ``main(ARGS)`` and prints, as JSON, the resilint pydantic models whose validator
#: was built (every model is ``defer_build``: built on first use).
_BUILT_PROBE = """
import json, sys
from pydantic import BaseModel
from checker.cli import main
main(sys.argv[1:])
sys.stdout.flush()
models = {
    f"{value.__module__}.{value.__qualname__}"
    for name, module in list(sys.modules.items()) if name.startswith("checker")
    for value in vars(module).values()
    if isinstance(value, type) and issubclass(value, BaseModel) and value.__pydantic_complete__
}
print("\\n" + json.dumps(sorted(models)))
"""


def test_a_check_builds_only_the_validators_it_uses() -> None:
    # A run validates whole policy files and the config file: the rule, selection and
    # check parameter models are inlined in the policy's validator, so building their
    # own (8 check parameter models and the rule model) would be start-up for nothing.
    done = subprocess.run(
        [sys.executable, "-c", _BUILT_PROBE, "check", PANGYO],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    built = set(json.loads(done.stdout.splitlines()[-1]))
    assert {"checker.config.ConfigFile", "checker.policy.format.PolicyFile"} <= built
    unused = {f"{check.Params.__module__}.Params" for check in CHECKS.values()}
    unused |= {"checker.policy.format.Rule", "checker.policy.format.RuleWords"}
    assert sorted(built & unused) == []


@pytest.mark.parametrize("name", NOT_FOR_A_VALID_CHECK)
def test_each_module_named_exists(name: str) -> None:
    # A renamed module would make the test above pass without looking.
    assert importlib.util.find_spec(name) is not None
