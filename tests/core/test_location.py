"""Locations as editors and CI count them, and pointers into documents."""

from __future__ import annotations

from checker.core.location import Location, pointer_to_str


def test_a_location_prints_as_path_line_column() -> None:
    assert str(Location("infra/m.yaml", 12, 3)) == "infra/m.yaml:12:3"
    assert str(Location("m.yaml")) == "m.yaml:1:1"  # a whole-file problem: its start


def test_pointers_are_rfc_6901_json_pointers() -> None:
    assert pointer_to_str(()) == ""
    assert pointer_to_str(("services", "auth", "depends_on", 0)) == "/services/auth/depends_on/0"
    # Ids hold slashes: escaped as ~1, and a literal ~ as ~0 (in that order).
    assert pointer_to_str(("domains", "pangyo/b3-ups", "a~b")) == "/domains/pangyo~1b3-ups/a~0b"
    assert pointer_to_str(("x", "~1")) == "/x/~01"
