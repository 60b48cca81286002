"""Every importer reads its inputs as every other input is read: special files refused."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import Run


@pytest.mark.parametrize("source", ["netbox", "kubernetes", "terraform"])
def test_a_fifo_given_as_input_is_refused_not_opened(
    tmp_path: Path, source: str, run_cli: Callable[..., Run]
) -> None:
    fifo = tmp_path / "inventory.json"
    os.mkfifo(fifo)
    result = run_cli("import", source, str(fifo))
    assert result.code == 2
    assert "is a named pipe (FIFO), not a regular file" in result.err
    assert "Traceback" not in result.err


@pytest.mark.parametrize("source", ["netbox", "kubernetes", "terraform"])
def test_an_input_over_the_size_limit_is_refused(
    tmp_path: Path,
    source: str,
    run_cli: Callable[..., Run],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("RESILINT_MAX_FILE_BYTES", "64")
    big = tmp_path / "inventory.json"
    big.write_text("[" + ", ".join(["{}"] * 100) + "]", encoding="utf-8")
    result = run_cli("import", source, str(big))
    assert result.code == 2
    assert "RESILINT_MAX_FILE_BYTES" in result.err


#: The smallest input each importer maps to an entity; ``VALUE`` is replaced by a test.
SMALLEST = {
    "netbox": '[{"model": "dcim.site", "pk": 1, "fields": {"name": VALUE, "slug": "a"}}]',
    "terraform": (
        '{"format_version": "1.2", "values": {"root_module": {"resources": [{"address":'
        ' "aws_instance.web", "mode": "managed", "type": "aws_instance", "name": "web",'
        ' "values": {"availability_zone": "eu-west-1a", "tags": {"Name": VALUE}}}]}}}'
    ),
    "kubernetes": (
        '{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "apps/v1", "kind":'
        ' "Deployment", "metadata": {"name": "web", "labels": {"x": VALUE}}}]}'
    ),
}


@pytest.mark.parametrize("source", ["netbox", "kubernetes", "terraform"])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12345678901234567890123", "an integer of more than 20 digits"),
        # Past what Python's int() parses: json.loads itself raises, not with a position.
        ("9" * 5000, "an integer of more than 20 digits"),
        ('"a\\ud800"', "a string holds a lone UTF-16 surrogate"),
    ],
)
def test_a_scalar_over_a_limit_is_an_error_at_its_place_in_every_importer(
    tmp_path: Path, source: str, value: str, message: str, run_cli: Callable[..., Run]
) -> None:
    text = SMALLEST[source].replace("VALUE", value)
    given = tmp_path / "inventory.json"
    given.write_text(text, encoding="utf-8")
    written = tmp_path / "manifest.yaml"
    result = run_cli("import", source, str(given), "-o", str(written))
    assert result.code == 2, result.err
    # Reported where a value of a mapping is, as in every report: at its key.
    at = text.index(value)
    key_column = text.rindex('"', 0, at - len('": ')) + 1
    assert f"inventory.json:1:{key_column}: error: {message}" in result.err
    assert "Traceback" not in result.err
    assert not written.exists()


def test_an_import_that_would_write_a_manifest_resilint_refuses_is_an_error(
    tmp_path: Path, run_cli: Callable[..., Run]
) -> None:
    # Within every input limit, but the site's slug becomes a domain id (a mapping key
    # in the manifest) longer than a key may be.
    given = tmp_path / "sites.json"
    given.write_text(
        json.dumps([{"model": "dcim.site", "pk": 7, "fields": {"name": "S", "slug": "s" * 2000}}]),
        encoding="utf-8",
    )
    written = tmp_path / "manifest.yaml"
    result = run_cli("import", "netbox", str(given), "-o", str(written))
    assert result.code == 2
    assert result.err.splitlines()[-1] == (
        "resilint: error: the manifest would break a limit at domains -> "
        f"{'s' * 40}...{'s' * 20} (2,000 characters) "
        "(from dcim.site 7 'S'): a key of 2,000 characters, above the limit of 1,024"
    )
    assert not written.exists()
