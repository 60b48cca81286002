"""Text from input files cannot drive a terminal, start a CI log command or inject HTML.

Waiver reasons and targets, policy strings, tiers, kinds, ids and file names reach the
text outputs with their control characters shown escaped (``\\x1b``, ``\\n``,
``\\u202e``) and ``::`` / ``##[`` defused; Markdown outputs escape HTML and markup
(docs/security.md).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.core.escape import escape_markdown, escape_terminal
from tests.conftest import Run
from tests.hostile.project import make_project, resilint

WAIVERS = """\
version: 1
waivers:
  - rule: two-sites
    target: auth
    reason: "ok\\n::error file=README.md,line=1::pwned\\e[2J\\u202egnp.exe ##[set-output name=x;]1"
    expires: 2999-01-01
  - rule: two-sites
    target: "web\\n::warning::stale %0A"
    reason: "<img src=x onerror=alert(1)> | *b*"
    expires: 2999-01-01
"""


def _defused(text: str) -> None:
    """No raw control character, no line a CI runner would take for a command."""
    assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]", text)
    for line in text.splitlines():
        assert not line.lstrip().startswith("::"), line
        assert "##[" not in line and "##vso[" not in line, line


# ------------------------------------------------------------- the escapers


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text: a/b-c_d (x) é 日本", "plain text: a/b-c_d (x) é 日本"),
        ("clear\x1b[2J", "clear\\x1b[2J"),
        ("line\nbreak\r\ttab", "line\\nbreak\\r\\ttab"),
        ("nul\x00 del\x7f csi\x9b", "nul\\x00 del\\x7f csi\\x9b"),
        ("bidi\u202eevil\u2066x\u2069", "bidi\\u202eevil\\u2066x\\u2069"),
        ("sep\u2028x", "sep\\u2028x"),
        ("bytes s\udcff.yaml", "bytes s\\udcff.yaml"),
        ("::error::x", "\\x3a:error::x"),
        ("  ::warning title=a::b", "  \\x3a:warning title=a::b"),
        ("ids a::b stay", "ids a::b stay"),
        ("x ##[error]y ##vso[task.setvariable]z", "x #\\x23[error]y #\\x23vso[task.setvariable]z"),
    ],
)
def test_escape_terminal(raw: str, shown: str) -> None:
    assert escape_terminal(raw) == shown
    assert escape_terminal(shown) == shown  # its output is printable ASCII: stable


def test_escape_terminal_can_keep_the_tools_own_newlines() -> None:
    assert escape_terminal("a\x1b\nb\n::c", keep_newlines=True) == "a\\x1b\nb\n\\x3a:c"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("<script>&amp;</script>", "&lt;script&gt;&amp;amp;&lt;/script&gt;"),
        (
            "a|b `c` *d* _e_ [f](g) ~h~ $i$ \\",
            "a\\|b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) \\~h\\~ \\$i\\$ \\\\",
        ),
        ("one\ntwo\r\nthree\rfour", "one<br>two<br>three<br>four"),
        ("# heading", "\\# heading"),
        ("- item", "\\- item"),
        ("12. item", "12\\. item"),
        ("a-b #3 1.5", "a-b #3 1.5"),
        ("esc\x1b[2J", "esc\\\\x1b\\[2J"),
    ],
)
def test_escape_markdown(raw: str, shown: str) -> None:
    assert escape_markdown(raw) == shown


# ------------------------------------------------------------- check


@pytest.fixture
def project(in_tmp: Path) -> Path:
    make_project(in_tmp)
    (in_tmp / "w.yaml").write_text(WAIVERS, encoding="utf-8")
    return in_tmp


def test_waiver_text_cannot_start_a_log_command_or_clear_the_terminal(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    run = run_cli("--no-color", "check", "m.yaml", "-p", "p.yaml", "--waivers", "w.yaml")
    assert run.code == 0
    _defused(run.out)
    lines = run.out.splitlines()
    # The stale waiver fails (info) and comes first; the waived finding then says until when.
    assert lines[2].startswith("    waived until ")
    assert lines[2].endswith(
        ": ok\\n::error file=README.md,line=1::pwned\\x1b[2J\\u202egnp.exe "
        "#\\x23[set-output name=x;]1"
    )
    assert lines[0] == (
        "w.yaml:7:5: INFO stale-waiver: waiver for two-sites on web\\n::warning::stale %0A "
        "matches no failing finding: no finding of two-sites is about "
        "'web\\n::warning::stale %0A'. Remove or correct it. (not gating: below fail_on=low)"
    )


def test_colour_codes_are_the_tools_own_only(
    project: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("checker.cli.check.use_color", lambda ctx: True)
    # click strips colours from what is not a terminal; here they are the point.
    monkeypatch.setattr("click.utils.should_strip_ansi", lambda stream=None, color=None: False)
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "--waivers", "w.yaml", "--all")
    assert run.out.count("\x1b[0m") > 3  # coloured
    without_colours = re.sub(r"\x1b\[[0-9;]*m", "", run.out)
    assert "\x1b" not in without_colours
    _defused(without_colours)


def _unescape_data(text: str) -> str:
    """What the GitHub runner does to a command's data (``ActionCommand.Unescape``)."""
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def test_github_format_keeps_every_input_inside_its_own_command(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "--waivers", "w.yaml", "-f", "github")
    lines = run.out.splitlines()
    assert len(lines) == 2
    command, data = lines[0].split("::", 2)[1:]
    assert command == "warning file=w.yaml,line=7,col=5,title=INFO stale-waiver"
    assert _unescape_data(data) == (
        "waiver for two-sites on web\n::warning::stale %0A matches no failing finding: "
        "no finding of two-sites is about 'web\\n::warning::stale %0A'. Remove or correct it."
    )
    assert "\n" not in data and "%0A " not in data  # the input's "%0A" is sent as %250A
    assert lines[1].startswith("resilint: 1 failed (1 info)")


