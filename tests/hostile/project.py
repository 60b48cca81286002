"""A small project for hostile-input tests, and running resilint in a subprocess with a timeout.

The subprocess is for what cannot be tested in-process: a run that would hang (a
FIFO), be killed (``kill -9``) or write to a full standard output. Every one has a
timeout, so a regression fails the test instead of hanging the suite.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import IO

from tests.conftest import REPO

#: Long enough for a slow shared machine; a hang is what it catches.
TIMEOUT = 30

POLICY = """\
version: 1
rules:
  two-sites:
    title: Two facilities
    severity: high
    select: {tier: critical}
    spread: {across: facility, min: 2}
"""
MANIFEST = """\
version: 1
domains:
  dc-a: {kind: facility}
  dc-b: {kind: facility}
services:
  auth: {tier: critical, instances: [dc-a]}
  web: {tier: critical, instances: [dc-a, dc-b]}
"""
#: Exit 1 with one failing finding: auth runs in one facility.
FAILING = "m.yaml:6:3: HIGH two-sites: "


def make_project(root: Path) -> Path:
    """``m.yaml`` (one failure) and ``p.yaml`` in ``root``; no config file."""
    (root / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    (root / "p.yaml").write_text(POLICY, encoding="utf-8")
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` (links not followed) and its bytes."""
    files: dict[str, bytes] = {}
    for directory, _, names in os.walk(root):
        for name in names:
            path = Path(directory, name)
            if path.is_file() and not path.is_symlink():
                files[path.relative_to(root).as_posix()] = path.read_bytes()
    return files


def resilint(
    *args: str,
    cwd: Path,
    env: dict[str, str] | None = None,
    stdout: IO[str] | None = None,
    stderr: IO[str] | None = None,
    timeout: float = TIMEOUT,
) -> subprocess.CompletedProcess[str]:
    """``resilint ARGS`` in a child process (this checkout's code); output captured.

    ``stdout`` and ``stderr`` send that stream to a file instead of capturing it.
    """
    full_env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1", **(env or {})}
    full_env.pop("GITHUB_STEP_SUMMARY", None)
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        cwd=cwd,
        env=full_env,
        stdout=stdout if stdout is not None else subprocess.PIPE,
        stderr=stderr if stderr is not None else subprocess.PIPE,
        text=True,
        errors="replace",
        timeout=timeout,
        check=False,
    )
