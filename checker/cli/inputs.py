"""Options shared by the commands that read a manifest set, and loading what they name."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import click

from checker.config import Config, load_config
from checker.core.errors import ConfigError
from checker.core.location import Location
from checker.core.model import Model
from checker.loading.files import display_path, real_path
from checker.policy.rule import Rule

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


def format_option(formats: Sequence[str], default: str = "text") -> Callable[[F], F]:
    """``-f/--format`` for the commands that print one format to standard output."""
    return click.option(
        "-f",
        "--format",
        "output_format",
        type=click.Choice(formats),
        default=default,
        show_default=True,
        help="Output format.",
    )


def policy_options(function: F) -> F:
    """``--config FILE`` and ``-p/--policy``, as ``check`` takes them."""
    return config_option(policy_option(function))


def manifest_options(function: F) -> F:
    """PATHS, --config and --policy, as every model-reading command takes them."""
    function = policy_options(function)
    return click.argument("paths", nargs=-1, type=click.Path(path_type=Path))(function)


@dataclass(frozen=True)
class Inputs:
    config: Config
    model: Model
    rules: list[Rule]
    #: Files resilint reads: never to be written to.
    read_paths: frozenset[Path]


def load_config_for(config_path: Path | None) -> Config:
    if config_path is not None and not config_path.is_file():
        raise ConfigError(f"config file not found: {config_path}", Location(str(config_path)))
    return load_config(config_path)


def load_inputs(
    paths: Sequence[Path],
    config_path: Path | None,
    policies: Sequence[str],
    extra_skip: Sequence[Path] = (),
    need_rules: bool = True,
) -> Inputs:
    """Config, then policies, then the manifest set (skipping the files that are not manifests)."""
    from checker.manifest.load import load_manifests
    from checker.policy.load import load_policies, resolve_policy
    from checker.policy.overrides import apply_rule_settings

    config = load_config_for(config_path)
    values = config.values
    tiers = tuple(values.tiers)
    if policies:
        refs, base = list(policies), Path.cwd()
    else:
        refs, base = values.policies, config.base
    skip = {real_path(p) for p in extra_skip}
    if config.source is not None:
        skip.add(real_path(config.source))
    for optional in (values.waivers, values.baseline):
        if optional:
            skip.add(real_path(config.resolve(optional)))
    rules: list[Rule] = []
    if need_rules:
        for ref in refs:
            if not ref.startswith("builtin:"):
                skip.add(real_path(resolve_policy(ref, base)[0]))
        rules = load_policies(refs, base, tiers)
        where = Location(display_path(config.source)) if config.source else None
        rules = apply_rule_settings(rules, values.severity, values.enable, values.disable, where)
    manifest_paths = list(paths) if paths else config.manifest_paths
    model = load_manifests(manifest_paths, tiers, frozenset(skip))
    read = frozenset({*skip, *(real_path(Path(f)) for f in model.files)})
    return Inputs(config, model, rules, read)


def use_color(ctx: click.Context) -> bool:
    import os
    import sys

    root = ctx.find_root().obj or {}
    if root.get("no_color") or os.environ.get("NO_COLOR"):
        return False
    return sys.stdout.isatty()
