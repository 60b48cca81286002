"""Every file resilint writes is written whole or not at all, and never over an input.

Reports, baselines and ``init``'s files go through ``checker.cli.writing.write_atomically``:
a temporary file in the same directory, fsync, then ``os.replace`` (docs/security.md).
"""

from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from checker.cli.writing import write_atomically
from checker.core.errors import UsageError
from tests.conftest import REPO, Run
from tests.hostile.project import TIMEOUT, make_project, resilint, snapshot


@pytest.fixture
def project(in_tmp: Path) -> Path:
    return make_project(in_tmp)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def _temporaries(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if ".resilint-tmp-" in p.name)


# ------------------------------------------------------------- the one writer


def test_a_new_file_gets_the_usual_permissions_not_those_of_a_temporary_file(
    tmp_path: Path, umask_022: None
) -> None:
    write_atomically(tmp_path / "deep" / "r.json", "{}\n", "json output")
    written = tmp_path / "deep" / "r.json"
    assert written.read_bytes() == b"{}\n"
    assert stat.S_IMODE(written.stat().st_mode) == 0o644
    assert _temporaries(tmp_path / "deep") == []


@pytest.mark.parametrize("mode", [0o600, 0o664])
def test_a_replaced_file_keeps_its_permission_bits(tmp_path: Path, mode: int) -> None:
    target = tmp_path / "r.json"
    target.write_text("old\n", encoding="utf-8")
    target.chmod(mode)
    write_atomically(target, "new\n", "json output")
    assert target.read_text(encoding="utf-8") == "new\n"
    assert stat.S_IMODE(target.stat().st_mode) == mode


def test_text_that_cannot_be_encoded_is_still_written_whole(tmp_path: Path) -> None:
    # A file name that is not UTF-8 holds a lone surrogate; writing it once left an empty file.
    target = tmp_path / "r.json"
    write_atomically(target, '{"path": "s\udcff.yaml"}\n', "json output")
    assert target.read_bytes() == b'{"path": "s\\udcff.yaml"}\n'
    assert json.loads(target.read_text(encoding="utf-8")) == {"path": "s\udcff.yaml"}


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "r.json"
    target.write_text("old\n", encoding="utf-8")

    def interrupted(descriptor: int) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomically(target, "new\n", "json output")
    assert target.read_text(encoding="utf-8") == "old\n"
    assert _temporaries(tmp_path) == []


def test_without_replace_an_existing_file_is_refused_and_kept(tmp_path: Path) -> None:
    target = tmp_path / "resilint.toml"
    target.write_text("mine\n", encoding="utf-8")
    with pytest.raises(UsageError) as refused:
        write_atomically(target, "theirs\n", "a starter file", replace=False)
    assert str(refused.value) == f"refusing to write a starter file: {target} already exists"
    assert target.read_text(encoding="utf-8") == "mine\n"
    assert _temporaries(tmp_path) == []


# ------------------------------------------------------------- through check


def test_a_full_disk_while_writing_the_baseline_keeps_the_old_one(
    project: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run_cli("check", "m.yaml", "-p", "p.yaml", "--write-baseline", "b.json").code == 0
    old = (project / "b.json").read_bytes()
    (project / "m.yaml").write_text(
        (project / "m.yaml").read_text(encoding="utf-8").replace("[dc-a, dc-b]", "[dc-b]"),
        encoding="utf-8",
    )

    def full(descriptor: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", full)
        run = run_cli("check", "m.yaml", "-p", "p.yaml", "--write-baseline", "b.json")
    assert (run.code, run.err) == (
        2,
        "resilint: error: cannot write the baseline to b.json: No space left on device\n",
    )
    assert (project / "b.json").read_bytes() == old
    assert _temporaries(project) == []
    # Nothing was left to confuse the next run: it writes, and the baseline reads back.
    assert run_cli("check", "m.yaml", "-p", "p.yaml", "--write-baseline", "b.json").code == 0
    assert len(json.loads((project / "b.json").read_text(encoding="utf-8"))["fingerprints"]) == 2
    assert run_cli("check", "m.yaml", "-p", "p.yaml", "--baseline", "b.json").code == 0


def test_a_failed_rename_keeps_the_old_report(
    project: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / "r.json").write_text("old report\n", encoding="utf-8")

    def cross_device(self: Path, target: Path) -> Path:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(Path, "replace", cross_device)
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "json=r.json")
    assert (run.code, run.err) == (
        2,
        "resilint: error: cannot write json output to r.json: Invalid cross-device link\n",
    )
    assert (project / "r.json").read_text(encoding="utf-8") == "old report\n"
    assert _temporaries(project) == []


@pytest.mark.parametrize("link", ["hard", "symbolic"])
@pytest.mark.parametrize("input_name", ["m.yaml", "p.yaml"])
def test_a_link_to_an_input_is_refused_as_a_report_path(
    project: Path, run_cli: Callable[..., Run], link: str, input_name: str
) -> None:
    before = snapshot(project)
    if link == "hard":
        (project / "out.json").hardlink_to(project / input_name)
    else:
        (project / "out.json").symlink_to(input_name)
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "text", "-f", "json=out.json")
    assert (run.code, run.out) == (2, "")
    assert run.err == (
        "resilint: error: refusing to write json output over an input file: out.json "
        f"(a link to the input {input_name})\n"
    )
    after = snapshot(project)
    assert {name: after[name] for name in before} == before


