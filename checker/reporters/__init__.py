"""Reporters turn a result into text, one module per format, named in a plain registry.

Each module provides ``render(result, options) -> str``. Modules are imported only
when their format is asked for.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

from checker.findings import Result

REPORTERS: dict[str, str] = {
    "text": "checker.reporters.text",
    "json": "checker.reporters.json_report",
}


@dataclass(frozen=True)
class ReportOptions:
    color: bool = False
    show_passing: bool = False
    fail_on: str = "low"
    tool_version: str = ""


def renderer(name: str) -> Callable[[Result, ReportOptions], str]:
    module = importlib.import_module(REPORTERS[name])
    render: Callable[[Result, ReportOptions], str] = module.render
    return render
