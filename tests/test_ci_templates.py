"""The GitHub Action and the GitLab template: valid against their published schemas, and
their scripts do what docs/ci.md says when run on the Pangyo example."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft7Validator

from tests.conftest import REPO

SCHEMAS = REPO / "tests" / "schemas" / "schemastore"
ACTION = REPO / "action.yml"
GITLAB = REPO / "templates" / "resilint.gitlab-ci.yml"


def load_yaml(text: str) -> Any:
    data = yaml.safe_load(text)
    if isinstance(data, dict) and True in data:
        data["on"] = data.pop(True)  # YAML 1.1 reads a workflow's `on:` key as a boolean
    return data


def errors(schema_name: str, document: Any) -> list[str]:
    schema = json.loads((SCHEMAS / schema_name).read_text(encoding="utf-8"))
    validator = Draft7Validator(schema)
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document)]


def docs_block(first_line: str, holding: str) -> str:
    """The yaml example of docs/ci.md that starts with ``first_line`` and holds ``holding``."""
    text = (REPO / "docs" / "ci.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.S)
    found = [b for b in blocks if b.startswith(first_line + "\n") and holding in b]
    assert len(found) == 1, f"no single yaml block in docs/ci.md like {first_line}"
    return str(found[0])


def test_action_validates_against_the_published_schema() -> None:
    action = load_yaml(ACTION.read_text(encoding="utf-8"))
    assert errors("github-actions.json", action) == []
    assert action["runs"]["using"] == "composite"


def test_every_input_the_action_uses_is_declared_and_used() -> None:
    text = ACTION.read_text(encoding="utf-8")
    declared = set(load_yaml(text)["inputs"])
    used = set(re.findall(r"inputs\.([a-z-]+)", text))
    assert used == declared


def test_the_workflow_in_the_docs_validates_and_uses_real_inputs() -> None:
    workflow = load_yaml(docs_block("# .github/workflows/resilint.yml", "uses: resilint/resilint@"))
    assert errors("github-workflows.json", workflow) == []
    step = next(
        s
        for s in workflow["jobs"]["resilint"]["steps"]
        if "resilint/resilint@" in s.get("uses", "")
    )
    assert set(step["with"]) <= set(load_yaml(ACTION.read_text(encoding="utf-8"))["inputs"])


def test_gitlab_template_and_its_docs_example_validate() -> None:
    template = load_yaml(GITLAB.read_text(encoding="utf-8"))
    assert errors("gitlab-ci.json", template) == []
    assert template["resilint"] == {"extends": ".resilint"}
    example = load_yaml(docs_block("# .gitlab-ci.yml", "include:"))
    assert errors("gitlab-ci.json", example) == []
    assert set(example["resilint"]["variables"]) - {"GIT_DEPTH"} <= set(
        template[".resilint"]["variables"]
    )


def run_bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    environment = {"PATH": path, "HOME": str(cwd), **env}
    return subprocess.run(
        [bash, "-c", script], cwd=cwd, env=environment, capture_output=True, text=True, check=False
    )


@pytest.fixture
def pangyo(tmp_path: Path) -> Path:
    target = tmp_path / "repo"
    shutil.copytree(REPO / "examples" / "pangyo-2022", target)
    return target


def action_step(step_id: str) -> dict[str, Any]:
    steps = load_yaml(ACTION.read_text(encoding="utf-8"))["runs"]["steps"]
    step: dict[str, Any] = next(
        s for s in steps if s.get("id") == step_id or s.get("name") == step_id
    )
    return step


def test_the_actions_check_step_annotates_summarises_and_defers_the_gate(
    pangyo: Path, tmp_path: Path
) -> None:
    runner = tmp_path / "runner"
    runner.mkdir()
    outputs, summary = runner / "output", runner / "summary.md"
    env = {
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(outputs),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_ACTIONS": "true",
        "INPUT_PATHS": ".",
        "INPUT_POLICIES": "builtin:baseline",
        "INPUT_CONFIG": "",
        "INPUT_FAIL_ON": "high",
        "INPUT_FORMATS": "junit=out/resilint.xml",
        "INPUT_HTML_REPORT": "resilint-report.html",
        "INPUT_DIFF_BASE": "",
    }
    done = run_bash(action_step("check")["run"], pangyo, env)
    assert done.returncode == 0, done.stderr  # the gate waits for the last step
    assert (
        outputs.read_text(encoding="utf-8")
        == f"exit-code=1\nsarif-file={runner / 'resilint.sarif'}\n"
    )
    annotations = [line for line in done.stdout.splitlines() if line.startswith("::")]
    assert len([a for a in annotations if a.startswith("::error ")]) == 12  # critical and high
    assert len([a for a in annotations if a.startswith("::warning ")]) == 4  # medium, below fail_on
    sarif = json.loads((runner / "resilint.sarif").read_text(encoding="utf-8"))
    assert len(sarif["runs"][0]["results"]) == 16
    assert summary.read_text(encoding="utf-8").startswith(
        "## resilint\n\nResult: **failed**: 12 findings"
    )
    assert (pangyo / "out" / "resilint.xml").is_file()
    assert "<title>resilint report: failed</title>" in (pangyo / "resilint-report.html").read_text(
        encoding="utf-8"
    )
    gate = run_bash(action_step("Gate")["run"], pangyo, {"CODE": "1"})
    assert gate.returncode == 1


def test_the_actions_inputs_cannot_inject_commands(pangyo: Path, tmp_path: Path) -> None:
    runner = tmp_path / "runner"
    runner.mkdir()
    env = {
        "RUNNER_TEMP": str(runner),
        "GITHUB_OUTPUT": str(runner / "output"),
        "INPUT_PATHS": "$(touch pwned) ;touch pwned2",
        "INPUT_POLICIES": "",
        "INPUT_CONFIG": "",
        "INPUT_FAIL_ON": "",
        "INPUT_FORMATS": "",
        "INPUT_HTML_REPORT": "",
        "INPUT_DIFF_BASE": "",
    }
    done = run_bash(action_step("check")["run"], pangyo, env)
    assert done.returncode == 0
    assert (runner / "output").read_text(encoding="utf-8").startswith("exit-code=2\n")
    assert not (pangyo / "pwned").exists() and not (pangyo / "pwned2").exists()


def test_the_gitlab_templates_script_writes_every_report(pangyo: Path) -> None:
    job = load_yaml(GITLAB.read_text(encoding="utf-8"))[".resilint"]
    variables = {key: str(value) for key, value in job["variables"].items()}
    variables.update({"RESILINT_FAIL_ON": "critical", "RESILINT_POLICIES": "builtin:baseline"})
    install, script = job["script"]
    assert install == 'python -m pip install --quiet "$RESILINT_INSTALL"'
    done = run_bash("set -e\n" + script, pangyo, variables)
    assert done.returncode == 1, done.stderr
    assert done.stdout.splitlines()[-2:] == [
        "16 failed (5 critical, 7 high, 4 medium), 27 passed, 0 waived (7 rules); "
        "5 at or above fail_on=critical",
        "checked 2 manifest files; config: resilint.toml",
    ]
    for artifact in (*job["artifacts"]["paths"], *job["artifacts"]["reports"].values()):
        assert (pangyo / artifact).is_file(), artifact
    quality = json.loads((pangyo / "gl-code-quality-report.json").read_text(encoding="utf-8"))
    assert len(quality) == 16
