"""Durations (docs/manifest.md): ``90s``, ``15m``, ``4h``, ``2d``, ``1w``, ``1h30m``."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.core.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90s", 90),
        ("15m", 900),
        ("4h", 14_400),
        ("2d", 172_800),
        ("1w", 604_800),
        ("1h30m", 5_400),
        ("0s", 0),
    ],
)
def test_parse(text: str, seconds: int) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["3 hours", "", "1.5h", "h", "10", "1H", " 1h", "1h ", "1h\n"])
def test_what_is_not_a_duration_says_how_to_write_one(text: str) -> None:
    with pytest.raises(ValueError) as raised:
        parse_duration(text)
    assert str(raised.value) == (
        f"{text!r} is not a duration: use a number (at most 18 digits) and a unit, "
        "e.g. 90s, 15m, 4h, 2d, 1w"
    )


@pytest.mark.parametrize(
    ("seconds", "text"),
    [(0, "0s"), (59, "59s"), (90, "1m30s"), (5_400, "1h30m"), (691_200, "1w1d"), (86_401, "1d1s")],
)
def test_format_is_the_shortest_exact_spelling(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


@given(st.integers(0, 10**8))
def test_format_then_parse_is_the_identity(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds
