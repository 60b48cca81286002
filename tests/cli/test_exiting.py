"""``exiting``: a command's large values outlive it only when the process ends right after."""

from __future__ import annotations

import gc
import weakref

import pytest

from checker.cli import exiting


class Large:
    """Stands for a model or a result: anything a command leaves behind."""


def test_values_are_freed_as_usual_when_main_is_called() -> None:
    value = Large()
    alive = weakref.ref(value)
    exiting.leave_for_exit(value)
    del value
    gc.collect()
    assert alive() is None


def test_values_are_kept_for_the_exit_when_run_ends_the_process(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(exiting, "_kept", [])
    monkeypatch.setattr(exiting, "_exit_follows", False)
    exiting.exit_follows()
    value = Large()
    alive = weakref.ref(value)
    exiting.leave_for_exit(value)
    del value
    gc.collect()
    assert alive() is not None
