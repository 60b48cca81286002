"""The one loader every command uses: config -> policies -> manifests (docs/commands.md).

Every command resolves the same config, the same policies and so the same set of
files that are *not* manifests (the config file, policy files, waivers, baselines and
whatever a command is about to write), so ``check``, ``what-if``, ``risk-groups`` and
``graph`` always agree on which files are manifests.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from checker.config import Config, load_config
from checker.core.errors import ConfigError, PolicyError
from checker.core.escape import escape_terminal
from checker.core.findings import Notice
from checker.core.location import Location
from checker.core.model import Model
from checker.loading.files import display_path
from checker.manifest.load import load_manifest_set
from checker.policy.load import BUILTIN_PREFIX, available_packs, load_policies, resolve_policy
from checker.policy.overrides import apply_rule_settings
from checker.policy.references import check_rule_references, names_of
from checker.policy.rule import Rule


@dataclass(frozen=True)
class Policies:
    """The rules in effect and the policy files they came from."""

    config: Config
    rules: tuple[Rule, ...]
    files: frozenset[Path]


@dataclass(frozen=True)
class Project:
    config: Config
    rules: tuple[Rule, ...]
    model: Model
    #: Every file resilint reads for this project: never to be written to.
    read_paths: frozenset[Path]
    #: Rules about kinds no domain has (docs/policy.md, "Notices").
    notices: tuple[Notice, ...] = ()
    #: Files met while looking for manifests that are not manifests: ``(path, why)``.
    skipped: tuple[tuple[str, str], ...] = ()


def load_config_for(config_path: Path | None) -> Config:
    if config_path is not None and not config_path.exists():  # a FIFO: refused when read
        raise ConfigError(f"config file not found: {config_path}", Location(str(config_path)))
    return load_config(config_path)


def load_rules(
    config_path: Path | None, policies: Sequence[str], with_rules: bool = True
) -> Policies:
    """The configured (or ``-p``) policies' rules, with the config's overrides applied.

    Without ``with_rules`` the policy files are only located (a missing one is still an
    error), for commands that need to know which files are policies but not the rules.
    """
    config = load_config_for(config_path)
    values = config.values
    refs, base = (list(policies), Path.cwd()) if policies else (values.policies, config.base)
    files = frozenset(
        resolve_policy(ref, base)[0].resolve() for ref in refs if not ref.startswith(BUILTIN_PREFIX)
    )
    if not with_rules:
        return Policies(config, (), files)
    rules = load_policies(refs, base, tuple(values.tiers))
    where = Location(display_path(config.source)) if config.source else None
    rules = apply_rule_settings(rules, values.severity, values.enable, values.disable, where)
    return Policies(config, tuple(rules), files)


def load_project(
    paths: Sequence[Path],
    config_path: Path | None,
    policies: Sequence[str] = (),
    side_files: Sequence[Path] = (),
    with_rules: bool = True,
    outputs: Sequence[Path] = (),
) -> Project:
    """Config, policies, then the manifests in ``paths`` (default: the config's).

    ``side_files`` are other files the command reads or writes (waivers, baselines):
    never manifests, even inside a manifest directory. ``outputs`` (reports) are not
    manifests either, and not inputs: they are about to be written. Commands that only ask about the
    model pass ``with_rules=False``: the policy files are located (and so never read as
    manifests) but not loaded, so a policy naming another tier vocabulary is no obstacle.
    """
    found = load_rules(config_path, policies, with_rules)
    config = found.config
    values = config.values
    skip = set(found.files) | {p.resolve() for p in side_files}
    if config.source is not None:
        skip.add(config.source.resolve())
    for optional in (values.waivers, values.baseline):
        if optional:
            skip.add(config.resolve(optional).resolve())
    formats = [values.format] if isinstance(values.format, str) else values.format or []
    written = {Path(t).resolve() for t in (f.partition("=")[2] for f in formats) if t}
    written.update(p.resolve() for p in outputs)
    manifest_paths = list(paths) if paths else config.manifest_paths
    found_set = load_manifest_set(
        manifest_paths, tuple(values.tiers), frozenset(skip | written), config.selection
    )
    model = found_set.model
    read = frozenset({*skip, *(Path(f).resolve() for f in model.files)})
    checked = check_rule_references(found.rules, names_of(model))
    if checked.problems:
        raise PolicyError(checked.problems)
    return Project(config, found.rules, model, read, tuple(checked.notices), found_set.skipped)


def config_words(config: Config) -> str:
    """``config: resilint.toml`` or ``no config`` (the defaults), for summaries."""
    return f"config: {display_path(config.source)}" if config.source else "no config"


def list_files(project: Project) -> None:
    """``-v``: the config in effect, then each file read and each file skipped, on stderr."""
    say = functools.partial(click.echo, err=True)
    say(f"resilint: {config_words(project.config)}")
    for shown in project.model.files:
        say(f"resilint: read {escape_terminal(shown)}")
    for shown, why in project.skipped:
        say(f"resilint: skipped {escape_terminal(shown)}: {why}")


def builtin_rules(config: Config) -> list[Rule]:
    """Every rule of every built-in pack that loads under the configured tiers."""
    tiers = tuple(config.values.tiers)
    found: list[Rule] = []
    for pack in available_packs():
        try:
            found.extend(load_policies([f"{BUILTIN_PREFIX}{pack}"], Path.cwd(), tiers))
        except PolicyError:
            continue  # e.g. it names a tier this project does not configure
    return found
