"""Fuzzing every importer: whatever an inventory holds, the way out is exit 0 or 2.

Real inputs (the NetBox export and API responses, Kubernetes manifests, Terraform
plans and states in tests/data) are parsed, a few of their values replaced by odd
ones (other types, huge and negative numbers, long names, lone surrogates, deep
nesting), written out again and imported. An importer may refuse an input (exit 2,
a message with no traceback), and an input it accepts must give a manifest that
resilint reads: the manifest written is checked by the manifest loader. Bounded by
``max_examples`` so that the whole file runs in a few seconds.
"""

from __future__ import annotations

import copy
import io
import json
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.cli import main
from checker.core.errors import InputError
from checker.manifest.load import load_manifests

DATA = Path(__file__).resolve().parents[1] / "data"

#: The rows of the demo export the importer reads (the rest, interfaces and ports,
#: make it 3.6 MB and are only counted), a few of each model: small, every shape.
_READ_MODELS = {
    "dcim.region",
    "dcim.sitegroup",
    "dcim.site",
    "dcim.location",
    "dcim.rack",
    "dcim.device",
    "dcim.devicerole",
    "dcim.powerpanel",
    "dcim.powerfeed",
    "dcim.powerport",
    "dcim.poweroutlet",
    "dcim.cable",
    "dcim.cabletermination",
    "extras.tag",
    "extras.taggeditem",
    "contenttypes.contenttype",
    "tenancy.tenant",
    "virtualization.cluster",
    "virtualization.virtualmachine",
}


def _netbox_dump() -> list[dict[str, Any]]:
    rows = json.loads((DATA / "netbox" / "netbox-demo-v3.6.json").read_text(encoding="utf-8"))
    kept: dict[str, int] = {}
    sample = []
    for row in rows:
        model = row["model"]
        if model in _READ_MODELS and kept.get(model, 0) < 25:
            kept[model] = kept.get(model, 0) + 1
            sample.append(row)
    return sample


REST = {
    path.name: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted((DATA / "netbox" / "pynetbox").glob("*.json"))
}
SEEDS: dict[str, list[Any]] = {
    "netbox": [_netbox_dump()],
    "kubernetes": [
        list(yaml.safe_load_all((DATA / "kubernetes" / name).read_text(encoding="utf-8")))
        for name in ("microservices-demo.yaml", "zookeeper.yaml")
    ]
    + [json.loads((DATA / "kubernetes" / "snapshot.json").read_text(encoding="utf-8"))],
    "terraform": [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((DATA / "terraform").glob("*.json"))
    ],
}

#: Values that have broken importers, or could: wrong types, numbers at and past the
#: limits, names longer than an id may be, lone surrogates, deep nesting, references
#: to nothing, NetBox's nested objects and choices, Kubernetes' kinds.
ODD = st.sampled_from(
    [
        None,
        True,
        0,
        -1,
        2**63,
        10**20 - 1,
        10**20,
        10**30,
        1.5,
        "",
        " ",
        "a\nb",
        "\ud800",
        "é",
        "n" * 1500,
        "../x",
        [],
        {},
        [None],
        {"id": None},
        {"id": "1"},
        {"value": 1, "label": None},
        ["dcim", "site"],
        {"kind": "Deployment"},
        {"matchLabels": {"app": 1}},
        json.loads("[" * 70 + "]" * 70),
    ]
)
KEYS = ["id", "name", "slug", "kind", "metadata", "spec", "values", "resources", "x"]


@st.composite
def altered(draw: st.DrawFn, data: Any) -> Any:
    """``data`` (copied) with a few values replaced, removed or added at random places."""
    data = copy.deepcopy(data)
    for _ in range(draw(st.integers(1, 5))):
        parent: Any = None
        key: Any = None
        node = data
        for _ in range(draw(st.integers(0, 8))):
            if isinstance(node, dict) and node:
                key = draw(st.sampled_from(sorted(node)))
            elif isinstance(node, list) and node:
                key = draw(st.integers(0, len(node) - 1))
            else:
                break
            parent, node = node, node[key]
        if parent is None:
            continue
        action = draw(st.sampled_from(["replace", "replace", "remove", "add"]))
        # A copy: a later change must not alter the shared odd value itself.
        odd = copy.deepcopy(draw(ODD))
        if action == "replace":
            parent[key] = odd
        elif action == "remove":
            del parent[key]
        elif isinstance(parent, dict):
            parent[draw(st.sampled_from(KEYS))] = odd
        else:
            parent.append(odd)
    return data


FUZZ = settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)


def _write_json(path: Path, data: Any) -> None:
    # ensure_ascii: a lone surrogate is written as the escape an export would hold.
    path.write_text(json.dumps(data), encoding="utf-8")


def _import(source: str, given: Path, written: Path) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(["import", source, str(given), "-o", str(written)])
    return code, err.getvalue()


def _holds(source: str, given: Path, workdir: Path) -> None:
    written = workdir / "manifest.yaml"
    written.unlink(missing_ok=True)
    code, err = _import(source, given, written)
    assert code in (0, 2), err
    assert "Traceback" not in err and "internal error" not in err, err
    if code == 2:
        assert "error: " in err and not written.exists()
        return
    try:
        load_manifests([written])
    except InputError as error:
        # An inventory with nothing to map gives an empty manifest (stderr says why).
        assert "defines no domain and no service" in str(error), str(error)


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-import")


@pytest.mark.parametrize("source", ["netbox", "terraform"])
def test_json_importers(workdir: Path, source: str) -> None:
    @FUZZ
    @given(st.sampled_from(SEEDS[source]).flatmap(altered))
    def run(data: Any) -> None:
        given = workdir / "inventory.json"
        _write_json(given, data)
        _holds(source, given, workdir)

    run()


def test_netbox_api_responses(workdir: Path) -> None:
    @FUZZ
    @given(
        st.sampled_from(sorted(REST)).flatmap(
            lambda name: st.tuples(st.just(name), altered(REST[name]))
        )
    )
    def run(changed: tuple[str, Any]) -> None:
        folder = workdir / "responses"
        folder.mkdir(exist_ok=True)
        for name, response in REST.items():
            _write_json(folder / name, changed[1] if name == changed[0] else response)
        _holds("netbox", folder, workdir)

    run()


def test_kubernetes(workdir: Path) -> None:
    @FUZZ
    @given(st.sampled_from(SEEDS["kubernetes"]).flatmap(altered), st.booleans())
    def run(data: Any, as_yaml: bool) -> None:
        if as_yaml and isinstance(data, list):
            given = workdir / "objects.yaml"
            given.write_text(yaml.safe_dump_all(data), encoding="utf-8")
        else:
            given = workdir / "objects.json"
            _write_json(given, data)
        _holds("kubernetes", given, workdir)

    run()
