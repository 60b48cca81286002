"""Shared fixtures: running the CLI in-process, writing small manifest sets, a checkout of
a shipped example, and what tests of several layers look at (the Pangyo example's model,
a tiny A/B-powered site, the built-in rules).

The tests mirror the layers of ``checker/`` (README.md, "Layout"); the naive failure
oracle is in ``tests/oracle.py`` and the one manifest strategy in ``tests/strategies.py``.
"""

from __future__ import annotations

import functools
import io
import os
import shutil
import textwrap
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from checker.cli import main
from checker.core.model import Model
from checker.manifest.load import load_manifests, model_from_data
from checker.policy.load import available_packs, load_policies
from checker.policy.rule import Rule

REPO = Path(__file__).resolve().parent.parent


@functools.cache
def builtin_rules() -> tuple[Rule, ...]:
    """Every rule of every built-in pack, in pack order (where ``explain`` looks)."""
    return tuple(
        rule for pack in available_packs() for rule in load_policies([f"builtin:{pack}"], REPO)
    )


def builtin_rule(rule_id: str) -> Rule:
    """The built-in rule with this id."""
    (rule,) = (rule for rule in builtin_rules() if rule.id == rule_id)
    return rule


class Run(NamedTuple):
    code: int
    out: str
    err: str


@pytest.fixture
def run_cli() -> Callable[..., Run]:
    """Run ``resilint ARGS`` in-process; returns (exit code, stdout, stderr)."""

    def run(*args: str) -> Run:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(list(args))
        return Run(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, str], Path]:
    """Write ``text`` (dedented) to ``tmp_path / name`` and return the path."""

    def write_file(name: str, text: str) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write_file


@pytest.fixture
def in_tmp(tmp_path: Path) -> Iterator[Path]:
    """Run the test with ``tmp_path`` as working directory (no config found above it)."""
    old = Path.cwd()
    os.chdir(tmp_path)
    try:
        yield tmp_path
    finally:
        os.chdir(old)


@pytest.fixture
def example_checkout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[[str], Path]:
    """Copy ``examples/NAME`` into a fresh checkout and make it the working directory.

    CI reports name files relative to the repository root, which resilint finds by its
    ``.git``. In a copy whose root has one, they read ``examples/NAME/...`` wherever the
    tests run: a git clone, an unpacked sdist (no ``.git``), a worktree (``.git`` file).
    """

    def checkout(name: str) -> Path:
        root = tmp_path / "checkout"
        (root / ".git").mkdir(parents=True, exist_ok=True)
        example = root / "examples" / name
        shutil.copytree(REPO / "examples" / name, example)
        monkeypatch.chdir(example)
        return example

    return checkout


@pytest.fixture(scope="session")
def pangyo() -> Model:
    """The shipped example ``examples/pangyo-2022`` (models are immutable: shared freely)."""
    return load_manifests([REPO / "examples/pangyo-2022"])


#: A facility with two UPSes feeding one hall (A/B power) and a rack in it: small enough
#: for exact diagrams, with a containment box, an ``any_of`` gate and a replica count.
TINY: dict[str, Any] = {
    "version": 1,
    "domains": {
        "dc": {"kind": "facility"},
        "dc/ups-a": {"kind": "ups", "parent": "dc"},
        "dc/ups-b": {"kind": "ups", "parent": "dc"},
        "dc/hall": {
            "kind": "hall",
            "parent": "dc",
            "depends_on": [{"any_of": ["dc/ups-a", "dc/ups-b"]}],
        },
        "dc/hall/r1": {"kind": "rack", "parent": "dc/hall"},
    },
    "services": {
        "db": {"tier": "critical", "instances": [{"at": "dc/hall/r1", "count": 2}]},
        "web": {"tier": "high", "instances": ["dc/hall"], "depends_on": ["db"]},
    },
}


@pytest.fixture(scope="session")
def tiny() -> Model:
    """:data:`TINY` as a model."""
    return model_from_data(TINY)
