"""Escaping text that comes from input files, one escaper per output target.

resilint prints strings it read from files (waiver reasons, policy titles and
messages, kinds, tiers, owners, file names) into terminals, CI logs and Markdown
that GitHub or GitLab renders. Such a string must never act as anything but text:
a newline would start a new log line (``::error ...`` is a GitHub Actions command),
an escape sequence would drive the terminal (``ESC[2J`` clears it, even with
``--no-color``), a bidi override would show text in another order than it is, and
``<``, ``|`` or ``*`` would inject HTML or break a Markdown table (docs/security.md).

- :func:`escape_terminal`: control characters become visible Python-style escapes
  (``\\x1b``, ``\\n``, ``\\u202e``). CI log commands are defused the same way: a
  ``::`` that could start a line (GitHub Actions trims leading blanks before it looks
  for ``::command::``) becomes ``\\x3a:``, and the ``##[`` / ``##vso[`` prefixes that
  GitHub's legacy parser and Azure Pipelines honour anywhere in a line become
  ``#\\x23[``. Everything else is left as it is.
- :func:`escape_markdown`: the same for control characters, then HTML (``& < >``)
  and Markdown metacharacters; line breaks become ``<br>`` so a value stays in its
  table cell or paragraph.

Both are idempotent on their own output apart from the backslashes Markdown adds:
the escapes they write are printable ASCII.
"""

from __future__ import annotations

import re

#: C0 controls (newline handled apart), DEL, C1 controls, the Arabic letter mark,
#: LRM/RLM, the Unicode line and paragraph separators (some log viewers break lines
#: on them), the bidi embeddings/overrides and isolates, and lone surrogates (bytes
#: of a file name that is not UTF-8, decoded with ``surrogateescape``).
_CONTROLS = (
    "\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff"
)
_UNSAFE = re.compile(f"[{_CONTROLS}\n]")
_UNSAFE_KEEPING_NEWLINES = re.compile(f"[{_CONTROLS}]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: ``::`` at the start of the text or after a blank (where a wrapped or indented line
#: may begin), and ``##`` opening ``##[`` or ``##vso[``.
_LOG_COMMAND = re.compile(r"(?:(?<=\s)|^)::|##(?=\[|vso\[)")


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    named = _NAMED.get(char)
    if named is not None:
        return named
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_terminal(text: str, keep_newlines: bool = False) -> str:
    """``text`` with every control character shown as an escape, safe to print on one line.

    ``keep_newlines`` leaves ``\\n`` alone, for a whole block the tool laid out itself.
    """
    pattern = _UNSAFE_KEEPING_NEWLINES if keep_newlines else _UNSAFE
    if "::" not in text and "##" not in text and pattern.search(text) is None:
        return text  # the usual case: nothing to do, no copy
    return _LOG_COMMAND.sub(_defused, pattern.sub(_visible, text))


def _defused(match: re.Match[str]) -> str:
    return "\\x3a:" if match.group() == "::" else "#\\x23"


_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_HTML = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
#: Characters with a meaning anywhere in a line: emphasis, code, links, tables,
#: strikethrough and (on GitHub) math.
_INLINE = re.compile(r"([\\`*_\[\]|~$])")
#: Constructs that only count at the start of a line: headings, lists, setext rules.
_LEADING = re.compile(r"^(\s*)([#+=-]|\d+(?=[.)]))")


def escape_markdown(text: str) -> str:
    """``text`` as literal Markdown/HTML text: no markup, no HTML, no table or line breaks."""
    lines = _LINE_BREAK.split(text)
    escaped = []
    for line in lines:
        line = escape_terminal(line)
        line = _INLINE.sub(r"\\\1", line).translate(_HTML)
        escaped.append(_LEADING.sub(_escape_leading, line, count=1))
    return "<br>".join(escaped)


def _escape_leading(match: re.Match[str]) -> str:
    space, mark = match.group(1), match.group(2)
    if mark[0].isdigit():
        # "1. item" is an ordered list: escape the dot or parenthesis that follows.
        return space + mark + "\\"
    return space + "\\" + mark
