"""TOML positions from table headers and keys."""

from __future__ import annotations

from checker.loading.toml_source import parse_toml

TEXT = """\
version = 1

[domains."pangyo/hall-a"]
kind = "hall"
depends_on = ["pangyo/ups"]

[services.auth]
tier = "critical"
instances = ["pangyo/hall-a"]

[[services.auth.backups]]
at = "ansan"
every = "24h"
"""


def test_tables_keys_and_arrays_of_tables() -> None:
    locate = parse_toml(TEXT, "m.toml").locator.locate
    assert locate(("domains", "pangyo/hall-a")) == (3, 1)
    assert locate(("domains", "pangyo/hall-a", "depends_on", 0)) == (5, 15)
    assert locate(("services", "auth", "tier")) == (8, 1)
    assert locate(("services", "auth", "backups", 0, "every")) == (13, 1)
    assert locate(("services", "nobody")) == (7, 1)  # nearest known: the services table
