"""Words for people: suggestions, plurals of free words (kinds), short listings."""

from __future__ import annotations

import pytest

from checker.core.words import listing, plural, suggest


@pytest.mark.parametrize(
    ("count", "word", "text"),
    [
        (1, "facility", "1 facility"),
        (2, "facility", "2 facilities"),
        (0, "rack", "0 racks"),
        (2, "bay", "2 bays"),  # a vowel before the y
        (2, "switch", "2 switches"),
        (3, "bus", "3 buses"),
        (2, "box", "2 boxes"),
        (2, "power-feed", "2 power-feeds"),
    ],
)
def test_plural(count: int, word: str, text: str) -> None:
    assert plural(count, word) == text


def test_suggest_the_closest_word_or_nothing() -> None:
    keys = ["kind", "parent", "depends_on", "labels", "meta"]
    assert suggest("depnds_on", keys) == "; did you mean 'depends_on'?"
    assert suggest("parnt", keys) == "; did you mean 'parent'?"
    assert suggest("owner", keys) == ""
    assert suggest("kind", []) == ""


def test_listing_shows_the_first_few_and_counts_the_rest() -> None:
    assert listing([]) == ""
    assert listing(["a", "b"]) == "a, b"
    assert listing(["a", "b", "c", "d", "e"]) == "a, b, c, d, e"
    assert listing(["a", "b", "c", "d", "e", "f", "g"]) == "a, b, c, d, e and 2 more"
    assert listing(["a", "b", "c"], limit=1) == "a and 2 more"
