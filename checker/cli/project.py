"""The one loader every command uses: config -> policies -> manifests -> references.

Every command resolves the same config (found from the paths it checks), the same
policies and so the same set of files that are *not* manifests (the config file,
policy files, waivers, baselines and whatever a command is about to write), so
``check``, ``what-if``, ``risk-groups`` and ``graph`` always agree on which files are
manifests (docs/commands.md, "Which files are read").

Every stage runs even when an earlier one found problems, so that one run reports
every input error at once: syntax, schema, references, tiers and config together
(docs/commands.md, "Exit codes and errors").
"""

from __future__ import annotations

import functools
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import click

from checker.config import Config, read_config
from checker.core.errors import InputError, Problem
from checker.core.escape import escape_terminal
from checker.core.findings import Notice
from checker.core.location import Location
from checker.core.model import Model
from checker.loading.discovery import STDIN
from checker.loading.files import display_path, real_path
from checker.loading.globs import is_glob
from checker.manifest.load import ManifestSet, load_manifest_set
from checker.policy.load import BUILTIN_PREFIX, available_packs, read_policies, resolve_policy
from checker.policy.overrides import EVERY_RULE, RuleChoice, choose_rules, settle_rules
from checker.policy.pack_tiers import pack_tier_problems, tier_map, usable
from checker.policy.references import (
    Names,
    add_document_names,
    check_rule_references,
    names_of,
)
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


def config_start(paths: Sequence[Path]) -> Path:
    """Where the config search starts: the deepest folder holding every path checked.

    As ruff does, the config comes from the project being checked, not from wherever
    the command was typed: ``resilint check path/to/infra`` finds
    ``path/to/resilint.toml``. Without paths (or with only ``-``), the working directory.
    """
    folders = []
    for path in paths:
        if path == STDIN:
            continue
        text = str(path)
        if is_glob(text):  # the folder before the first wildcard
            text = str(Path(text[: min(text.index(c) for c in "*?[" if c in text)] + "x").parent)
        folder = Path(os.path.normpath(Path(text or ".").absolute()))
        folders.append(folder if folder.is_dir() else folder.parent)
    if not folders:
        return Path.cwd()
    return Path(os.path.commonpath(folders))


def load_rules(
    config_path: Path | None,
    policies: Sequence[str],
    with_rules: bool = True,
    start: Path | None = None,
    choice: RuleChoice = EVERY_RULE,
) -> Policies:
    """The configured (or ``-p``) policies' rules, with the config's overrides applied.

    Without ``with_rules`` the policy files are only located (a missing one is still an
    error), for commands that need to know which files are policies but not the rules.
    The config is searched from ``start`` (default: the working directory) upwards.
    """
    problems: list[Problem] = []
    found = _rules(config_path, policies, with_rules, start, problems, choice)
    if problems:
        raise InputError(in_order(problems))
    return found


def in_order(problems: Sequence[Problem]) -> list[Problem]:
    """Problems without a place first, then file by file (in the order the files were
    first met: config, policies, manifests), each file's by line and column."""
    files: dict[str, int] = {}
    for problem in problems:
        if problem.location is not None:
            files.setdefault(problem.location.path, len(files))

    def key(problem: Problem) -> tuple[int, int, int]:
        where = problem.location
        if where is None:
            return -1, 0, 0
        return files[where.path], where.line, where.column

    return sorted(problems, key=key)


def _config(config_path: Path | None, start: Path | None, problems: list[Problem]) -> Config:
    if config_path is not None and not os.path.lexists(config_path):
        problems.append(Problem(f"config file not found: {config_path}"))
        return Config()
    config, found = read_config(config_path, start)
    problems.extend(found)
    return config


