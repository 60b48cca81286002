"""Positions inside TOML values that a line scan of keys cannot give.

- the item of an array (``disable = [\\n  "a",\\n  "nope",\\n]``: ``disable[1]`` is on
  line 3), so that a bad entry is reported where it is written;
- where an error "at end of document" begins: the bracket or string left open, or
  the last thing written, rather than line 1.

A small scanner that knows TOML's strings (basic, literal, multi-line), comments and
brackets; it is only run when something must be reported.
"""

from __future__ import annotations

from collections.abc import Iterator

_QUOTES = ('"""', "'''", '"', "'")


def _tokens(text: str, start: int = 0) -> Iterator[tuple[int, str]]:
    """(offset, token) for each bracket, comma, string start and ``=`` from ``start``;
    strings are skipped whole (an unterminated one yields ``"open-string"``)."""
    index = start
    length = len(text)
    while index < length:
        char = text[index]
        if char == "#":
            end = text.find("\n", index)
            index = length if end == -1 else end
            continue
        quote = next((q for q in _QUOTES if text.startswith(q, index)), None)
        if quote is not None:
            yield index, "string"
            closed = _string_end(text, index, quote)
            if closed is None:
                yield index, "open-string"
                return
            index = closed
            continue
        if char in "[]{},=\n":
            yield index, char
        index += 1


def _string_end(text: str, start: int, quote: str) -> int | None:
    index = start + len(quote)
    while True:
        end = text.find(quote, index)
        if end == -1 or (len(quote) == 1 and "\n" in text[index:end]):
            return None
        if quote.startswith('"') and _escaped(text, end):
            index = end + 1
            continue
        # A multi-line string may end with up to two more quotes inside it.
        while len(quote) == 3 and text.startswith(quote[0], end + 3):
            end += 1
        return end + len(quote)


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - backslashes - 1 >= 0 and text[index - backslashes - 1] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def _position(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _offset(text: str, line: int, column: int) -> int:
    offset = 0
    for _ in range(line - 1):
        offset = text.index("\n", offset) + 1
    return offset + column - 1


def _skip_space(text: str, index: int) -> int:
    """The first offset at or after ``index`` that is not blank, a newline or a comment."""
    while index < len(text):
        if text[index] in " \t\r\n":
            index += 1
        elif text[index] == "#":
            end = text.find("\n", index)
            index = len(text) if end == -1 else end
        else:
            break
    return index


def item_position(text: str, line: int, column: int, index: int) -> tuple[int, int] | None:
    """Where item ``index`` of the array assigned at the key written at ``line:column``
    begins, or None when the value is not an array written there."""
    try:
        offset = _offset(text, line, column)
    except ValueError:
        return None
    equals = next((at for at, token in _tokens(text, offset) if token in ("=", "\n")), None)
    if equals is None or text[equals] != "=":
        return None
    at = _skip_space(text, equals + 1)
    if not text.startswith("[", at):
        return None
    at += 1
    for _ in range(index):
        depth = 0
        for position, token in _tokens(text, _skip_space(text, at)):
            if token == "open-string":
                return None
            if token in ("[", "{"):
                depth += 1
            elif token in ("]", "}"):
                if depth == 0:
                    return None  # the array ends before item ``index``
                depth -= 1
            elif token == "," and depth == 0:
                at = position + 1
                break
        else:
            return None
    at = _skip_space(text, at)
    if at >= len(text) or text[at] == "]":
        return None
    return _position(text, at)


def end_of_document_error(text: str) -> tuple[int, int]:
    """Where an error reported "at end of document" begins: the outermost bracket or the
    string left open, else the last character written."""
    opened: list[int] = []
    for at, token in _tokens(text):
        if token == "open-string":
            return _position(text, at)
        if token in ("[", "{"):
            opened.append(at)
        elif token in ("]", "}") and opened:
            opened.pop()
    if opened:
        return _position(text, opened[0])
    stripped = text.rstrip()
    return _position(text, max(len(stripped) - 1, 0))