def test_markdown_findings_escape_html_and_markup(
    project: Path, run_cli: Callable[..., Run]
) -> None:
    run = run_cli("check", "m.yaml", "-p", "p.yaml", "--waivers", "w.yaml", "-f", "markdown")
    assert "<img" not in run.out and "<script" not in run.out
    row = next(line for line in run.out.splitlines() if line.startswith("| info | stale-waiver"))
    assert row.count(" | ") == 4  # five cells: the target's line break did not split the row
    assert "two-sites:web<br>\\\\x3a:warning::stale %0A" in row


# ------------------------------------------------------------- rules and explain

POLICY = """\
version: 1
rules:
  two-sites:
    title: "Two\\e[2J sites <script>alert(1)</script> | x"
    severity: high
    select: {tier: critical}
    spread: {across: facility, min: 2}
    why: "Because\\n::error::injected \\u202ereversed ##[error]legacy"
    fix: "- *fix* it"
    references: ["https://example.com/a_b", "javascript:alert(1)//<b>"]
"""


@pytest.fixture
def policy(in_tmp: Path) -> Path:
    make_project(in_tmp)
    path = in_tmp / "p<b>|.yaml"
    path.write_text(POLICY, encoding="utf-8")
    return path


def test_rules_text_escapes_policy_strings(policy: Path, run_cli: Callable[..., Run]) -> None:
    run = run_cli("rules", "-p", policy.name)
    assert run.code == 0
    _defused(run.out)
    assert run.out.splitlines()[1].endswith(
        "p<b>|.yaml  Two\\x1b[2J sites <script>alert(1)</script> | x"
    )


def test_rules_markdown_escapes_html(policy: Path, run_cli: Callable[..., Run]) -> None:
    run = run_cli("rules", "-p", policy.name, "-f", "markdown")
    assert run.out.splitlines()[2] == (
        "| `two-sites` | high | yes | `spread` | p&lt;b&gt;\\|.yaml "
        "| Two\\\\x1b\\[2J sites &lt;script&gt;alert(1)&lt;/script&gt; \\| x |"
    )