def test_a_refused_output_means_no_output_at_all(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    (project / "out.sarif").hardlink_to(project / "m.yaml")
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "json=ok.json", "-f", "sarif=out.sarif")
    assert run.code == 2
    assert not (project / "ok.json").exists()


def test_a_hard_link_to_a_manifest_is_refused_as_the_baseline(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    before = snapshot(project)
    (project / "b.json").hardlink_to(project / "m.yaml")
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "--write-baseline", "b.json")
    assert run.code == 2
    assert "refusing to write the baseline over" in run.err
    assert (project / "m.yaml").read_bytes() == before["m.yaml"]


def test_a_symlink_planted_at_the_report_path_is_replaced_not_followed(
    project: Path, run_cli: Callable[..., Run], tmp_path_factory: pytest.TempPathFactory
) -> None:
    victim = tmp_path_factory.mktemp("home") / ".bashrc"
    victim.write_text("export PATH=/usr/bin\n", encoding="utf-8")
    (project / "r.json").symlink_to(victim)
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "-f", "json=r.json")
    assert run.code == 1
    assert victim.read_text(encoding="utf-8") == "export PATH=/usr/bin\n"
    assert not (project / "r.json").is_symlink()
    assert json.loads((project / "r.json").read_text(encoding="utf-8"))["summary"]["fail"] == 1


def test_init_writes_through_the_atomic_writer(
    run_cli: Callable[..., Run], in_tmp: Path, umask_022: None
) -> None:
    assert run_cli("init").code == 0
    for name in ("resilint.toml", "manifests/example.yaml"):
        assert stat.S_IMODE((in_tmp / name).stat().st_mode) == 0o644
    assert _temporaries(in_tmp) == [] and _temporaries(in_tmp / "manifests") == []


# ------------------------------------------------------------- kill -9


def _big_project(root: Path, services: int = 1000) -> None:
    """Enough failing services that the baseline is a few hundred kilobytes."""
    make_project(root)
    lines = ["version: 1", "services:"]
    lines += [f"  s{i}: {{tier: critical, instances: [dc-a]}}" for i in range(services)]
    (root / "more.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_kill_9_at_any_moment_never_leaves_a_torn_baseline(in_tmp: Path) -> None:
    _big_project(in_tmp)
    args = ["check", ".", "-p", "p.yaml", "--write-baseline", "b.json"]
    old = b'{"version": 1, "tool": "resilint", "fingerprints": []}\n'
    (in_tmp / "b.json").write_bytes(old)
    started = time.monotonic()
    assert resilint(*args, cwd=in_tmp).returncode == 0
    duration = time.monotonic() - started
    new = (in_tmp / "b.json").read_bytes()
    assert len(json.loads(new)["fingerprints"]) == 1001
    # Moments spread over the whole run, and more of them near its end, where it writes.
    delays = [duration * i / 5 for i in range(5)] + [duration * (0.8 + 0.05 * i) for i in range(5)]
    env = {**os.environ, "PYTHONPATH": str(REPO), "NO_COLOR": "1"}
    for delay in delays:
        (in_tmp / "b.json").write_bytes(old)
        child = subprocess.Popen(
            [sys.executable, "-m", "checker", *args],
            cwd=in_tmp,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(delay)
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=TIMEOUT)
        after = (in_tmp / "b.json").read_bytes()
        assert after in (old, new), f"torn baseline after {delay:.3f}s: {len(after)} bytes"
    # Whatever the kills left behind, the next runs work: no temporary file is read.
    assert resilint(*args, cwd=in_tmp).returncode == 0
    assert (in_tmp / "b.json").read_bytes() == new
    baseline_run = resilint("check", ".", "-p", "p.yaml", "--baseline", "b.json", cwd=in_tmp)
    assert baseline_run.returncode == 0, baseline_run.stderr


def test_without_hard_links_a_new_file_is_still_created_and_an_old_one_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(self: Path, target: Path) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(Path, "hardlink_to", no_links)
    write_atomically(tmp_path / "new.toml", "new\n", "a starter file", replace=False)
    assert (tmp_path / "new.toml").read_text(encoding="utf-8") == "new\n"
    with pytest.raises(UsageError):
        write_atomically(tmp_path / "new.toml", "again\n", "a starter file", replace=False)
    assert (tmp_path / "new.toml").read_text(encoding="utf-8") == "new\n"
    assert _temporaries(tmp_path) == []
