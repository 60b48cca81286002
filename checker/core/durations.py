"""Durations such as ``90s``, ``15m``, ``4h``, ``2d``, ``1w`` or ``1h30m``, as seconds."""

from __future__ import annotations

import functools
import re

_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}
#: At most 18 digits a number (over 30 billion years in seconds): a longer one would be
#: refused by Python's int() at 4,300 digits, or print as a number nobody can read.
MAX_DIGITS = 18
#: ASCII digits only (``\d`` would also take Arabic-Indic and other digits); the editor
#: schemas and pydantic use this pattern too, so it keeps ``^...$`` (ECMA and Rust regexes
#: anchor ``$`` at the very end). Python code must use it with ``fullmatch``.
PATTERN = rf"^([0-9]{{1,{MAX_DIGITS}}}[smhdw])+$"
_DURATION = re.compile(PATTERN)
_PART = re.compile(r"([0-9]+)([smhdw])")


@functools.lru_cache(maxsize=1024)
def parse_duration(text: str) -> int:
    """Seconds in ``text``; ``ValueError`` with a helpful message when it is not a duration."""
    if not isinstance(text, str) or not _DURATION.fullmatch(text):
        raise ValueError(
            f"{text!r} is not a duration: use a number (at most {MAX_DIGITS} digits) and a "
            "unit, e.g. 90s, 15m, 4h, 2d, 1w"
        )
    return sum(int(number) * _UNIT_SECONDS[unit] for number, unit in _PART.findall(text))


def format_duration(seconds: int) -> str:
    """The shortest exact spelling: ``5400`` -> ``1h30m``."""
    if seconds == 0:
        return "0s"
    parts = []
    for unit in ("w", "d", "h", "m", "s"):
        size = _UNIT_SECONDS[unit]
        if seconds >= size:
            parts.append(f"{seconds // size}{unit}")
            seconds %= size
    return "".join(parts)