def test_explain_text_escapes_policy_strings(policy: Path, run_cli: Callable[..., Run]) -> None:
    run = run_cli("explain", "two-sites", "-p", policy.name)
    assert run.code == 0
    _defused(run.out)
    assert run.out.splitlines()[0] == ("two-sites: Two\\x1b[2J sites <script>alert(1)</script> | x")
    assert "  Because \\x3a:error::injected \\u202ereversed #\\x23[error]legacy\n" in run.out


def test_explain_markdown_escapes_html_and_links(policy: Path, run_cli: Callable[..., Run]) -> None:
    run = run_cli("explain", "two-sites", "-p", policy.name, "-f", "markdown")
    assert run.code == 0
    assert "<script" not in run.out and "<b>" not in run.out
    assert run.out.startswith(
        "## `two-sites`: Two\\\\x1b\\[2J sites &lt;script&gt;alert(1)&lt;/script&gt; \\| x\n"
    )
    assert "\n\\- \\*fix\\* it\n" in run.out
    assert "\n- <https://example.com/a_b>\n- javascript:alert(1)//&lt;b&gt;\n" in run.out


# ------------------------------------------------------------- what-if, risk-groups

CONFIG = 'tiers = ["crit\\u001b[2Jical", "low"]\n'
MANIFEST = """\
version: 1
domains:
  dc-a: {kind: "fac\\u202eility"}
services:
  "::error::x": {tier: "crit\\e[2Jical", instances: [dc-a]}
"""


@pytest.fixture
def tiers(in_tmp: Path) -> Path:
    (in_tmp / "resilint.toml").write_text(CONFIG, encoding="utf-8")
    (in_tmp / "m.yaml").write_text(MANIFEST, encoding="utf-8")
    return in_tmp


def test_what_if_escapes_ids_and_tiers(tiers: Path, run_cli: Callable[..., Run]) -> None:
    run = run_cli("what-if", "dc-a", "m.yaml")
    assert run.code == 0
    _defused(run.out)
    assert "\n  \\x3a:error::x (crit\\x1b[2Jical)\n      \\x3a:error::x is down" in run.out
    markdown = run_cli("what-if", "dc-a", "m.yaml", "-f", "markdown").out
    assert "| `::error::x` | crit\\\\x1b\\[2Jical | " in markdown


def test_risk_groups_escape_ids_and_tiers(tiers: Path, run_cli: Callable[..., Run]) -> None:
    run = run_cli("risk-groups", "m.yaml")
    assert run.code == 0
    _defused(run.out)
    assert "\n\\x3a:error::x (crit\\x1b[2Jical): 1 minimal risk group" in run.out


# ------------------------------------------------------------- file names


def test_error_messages_escape_file_names(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    (in_tmp / "b\n::error file=x::y\x1b[2J.yaml").write_text("version: 1\nservices: [\n")
    run = run_cli("check", ".")
    assert run.code == 2
    _defused(run.err)
    assert run.err.startswith("b\\n::error file=x::y\\x1b[2J.yaml:3:1: error: invalid YAML")


def test_findings_escape_file_names(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    make_project(in_tmp)
    (in_tmp / "m.yaml").rename(in_tmp / "::error::x.yaml")
    run = run_cli("check", ".", "-p", "p.yaml")
    assert run.code == 1
    _defused(run.out)
    assert run.out.startswith("\\x3a:error::x.yaml:6:3: HIGH two-sites: ")


def test_notices_escape_file_names(in_tmp: Path) -> None:
    make_project(in_tmp)
    os.mkfifo(in_tmp / "pipe\x1b[2J\n::error::x.yaml")
    done = resilint("check", ".", "-p", "p.yaml", cwd=in_tmp)
    assert done.returncode == 1
    assert done.stderr == (
        "resilint: notice: skipped pipe\\x1b[2J\\n::error::x.yaml: it is a named pipe (FIFO), "
        "not a regular file\n"
    )
