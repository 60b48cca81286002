"""Time ``resilint`` against the bare parse of the same manifest, side by side.

For each profile (``healthy``: an estate that mostly passes; ``broken``: one where
failures are the bulk of the output, see ``generate.py``) and each size
(services:domains) this generates a synthetic JSON manifest and runs, as whole
processes, interleaved round by round:

- ``python -c "json.load(...)" FILE``: the floor: reading the document at all;
- ``resilint check FILE -p builtin:baseline --format F`` for each ``--formats`` F
  (default json, sarif and text; output to /dev/null);
- ``resilint risk-groups --max-size 2 FILE --format json`` (unless ``--skip-risk-groups``),
  and the same with ``--limit 10`` (the ten most important groups of each service).

It also compares the start-up of ``resilint --version`` and of ``resilint check`` on the
shipped Pangyo example with ``python -c pass`` (and with two floors: importing click,
PyYAML and tomllib; then pydantic with one model built and used) and, on the smallest
size, a YAML copy of the manifest: ``yaml.load`` (libyaml) against ``resilint check``.
Each child is reaped with ``os.wait4``, which gives its own peak RSS. Unix only. See
``bench/README.md`` for the columns and the targets.

On Linux a child's ``ru_maxrss`` starts at its parent's own peak (the high-water mark of
the address space it was forked or vforked from survives ``exec``), so this process stays
small on purpose: it generates manifests and reads results in child processes, never in
its own memory.

Usage::

    python bench/run.py [--sizes 1000:200,10000:2000,100000:20000] [--repeat 3]
                        [--profiles healthy,broken] [--failing F] [--formats json,sarif,text]
                        [--skip-risk-groups] [--skip-yaml] [--resilint CMD] [--json OUT]
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import platform
import resource
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

GENERATOR = Path(__file__).resolve().parent / "generate.py"
#: The shipped example whose check is timed at start-up (its config names builtin:baseline).
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "pangyo-2022"
DEFAULT_SIZES = "1000:200,10000:2000,100000:20000"
PROFILES = ("healthy", "broken")
FORMATS = ("json", "sarif", "text")
JSON_LOAD = "import json,sys; json.load(open(sys.argv[1], 'rb'))"
YAML_LOAD = (
    "import sys,yaml; "
    "yaml.load(open(sys.argv[1], 'rb'), Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))"
)
SUMMARY_OF = (
    "import json,sys; s=json.load(open(sys.argv[1], 'rb')); "
    "print(json.dumps(s.get('summary') if isinstance(s, dict) else None))"
)
#: Start-up floors: what resilint's dependencies cost before it runs a line of its own.
#: Both end with ``os._exit`` as resilint does, so neither pays for tearing modules down.
DEPENDENCY_FLOOR = "import click, yaml, tomllib, os; os._exit(0)"
#: pydantic, its plugin discovery and one model built and used: the least that any
#: validation of a config or a policy costs.
PYDANTIC_FLOOR = (
    "import click, yaml, tomllib, os, pydantic\n"
    "class M(pydantic.BaseModel):\n    x: int = pydantic.Field(1)\n"
    "M(x=1); os._exit(0)"
)
LIBYAML = "import yaml; print(getattr(yaml, '__with_libyaml__', False))"
CHECK_ARGS = ("-p", "builtin:baseline", "--format")
RISK_GROUP_ARGS = ("--max-size", "2")
RISK_GROUP_LIMIT = 10
NO_SUCH_COMMAND = "No such command"
STDERR_TAIL_LINES = 15

MIN_DOMAINS = 9  # generate.py's smallest topology
MIN_NET_SECONDS = 0.01  # below this, time net of start-up is noise: no net exponent
TARGET_SIZE = (100_000, 20_000)
TARGET_CHECK_RATIO = 5.0
TARGET_PEAK_RSS_MIB = 1024.0
TARGET_STARTUP_RATIO = 1.5
TARGET_EXAMPLE_RATIO = 3.0
TARGET_EXPONENT = 1.2


# ------------------------------------------------------------------------ measurement


@dataclass
class Run:
    """One finished child process."""

    seconds: float
    max_rss_mib: float
    exit_code: int
    stderr: str
    timed_out: bool


@dataclass
class Measurement:
    """Repeated runs of one command; ``status`` is ok, failed, n/a, timeout or skipped."""

    name: str
    command: list[str]
    accept: tuple[int, ...] = (0,)
    seconds: list[float] = field(default_factory=list)
    max_rss_mib: float | None = None
    status: str = "ok"
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == "ok" and bool(self.seconds)

    @property
    def best(self) -> float | None:
        return min(self.seconds) if self.ok else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.ok else None

    def record(self, run: Run, timed: bool = True) -> None:
        """Keep the run's time if it succeeded, else remember why it did not."""
        if run.timed_out:
            self.status, self.detail = "timeout", f"killed after {run.seconds:.0f} s"
        elif run.exit_code in self.accept:
            if timed:
                self.seconds.append(run.seconds)
            self.max_rss_mib = max(self.max_rss_mib or 0.0, run.max_rss_mib)
        elif run.exit_code == 2 and NO_SUCH_COMMAND in run.stderr:
            self.status, self.detail = "n/a", NO_SUCH_COMMAND
        else:
            self.status = "failed"
            self.detail = f"exit {run.exit_code}\n{_tail(run.stderr)}"

    def skip(self, reason: str) -> None:
        self.status, self.detail = "skipped", reason

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        del data["accept"]
        data.update(best=self.best, median=self.median)
        return data


