"""Hostile inputs: each exits 2 with one message at its file and line, and no traceback.

Every input that broke resilint (a traceback, minutes, gigabytes, a file read or a
connection opened) is kept here, generated in the test. Each runs through the real
command line (``checker.cli.main``), in a temporary directory, and must leave every
input byte-for-byte as it was. Legal but expensive inputs (exit 0 or 1) are at the end.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import NamedTuple

import pytest
import yaml

from tests.conftest import Run
from tests.quiet_server import QuietServer

DOMAINS = "version: 1\ndomains:\n  f1: {kind: facility}\n  r1: {kind: rack, parent: f1}\n"


def service(owner: str = "team", extra: str = "") -> str:
    return (
        DOMAINS
        + f"services:\n  s:\n    tier: critical\n    owner: {owner}\n    instances: [r1]\n{extra}"
    )


def rule(body: str) -> str:
    return f"version: 1\nrules:\n  r:\n    title: t\n    severity: high\n{body}"


def feeds(count: int, need: int = 1) -> str:
    names = [f"p{i}" for i in range(count)]
    return json.dumps(
        {
            "version": 1,
            "domains": {
                "f1": {"kind": "facility"},
                **{name: {"kind": "power-feed"} for name in names},
                "h1": {
                    "kind": "hall",
                    "parent": "f1",
                    "depends_on": [{"any_of": names, "min": need}],
                },
                "r1": {"kind": "rack", "parent": "h1"},
            },
            "services": {"s": {"tier": "critical", "instances": ["r1"]}},
        }
    )


class Case(NamedTuple):
    files: dict[str, str | bytes]
    args: tuple[str, ...]
    where: str  # "file:line" the first message starts with
    words: str  # in the message


TOO_DEEP = "nested more than 64 levels deep"


def _libyaml_stops_deep() -> bool:
    """Whether PyYAML's C parser refuses 1,000 levels of nesting itself, as the one in
    PyYAML 6.0.4's wheels does (earlier ones do not): it then says so first, before
    resilint's own limit (64 levels, the message of every other deep input). Either is
    a clean error."""
    try:
        yaml.load("[" * 1001 + "]" * 1001, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as error:
        return "maximum nesting depth" in str(error)
    return False


_LIBYAML_STOPS_DEEP = _libyaml_stops_deep()
INT_TOO_LONG = "an integer of more than 20 digits"
SURROGATE = "a string holds a lone UTF-16 surrogate"
SURROGATE_JSON = json.dumps(
    {
        "version": 1,
        "domains": {"f1": {"kind": "facility"}},
        "services": {"s": {"tier": "critical", "owner": "x", "instances": ["f1"]}},
    },
    indent=1,
).replace('"owner": "x"', '"owner": "\\ud800"')

PARENT_CHAIN = {
    "d0": {"kind": "facility"},
    **{f"d{i}": {"kind": "rack", "parent": f"d{i - 1}"} for i in range(1, 20_000)},
}
REQUIREMENT_CHAIN = {
    "d0": {"kind": "facility"},
    **{f"d{i}": {"kind": "rack", "depends_on": [f"d{i - 1}"]} for i in range(1, 20_000)},
}
END = {"s": {"tier": "critical", "instances": ["d19999"]}}

CASES: dict[str, Case] = {
    # ------------------------------------------------------------------ loaders
    "json-nested-100k": Case(
        {"m.json": "[" * 100_000}, ("check", "m.json"), "m.json:1:65", TOO_DEEP
    ),
    "json-int-5000-digits": Case(
        {"m.json": '{"version": 1,\n "x": ' + "9" * 5000 + "}"},
        ("check", "m.json"),
        "m.json:2:2",
        INT_TOO_LONG,
    ),
    "json-lone-surrogate-check-json": Case(
        {"m.json": SURROGATE_JSON}, ("check", "m.json", "-f", "json"), "m.json:", SURROGATE
    ),
    "json-lone-surrogate-check-sarif": Case(
        {"m.json": SURROGATE_JSON}, ("check", "m.json", "-f", "sarif"), "m.json:", SURROGATE
    ),
    "json-lone-surrogate-graph": Case(
        {"m.json": SURROGATE_JSON}, ("graph", "m.json"), "m.json:", SURROGATE
    ),
    "json-lone-surrogate-id": Case(
        {"m.json": '{"version": 1,\n "domains": {"f\\udfff": {"kind": "x"}}}'},
        ("check", "m.json"),
        "m.json:2:14",
        SURROGATE,
    ),
    "json-id-with-newline": Case(
        {
            "m.json": '{"version": 1,\n "domains": {"app": {"kind": "x"},\n'
            '  "app\\n": {"kind": "x"}}}'
        },
        ("check", "m.json"),
        "m.json:3:3",
        "'app\\n' is not a valid id",
    ),
    "yaml-duration-with-newline": Case(
        {"m.yaml": service(extra='    rto: "1h\\n"\n')},
        ("check", "m.yaml"),
        "m.yaml:10",
        "is not a duration",
    ),
    "yaml-duration-5000-digits": Case(
        {"m.yaml": service(extra=f"    backups: [{{at: f1, every: {'9' * 5000}s}}]\n")},
        ("check", "m.yaml"),
        "m.yaml:10",
        "is not a duration",
    ),
    "yaml-count-25-digits": Case(
        {"m.yaml": service().replace("[r1]", "[{at: r1, count: " + "9" * 25 + "}]")},
        ("check", "m.yaml"),
        "m.yaml:9:33",
        INT_TOO_LONG,
    ),
    "yaml-hex-int": Case(
        {"m.yaml": "version: 0x" + "f" * 3000}, ("check", "m.yaml"), "m.yaml:1:10", INT_TOO_LONG
    ),
    "yaml-nested-70": Case(
        {"m.yaml": "version: 1\nx: " + "[" * 70 + "]" * 70},
        ("check", "m.yaml"),
        "m.yaml:2:67",
        TOO_DEEP,
    ),
    "yaml-nested-1000": Case(
        {"m.yaml": "x: " + "[" * 1000 + "]" * 1000},
        ("check", "m.yaml"),
        *(
            ("m.yaml:1:1003", "maximum nesting depth")
            if _LIBYAML_STOPS_DEEP
            else ("m.yaml:1:67", TOO_DEEP)
        ),
    ),
    "yaml-20mb-list-error-at-end": Case(
        {"m.yaml": "version: 1\nitems:\n" + "- a\n" * 5_000_000 + "- [\n"},
        ("check", "m.yaml"),
        "m.yaml:5000004:1",
        "invalid YAML",
    ),
    "yaml-3.1m-values": Case(
        {"m.yaml": "version: 1\nx: [" + "a," * 3_100_000 + "]\n"},
        ("check", "m.yaml"),
        "m.yaml:1:1",
        "above the limit of 3,000,000 for one file",
    ),
    "yaml-alias-bomb": Case(
        {
            "m.yaml": "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
            + "".join(
                f"{c}: &{c} [{', '.join([f'*{p}'] * 10)}]\n"
                for p, c in zip("abcdefg", "bcdefgh", strict=True)
            )
        },
        ("check", "m.yaml"),
        "m.yaml:1:",
        "alias bomb",
    ),
    "toml-dotted-key-40000-parts": Case(
        {"m.toml": "version = 1\n" + ".".join(["a"] * 40_000) + " = 1\n"},
        ("check", "m.toml"),
        "m.toml:2:1",
        "more than 32 parts",
    ),
    "toml-nested-1000-manifest": Case(
        {"m.toml": "version = 1\nx = " + "[" * 1000 + "]" * 1000},
        ("check", "m.toml"),
        "m.toml:2:69",
        TOO_DEEP,
    ),
    "toml-nested-1000-config": Case(
        {"m.yaml": DOMAINS, "c.toml": "x = " + "{a = " * 1000 + "1" + "}" * 1000},
        ("check", "--config", "c.toml", "m.yaml"),
        "c.toml:1:325",
        TOO_DEEP,
    ),
    "toml-nested-1000-waivers": Case(
        {"m.yaml": DOMAINS, "w.toml": "waivers = " + "[" * 1000 + "]" * 1000},
        ("check", "--waivers", "w.toml", "m.yaml"),
        "w.toml:1:75",
        TOO_DEEP,
    ),
    "toml-int-5000-digits": Case(
        {"m.toml": "version = 1\nx = " + "9" * 5000},
        ("check", "m.toml"),
        "m.toml:2:5",
        INT_TOO_LONG,
    ),
    "toml-8.5-mib": Case(
        {"m.toml": "version = 1\n" + "# x\n" * 2_200_000},
        ("check", "m.toml"),
        "m.toml:1:1",
        "above the limit of 8 MiB",
    ),
    # ----------------------------------------------------------------- policies
    "policy-ref-loop": Case(
        {
            "m.yaml": service(),
            "p.yaml": rule("    schema: {$defs: {x: {$ref: '#/$defs/x'}}, $ref: '#/$defs/x'}\n"),
        },
        ("check", "-p", "p.yaml", "m.yaml"),
        "p.yaml:6:5",
        "at /$defs/x/$ref: this $ref leads back to a schema that contains it",
    ),
    "policy-ref-missing": Case(
        {"m.yaml": service(), "p.yaml": rule("    schema: {$ref: '#/$defs/nothing'}\n")},
        ("check", "-p", "p.yaml", "m.yaml"),
        "p.yaml:6:5",
        "$ref '#/$defs/nothing' points to nothing in this schema",
    ),
    "policy-where-150-deep": Case(
        {
            "m.yaml": service(),
            "p.yaml": rule(
                "    select: {where: " + "{not: " * 150 + "{}" + "}" * 150 + "}\n    acyclic: {}\n"
            ),
        },
        ("check", "-p", "p.yaml", "m.yaml"),
        "p.yaml:6:",
        TOO_DEEP,
    ),
    "policy-backreference": Case(
        {
            "m.yaml": service(),
            "p.yaml": rule("    schema: {properties: {owner: {pattern: '(a)\\1'}}}\n"),
        },
        ("check", "-p", "p.yaml", "m.yaml"),
        "p.yaml:6:5",
        "uses a backreference, which RE2 does not support",
    ),
    "policy-lookahead-in-where": Case(
        {
            "m.yaml": service(),
            "p.yaml": rule(
                "    select: {where: {patternProperties: {'^(?!x)': true}}}\n    acyclic: {}\n"
            ),
        },
        ("check", "-p", "p.yaml", "m.yaml"),
        "p.yaml:6:",
        "uses a lookahead (?= or (?!, which RE2 does not support",
    ),
    "policy-unknown-metaschema": Case(
        {
            "m.yaml": service(),
            "p.yaml": rule("    schema: {$schema: 'http://127.0.0.1:9/meta', type: object}\n"),
        },
        ("check", "-p", "p.yaml", "m.yaml"),
        "p.yaml:6:5",
        "unknown $schema 'http://127.0.0.1:9/meta'",
    ),
    "policy-yaml-date-in-schema-explain-json": Case(
        {"p.yaml": rule("    schema: {properties: {since: {const: 2020-01-01}}}\n")},
        ("explain", "r", "-p", "p.yaml", "-f", "json"),
        "p.yaml:6:5",
        "at /properties/since/const: datetime.date(2020, 1, 1) is not a JSON value",
    ),
    "parent-chain-20000-graph": Case(
        {"m.json": json.dumps({"version": 1, "domains": PARENT_CHAIN})},
        ("graph", "m.json"),
        "m.json:1:",
        "domain 'd64' is nested 65 levels deep through 'parent', above the limit of 64",
    ),
    # ------------------------------------------------------------------- searches
    "risk-groups-requirement-chain-20000": Case(
        {"m.json": json.dumps({"version": 1, "domains": REQUIREMENT_CHAIN, "services": END})},
        ("risk-groups", "-m", "m.json"),
        "resilint",
        "would follow failures through 200,030,000 entities, above the limit of 25,001,000",
    ),
    "risk-groups-max-size-huge": Case(
        {"m.yaml": service()},
        ("risk-groups", "s", "--max-size", "1000000000000", "-m", "m.yaml"),
        "resilint",
        "at most 8 can be searched",
    ),
    "survives-3-of-800-feeds": Case(
        {"m.json": feeds(800), "p.yaml": rule("    survives: {loss_of: any, max_size: 3}\n")},
        ("check", "-p", "p.yaml", "m.json"),
        "p.yaml:3:3",
        "rule 'r': searching risk groups of 3 domains would try 85,013,600 failure scenarios",
    ),
    "risk-groups-any-2-of-800-feeds": Case(
        {"m.json": feeds(800, need=799)},
        ("risk-groups", "-m", "m.json"),
        "resilint",
        "would try 319,600 failure scenarios",
    ),
}


def _digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and not p.is_symlink()
    }


def _write(root: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = root / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


@pytest.mark.parametrize("case", list(CASES.values()), ids=list(CASES))
def test_hostile_input_exits_2_at_its_file_and_line(
    in_tmp: Path, run_cli: Callable[..., Run], case: Case
) -> None:
    _write(in_tmp, case.files)
    before = _digest(in_tmp)
    result = run_cli(*case.args)
    assert "Traceback" not in result.err + result.out
    assert result.code == 2, result.err[:2000]
    if "-f" in case.args and result.out:
        # A requested report is still written, and says why the run failed (docs/ci.md).
        report = json.loads(result.out)
        assert case.words in json.dumps(report, ensure_ascii=False), result.out[:2000]
    else:
        assert result.out == ""
    first = result.err.splitlines()[0]
    assert first.startswith(case.where), first[:500]
    assert case.words in result.err, result.err[:2000]
    assert _digest(in_tmp) == before


LOOPS = {
    # A path, not a place in a file: the message names it without a made-up position.
    "manifest": (("check", "loop.yaml"), "resilint: error: symbolic link loop: loop.yaml"),
    "graph": (("graph", "loop.yaml"), "resilint: error: symbolic link loop: loop.yaml"),
    "policy": (("check", "-p", "loop.yaml", "m.yaml"), "error: policy file not found: loop.yaml"),
    "config": (
        ("check", "--config", "loop.yaml", "m.yaml"),
        "loop.yaml:1:1: error: cannot read file: Too many levels of symbolic links",
    ),
    "waivers": (("check", "--waivers", "loop.yaml", "m.yaml"), "error: waivers file not found"),
    "baseline": (("check", "--baseline", "loop.yaml", "m.yaml"), "error: baseline file not found"),
    "output": (
        ("check", "m.yaml", "-f", "json=loop.yaml"),
        "cannot write json output to loop.yaml",
    ),
}


@pytest.mark.parametrize(("args", "message"), list(LOOPS.values()), ids=list(LOOPS))
def test_a_symlink_loop_given_as_a_file_is_an_error(
    in_tmp: Path, run_cli: Callable[..., Run], args: tuple[str, ...], message: str
) -> None:
    _write(in_tmp, {"m.yaml": service()})
    (in_tmp / "loop.yaml").symlink_to("other.yaml")
    (in_tmp / "other.yaml").symlink_to("loop.yaml")
    result = run_cli(*args)
    assert "Traceback" not in result.err
    assert result.code == 2, result.err
    assert message in result.err.splitlines()[0]


# ------------------------------------------------------ no file read, no connection


class _Recorder(BaseHTTPRequestHandler):
    """Records each request, then never answers (until the test is over)."""

    requests: list[str] = []  # noqa: RUF012 - shared by the handler threads on purpose
    release = threading.Event()

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.release.wait(60)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def silent_server() -> Iterator[tuple[str, list[str]]]:
    _Recorder.requests = []
    _Recorder.release = threading.Event()
    server = QuietServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    finally:
        _Recorder.release.set()
        server.shutdown()
        server.server_close()


def _run_with_deadline(run_cli: Callable[..., Run], *args: str) -> Run:
    """The run, which must end on its own: a hung connection fails the test, not CI."""
    results: list[Run] = []
    worker = threading.Thread(target=lambda: results.append(run_cli(*args)), daemon=True)
    worker.start()
    worker.join(30)
    assert results, "resilint did not finish: it is waiting on the network"
    return results[0]


@pytest.mark.parametrize("place", ["schema", "where"])
def test_a_ref_to_a_url_opens_no_connection(
    in_tmp: Path,
    run_cli: Callable[..., Run],
    silent_server: tuple[str, list[str]],
    place: str,
) -> None:
    url, requests = silent_server
    body = (
        f"    schema: {{properties: {{owner: {{$ref: '{url}/owner.json'}}}}}}\n"
        if place == "schema"
        else f"    select: {{where: {{$ref: '{url}/where.json'}}}}\n    acyclic: {{}}\n"
    )
    _write(in_tmp, {"m.yaml": service(), "p.yaml": rule(body)})
    result = _run_with_deadline(run_cli, "check", "-p", "p.yaml", "m.yaml")
    assert result.code == 2
    assert result.err.startswith("p.yaml:6:")
    assert "points outside this schema" in result.err
    assert requests == []


def test_a_ref_to_a_local_file_reads_nothing(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    secret = in_tmp / "secret.json"
    secret.write_text('{"const": "TOPSECRET-0451"}', encoding="utf-8")
    body = f"    schema: {{properties: {{owner: {{$ref: '{secret.as_uri()}'}}}}}}\n"
    _write(in_tmp, {"m.yaml": service(), "p.yaml": rule(body)})
    for output in ("text", "json", "sarif"):
        result = run_cli("check", "-p", "p.yaml", "m.yaml", "-f", output)
        assert result.code == 2
        assert "TOPSECRET" not in result.out + result.err
        assert result.err.startswith("p.yaml:6:5: error: rules.r.schema:")


# ------------------------------------------------- legal, expensive: a correct 0 or 1


def test_a_backtracking_pattern_runs_in_linear_time(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    owner = "a" * 40 + "!"  # ^(a+)+$ takes 2**40 steps in Python's re
    body = "    select: {where: {properties: {owner: {pattern: '^(a+)+$'}}}}\n    acyclic: {}\n"
    _write(in_tmp, {"m.yaml": service(owner=owner), "p.yaml": rule(body)})
    result = run_cli("check", "-p", "p.yaml", "m.yaml", "--all")
    assert result.code == 0
    assert "0 failed, 0 passed" in result.out  # not selected: the owner does not match
    body = "    schema: {properties: {owner: {pattern: '^(a+)+$'}}}\n"
    _write(in_tmp, {"p.yaml": rule(body)})
    result = run_cli("check", "-p", "p.yaml", "m.yaml", "-f", "json")
    assert result.code == 1
    [finding] = json.loads(result.out)["findings"]
    assert finding["message"] == (
        f"service s does not match the schema: at /owner: '{owner}' does not match '^(a+)+$'"
    )


def test_large_legal_counts_still_print(in_tmp: Path, run_cli: Callable[..., Run]) -> None:
    count = "9" * 20  # the largest allowed, 300 times: a sum of 23 digits
    instances = ", ".join(f"{{at: r1, count: {count}}}" for _ in range(300))
    _write(in_tmp, {"m.yaml": service().replace("[r1]", f"[{instances}]")})
    result = run_cli("check", "m.yaml", "-f", "json")
    assert "Traceback" not in result.err
    assert result.code == 1


def test_a_ring_of_5000_services_reports_in_linear_size(
    in_tmp: Path, run_cli: Callable[..., Run]
) -> None:
    # Each member's shortest cycle in full was 5,000 searches of 5,000 and 220 MB of text.
    count = 5000
    services = {
        f"s{i}": {"tier": "low", "instances": ["d0"], "depends_on": [f"s{(i + 1) % count}"]}
        for i in range(count)
    }
    doc = {"version": 1, "domains": {"d0": {"kind": "facility"}}, "services": services}
    _write(in_tmp, {"m.json": json.dumps(doc)})
    result = run_cli("check", "m.json", "-f", "json")
    assert result.code == 1
    findings = json.loads(result.out)["findings"]
    cycles = [f["message"] for f in findings if f["rule"] == "hard-dependency-cycle"]
    assert len(cycles) == count
    assert cycles[0] == (
        "service s0 is on a cycle of hard requirements within a group of 5,000 services that "
        "all require each other (s0, s1, s2, s3, s4, s5, s6, s7, s8, s9 and 4990 more; "
        "nothing in it can start first)"
    )
    assert len(result.out) < 4_000_000
