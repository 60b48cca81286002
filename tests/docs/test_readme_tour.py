"""The README tour works when followed literally, in a copy of the repository."""

from __future__ import annotations

import os
import re
import shlex
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import REPO, Run


def _commands(title: str) -> list[list[str]]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index(f"### {title}\n")
    block = re.search(r"```console\n(.*?)```", text[start:], re.S)
    assert block is not None
    lines = [line[2:].split("  #")[0] for line in block[1].splitlines() if line.startswith("$ ")]
    return [shlex.split(part) for line in lines for part in line.split(" && ")]


def test_beyond_pass_fail_runs_as_written(
    tmp_path: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    ran = []
    for words in _commands("Beyond pass/fail"):
        if words[0] == "cd":
            os.chdir(words[1])
        elif words[0] == "mkdir":
            Path(words[1]).mkdir()
        else:
            assert words[0] == "resilint"
            result = run_cli(*words[1:])
            assert (result.code, result.err) == (0, ""), words
            ran.append(words[1])
    assert ran == ["what-if", "risk-groups", "explain", "rules", "graph", "schema", "init", "check"]


def test_the_output_section_shows_what_check_prints(
    run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    text = (REPO / "README.md").read_text(encoding="utf-8")
    block = re.search(r"### The output\n\n```console\n\$ (.*?)\n(.*?)```", text, re.S)
    assert block is not None
    result = run_cli(*shlex.split(block[1])[1:])
    shown = [line for line in block[2].splitlines() if line != "..."]
    printed = result.out.splitlines()
    assert all(line in printed for line in shown)
    assert printed[-2:] == shown[-2:]