def _tail(text: str) -> str:
    return "\n".join(text.rstrip().splitlines()[-STDERR_TAIL_LINES:])


def run_child(command: Sequence[str], timeout: float, stdout: IO[bytes] | None = None) -> Run:
    """Run ``command`` as a whole process; wall time and that child's own peak RSS."""
    with tempfile.TemporaryFile() as stderr:
        started = time.perf_counter()
        process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=stdout if stdout is not None else subprocess.DEVNULL,
            stderr=stderr,
        )
        timed_out = _wait_without_reaping(process.pid, timeout)
        elapsed = time.perf_counter() - started
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
        stderr.seek(0)
        text = stderr.read().decode("utf-8", errors="replace")
    return Run(elapsed, _rss_mib(usage.ru_maxrss), process.returncode, text, timed_out)


def _wait_without_reaping(pid: int, timeout: float) -> bool:
    """Wait for ``pid`` to exit (killing it after ``timeout`` s); it stays a zombie."""
    fired = threading.Event()

    def kill() -> None:
        fired.set()
        os.kill(pid, signal.SIGKILL)

    killer = threading.Timer(timeout, kill)
    killer.start()
    try:
        os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
    finally:
        killer.cancel()
        killer.join()  # the pid cannot be reused before we reap it, so a late kill is harmless
    return fired.is_set()


def _rss_mib(max_rss: int) -> float:
    """``ru_maxrss`` is in KiB on Linux and in bytes on macOS."""
    return max_rss / 2**20 if sys.platform == "darwin" else max_rss / 2**10


@dataclass
class Case:
    """A measurement plus how to run it: warm-up or not, where its output goes."""

    measurement: Measurement
    warm_up: bool = True
    capture: Path | None = None


def measure_side_by_side(
    cases: Sequence[Case], repeat: int, timeout: float, label: str, progress: bool
) -> None:
    """Warm up, then run every case once per round, so all see the same machine state."""
    for case in cases:
        if case.warm_up and case.measurement.status == "ok":
            run = _run_case(case, timeout, timed=False)
            if progress:
                _report_progress(label, case.measurement, run, "warm-up")
    for round_ in range(1, repeat + 1):
        for case in cases:
            if case.measurement.status != "ok":
                continue
            run = _run_case(case, timeout, timed=True)
            if progress:
                _report_progress(label, case.measurement, run, f"{round_}/{repeat}")


def _run_case(case: Case, timeout: float, timed: bool) -> Run:
    command = case.measurement.command
    if case.capture is not None and not timed:
        with case.capture.open("wb") as out:
            run = run_child(command, timeout, stdout=out)
    else:
        run = run_child(command, timeout)
    case.measurement.record(run, timed=timed)
    return run


def _report_progress(label: str, measurement: Measurement, run: Run, which: str) -> None:
    outcome = f"{run.seconds:.3f} s, {run.max_rss_mib:.0f} MiB, exit {run.exit_code}"
    if measurement.status != "ok":
        outcome += f" -> {measurement.status}"
    print(f"[{label}] {measurement.name} {which}: {outcome}", file=sys.stderr, flush=True)


# ------------------------------------------------------------------------- the bench


