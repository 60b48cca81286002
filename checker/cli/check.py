"""``resilint check``: evaluate the policies in effect against the manifests."""

from __future__ import annotations

import dataclasses
import os
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker import __version__
from checker.cli.exiting import leave_for_exit
from checker.cli.options import project_options, rule_choice_options, use_color
from checker.cli.output import emit, parse_formats, report_options, write_output
from checker.cli.project import Project, config_start, list_files, load_project
from checker.cli.split import evaluate_split
from checker.cli.writing import refuse_unsafe_target
from checker.core.errors import EXIT_FAILED, EXIT_OK, InputError, UsageError
from checker.core.findings import SEVERITIES, Result
from checker.evaluate import EvaluationOptions
from checker.loading.files import display_path, real_path
from checker.policy.overrides import RuleChoice
from checker.render.findings import REPORTERS

if TYPE_CHECKING:
    from checker.gate.waivers import PlacedWaiver

_FILE = click.Path(path_type=Path, dir_okay=False)


@dataclasses.dataclass(frozen=True)
class CheckRequest:
    """What ``check`` was asked, as the command line says it."""

    paths: tuple[Path, ...]
    config_path: Path | None
    policies: tuple[str, ...]
    verbose: bool
    fail_on: str | None
    formats: tuple[str, ...]
    show_all: bool
    waivers_path: Path | None
    baseline_path: Path | None
    diff_base: str | None
    write_baseline_path: Path | None
    rules_only: tuple[str, ...]
    rules_skipped: tuple[str, ...]
    soft_fail: bool
    compact: bool
    quiet: bool

    @property
    def side_files(self) -> list[Path]:
        candidates = (self.waivers_path, self.baseline_path, self.write_baseline_path)
        return [p for p in candidates if p is not None]

    @property
    def choice(self) -> RuleChoice:
        return RuleChoice(self.rules_only, self.rules_skipped)


@click.command()
@project_options
@rule_choice_options
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES, case_sensitive=False),
    help="Lowest severity that fails the run (default: fail_on from config, else low).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="NAME[=PATH]",
    help=f"Output format, optionally to a file, '-' for standard output (repeatable): "
    f"{', '.join(REPORTERS)}.",
)
@click.option(
    "--all", "show_all", is_flag=True, help="List passing findings and known failures too."
)
@click.option("--compact", is_flag=True, help="Text: one line per finding, without cause chains.")
@click.option("-q", "--quiet", is_flag=True, help="Text: only the summary (and errors).")
@click.option(
    "--soft-fail",
    is_flag=True,
    help="Report, but exit 0 even when findings fail (2 still means the input is wrong).",
)
@click.option(
    "--waivers",
    "waivers_path",
    type=_FILE,
    help="Waivers file (default: waivers from the config).",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=_FILE,
    help="Fail only on failures this baseline does not record (default: baseline from config).",
)
@click.option(
    "--diff-base",
    "diff_base",
    metavar="REF",
    help="Compare with the manifests and policies as they are at this git ref: only "
    "findings new since then fail; fixed and unchanged ones are reported (no baseline "
    "file is read).",
)
@click.option(
    "--write-baseline",
    "write_baseline_path",
    type=_FILE,
    help="Record today's failures in FILE and exit 0 (any baseline in effect is not read).",
)
@click.pass_context
def check(ctx: click.Context, /, **options: Any) -> int:
    """Evaluate the policies in effect against the manifests in PATHS.

    PATHS are manifest files, directories or globs, or - for standard input (default:
    `manifests` from the config, else the current directory). Exit 0 when nothing
    fails at or above fail_on, 1 when something does, 2 on bad input. With a
    baseline, only failures it does not record fail the run; with --write-baseline,
    the run records them and exits 0. With --diff-base REF, only failures new since REF
    fail the run.
    """
    request = CheckRequest(**options)
    target = request.write_baseline_path
    if request.diff_base is not None and (request.baseline_path is not None or target):
        raise UsageError("--diff-base compares with a git ref: it takes no baseline file")
    if target is not None:
        _check_baseline_target(target)
    parse_formats(request.formats)  # a wrong -f is a usage error before anything is read
    try:
        return _check(ctx, request)
    except InputError as error:
        # CI reports are written even when the input is bad, and say why (docs/ci.md).
        from checker.cli.failed_run import write_failure_reports  # lazy: only on bad input

        given = [
            *request.paths,
            *request.side_files,
            *(Path(p) for p in request.policies),
            *filter(None, [request.config_path]),
        ]
        start = config_start(request.paths)
        write_failure_reports(
            error, request.formats, request.config_path, start, request.fail_on, given
        )
        raise


