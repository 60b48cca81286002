"""The real command ends with os._exit (docs/commands.md, exit codes): nothing is lost."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PANGYO = ROOT / "examples" / "pangyo-2022"


def _resilint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        check=False,
    )


def test_every_output_is_complete_and_the_exit_code_kept(tmp_path: Path) -> None:
    report = tmp_path / "report.sarif"
    done = _resilint("check", str(PANGYO), "-f", "json", "-f", f"sarif={report}", cwd=tmp_path)
    assert done.returncode == 1
    document = json.loads(done.stdout)  # the whole document reached the pipe
    assert document["summary"]["fail"] == sum(
        1 for finding in document["findings"] if finding["status"] == "fail"
    )
    assert json.loads(report.read_text(encoding="utf-8"))["version"] == "2.1.0"


def test_input_errors_still_exit_2_with_their_message(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("version: 1\nservices: {a: {tier: nope, instances: []}}\n", encoding="utf-8")
    done = _resilint("check", str(bad), cwd=tmp_path)
    assert done.returncode == 2
    assert "bad.yaml:2:" in done.stderr