@dataclass
class Settings:
    sizes: list[tuple[int, int]]
    profiles: list[str]
    failing: float | None
    formats: list[str]
    repeat: int
    startup_repeat: int
    seed: int
    resilint: list[str]
    timeout: float
    skip_risk_groups: bool
    progress: bool
    skip_yaml: bool = False


@dataclass
class SizeResult:
    profile: str
    services: int
    domains: int
    file: str
    file_mib: float
    generate_seconds: float
    json_load: Measurement
    #: ``check`` per output format; the first format's is "the" check of the tables.
    checks: dict[str, Measurement]
    risk_groups: Measurement | None
    risk_groups_limited: Measurement | None = None
    findings: dict[str, Any] | None = None

    @property
    def check(self) -> Measurement:
        return next(iter(self.checks.values()))


@dataclass
class YamlResult:
    services: int
    domains: int
    file_mib: float
    yaml_load: Measurement
    check: Measurement


@dataclass
class Report:
    environment: dict[str, Any]
    python_pass: Measurement
    #: ``import click, yaml, tomllib``; then with pydantic and one model (see above).
    dependency_floor: Measurement
    pydantic_floor: Measurement
    version: Measurement
    #: ``resilint check`` on the Pangyo example: start-up plus a small real check.
    example: Measurement
    sizes: list[SizeResult] = field(default_factory=list)
    yaml: YamlResult | None = None


def run_bench(settings: Settings, workdir: Path) -> Report:
    python = sys.executable
    report = Report(
        environment=describe_environment(settings),
        python_pass=Measurement("python -c pass", [python, "-c", "pass"]),
        dependency_floor=Measurement(
            "import click, yaml, tomllib", [python, "-c", DEPENDENCY_FLOOR]
        ),
        pydantic_floor=Measurement("... and a pydantic model", [python, "-c", PYDANTIC_FLOOR]),
        version=Measurement("resilint --version", [*settings.resilint, "--version"]),
        example=Measurement(
            "resilint check examples/pangyo-2022",
            [*settings.resilint, "check", str(EXAMPLE)],
            accept=(0, 1),  # the example fails on purpose
        ),
    )
    if not EXAMPLE.is_dir():
        report.example.skip(f"no {EXAMPLE}")
    startup = [Case(m) for m in startup_measurements(report)]
    measure_side_by_side(startup, settings.startup_repeat, settings.timeout, "start-up", False)
    for profile in settings.profiles:
        done: list[SizeResult] = []
        for services, domains in settings.sizes:
            done.append(bench_size(settings, workdir, profile, services, domains, done))
        report.sizes.extend(done)
    if settings.sizes and not settings.skip_yaml:
        report.yaml = bench_yaml(settings, workdir, *min(settings.sizes))
    report.environment["rss_floor_mib"] = _rss_mib(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    )
    report.environment["load_at_end"] = _load_average()
    return report


def bench_size(
    settings: Settings,
    workdir: Path,
    profile: str,
    services: int,
    domains: int,
    done: list[SizeResult],
) -> SizeResult:
    failing = settings.failing if profile == "broken" else None
    path = workdir / f"{profile}-{services}-{domains}-seed{settings.seed}.json"
    seed = settings.seed
    generate_seconds = _generate_to(path, services, domains, seed, "json", profile, failing)
    findings_path = workdir / f"findings-{profile}-{services}.json"
    result = SizeResult(
        profile=profile,
        services=services,
        domains=domains,
        file=str(path),
        file_mib=path.stat().st_size / 2**20,
        generate_seconds=generate_seconds,
        json_load=Measurement("json.load", [sys.executable, "-c", JSON_LOAD, str(path)]),
        checks={f: _check_measurement(settings, path, f) for f in settings.formats},
        risk_groups=None if settings.skip_risk_groups else _risk_groups(settings, path, done),
        risk_groups_limited=(
            None if settings.skip_risk_groups else _risk_groups(settings, path, done, limited=True)
        ),
    )
    cases = [Case(result.json_load)]
    for name, measurement in result.checks.items():
        cases.append(Case(measurement, capture=findings_path if name == "json" else None))
    for risk in (result.risk_groups, result.risk_groups_limited):
        if risk is not None:
            cases.append(Case(risk, warm_up=False))
    label = f"{profile} {services}:{domains}"
    measure_side_by_side(cases, settings.repeat, settings.timeout, label, settings.progress)
    result.findings = _summary_of(findings_path) if "json" in result.checks else None
    return result