def _check(ctx: click.Context, request: CheckRequest) -> int:
    target = request.write_baseline_path
    # Reports of this run (and of the last one, at the same paths) are never manifests.
    reports = [path for _, path in parse_formats(request.formats) if path is not None]
    project = load_project(
        request.paths,
        request.config_path,
        request.policies,
        request.side_files,
        outputs=reports,
        choice=request.choice,
    )
    if request.verbose:
        list_files(project)
    values = project.config.values
    threshold = (request.fail_on or values.fail_on).lower()
    configured = values.format
    requested = list(request.formats) or (
        [configured] if isinstance(configured, str) else list(configured or ["text"])
    )
    outputs = parse_formats(requested)
    waivers_file = request.waivers_path or _configured(project, values.waivers)
    # Writing a baseline records every current failure: the old baseline has no say in it.
    baseline_file = (
        None if target else request.baseline_path or _configured(project, values.baseline)
    )
    if request.diff_base is not None:
        baseline_file = None  # the ref takes the baseline's place
    judge = _Judge(waivers_file, baseline_file)
    # Passing findings are only counted unless something will show them: --all, a JUnit
    # report (one testcase per rule and entity), or waivers (a stale waiver says whether
    # its finding now passes).
    keep_passing = (
        request.show_all or waivers_file is not None or any(n == "junit" for n, _ in outputs)
    )
    options = EvaluationOptions(keep_passing=keep_passing)
    result = judge(with_notices(evaluate_split(project.model, project.rules, options), project))
    if request.diff_base is not None:
        # Lazy, as below: the gate's and html's modules load only when a run uses them.
        from checker.cli.diffbase import findings_at
        from checker.gate.diff import apply_diff_base

        commit, before = findings_at(
            request.diff_base, request.paths, request.config_path, request.policies
        )
        result = apply_diff_base(result, before, request.diff_base, commit)
    report = dataclasses.replace(
        report_options(use_color(ctx), request.show_all, threshold, __version__),
        compact=request.compact,
        quiet=request.quiet,
    )
    if any(name == "html" for name, _ in outputs):
        from checker.cli.html_report import html_options

        report = html_options(report, project, request.policies, os.environ)
    read = project.read_paths | judge.read_paths
    # The baseline target is in the skip set (never read as a manifest), not an input.
    baseline_inputs = read - {real_path(target)} if target is not None else read
    if target is not None:
        refuse_unsafe_target(target, "the baseline", baseline_inputs)
    emit(result, outputs, report, read)
    leave_for_exit(project, result)  # freed by the exit, not object by object before it
    if target is not None:
        _write_baseline(target, result, baseline_inputs)
        return EXIT_OK
    if request.soft_fail:
        return EXIT_OK
    return EXIT_FAILED if result.fails(threshold) else EXIT_OK


def with_notices(result: Result, project: Project) -> Result:
    """The reference step's notices, then evaluation's for the other rules: one per rule."""
    said = {notice.rule for notice in project.notices}
    later = [n for n in result.notices if n.rule is None or n.rule not in said]
    order = {rule.id: index for index, rule in enumerate(project.rules)}
    notices = sorted([*project.notices, *later], key=lambda n: order.get(n.rule or "", -1))
    config = display_path(project.config.source) if project.config.source else None
    return dataclasses.replace(result, notices=tuple(notices), config=config)


def _configured(project: Project, value: str | None) -> Path | None:
    return project.config.resolve(value) if value else None


class _Judge:
    """Waivers, then the baseline, over a result; both files are read (and checked) up front."""

    def __init__(self, waivers_file: Path | None, baseline_file: Path | None) -> None:
        self.waivers = _waivers(waivers_file) if waivers_file else None
        self.known = _baseline(baseline_file) if baseline_file else None
        self.read_paths = frozenset(
            real_path(p) for p in (waivers_file, baseline_file) if p is not None
        )

    def __call__(self, result: Result) -> Result:
        if self.waivers is not None:
            from checker.gate.waivers import apply_waivers  # lazy: as in _waivers

            result = apply_waivers(result, self.waivers, date.today())
        if self.known is not None:
            from checker.gate.baseline import apply_baseline  # lazy: as in _baseline

            result = apply_baseline(result, self.known)
        return result


def _waivers(path: Path) -> list[PlacedWaiver]:
    # Lazy: the waivers and baseline modules build pydantic models for their files,
    # which a run without such a file never reads.
    from checker.gate.waivers import load_waivers

    return load_waivers(path)


def _baseline(path: Path) -> frozenset[str]:
    from checker.gate.baseline import load_baseline  # lazy: as in _waivers

    return load_baseline(path)


def _check_baseline_target(target: Path) -> None:
    """Refuse to overwrite anything but an earlier baseline (a manifest, policy or config)."""
    from checker.gate.baseline import is_baseline_file  # lazy: only with --write-baseline

    refuse_unsafe_target(target, "the baseline")  # a FIFO or device: refused, never opened
    if target.exists() and not is_baseline_file(target):
        raise UsageError(
            f"refusing to write the baseline over {target}: it is not a resilint baseline file"
        )


def _write_baseline(target: Path, result: Result, inputs: frozenset[Path]) -> None:
    from checker.gate.baseline import baseline_document, recorded  # lazy: as above

    write_output(target, baseline_document(result), "the baseline", inputs)
    count = len({f.fingerprint for f in recorded(result.findings)})
    findings = "finding" if count == 1 else "findings"
    click.echo(f"resilint: recorded {count} failing {findings} in {target}", err=True)
