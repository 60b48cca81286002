"""docs/contributing.md's worked example, followed literally: one module, one registry line."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GUIDE = (REPO / "docs" / "contributing.md").read_text(encoding="utf-8")

CHECK_USED = """
from pathlib import Path
from checker.checks import CHECKS
from checker.evaluate import evaluate
from checker.export import checkdocs, jsonschema
from checker.manifest.load import model_from_data
from checker.policy.load import load_policies

assert "min_replicas" in CHECKS
policy = Path("policy.yaml")
policy.write_text(
    "version: 1\\nrules:\\n  three:\\n    title: t\\n    severity: high\\n"
    "    min_replicas: {min: 3}\\n  default:\\n    title: t\\n    severity: low\\n"
    "    min_replicas:\\n"
)
rules = load_policies([str(policy)], Path.cwd())
model = model_from_data({"version": 1, "domains": {"d": {"kind": "rack"}},
    "services": {"a": {"tier": "high", "instances": [{"at": "d", "count": 2}]}}})
for f in evaluate(model, rules).findings:
    print(f.rule, f.entity, f.status, f.message)
print("schema:", '"min_replicas"' in jsonschema.render("policy"))
print("docs:", "## `min_replicas`" in checkdocs.render())
"""


def _block(after: str) -> str:
    """The first fenced Python block after the heading ``after``."""
    match = re.search(re.escape(after) + r".*?```python\n(.*?)```", GUIDE, re.S)
    assert match, f"no python block after {after!r} in docs/contributing.md"
    return match.group(1)


def test_the_worked_example_adds_a_check_with_one_module_and_one_line(tmp_path: Path) -> None:
    shutil.copytree(REPO / "checker", tmp_path / "checker")
    shutil.copytree(REPO / "policies", tmp_path / "policies")
    (tmp_path / "checker" / "checks" / "min_replicas.py").write_text(
        _block("### 1. The module"), encoding="utf-8"
    )
    registry = tmp_path / "checker" / "checks" / "__init__.py"
    text = registry.read_text(encoding="utf-8")
    # The one registry line (and the module's name in the import list above it).
    text = text.replace("    json_schema,\n)", "    json_schema,\n    min_replicas,\n)")
    text = text.replace(
        "    json_schema,\n    recovery,", "    json_schema,\n    min_replicas,\n    recovery,"
    )
    registry.write_text(text, encoding="utf-8")
    for package in ("tests", "tests/checks"):
        (tmp_path / package).mkdir(exist_ok=True)
        (tmp_path / package / "__init__.py").write_text("", encoding="utf-8")
    shutil.copy(REPO / "tests/checks/helpers.py", tmp_path / "tests/checks/helpers.py")
    (tmp_path / "tests/checks/test_min_replicas.py").write_text(
        _block("### 4. Tests"), encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    used = subprocess.run(
        [sys.executable, "-c", CHECK_USED],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert used.returncode == 0, used.stderr
    assert sorted(used.stdout.splitlines()) == [
        "default a pass service a runs 2 replicas (needs 2)",
        "docs: True",
        "schema: True",
        "three a fail service a runs 2 replicas (needs 3)",
    ]
    tested = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/checks"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert tested.returncode == 0, tested.stdout + tested.stderr
    assert "1 passed" in tested.stdout
