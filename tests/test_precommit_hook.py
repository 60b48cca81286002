"""The pre-commit hook, for real: ``pre-commit try-repo`` installs resilint into a fresh
environment and runs the ``resilint`` hook in a temporary git repository that is
configured from ``pyproject.toml``.

try-repo installs from PyPI (the build backend and the dependencies), so it needs the
network; ``PRE_COMMIT_HOME`` is shared by the session so a clean checkout installs once.
It clones a repository: not this one (an unpacked sdist has no ``.git``, and a clone
would leave out uncommitted modules) but a git repository made in a temporary
directory from the working tree's hook sources.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

EXAMPLES = REPO / "examples"
#: What try-repo needs of this repository to install the hook: the hook manifest and
#: what the package is built from (pyproject.toml's wheel target, its readme).
HOOK_SOURCES = (".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "checker", "policies")
PYPROJECT = """\
[project]
name = "infra"
version = "0"

[tool.resilint]
manifests = ["infra"]
policies = ["builtin:baseline"]
"""

needs_git = pytest.mark.skipif(
    shutil.which("git") is None, reason="git is not installed: try-repo clones a git repository"
)


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
    files = re.compile(hook["files"])
    for name in ("infra/a.yaml", "b.yml", "pyproject.toml", "policies/p.json", "resilint.toml"):
        assert files.search(name), name
    for name in ("setup.py", "README.md", "yaml.txt"):
        assert not files.search(name), name


@pytest.fixture(scope="session")
def environment(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    # A clean git: no variables from an enclosing hook, no user config (signing, hooks).
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    empty = tmp_path_factory.mktemp("git-config") / "gitconfig"
    empty.write_text("", encoding="utf-8")
    env.update(
        PRE_COMMIT_HOME=str(tmp_path_factory.mktemp("pre-commit-home")),
        GIT_CONFIG_GLOBAL=str(empty),
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="resilint tests",
        GIT_AUTHOR_EMAIL="tests@example.invalid",
        GIT_COMMITTER_NAME="resilint tests",
        GIT_COMMITTER_EMAIL="tests@example.invalid",
    )
    env.pop("NO_COLOR", None)
    return env


def _commit_all(root: Path, env: dict[str, str], message: str) -> None:
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", message]):
        subprocess.run(["git", *command], cwd=root, env=env, check=True)


@pytest.fixture(scope="session")
def hook_repository(tmp_path_factory: pytest.TempPathFactory, environment: dict[str, str]) -> Path:
    """The working tree's hook sources, committed to a repository of their own."""
    root = tmp_path_factory.mktemp("resilint-hook")
    for name in HOOK_SOURCES:
        source = REPO / name
        if source.is_dir():
            ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
            shutil.copytree(source, root / name, ignore=ignore)
        else:
            shutil.copy2(source, root / name)
    _commit_all(root, environment, "resilint")
    return root


def _project(root: Path, example: str, env: dict[str, str]) -> Path:
    """A git repository holding one example's manifests, configured from pyproject.toml."""
    root.mkdir()
    (root / "pyproject.toml").write_text(PYPROJECT, encoding="utf-8")
    (root / "infra").mkdir()
    for manifest in (EXAMPLES / example).glob("*.yaml"):
        shutil.copy(manifest, root / "infra" / manifest.name)
    _commit_all(root, env, "infra")
    return root


def _try_repo(hook: Path, project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [
            *(sys.executable, "-m", "pre_commit", "try-repo", str(hook), "resilint"),
            *("--all-files", "--verbose", "--color", "never"),
        ],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


@needs_git
def test_try_repo_passes_a_healthy_set_and_fails_a_failing_one(
    tmp_path: Path, environment: dict[str, str], hook_repository: Path
) -> None:
    env = environment
    healthy = _try_repo(hook_repository, _project(tmp_path / "healthy", "healthy", env), env)
    assert healthy.returncode == 0, healthy.stdout + healthy.stderr
    assert "Passed" in healthy.stdout
    assert "0 failed, " in healthy.stdout

    pangyo = _project(tmp_path / "pangyo", "pangyo-2022", env)
    failing = _try_repo(hook_repository, pangyo, env)
    assert failing.returncode == 1, failing.stdout + failing.stderr
    assert "Failed" in failing.stdout
    assert "exit code: 1" in failing.stdout  # findings, not a crash (3) or bad input (2)
    assert (
        "CRITICAL facility-loss-not-survived: service kakaotalk does not survive the loss of"
    ) in failing.stdout
    assert "infra/services.yaml:" in failing.stdout
