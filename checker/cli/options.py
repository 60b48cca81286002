"""Every option more than one command takes, defined once; and how answers are printed."""

from __future__ import annotations

import importlib
import os
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import click

from checker.loading.files import SUFFIXES

F = TypeVar("F", bound=Callable[..., Any])

config_option = click.option(
    "--config",
    "config_path",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Config file to use instead of searching for one "
    "([tool.resilint] in pyproject.toml, resilint.toml or .resilint.toml).",
)
policy_option = click.option(
    "-p",
    "--policy",
    "policies",
    multiple=True,
    metavar="PATH|builtin:NAME",
    help="Policy file or built-in pack (repeatable; replaces the configured policies).",
)
manifest_option = click.option(
    "-m",
    "--manifest",
    "manifests",
    multiple=True,
    type=click.Path(path_type=Path),
    metavar="PATH",
    help="Manifest file or directory (repeatable; default: `manifests` from the "
    "config, else the current directory).",
)
paths_argument = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
verbose_option = click.option(
    "-v",
    "--verbose",
    is_flag=True,
    help="Say which config was used and list every file read (and every file skipped, "
    "with why) on standard error.",
)


def format_option(formats: Iterable[str], default: str = "text") -> Callable[[F], F]:
    """``-f/--format`` for the commands that print one format to standard output."""
    return click.option(
        "-f",
        "--format",
        "output_format",
        type=click.Choice(list(formats), case_sensitive=False),
        default=default,
        show_default=True,
        help="Output format.",
    )


def rule_choice_options(function: F) -> F:
    """``--rule ID`` and ``--skip-rule ID`` (repeatable, globs), as Checkov's --check."""
    only = click.option(
        "--rule",
        "rules_only",
        multiple=True,
        metavar="ID",
        help="Run only this rule (id, alias or glob; repeatable), even one the config disables.",
    )
    skip = click.option(
        "--skip-rule",
        "rules_skipped",
        multiple=True,
        metavar="ID",
        help="Do not run this rule (id, alias or glob; repeatable).",
    )
    return only(skip(function))


def policy_options(function: F) -> F:
    """``--config FILE`` and ``-p/--policy``: what decides the rules."""
    return config_option(policy_option(function))


def project_options(function: F) -> F:
    """PATHS, ``--config``, ``-p`` and ``-v``: a whole project, as ``check`` and ``graph``
    take it."""
    return paths_argument(policy_options(verbose_option(function)))


def model_options(function: F) -> F:
    """``-m PATH``, ``--config``, ``-p`` and ``-v``, for commands whose arguments are ids."""
    return manifest_option(policy_options(verbose_option(function)))


def split_paths(arguments: Iterable[str]) -> tuple[list[Path], list[str]]:
    """(manifest paths, ids) among positional arguments: what exists on disk is a path.

    An argument that is an existing directory, or an existing file with a manifest
    suffix, is a manifest path (``resilint risk-groups payments manifests/``), never an id;
    ``-`` is standard input.
    """
    paths: list[Path] = []
    ids: list[str] = []
    for argument in arguments:
        path = Path(argument)
        if argument == "-" or path.is_dir() or (path.is_file() and path.suffix in SUFFIXES):
            paths.append(path)
        else:
            ids.append(argument)
    return paths, ids


COLOR_MODES = ("auto", "always", "never")


def _remember_color(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    if value is not None:
        ctx.find_root().ensure_object(dict)["color"] = value.lower()


def color_option() -> click.Option:
    """``--color auto|always|never``: accepted by every command, before or after its name."""
    return click.Option(
        ["--color"],
        type=click.Choice(COLOR_MODES, case_sensitive=False),
        default=None,
        expose_value=False,
        callback=_remember_color,
        help="Colour the output: auto (default: when writing to a terminal, unless NO_COLOR "
        "is set or FORCE_COLOR asks for it), always or never.",
    )


def with_color_option(command: click.Command) -> click.Command:
    """``command`` with ``--color`` among its options (once)."""
    if not any(param.name == "color" for param in command.params):
        command.params.append(color_option())
    return command


def color_wanted(mode: str, environ: Mapping[str, str], is_terminal: bool) -> bool:
    """Whether to colour: the flag, then NO_COLOR, then FORCE_COLOR, then the terminal.

    NO_COLOR (no-color.org) set to anything but the empty string turns colour off;
    FORCE_COLOR set to anything but "", "0" or "false" turns it on when NO_COLOR is not
    set; ``--color always|never`` overrides both.
    """
    if mode in ("always", "never"):
        return mode == "always"
    if environ.get("NO_COLOR"):
        return False
    if environ.get("FORCE_COLOR", "").lower() not in ("", "0", "false"):
        return True
    return is_terminal


def use_color(ctx: click.Context) -> bool:
    root = ctx.find_root().obj or {}
    mode = root.get("color") or ("never" if root.get("no_color") else "auto")
    return color_wanted(mode, os.environ, sys.stdout.isatty())


def echo_answer(
    formats: Mapping[str, Callable[[Any], Iterable[str]]], name: str, answer: object
) -> int:
    """Print ``answer`` in format ``name`` of a render module's ``FORMATS``, as it comes."""
    for chunk in formats[name](answer):
        click.echo(chunk, nl=False)
    return 0


class LazyGroup(click.Group):
    """A group whose subcommands are named in a registry ("module:attribute") and
    imported on first use, so that start-up only pays for the command that runs."""

    def __init__(self, *args: Any, registry: Mapping[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.registry = registry

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.registry)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.registry.get(cmd_name)
        if target is None:
            return None
        module_name, attribute = target.split(":")
        command = getattr(importlib.import_module(module_name), attribute)
        assert isinstance(command, click.Command)
        return with_color_option(command)
