"""Every importer reads its inputs as every other input is read: special files refused."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run


@pytest.mark.parametrize("source", ["netbox", "kubernetes", "terraform"])
def test_a_fifo_given_as_input_is_refused_not_opened(
    tmp_path: Path, source: str, run_cli: Callable[..., Run]
) -> None:
    fifo = tmp_path / "inventory.json"
    os.mkfifo(fifo)
    result = run_cli("import", source, str(fifo))
    assert result.code == 2
    assert "is a named pipe (FIFO), not a regular file" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("source", ["netbox", "kubernetes", "terraform"])
def test_an_input_over_the_size_limit_is_refused(
    tmp_path: Path,
    source: str,
    run_cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RESILINT_MAX_FILE_BYTES", "64")
    big = tmp_path / "inventory.json"
    big.write_text("[" + ", ".join(["{}"] * 100) + "]", encoding="utf-8")
    result = run_cli("import", source, str(big))
    assert result.code == 2
    assert "RESILINT_MAX_FILE_BYTES" in result.err