def _rules(
    config_path: Path | None,
    policies: Sequence[str],
    with_rules: bool,
    start: Path | None,
    problems: list[Problem],
    choice: RuleChoice = EVERY_RULE,
) -> Policies:
    config = _config(config_path, start, problems)
    # Mistakes in the config's rule lists are config problems: reported with the others.
    config_problems = len(problems)
    values = config.values
    wheres: list[Location | None]
    if policies:
        refs, base, wheres = list(policies), Path.cwd(), [None] * len(policies)
    else:
        refs, base = values.policies, config.base
        wheres = [config.where("policies", index) for index in range(len(refs))]
    files = set()
    for ref, where in zip(refs, wheres, strict=True):
        if ref.startswith(BUILTIN_PREFIX) and with_rules:
            continue
        try:
            files.add(real_path(resolve_policy(ref, base, where)[0]))
        except InputError as error:
            if not with_rules:  # else reading the policies reports it
                problems.extend(error.problems)
    if not with_rules:
        return Policies(config, (), frozenset(files))
    pack_tiers = tier_map(values.pack_tiers)
    problems.extend(pack_tier_problems(pack_tiers, values.tiers, config.where))
    pack_tiers = usable(pack_tiers, values.tiers)
    rules, found, written = read_policies(refs, base, tuple(values.tiers), wheres, pack_tiers)
    problems.extend(found)
    rules, unknown = settle_rules(
        rules, values.severity, values.enable, values.disable, config.where, written
    )
    problems[config_problems:config_problems] = unknown
    rules, unmatched = choose_rules(rules, choice)
    problems[:0] = unmatched  # the command line first: it has no file
    return Policies(config, tuple(rules), frozenset(files))


def load_project(
    paths: Sequence[Path],
    config_path: Path | None,
    policies: Sequence[str] = (),
    side_files: Sequence[Path] = (),
    with_rules: bool = True,
    outputs: Sequence[Path] = (),
    choice: RuleChoice = EVERY_RULE,
) -> Project:
    """Config, policies, then the manifests in ``paths`` (default: the config's).

    ``side_files`` are other files the command reads (waivers, baselines): never
    manifests, even inside a manifest directory. ``outputs`` (reports) are not manifests
    either, and not inputs: they are about to be written. Commands that only ask about
    the model pass ``with_rules=False``: the policy files are located (and so never
    read as manifests) but not loaded, so a policy naming another tier vocabulary is no
    obstacle. Raises one InputError holding every problem found on the way.
    """
    problems: list[Problem] = []
    found = _rules(config_path, policies, with_rules, config_start(paths), problems, choice)
    config = found.config
    values = config.values
    skip = set(found.files) | {real_path(p) for p in side_files}
    if config.source is not None:
        skip.add(real_path(config.source))
    for optional in (values.waivers, values.baseline):
        if optional:
            skip.add(real_path(config.resolve(optional)))
    formats = [values.format] if isinstance(values.format, str) else values.format or []
    written = {real_path(Path(t)) for t in (f.partition("=")[2] for f in formats) if t}
    written.update(real_path(p) for p in outputs)
    manifest_paths = list(paths) if paths else config.manifest_paths
    manifests = load_manifest_set(
        manifest_paths, tuple(values.tiers), frozenset(skip | written), config.selection
    )
    problems.extend(manifests.problems)
    model = manifests.model
    notices: list[Notice] = []
    if with_rules and not manifests.unreadable:
        checked = check_rule_references(found.rules, _names(manifests))
        problems.extend(checked.problems)
        notices = checked.notices
    if problems:
        raise InputError(in_order(problems))
    read = frozenset({*skip, *(real_path(Path(f)) for f in model.files)})
    return Project(config, found.rules, model, read, tuple(notices), manifests.skipped)


def _names(manifests: ManifestSet) -> Names:
    names = names_of(manifests.model)
    for data in manifests.invalid:
        add_document_names(names, data)
    return names


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
    mapping = usable(tier_map(config.values.pack_tiers), tiers)
    found: list[Rule] = []
    for pack in available_packs():
        rules, problems, _ = read_policies(
            [f"{BUILTIN_PREFIX}{pack}"], Path.cwd(), tiers, pack_tiers=mapping
        )
        if not problems:  # e.g. it names a tier this project does not configure
            found.extend(rules)
    return found
