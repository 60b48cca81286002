"""docs/policy.md's custom policy, end to end, run exactly as the page shows it.

Each ``yaml``/``toml`` block whose first line is ``# FILE`` is written to FILE; each
``console`` block's ``$ resilint ...`` lines are run in order, and what they print
(standard output, then standard error) must be the lines that follow them.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable
from pathlib import Path

from tests.conftest import REPO, Run

BLOCK = re.compile(r"```(\w+)\n(.*?)```", re.S)


def section(page: str, title: str) -> str:
    text = (REPO / "docs" / page).read_text(encoding="utf-8")
    start = text.index(f"\n## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def run_section(text: str, root: Path, run_cli: Callable[..., Run]) -> int:
    """Write the files and run the commands of ``text`` in ``root``; the commands run."""
    ran = 0
    for language, body in BLOCK.findall(text):
        if language in ("yaml", "toml"):
            name = body.splitlines()[0].removeprefix("# ")
            (root / name).write_text(body, encoding="utf-8")
            continue
        if language != "console":
            continue
        commands: list[tuple[list[str], list[str]]] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                commands.append((shlex.split(line[2:]), []))
            elif commands:
                commands[-1][1].append(line)
        for words, expected in commands:
            assert words[0] == "resilint"
            result = run_cli(*words[1:])
            assert (result.out + result.err).splitlines() == expected, words
            ran += 1
    return ran


def test_the_custom_policy_example_runs_as_written(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    text = section("policy.md", "A custom policy, end to end")
    assert run_section(text, in_tmp, run_cli) == 4
