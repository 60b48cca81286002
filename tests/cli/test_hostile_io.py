"""Hostile files and paths: every one is exit 2 naming the file (or a correct 0/1), never a
traceback, never a hang, and the inputs are byte-identical afterwards (docs/security.md).

Runs that could hang (FIFOs) or that need a real standard output (``/dev/full``) run in
a subprocess with a timeout; the rest run in-process through ``checker.cli.main``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.conftest import Run
from tests.hostile.project import FAILING, make_project, resilint, snapshot

MESSAGE = "service auth runs in 1 facility (dc-a), needs at least 2"


@pytest.fixture
def project(in_tmp: Path) -> Iterator[Path]:
    """The small project as working directory; its files must be unchanged after the test."""
    make_project(in_tmp)
    before = snapshot(in_tmp)
    yield in_tmp
    after = snapshot(in_tmp)
    assert {k: v for k, v in after.items() if k in before} == before


# ------------------------------------------------------------- directory walks


def test_an_unreadable_subdirectory_fails_the_run_instead_of_being_skipped(
    project: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Tests run as root, where chmod 000 does not stop reads: make listing it fail instead.
    (project / "more").mkdir()
    (project / "more" / "x.yaml").write_text("version: 1\n", encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path: str | os.PathLike[str] = ".") -> Iterator[os.DirEntry[str]]:
        if Path(path).name == "more":
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)  # type: ignore[return-value]

    monkeypatch.setattr(os, "scandir", scandir)
    run = run_cli("check", ".", "-p", "p.yaml")
    assert (run.code, run.out) == (2, "")
    assert run.err == "more:1:1: error: cannot read directory: Permission denied\n"


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads a chmod 000 directory anyway")
def test_a_chmod_000_subdirectory_fails_the_run(
    project: Path, run_cli: Callable[..., Run]
) -> None:  # pragma: no cover - only as a non-root user
    (project / "locked").mkdir(mode=0)
    try:
        run = run_cli("check", ".", "-p", "p.yaml")
    finally:
        (project / "locked").chmod(0o755)
    assert run.code == 2
    assert run.err == "locked:1:1: error: cannot read directory: Permission denied\n"


def test_a_symlink_loop_in_a_directory_is_an_error_at_each_link(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "a.yaml").symlink_to("b.yaml")
    (project / "b.yaml").symlink_to("a.yaml")
    run = run_cli("check", ".", "-p", "p.yaml")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "a.yaml:1:1: error: symbolic link loop: the link leads back to itself\n"
        "b.yaml:1:1: error: symbolic link loop: the link leads back to itself\n"
    )


def test_a_symlink_loop_named_explicitly_is_an_error(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "a.yaml").symlink_to("b.yaml")
    (project / "b.yaml").symlink_to("a.yaml")
    run = run_cli("check", "a.yaml", "-p", "p.yaml")
    assert (run.code, run.err) == (2, "resilint: error: symbolic link loop: a.yaml\n")


def test_a_symlink_to_a_directory_is_not_followed_so_a_loop_cannot_hang(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "sub").mkdir()
    (project / "sub" / "up").symlink_to("..")
    (project / "sub" / "down").symlink_to(project / "sub")
    run = run_cli("check", ".", "-p", "p.yaml")
    assert run.code == 1
    assert run.out.startswith(FAILING + MESSAGE + "\n")
    assert run.err == (
        "resilint: notice: skipped sub/down: symbolic links to directories are not followed\n"
        "resilint: notice: skipped sub/up: symbolic links to directories are not followed\n"
    )


def test_a_symlink_out_of_the_directory_is_an_error_and_not_read(
    project: Path, run_cli: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory
) -> None:
    outside = tmp_path_factory.mktemp("elsewhere") / "secret.yaml"
    outside.write_text("version: 1\nservices: {leak: {tier: critical}}\n", encoding="utf-8")
    (project / "link.yaml").symlink_to(outside)
    run = run_cli("check", ".", "-p", "p.yaml")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "link.yaml:1:1: error: symbolic link leads outside the directory . being searched: "
        "name the file explicitly to read it\n"
    )
    assert "leak" not in run.err


def test_a_symlink_inside_the_directory_is_read_once(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "same.yaml").symlink_to("m.yaml")
    run = run_cli("check", ".", "-p", "p.yaml")
    assert run.code == 1
    assert run.out.count(MESSAGE) == 1


def test_a_broken_symlink_with_a_manifest_name_is_an_error(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "gone.yaml").symlink_to("nowhere.yaml")
    run = run_cli("check", ".", "-p", "p.yaml")
    assert (run.code, run.err) == (
        2,
        "gone.yaml:1:1: error: broken symbolic link: No such file or directory\n",
    )


def test_leftover_temporary_files_of_a_killed_write_are_not_read(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / ".m.yaml.resilint-tmp-k1ll3d99").write_text("{torn", encoding="utf-8")
    (project / ".b.json.resilint-tmp-abcdefgh").write_text("[", encoding="utf-8")
    run = run_cli("check", ".", "-p", "p.yaml")
    assert run.code == 1
    assert run.out.startswith(FAILING + MESSAGE + "\n")


# ------------------------------------------------------ paths the system refuses

#: Longer than any file name the system takes (255 bytes on Linux and macOS).
TOO_LONG = "a" * 3000


@pytest.mark.parametrize(
    "args",
    [
        ("check", TOO_LONG),
        ("check", ".", "-p", TOO_LONG),
        ("check", ".", "-p", "p.yaml", "--config", TOO_LONG),
        ("check", ".", "-p", "p.yaml", "--waivers", TOO_LONG),
        ("check", ".", "-p", "p.yaml", "--baseline", TOO_LONG),
        ("graph", TOO_LONG),
        ("what-if", "dc-a", "-m", TOO_LONG),
        ("risk-groups", "-m", TOO_LONG),
        ("rules", "-p", TOO_LONG),
        ("import", "kubernetes", TOO_LONG),
    ],
)
def test_a_path_the_system_refuses_is_exit_2_naming_it(
    project: Path, run_cli: Callable[..., Run], args: tuple[str, ...]
) -> None:
    run = run_cli(*args)
    assert run.code == 2, run.err
    assert "Traceback" not in run.err
    (last,) = run.err.splitlines()
    assert ": error: " in last and "aaaa" in last, last
    assert len(last) < 300, last  # the name is cut, with its length


def test_a_working_directory_removed_under_the_run_is_exit_2_saying_so(
    tmp_path: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    monkeypatch.chdir(gone)
    gone.rmdir()
    run = run_cli("check")
    assert run.code == 2
    assert run.err == (
        "resilint: error: the working directory is gone or unreadable (No such file or directory)\n"
    )


# --------------------------------------------------------- special files (FIFO)


def test_a_fifo_in_a_manifest_directory_is_skipped_with_a_notice(project: Path) -> None:
    os.mkfifo(project / "pipe.yaml")
    os.mkfifo(project / "other")
    done = resilint("check", ".", "-p", "p.yaml", cwd=project)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith(FAILING + MESSAGE + "\n")
    assert done.stderr == (
        "resilint: notice: skipped other: it is a named pipe (FIFO), not a regular file\n"
        "resilint: notice: skipped pipe.yaml: it is a named pipe (FIFO), not a regular file\n"
    )


NOT_REGULAR = "is a named pipe (FIFO), not a regular file: resilint reads only regular files"


@pytest.mark.parametrize(
    "args",
    [
        ("check", "fifo.yaml", "-p", "p.yaml"),
        ("check", "m.yaml", "-p", "fifo.yaml"),
        ("check", "m.yaml", "-p", "p.yaml", "--config", "fifo.yaml"),
        ("check", "m.yaml", "-p", "p.yaml", "--waivers", "fifo.yaml"),
        ("check", "m.yaml", "-p", "p.yaml", "--baseline", "fifo.yaml"),
        ("what-if", "dc-a", "-m", "fifo.yaml"),
        ("rules", "-p", "fifo.yaml"),
    ],
)
def test_a_fifo_named_as_an_input_is_exit_2_without_waiting(
    project: Path, args: tuple[str, ...]
) -> None:
    os.mkfifo(project / "fifo.yaml")
    done = resilint(*args, cwd=project)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == f"fifo.yaml:1:1: error: {NOT_REGULAR}\n"


@pytest.mark.parametrize(
    ("args", "what"),
    [
        (("--write-baseline", "fifo.json"), "the baseline"),
        (("-f", "json=fifo.json"), "json output"),
        (("-f", "text", "-f", "sarif=fifo.json"), "sarif output"),
    ],
)
def test_a_fifo_named_as_an_output_is_exit_2_without_waiting(
    project: Path, args: tuple[str, ...], what: str
) -> None:
    os.mkfifo(project / "fifo.json")
    done = resilint("check", "m.yaml", "-p", "p.yaml", *args, cwd=project)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        f"resilint: error: refusing to write {what} to fifo.json: it is a named pipe (FIFO), "
        "not a regular file\n"
    )


def test_a_device_is_neither_read_nor_written(project: Path, run_cli: Callable[..., Run]) -> None:
    run = run_cli("check", "m.yaml", "-p", "/dev/null")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "/dev/null:1:1: error: is a character device, not a regular file: "
        "resilint reads only regular files\n"
    )
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "json=/dev/null")
    assert run.err == (
        "resilint: error: refusing to write json output to /dev/null: it is a character "
        "device, not a regular file\n"
    )


def test_a_directory_named_as_the_waivers_file_is_exit_2(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "w.yaml").mkdir()
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "--waivers", "w.yaml")
    assert (run.code, run.out) == (2, "")
    assert run.err.endswith("Error: Invalid value for '--waivers': File 'w.yaml' is a directory.\n")
    run = run_cli("check", "m.yaml", "-p", "w.yaml")
    assert (run.code, run.err) == (2, "w.yaml:1:1: error: is a directory, expected a file\n")


# ------------------------------------------------------------- config and env


def test_tool_that_is_not_a_table_in_pyproject_is_exit_2(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "pyproject.toml").write_text('name = "x"\ntool = "x"\n', encoding="utf-8")
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "--config", "pyproject.toml")
    assert (run.code, run.out) == (2, "")
    assert run.err == "pyproject.toml:2:1: error: tool must be a table, got str 'x'\n"
    (project / "pyproject.toml").write_text("[tool]\nresilint = 5\n", encoding="utf-8")
    run = run_cli("check", "m.yaml", "-p", "p.yaml")  # found by the search, too
    assert run.err == "pyproject.toml:2:1: error: tool.resilint must be a table, got int 5\n"


def test_a_resilint_table_written_with_dotted_keys_is_found(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "pyproject.toml").write_text(
        '[tool]\nresilint = {policies = ["p.yaml"], fail_on = "critical"}\n', encoding="utf-8"
    )
    run = run_cli("check", "m.yaml")
    assert run.code == 0  # the high failure is below fail_on = "critical"
    assert MESSAGE in run.out


@pytest.mark.parametrize("key", ["manifests", "policies", "waivers", "baseline", "format"])
def test_a_nul_character_in_a_configured_path_is_exit_2_at_its_line(
    project: Path, run_cli: Callable[..., Run], key: str
) -> None:
    value = '["a\\u0000b"]' if key in ("manifests", "policies") else '"a\\u0000b"'
    (project / "resilint.toml").write_text(f"# c\n{key} = {value}\n", encoding="utf-8")
    run = run_cli("check", "m.yaml")
    assert (run.code, run.out) == (2, "")
    assert run.err.startswith(
        f"resilint.toml:2:1: error: {key}: a path cannot contain a NUL character"
    )
    assert "\x00" not in run.err  # shown escaped


@pytest.mark.parametrize(
    ("line", "key", "value", "column"),
    [
        ('manifests = ["m.yaml", "../elsewhere"]', "manifests", "../elsewhere", 24),
        ('policies = ["builtin:baseline", "/etc/passwd"]', "policies", "/etc/passwd", 33),
        ('waivers = "../w.yaml"', "waivers", "../w.yaml", 1),
        ('baseline = "link/b.json"', "baseline", "link/b.json", 1),
        ('format = ["text", "json=/root/.bashrc"]', "format", "/root/.bashrc", 19),
    ],
)
def test_a_config_names_only_paths_inside_its_repository(
    in_tmp: Path, run_cli: Callable[..., Run], line: str, key: str, value: str, column: int
) -> None:
    (in_tmp / "repo").mkdir()
    project = make_project(in_tmp / "repo")
    (project / "link").symlink_to(in_tmp)  # inside by name, outside in fact
    (project / "resilint.toml").write_text(f"# c\n{line}\n", encoding="utf-8")
    os.chdir(project)
    run = run_cli("check", "-p", "p.yaml")
    assert (run.code, run.out) == (2, "")
    # The rest of the run goes on with the defaults (reading nothing outside), so that
    # every other problem is reported too: here only a notice about the planted link.
    assert run.err.splitlines()[-1] == (
        f"resilint.toml:2:{column}: error: {key}: {value!r} leads outside the repository '.': "
        "a config file names only paths inside it (give this one on the command line instead)"
    )


def test_a_config_may_name_paths_anywhere_in_its_git_work_tree(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    make_project(in_tmp)
    (in_tmp / ".git").mkdir()
    (in_tmp / "ci").mkdir()
    (in_tmp / "ci" / "resilint.toml").write_text(
        'manifests = ["../m.yaml"]\npolicies = ["../p.yaml"]\n', encoding="utf-8"
    )
    run = run_cli("check", "--config", "ci/resilint.toml")
    assert run.code == 1
    assert run.out.startswith(FAILING + MESSAGE + "\n")


def test_builtin_takes_a_pack_name_never_a_path(project: Path, run_cli: Callable[..., Run]) -> None:
    run = run_cli("rules", "-p", "builtin:../../../../../../" + str(project / "p"))
    assert run.code == 2
    assert run.err.startswith("resilint: error: unknown built-in pack 'builtin:../")


@pytest.mark.parametrize("value", ["abc", "-5", "0", "1e6"])
def test_a_bad_max_file_bytes_is_exit_2(project: Path, value: str) -> None:
    done = resilint(
        "check", "m.yaml", "-p", "p.yaml", cwd=project, env={"RESILINT_MAX_FILE_BYTES": value}
    )
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == (
        "resilint: error: RESILINT_MAX_FILE_BYTES must be a positive whole number of bytes, "
        f"got {value!r}\n"
    )


def test_a_small_max_file_bytes_is_a_limit_in_bytes(project: Path) -> None:
    done = resilint(
        "check", "m.yaml", "-p", "p.yaml", cwd=project, env={"RESILINT_MAX_FILE_BYTES": "100"}
    )
    assert done.returncode == 2
    assert done.stderr == (
        "p.yaml:1:1: error: file is 144 bytes, above the 100 bytes limit for one input file "
        "(set RESILINT_MAX_FILE_BYTES to raise it)\n"
        "m.yaml:1:1: error: file is 173 bytes, above the 100 bytes limit for one input file "
        "(set RESILINT_MAX_FILE_BYTES to raise it)\n"
    )


# ------------------------------------------------------------- standard output


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_full_standard_output_is_exit_2_with_a_message(project: Path, fmt: str) -> None:
    with Path("/dev/full").open("w") as full:
        done = resilint("check", "m.yaml", "-p", "p.yaml", "-f", fmt, cwd=project, stdout=full)
    assert done.returncode == 2
    assert done.stderr == (
        "resilint: error: cannot write to standard output: No space left on device\n"
    )


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("buffered", ["", "1"])
def test_a_full_standard_error_keeps_the_exit_code(project: Path, buffered: str) -> None:
    env = {"PYTHONUNBUFFERED": buffered}
    with Path("/dev/full").open("w") as full:
        bad = resilint("check", "nowhere.yaml", cwd=project, env=env, stderr=full)
        failing = resilint("check", "m.yaml", "-p", "p.yaml", cwd=project, env=env, stderr=full)
        both = resilint(
            "check", "m.yaml", "-p", "p.yaml", cwd=project, env=env, stdout=full, stderr=full
        )
    assert (bad.returncode, bad.stdout) == (2, "")
    assert (failing.returncode, failing.stdout) == (
        1,
        (
            FAILING
            + MESSAGE
            + "\n\n1 failed (1 high), 1 passed, 0 waived (1 rule)\n"
            + "checked 1 manifest file; no config\n"
        ),
    )
    assert both.returncode == 2


def test_a_file_name_that_is_not_utf8_reaches_every_format(in_tmp: Path) -> None:
    project = make_project(in_tmp)
    name = os.fsdecode(b"s\xff.yaml")
    (project / "m.yaml").rename(project / name)
    done = resilint(
        "check",
        ".",
        "-p",
        "p.yaml",
        "-f",
        "sarif=../out.sarif",
        "-f",
        "json",
        cwd=project,
        env={"PYTHONIOENCODING": "utf-8:strict"},
    )
    assert done.returncode == 1, done.stderr
    assert '"path": "s\\udcff.yaml"' in done.stdout  # a JSON escape: the document stays valid
    sarif = (project.parent / "out.sarif").read_text(encoding="utf-8")
    assert '"uri": "s%FF.yaml"' in sarif
    text = resilint("check", ".", "-p", "p.yaml", cwd=project)
    assert text.stdout.startswith("s\\udcff.yaml:6:3: HIGH two-sites: ")