def _check_measurement(settings: Settings, path: Path, output_format: str) -> Measurement:
    command = [*settings.resilint, "check", str(path), *CHECK_ARGS, output_format]
    return Measurement(f"check -f {output_format}", command, accept=(0, 1))


def _risk_groups(
    settings: Settings, path: Path, done: list[SizeResult], limited: bool = False
) -> Measurement:
    command = [*settings.resilint, "risk-groups", *RISK_GROUP_ARGS, str(path), "--format", "json"]
    name = "risk-groups"
    if limited:
        command += ["--limit", str(RISK_GROUP_LIMIT)]
        name += f" --limit {RISK_GROUP_LIMIT}"
    measurement = Measurement(name, command, accept=(0, 1))
    previous = None
    if done:
        previous = done[-1].risk_groups_limited if limited else done[-1].risk_groups
    if previous is not None and previous.status == "n/a":
        measurement.status, measurement.detail = "n/a", previous.detail
    elif previous is not None and previous.status in ("timeout", "skipped"):
        measurement.skip("timed out on a smaller size")
    return measurement


def bench_yaml(settings: Settings, workdir: Path, services: int, domains: int) -> YamlResult:
    path = workdir / f"manifest-{services}-{domains}-seed{settings.seed}.yaml"
    _generate_to(path, services, domains, settings.seed, "yaml")
    result = YamlResult(
        services=services,
        domains=domains,
        file_mib=path.stat().st_size / 2**20,
        yaml_load=Measurement("yaml.load", [sys.executable, "-c", YAML_LOAD, str(path)]),
        check=_check_measurement(settings, path, settings.formats[0]),
    )
    cases = [Case(result.yaml_load), Case(result.check)]
    label = f"yaml {services}:{domains}"
    measure_side_by_side(cases, settings.repeat, settings.timeout, label, settings.progress)
    return result


