"""Overlays (``extend:``): hand-kept facts on entities another file defines."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from checker.core.errors import ManifestError
from checker.manifest.load import load_manifests
from tests.conftest import Run

IMPORTED = """\
version: 1
domains:
  zone-a: {kind: facility}
  zone-b: {kind: facility}
  node-1: {kind: host, parent: zone-a}
  host-x: {kind: host}
services:
  default/web: {tier: medium, instances: [node-1], labels: {app: web}, depends_on: [zone-a]}
  default/db: {tier: medium, instances: [node-1], backups: [{at: zone-a, every: 1d}]}
"""


def _write(tmp_path: Path, **files: str) -> list[Path]:
    paths = []
    for name, text in files.items():
        path = tmp_path / f"{name}.yaml"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def test_an_overlay_replaces_appends_and_merges(tmp_path: Path) -> None:
    hand = """\
version: 1
extend:
  default/web:
    tier: critical
    owner: web-team
    rto: 1h
    depends_on: [default/db]
    labels: {team: web, app: frontend}
  default/db:
    backups: [{at: zone-b, every: 6h}]
  host-x: {parent: zone-b, depends_on: [zone-a]}
"""
    model = load_manifests(_write(tmp_path, imported=IMPORTED, hand=hand))
    web = model.services["default/web"]
    assert (web.tier, web.owner, web.rto_seconds) == ("critical", "web-team", 3600)
    assert [r.members for r in web.requires] == [("zone-a",), ("default/db",)]
    assert dict(web.labels) == {"app": "frontend", "team": "web"}
    assert [b.at for b in model.services["default/db"].backups] == ["zone-a", "zone-b"]
    host = model.domains["host-x"]
    assert (host.parent, [r.members for r in host.requires]) == ("zone-b", [("zone-a",)])
    # The generated file is read, never written.
    assert (tmp_path / "imported.yaml").read_text(encoding="utf-8") == IMPORTED


def test_two_overlays_that_agree_are_fine(tmp_path: Path) -> None:
    one = "version: 1\nextend:\n  default/web: {tier: high, labels: {team: a}}\n"
    two = "version: 1\nextend:\n  default/web: {tier: high, labels: {team: a}}\n"
    model = load_manifests(_write(tmp_path, imported=IMPORTED, one=one, two=two))
    assert model.services["default/web"].tier == "high"


@pytest.mark.parametrize(
    ("overlay", "message"),
    [
        (
            "version: 1\nextend:\n  default/webb: {tier: high}\n",
            "bad.yaml:3:3: extend: no domain or service 'default/webb' is defined; "
            "did you mean 'default/web'?",
        ),
        (
            "version: 1\nextend:\n  node-1: {parent: zone-b}\n",
            "bad.yaml:3:12: extend: domain 'node-1' already has parent 'zone-a'; an overlay "
            "may only give a parent to a domain that has none",
        ),
        (
            "version: 1\nextend:\n  zone-a: {tier: high}\n",
            "bad.yaml:3:12: extend: 'tier' of domain 'zone-a' comes from its own definition; "
            "an overlay can set depends_on, labels, parent (when it has none)",
        ),
        (
            "version: 1\nextend:\n  default/web: {parent: zone-a}\n",
            "bad.yaml:3:17: extend: 'parent' of service 'default/web' comes from its own "
            "definition; an overlay can set tier, owner, rto, rpo, depends_on, backups, labels",
        ),
        (
            "version: 1\nextend:\n  default/web: {tier: high}\n  default/db: {owner: x}\n"
            "  default/web: {tier: low}\n",
            "bad.yaml:5:3: duplicate key 'default/web'",
        ),
    ],
)
def test_a_dangling_or_impossible_overlay_is_an_error_at_its_line(
    tmp_path: Path, overlay: str, message: str
) -> None:
    paths = _write(tmp_path, imported=IMPORTED, bad=overlay)
    with pytest.raises(ManifestError) as raised:
        load_manifests(paths)
    shown = [str(p).replace(str(tmp_path) + "/", "") for p in raised.value.problems]
    assert any(message in line for line in shown), shown


def test_conflicting_overlays_name_both_places(
    tmp_path: Path, run_cli: Callable[..., Run], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    one = "version: 1\nextend:\n  default/web:\n    tier: critical\n    labels: {team: a}\n"
    two = "version: 1\nextend:\n  default/web:\n    labels: {team: b}\n    tier: critical\n"
    _write(tmp_path, imported=IMPORTED, one=one, two=two)
    result = run_cli("check", "imported.yaml", "one.yaml", "two.yaml")
    assert result.code == 2
    assert (
        "two.yaml:4:5: error: extend: labels.team of 'default/web' is set to 'b' here and to "
        "'a' at one.yaml:5:5: overlays must agree"
    ) in result.err
