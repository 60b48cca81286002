"""``check --diff-base REF``: the same check, on the inputs as they are at a git ref.

The manifest, policy and config files of REF (every ``*.yaml``, ``*.yml``, ``*.toml``
and ``*.json`` of its tree, read with ``git ls-tree`` and ``git cat-file``; nothing is
checked out and the work tree is not touched) are written to a temporary folder that
mirrors the repository, and loaded from the matching working directory with the same
command line. The config there is REF's own; when REF has none where the run has one,
the run's config (and any ``-p`` policy file REF lacks) is used, so a change that
adds a config is compared under the same rules. Manifest paths that do not exist at
REF are left out; with none left, REF had nothing to check and every failure is new.
See docs/ci.md.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from checker.cli.project import load_project
from checker.config import find_config, load_config
from checker.core.errors import InputError, Problem, UsageError
from checker.core.findings import Finding
from checker.core.location import Location
from checker.evaluate import evaluate
from checker.loading.files import SUFFIXES
from checker.policy.load import BUILTIN_PREFIX


def findings_at(
    ref: str,
    paths: Sequence[Path],
    config_path: Path | None,
    policies: Sequence[str],
) -> tuple[str, tuple[Finding, ...]]:
    """(REF's commit id, the findings of the same check on the inputs as they are at REF)."""
    if ref.startswith("-"):
        raise UsageError(f"--diff-base takes a git ref, not {ref!r}")
    cwd = Path.cwd().resolve()
    outside = f"--diff-base needs a git repository, and {cwd} is not in one"
    root = Path(_git(["rev-parse", "--show-toplevel"], cwd, outside).strip())
    unknown = f"--diff-base: no commit {ref!r} in this repository (fetched with enough history?)"
    commit = _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], root, unknown).strip()
    with tempfile.TemporaryDirectory(prefix="resilint-diff-base-") as folder:
        tree = Path(folder) / "tree"
        _write_tree(commit, root, tree)
        mirror = _Mirror(root.resolve(), tree)
        here = mirror(cwd)
        here.mkdir(parents=True, exist_ok=True)
        config = _config_at_ref(config_path, mirror, here)
        refs = [_policy_at_ref(p, mirror) for p in policies]
        given = [mirror(p) for p in paths]
        with _working_directory(here):
            found = _evaluate(given, config, refs, mirror, ref, cwd)
    return commit, tuple(_relocated(f, mirror, cwd) for f in found)


class _Mirror:
    """Maps a path of the work tree to the same path in REF's tree (outside: unchanged)."""

    def __init__(self, root: Path, tree: Path) -> None:
        self.root = root
        self.tree = tree

    def __call__(self, path: Path) -> Path:
        absolute = path if path.is_absolute() else Path.cwd() / path
        absolute = Path(os.path.normpath(absolute))
        try:
            return self.tree / absolute.relative_to(self.root)
        except ValueError:
            return absolute

    def inside(self, path: Path) -> bool:
        """Whether ``path`` (of the work tree) lies in the repository."""
        return self(path).is_relative_to(self.tree)

    def back(self, path: Path) -> Path:
        """A path of REF's tree as the same path of the work tree."""
        try:
            return self.root / path.relative_to(self.tree)
        except ValueError:
            return path


def _git(arguments: list[str], cwd: Path, failure: str) -> str:
    try:
        done = subprocess.run(["git", *arguments], cwd=cwd, capture_output=True, check=False)
    except FileNotFoundError:
        raise UsageError("--diff-base needs git, and git is not installed") from None
    if done.returncode != 0:
        raise UsageError(failure)
    return done.stdout.decode(errors="replace")


def _write_tree(commit: str, root: Path, tree: Path) -> None:
    """Every file of ``commit`` that resilint could read, under ``tree``."""
    listing = _git(["ls-tree", "-r", "-z", "--full-tree", commit], root, f"cannot list {commit}")
    wanted: list[tuple[str, str]] = []
    for entry in listing.split("\0"):
        if not entry:
            continue
        meta, _, name = entry.partition("\t")
        mode, kind, blob = meta.split()
        # Regular files only: no symlinks (they could point anywhere), no submodules.
        if kind == "blob" and mode in ("100644", "100755") and name.endswith(SUFFIXES):
            wanted.append((blob, name))
    tree.mkdir(parents=True)
    if not wanted:
        return
    batch = "".join(f"{blob}\n" for blob, _ in wanted).encode()
    done = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input=batch, capture_output=True, check=False
    )
    if done.returncode != 0:
        raise UsageError(f"--diff-base cannot read {commit}: {done.stderr.decode().strip()}")
    data, position = done.stdout, 0
    for _, name in wanted:
        header_end = data.index(b"\n", position)
        size = int(data[position:header_end].split()[2])
        start = header_end + 1
        target = tree / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data[start : start + size])
        position = start + size + 1


def _config_at_ref(config_path: Path | None, mirror: _Mirror, here: Path) -> Path:
    """REF's config; else the run's (copied into REF's tree when it lives in the repository)."""
    if config_path is None:
        found = find_config(here)
        if found is not None and found.is_relative_to(mirror.tree):
            return found
        current = find_config(Path.cwd())
    else:
        current = config_path
    if current is None:
        # No config now or at REF: an empty one where discovery would start, so none
        # is found above the temporary folder either.
        empty = here / ".resilint.toml"
        empty.write_text("", encoding="utf-8")
        return empty
    return _copy_if_missing(current, mirror)


def _policy_at_ref(ref: str, mirror: _Mirror) -> str:
    if ref.startswith(BUILTIN_PREFIX):
        return ref
    return str(_copy_if_missing(Path(ref), mirror))


def _copy_if_missing(path: Path, mirror: _Mirror) -> Path:
    """REF's version of a file of the repository, or the run's when REF lacks it."""
    at_ref = mirror(path)
    if mirror.inside(path) and not at_ref.exists() and path.is_file():
        at_ref.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, at_ref)
    return at_ref


@contextmanager
def _working_directory(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def _evaluate(
    given: Sequence[Path],
    config: Path,
    policies: Sequence[str],
    mirror: _Mirror,
    ref: str,
    cwd: Path,
) -> list[Finding]:
    try:
        # The paths given on the command line, mirrored; else REF's configured ones.
        at_ref = list(given) or load_config(config).manifest_paths
        existing = [p for p in at_ref if p.exists()]
        if not existing:
            return []  # REF had nothing to check
        try:
            project = load_project(existing, config, policies)
        except InputError as error:
            if error.problems and error.problems[0].message.startswith("nothing to check"):
                return []
            raise
        return list(evaluate(project.model, project.rules).findings)
    except InputError as error:
        raise type(error)(
            [
                Problem(f"at --diff-base {ref}: {p.message}", _located(p.location, mirror, cwd))
                for p in error.problems
            ]
        ) from None


def _located(location: Location | None, mirror: _Mirror, cwd: Path) -> Location | None:
    if location is None:
        return None
    return location._replace(path=_shown(location.path, mirror, cwd))


def _shown(path: str, mirror: _Mirror, cwd: Path) -> str:
    """A path of REF's tree as the run shows the same place: relative to its cwd."""
    candidate = Path(path)
    if not candidate.is_absolute():
        return path  # relative to the mirrored working directory: the same text now
    back = mirror.back(candidate)
    try:
        return back.relative_to(cwd).as_posix()
    except ValueError:
        return back.as_posix()


def _relocated(finding: Finding, mirror: _Mirror, cwd: Path) -> Finding:
    where = finding.location
    return finding._replace(location=where._replace(path=_shown(where.path, mirror, cwd)))