def _generate_to(
    path: Path,
    services: int,
    domains: int,
    seed: int,
    fmt: str,
    profile: str = "healthy",
    failing: float | None = None,
) -> float:
    """Run ``generate.py`` in a child process (see the module docstring: RSS)."""
    command = [sys.executable, str(GENERATOR), "--services", str(services)]
    command += ["--domains", str(domains), "--seed", str(seed), "--format", fmt]
    command += ["--profile", profile]
    if failing is not None:
        command += ["--failing", str(failing)]
    started = time.perf_counter()
    subprocess.run([*command, "--out", str(path)], check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def _summary_of(findings_path: Path) -> dict[str, Any] | None:
    """The ``summary`` of the warm-up check's JSON output, read in a child process."""
    output = child_output([sys.executable, "-c", SUMMARY_OF, str(findings_path)])
    try:
        summary = json.loads(output) if output else None
    except ValueError:
        return None
    return summary if isinstance(summary, dict) else None


def child_output(command: Sequence[str], timeout: float = 600) -> str:
    """The stdout of a successful ``command``, else an empty string."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def describe_environment(settings: Settings) -> dict[str, Any]:
    return {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
        # check splits a large evaluation over two processes only when the load average
        # leaves a CPU idle (docs/decisions.md, "Speed"): the machine's state matters.
        "load_at_start": _load_average(),
        "libyaml": child_output([sys.executable, "-c", LIBYAML]) == "True",
        "resilint": shlex.join(settings.resilint),
        "resilint_version": child_output([*settings.resilint, "--version"], timeout=60),
        "repeat": settings.repeat,
        "seed": settings.seed,
        "failing": settings.failing,
    }


def _load_average() -> float | None:
    """The one-minute load average, where the platform has one."""
    try:
        return round(os.getloadavg()[0], 2)
    except (AttributeError, OSError):
        return None


# -------------------------------------------------------------------------- analysis


def ratio(numerator: float | None, denominator: float | None) -> float | None:
    if numerator is None or not denominator:
        return None
    return numerator / denominator


def exponent(
    t1: float | None, t2: float | None, n1: int, n2: int, floor: float = 0.0
) -> float | None:
    """log(t2/t1) / log(n2/n1), on times minus ``floor`` (a start-up cost)."""
    if t1 is None or t2 is None or n1 == n2:
        return None
    net1, net2 = t1 - floor, t2 - floor
    smallest = MIN_NET_SECONDS if floor else 0.0
    if net1 <= smallest or net2 <= smallest:
        return None
    return math.log(net2 / net1) / math.log(n2 / n1)


def exponents(
    sizes: list[SizeResult], pick: Callable[[SizeResult], Measurement | None], floor: float
) -> list[tuple[float | None, float | None]]:
    """(raw, net) exponent of each size against the previous one; (None, None) first."""
    found: list[tuple[float | None, float | None]] = [(None, None)] if sizes else []
    for before, after in itertools.pairwise(sizes):
        if before.profile != after.profile:  # each profile's sizes start afresh
            found.append((None, None))
            continue
        t1, t2 = _median_of(pick(before)), _median_of(pick(after))
        n1, n2 = before.services, after.services
        found.append((exponent(t1, t2, n1, n2), exponent(t1, t2, n1, n2, floor)))
    return found


def _median_of(measurement: Measurement | None) -> float | None:
    return measurement.median if measurement is not None else None


@dataclass
class Target:
    name: str
    value: float | None
    limit: float
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "n/a"
        return "ok" if self.value <= self.limit else "MISSED"


def evaluate_targets(report: Report) -> list[Target]:
    startup = ratio(report.version.median, report.python_pass.median)
    example = ratio(report.example.median, report.python_pass.median)
    targets = [
        Target("resilint --version / python -c pass", startup, TARGET_STARTUP_RATIO),
        Target(f"{report.example.name} / python -c pass", example, TARGET_EXAMPLE_RATIO),
    ]
    if not report.sizes:
        return targets
    exps = exponents(report.sizes, lambda size: size.check, report.version.median or 0.0)
    largest_of: dict[str, tuple[SizeResult, float | None]] = {}
    for size, (_, net) in zip(report.sizes, exps, strict=True):
        largest_of[size.profile] = (size, net)  # sizes are in increasing order
    for profile, (largest, net) in largest_of.items():
        at = f"{profile} {largest.services:,}:{largest.domains:,}"
        small = (largest.services, largest.domains) < TARGET_SIZE
        note = "below the target size" if small else ""
        for name, check in largest.checks.items():
            check_ratio = ratio(check.median, largest.json_load.median)
            label = f"check -f {name} / json.load, {at}"
            targets.append(Target(label, check_ratio, TARGET_CHECK_RATIO, note))
        targets.append(Target(f"check time exponent net of start-up, {profile}", net, 1.2))
    peaks = [
        check.max_rss_mib
        for size in report.sizes
        for check in size.checks.values()
        if check.max_rss_mib
    ]
    targets.append(Target("check peak RSS, MiB", max(peaks, default=None), TARGET_PEAK_RSS_MIB))
    return targets


# --------------------------------------------------------------------------- display


def fmt_seconds(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if value < 10 else f"{value:.1f}"


def fmt_number(value: float | None, spec: str = ".2f", suffix: str = "") -> str:
    return "-" if value is None else f"{value:{spec}}{suffix}"


def fmt_times(measurement: Measurement | None) -> str:
    if measurement is None:
        return "skipped"
    if not measurement.ok:
        return measurement.status
    return f"{fmt_seconds(measurement.best)} / {fmt_seconds(measurement.median)}"


def fmt_findings(summary: dict[str, Any] | None) -> str:
    if summary is None:
        return "-"
    return " ".join(f"{key} {summary[key]}" for key in ("fail", "pass", "error") if key in summary)


def render_table(
    headers: Sequence[str], rows: Sequence[Sequence[str]], left: Sequence[int] = ()
) -> str:
    """Numbers right-aligned; the (text) columns listed in ``left`` left-aligned."""
    widths = [max(len(row[column]) for row in [headers, *rows]) for column in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        aligned = [
            cell.ljust(width) if column in left else cell.rjust(width)
            for column, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(aligned).rstrip()

    header = line(headers)
    return "\n".join([header, "-" * len(header), *(line(row) for row in rows)])


def render_report(report: Report) -> str:
    env = report.environment
    parts = [
        f"resilint bench: {env['resilint_version'] or env['resilint']} | python {env['python']}"
        f" | {env['platform']} | {env['cpus']} CPUs (load {env.get('load_at_start')} at start,"
        f" {env.get('load_at_end')} at end) | libyaml {'yes' if env['libyaml'] else 'no'}",
        f"Whole-process wall times in seconds, best / median of {env['repeat']} runs, measured"
        " side by side; RSS = peak resident set of the child, MiB (Linux reports at least"
        f" this process's own peak, {env.get('rss_floor_mib', 0):.0f} MiB).",
        "",
        "Start-up (median)\n" + render_startup(report),
    ]
    if report.sizes:
        parts += ["", "check vs json.load\n" + render_check_table(report)]
        if len(report.sizes[0].checks) > 1:
            parts += ["", "check by output format\n" + render_format_table(report)]
        if any(size.risk_groups is not None for size in report.sizes):
            parts += ["", "risk-groups --max-size 2\n" + render_risk_group_table(report)]
    if report.yaml is not None:
        parts += ["", "YAML (smallest size)\n" + render_yaml_table(report.yaml)]
    parts += ["", "Targets\n" + render_targets(evaluate_targets(report))]
    failures = render_failures(report)
    if failures:
        parts += ["", "Failures\n" + failures]
    return "\n".join(parts) + "\n"


def startup_measurements(report: Report) -> list[Measurement]:
    return [
        report.python_pass,
        report.dependency_floor,
        report.pydantic_floor,
        report.version,
        report.example,
    ]


def render_startup(report: Report) -> str:
    """Each command's median and its ratio to ``python -c pass``."""
    floor = report.python_pass.median
    rows = [
        [
            m.name,
            fmt_seconds(m.median) if m.ok else m.status,
            fmt_number(ratio(m.median, floor), ".2f", "x") if m is not report.python_pass else "",
            fmt_number(m.max_rss_mib, ".0f"),
        ]
        for m in startup_measurements(report)
    ]
    return render_table(["command", "median s", "ratio", "RSS"], rows, left=(0,))


def render_check_table(report: Report) -> str:
    headers = ["profile", "services", "domains", "file MiB", "gen s", "json.load s"]
    headers += [report.sizes[0].check.name + " s", "ratio"]
    headers += ["json RSS", "check RSS", "exp", "exp net", "findings"]
    floor = report.version.median or 0.0
    exps = exponents(report.sizes, lambda size: size.check, floor)
    rows = []
    for size, (raw, net) in zip(report.sizes, exps, strict=True):
        rows.append(
            [
                size.profile,
                f"{size.services:,}",
                f"{size.domains:,}",
                f"{size.file_mib:.1f}",
                f"{size.generate_seconds:.2f}",
                fmt_times(size.json_load),
                fmt_times(size.check),
                fmt_number(ratio(size.check.median, size.json_load.median), ".1f", "x"),
                fmt_number(size.json_load.max_rss_mib, ".0f"),
                fmt_number(size.check.max_rss_mib, ".0f"),
                fmt_number(raw),
                fmt_number(net),
                fmt_findings(size.findings),
            ]
        )
    return render_table(headers, rows, left=(0, len(headers) - 1))


def render_format_table(report: Report) -> str:
    """Each format's check time and ratio to json.load, size by size."""
    formats = list(report.sizes[0].checks)
    headers = ["profile", "services", "json.load s"]
    for name in formats:
        headers += [f"-f {name} s", "ratio", "RSS"]
    rows = []
    for size in report.sizes:
        row = [size.profile, f"{size.services:,}", fmt_seconds(size.json_load.median)]
        for name in formats:
            check = size.checks[name]
            row += [
                fmt_seconds(check.median) if check.ok else check.status,
                fmt_number(ratio(check.median, size.json_load.median), ".1f", "x"),
                fmt_number(check.max_rss_mib, ".0f"),
            ]
        rows.append(row)
    return render_table(headers, rows, left=(0,))


def render_risk_group_table(report: Report) -> str:
    floor = report.version.median or 0.0
    exps = exponents(report.sizes, lambda size: size.risk_groups, floor)
    rows = []
    for size, (raw, net) in zip(report.sizes, exps, strict=True):
        measurement, limited = size.risk_groups, size.risk_groups_limited
        rss = measurement.max_rss_mib if measurement is not None else None
        rows.append(
            [
                size.profile,
                f"{size.services:,}",
                f"{size.domains:,}",
                fmt_times(measurement),
                fmt_number(ratio(_median_of(measurement), size.check.median), ".1f", "x"),
                fmt_number(rss, ".0f"),
                fmt_number(raw),
                fmt_number(net),
                fmt_times(limited),
                fmt_number(limited.max_rss_mib if limited is not None else None, ".0f"),
            ]
        )
    headers = ["profile", "services", "domains", "risk-groups s", "vs check", "RSS", "exp"]
    headers += ["exp net", f"--limit {RISK_GROUP_LIMIT} s", f"--limit {RISK_GROUP_LIMIT} RSS"]
    return render_table(headers, rows, left=(0,))


def render_yaml_table(result: YamlResult) -> str:
    row = [
        f"{result.services:,}",
        f"{result.domains:,}",
        f"{result.file_mib:.1f}",
        fmt_times(result.yaml_load),
        fmt_times(result.check),
        fmt_number(ratio(result.check.median, result.yaml_load.median), ".1f", "x"),
        fmt_number(result.yaml_load.max_rss_mib, ".0f"),
        fmt_number(result.check.max_rss_mib, ".0f"),
    ]
    headers = ["services", "domains", "file MiB", "yaml.load s", "check s", "ratio"]
    return render_table([*headers, "yaml RSS", "check RSS"], [row])


def render_targets(targets: list[Target]) -> str:
    rows = [[t.name, fmt_number(t.value), f"<= {t.limit:g}", t.verdict, t.note] for t in targets]
    return render_table(["target", "value", "limit", "verdict", "note"], rows, left=(0, 4))


def render_failures(report: Report) -> str:
    lines = []
    for measurement in all_measurements(report):
        if measurement.status in ("failed", "timeout"):
            lines.append(f"$ {shlex.join(measurement.command)}\n  {measurement.status}: ")
            lines[-1] += measurement.detail.replace("\n", "\n  ")
    return "\n".join(lines)


def all_measurements(report: Report) -> Iterator[Measurement]:
    yield report.python_pass
    yield report.version
    yield report.example
    for size in report.sizes:
        yield size.json_load
        yield from size.checks.values()
        if size.risk_groups is not None:
            yield size.risk_groups
        if size.risk_groups_limited is not None:
            yield size.risk_groups_limited
    if report.yaml is not None:
        yield report.yaml.yaml_load
        yield report.yaml.check


def report_to_json(report: Report) -> dict[str, Any]:
    def sizes() -> Iterator[dict[str, Any]]:
        for size in report.sizes:
            skip = ("risk_groups", "risk_groups_limited", "checks")
            data = {key: value for key, value in vars(size).items() if key not in skip}
            data.update(json_load=size.json_load.to_json())
            data["checks"] = {name: m.to_json() for name, m in size.checks.items()}
            data["risk_groups"] = size.risk_groups.to_json() if size.risk_groups else None
            limited = size.risk_groups_limited
            data["risk_groups_limited"] = limited.to_json() if limited else None
            data["ratio"] = {
                name: ratio(m.median, size.json_load.median) for name, m in size.checks.items()
            }
            yield data

    yaml_result = None
    if report.yaml is not None:
        yaml_result = dict(vars(report.yaml))
        yaml_result.update(yaml_load=report.yaml.yaml_load.to_json())
        yaml_result.update(check=report.yaml.check.to_json())
    return {
        "environment": report.environment,
        "startup": {
            "python_pass": report.python_pass.to_json(),
            "dependency_floor": report.dependency_floor.to_json(),
            "pydantic_floor": report.pydantic_floor.to_json(),
            "version": report.version.to_json(),
            "ratio": ratio(report.version.median, report.python_pass.median),
            "example": report.example.to_json(),
            "example_ratio": ratio(report.example.median, report.python_pass.median),
        },
        "sizes": list(sizes()),
        "yaml": yaml_result,
        "targets": [{**asdict(t), "verdict": t.verdict} for t in evaluate_targets(report)],
    }


# ------------------------------------------------------------------------------- cli


def parse_sizes(text: str) -> list[tuple[int, int]]:
    """``1000:200,10000:2000``; a size without ``:domains`` gets services / 5 domains."""
    sizes = []
    for item in text.split(","):
        services, _, domains = item.strip().partition(":")
        try:
            size = (int(services), int(domains) if domains else max(9, int(services) // 5))
        except ValueError:
            raise argparse.ArgumentTypeError(f"bad size {item!r}: want SERVICES:DOMAINS") from None
        if size[0] < 1 or size[1] < MIN_DOMAINS:
            raise argparse.ArgumentTypeError(
                f"bad size {item!r}: need >= 1 service and >= {MIN_DOMAINS} domains"
            )
        sizes.append(size)
    return sorted(set(sizes))


def _names(text: str, known: Sequence[str]) -> list[str]:
    names = [name.strip() for name in text.split(",") if name.strip()]
    unknown = [name for name in names if name not in known]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"want some of {','.join(known)}, got {text!r}")
    return list(dict.fromkeys(names))


def default_resilint() -> list[str] | None:
    """The ``resilint`` script of this interpreter's environment, else the one on PATH."""
    bindir = Path(sys.executable).parent
    for name in ("resilint", "resilint.exe"):
        if (bindir / name).is_file():
            return [str(bindir / name)]
    found = shutil.which("resilint")
    if found:
        print(f"bench: using {found} from PATH (not next to {sys.executable})", file=sys.stderr)
        return [found]
    return None


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        type=parse_sizes,
        default=parse_sizes(DEFAULT_SIZES),
        help=f"SERVICES:DOMAINS,... (default {DEFAULT_SIZES})",
    )
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per command and size")
    parser.add_argument(
        "--startup-repeat",
        type=int,
        default=10,
        help="timed runs of python -c pass, --version and the Pangyo check (default 10)",
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument(
        "--profiles",
        type=lambda text: _names(text, PROFILES),
        default=list(PROFILES),
        help=f"estate shapes to generate (default {','.join(PROFILES)})",
    )
    parser.add_argument(
        "--failing", type=float, help="broken profile: share of failing services (generate.py)"
    )
    parser.add_argument(
        "--formats",
        type=lambda text: _names(text, FORMATS),
        default=list(FORMATS),
        help=f"check output formats to time (default {','.join(FORMATS)}; the first is the"
        " one of the main table)",
    )
    parser.add_argument("--skip-risk-groups", action="store_true")
    parser.add_argument(
        "--skip-yaml",
        action="store_true",
        help="no YAML comparison (it runs on the smallest size: 30 s a run at 100,000)",
    )
    parser.add_argument(
        "--resilint",
        type=shlex.split,
        metavar="CMD",
        help="how to run resilint (default: the script next to this python)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=900.0,
        help="seconds before a child is killed (default 900)",
    )
    parser.add_argument(
        "--out-dir", type=Path, help="keep the generated manifests here (bench/out/ is gitignored)"
    )
    parser.add_argument("--json", type=Path, metavar="OUT", help="also save the raw numbers")
    parser.add_argument(
        "--check-targets", action="store_true", help="exit 1 when a target is missed"
    )
    parser.add_argument("--quiet", action="store_true", help="no per-run progress on stderr")
    return parser.parse_args(argv)


@contextmanager
def isolated(keep: Path | None) -> Iterator[Path]:
    """Yield where to write manifests (``keep`` or a temporary directory), having moved
    into an empty temporary directory, so no ``[tool.resilint]`` config found by walking
    up from the working directory changes what ``check`` does."""
    previous = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="resilint-bench-") as temporary:
        workdir = keep.absolute() if keep is not None else Path(temporary)
        workdir.mkdir(parents=True, exist_ok=True)
        scratch = Path(temporary) / "cwd"
        scratch.mkdir()
        os.chdir(scratch)
        try:
            yield workdir
        finally:
            os.chdir(previous)


def exit_code(report: Report, check_targets: bool) -> int:
    if any(m.status in ("failed", "timeout") for m in all_measurements(report)):
        return 1
    if check_targets and any(t.verdict == "MISSED" for t in evaluate_targets(report)):
        return 1
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    resilint = args.resilint or default_resilint()
    executable = shutil.which(resilint[0]) if resilint else None
    if not resilint or not executable:
        print(
            f"bench: cannot run resilint ({shlex.join(resilint or [])!r}); "
            "`pip install -e .` in this environment or pass --resilint CMD",
            file=sys.stderr,
        )
        return 2
    resilint[0] = str(Path(executable).absolute())  # children run in another directory
    settings = Settings(
        sizes=args.sizes,
        profiles=args.profiles,
        failing=args.failing,
        formats=args.formats,
        repeat=max(1, args.repeat),
        startup_repeat=max(1, args.startup_repeat),
        seed=args.seed,
        resilint=resilint,
        timeout=args.timeout,
        skip_risk_groups=args.skip_risk_groups,
        progress=not args.quiet,
        skip_yaml=args.skip_yaml,
    )
    with isolated(args.out_dir) as workdir:
        report = run_bench(settings, workdir)
    print(render_report(report), end="")
    if args.json is not None:
        args.json.write_text(json.dumps(report_to_json(report), indent=2) + "\n", encoding="utf-8")
    return exit_code(report, args.check_targets)


if __name__ == "__main__":
    raise SystemExit(main())
