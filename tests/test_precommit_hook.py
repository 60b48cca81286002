"""The pre-commit hook, for real: ``pre-commit try-repo`` installs this repository into a
fresh environment and runs the ``resilint`` hook in a temporary git repository that is
configured from ``pyproject.toml``.

try-repo installs from PyPI (the build backend and the dependencies), so it needs the
network; ``PRE_COMMIT_HOME`` is shared by the session so a clean checkout installs once.
It clones this repository at HEAD plus tracked uncommitted changes (untracked files are
not part of it): commit or stage new modules before running this test locally.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parent.parent
EXAMPLES = REPO / "examples"
PYPROJECT = """\
[project]
name = "infra"
version = "0"

[tool.resilint]
manifests = ["infra"]
policies = ["builtin:baseline"]
"""

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def test_the_hook_manifest_is_valid_and_checks_the_whole_set() -> None:
    subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", ".pre-commit-hooks.yaml"],
        cwd=REPO,
        check=True,
    )
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = (h for h in hooks if h["id"] == "resilint")
    assert hook["pass_filenames"] is False
    assert hook["language"] == "python"
    assert hook["entry"].split()[:2] == ["resilint", "check"]
    import re

    files = re.compile(hook["files"])
    for name in ("infra/a.yaml", "b.yml", "pyproject.toml", "policies/p.json", "resilint.toml"):
        assert files.search(name), name
    for name in ("setup.py", "README.md", "yaml.txt"):
        assert not files.search(name), name


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


def _environment(home: Path, tmp: Path) -> dict[str, str]:
    # A clean git: no variables from an enclosing hook, no user config (signing, hooks).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    empty = tmp / "gitconfig"
    empty.write_text("", encoding="utf-8")
    env.update(
        PRE_COMMIT_HOME=str(home),
        GIT_CONFIG_GLOBAL=str(empty),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="resilint tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="resilint tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
    )
    env.pop("NO_COLOR", None)
    return env


def _project(root: Path, example: str, env: dict[str, str]) -> Path:
    """A git repository holding one example's manifests, configured from pyproject.toml."""
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "infra").mkdir()
    for manifest in (EXAMPLES / example).glob("*.yaml"):
        shutil.copy(manifest, root / "infra" / manifest.name)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "infra"]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True)
    return root


def _try_repo(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *(sys.executable, "-m", "pre_commit", "try-repo", str(REPO), "resilint"),
            *("--all-files", "--verbose", "--color", "never"),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def _untracked_sources() -> str:
    listed = subprocess.run(
        ["git", "ls-files", "--others", "--exclude-standard", "checker", "policies"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.split()
    return f"\n(untracked, so not part of try-repo: {listed})" if listed else ""


@needs_git
def test_try_repo_passes_a_healthy_set_and_fails_a_failing_one(
    tmp_path: Path, pre_commit_home: Path
) -> None:
    env = _environment(pre_commit_home, tmp_path)

    healthy = _try_repo(_project(tmp_path / "healthy", "healthy", env), env)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr + _untracked_sources()
    assert "Passed" in healthy.stdout
    assert "0 failed, " in healthy.stdout

    failing = _try_repo(_project(tmp_path / "pangyo", "pangyo-2022", env), env)
    assert failing.returncode == 1, failing.stdout + failing.stderr + _untracked_sources()
    assert "Failed" in failing.stdout
    assert "exit code: 1" in failing.stdout  # findings, not a crash (3) or bad input (2)
    assert (
        "CRITICAL facility-loss-not-survived: service kakaotalk does not survive the loss of"
    ) in failing.stdout
    assert "infra/services.yaml:" in failing.stdout
