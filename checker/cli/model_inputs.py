"""Options for commands whose positional arguments are ids (``what-if``, ``risk-groups``).

Their PATHS cannot be positional, so manifests come from ``-m/--manifest`` (repeatable)
or, as for ``check``, from the configuration (``manifests``, default: this directory).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from checker.model import Model

F = TypeVar("F", bound=Callable[..., Any])


def model_options(function: F) -> F:
    """``-m/--manifest PATH`` (repeatable) and ``--config FILE``."""
    decorators = [
        click.option(
            "-m",
            "--manifest",
            "manifests",
            multiple=True,
            type=click.Path(path_type=Path),
            metavar="PATH",
            help="Manifest file or directory (repeatable; default: `manifests` from the "
            "config, else the current directory).",
        ),
        click.option(
            "--config",
            "config_path",
            type=click.Path(path_type=Path, dir_okay=False),
            help="Config file to use instead of searching for one.",
        ),
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def load_model(manifests: Sequence[Path], config_path: Path | None) -> Model:
    from checker.cli.inputs import load_inputs

    return load_inputs(manifests, config_path, (), need_rules=False).model
