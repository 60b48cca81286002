"""Manifest options for commands whose positional arguments are ids (``what-if``, ``risk-groups``).

Like ``check``, they read the manifests named on the command line, else the config's
``manifests`` (default: this directory). Their positional arguments are ids, so a
manifest is named with ``-m/--manifest PATH``, or positionally: an argument that is an
existing directory, or an existing file with a manifest suffix, is a manifest path
(``resilint risk-groups payments manifests/``), never an id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from checker.cli.inputs import config_option
from checker.core.model import Model
from checker.loading.files import SUFFIXES

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
        config_option,
    ]
    for decorator in reversed(decorators):
        function = decorator(function)
    return function


def split_paths(arguments: Sequence[str]) -> tuple[list[Path], list[str]]:
    """(manifest paths, ids) among positional arguments: what exists on disk is a path."""
    paths: list[Path] = []
    ids: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if path.is_dir() or (path.is_file() and path.suffix in SUFFIXES):
            paths.append(path)
        else:
            ids.append(argument)
    return paths, ids


def load_model(manifests: Sequence[Path], config_path: Path | None) -> Model:
    from checker.cli.inputs import load_inputs

    return load_inputs(manifests, config_path, (), need_rules=False).model
