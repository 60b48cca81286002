"""Fuzzing the command line: any options of any command, with any values, on a project.

Every command and subcommand is taken from the click group itself, so a new option is
fuzzed as soon as it exists. Values mix the right ones (rule ids, domains, formats,
the project's files) with wrong ones (empty, negative, huge, a directory, a name too
long for the system, globs, control characters). Whatever the command line, the way
out is exit 0, 1 or 2 without a traceback, and the project's files are unchanged.
Bounded by ``max_examples`` so that the file runs in a few seconds.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from collections.abc import Iterator
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import click
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.cli import main
from checker.cli.app import cli

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "pangyo-2022"


def _commands(
    group: click.Group, prefix: tuple[str, ...]
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    context = click.Context(group)
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        assert command is not None
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))
        else:
            yield (*prefix, name), command


# ``init`` writes a manifests/ directory (its own tests cover it). A live NetBox is never
# asked (that needs a server): ``--url`` is left out below, its command fuzzed on files.
COMMANDS = [(path, command) for path, command in _commands(cli, ()) if path != ("init",)]
VALUES = [
    *("", "-", "x", "0", "-1", "1", "2", "3", "99999999999999999999999", "1.5", "nan"),
    *("builtin:baseline", "builtin:strict", "builtin:none", "services.yaml", "domains.yaml"),
    *("resilint.toml", ".", "..", "/nonexistent", "*", "[", "**/*", "é", "\x1b[31m", "a" * 3000),
    *("json", "sarif", "text", "junit", "html", "gitlab", "github", "markdown", "svg", "dot"),
    *("json=out.json", "sarif=-", "text=.", "critical", "low", "facility", "region", "HEAD"),
    *("pangyo-dc", "kakaotalk", "b3-ups", "nonexistent", "facility-loss-not-survived"),
    *("tier-inversion", "manifest", "policy", "role", "tag:tier-", "custom-field:x", "16"),
]


@st.composite
def command_lines(draw: st.DrawFn) -> list[str]:
    path, command = draw(st.sampled_from(COMMANDS))
    args = list(path)
    params = [p for p in command.params if p.name not in ("url", "help")]
    for param in draw(st.lists(st.sampled_from(params), max_size=3)) if params else []:
        if isinstance(param, click.Option):
            args.append(draw(st.sampled_from(param.opts + param.secondary_opts)))
            if not (param.is_flag or param.count):
                args.extend(draw(st.sampled_from(VALUES)) for _ in range(max(param.nargs, 1)))
        else:
            args.extend(draw(st.lists(st.sampled_from(VALUES), max_size=2)))
    return args


def _snapshot(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.iterdir())
        if path.is_file()
    }


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("fuzz-cli") / "project"
    shutil.copytree(EXAMPLE, root)
    return root


def test_any_command_line_is_exit_0_1_or_2_and_leaves_the_inputs_alone(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(project)
    before = _snapshot(project)

    @settings(
        max_examples=600,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        database=None,
    )
    @given(command_lines())
    def run(args: list[str]) -> None:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main(args)
        assert code in (0, 1, 2), (args, err.getvalue()[-2000:])
        assert "Traceback" not in err.getvalue(), (args, err.getvalue()[-2000:])
        now = _snapshot(project)
        assert {name: now.get(name) for name in before} == before, args
        for name in set(now) - set(before):  # outputs a command line asked for
            (project / name).unlink()

    run()
