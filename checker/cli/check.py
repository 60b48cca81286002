"""``resilint check``: evaluate the policies in effect against the manifests."""

from __future__ import annotations

from pathlib import Path

import click

from checker import __version__
from checker.cli.inputs import Inputs, load_inputs, manifest_options, use_color
from checker.cli.output import emit, parse_formats, report_options, write_output
from checker.core.errors import EXIT_FAILED, EXIT_OK, UsageError
from checker.core.findings import SEVERITIES, Result
from checker.render.findings import REPORTERS

_FILE = click.Path(path_type=Path, dir_okay=False)


@click.command()
@manifest_options
@click.option(
    "--fail-on",
    type=click.Choice(SEVERITIES),
    help="Lowest severity that fails the run (default: fail_on from config, else low).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    multiple=True,
    metavar="NAME[=PATH]",
    help=f"Output format, optionally to a file (repeatable): {', '.join(REPORTERS)}.",
)
@click.option("--all", "show_all", is_flag=True, help="List passing findings too.")
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
    "--write-baseline",
    "write_baseline_path",
    type=_FILE,
    help="Record today's failures in FILE and exit 0 (any baseline in effect is not read).",
)
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[Path, ...],
    config_path: Path | None,
    policies: tuple[str, ...],
    fail_on: str | None,
    formats: tuple[str, ...],
    show_all: bool,
    waivers_path: Path | None,
    baseline_path: Path | None,
    write_baseline_path: Path | None,
) -> int:
    """Evaluate the policies in effect against the manifests in PATHS.

    PATHS are manifest files or directories (default: `manifests` from the config,
    else the current directory). Exit 0 when nothing fails at or above fail_on,
    1 when something does, 2 on bad input. With a baseline, only failures it does
    not record fail the run; with --write-baseline, the run records them and exits 0.
    """
    from checker.evaluate import Settings, evaluate

    target = write_baseline_path
    if target is not None:
        _check_baseline_target(target)
    side_files = [p for p in (waivers_path, baseline_path, target) if p is not None]
    inputs = load_inputs(paths, config_path, policies, extra_skip=side_files)
    values = inputs.config.values
    threshold = fail_on or values.fail_on
    configured = values.format
    requested = list(formats) or (
        [configured] if isinstance(configured, str) else list(configured or ["text"])
    )
    outputs = parse_formats(requested)
    waivers_file = waivers_path or _configured(inputs, values.waivers)
    # Writing a baseline records every current failure: the old baseline has no say in it.
    baseline_file = None if target else baseline_path or _configured(inputs, values.baseline)
    judge = _Judge(waivers_file, baseline_file)
    # Passing findings are only counted unless something will show them: --all, a JUnit
    # report (one testcase per rule and entity), or waivers (a stale waiver says whether
    # its finding now passes).
    keep_passing = show_all or waivers_file is not None or any(n == "junit" for n, _ in outputs)
    settings = Settings(fail_on=threshold, keep_passing=keep_passing)
    result = judge(evaluate(inputs.model, inputs.rules, settings))
    options = report_options(use_color(ctx), show_all, threshold, __version__)
    emit(result, outputs, options, inputs.read_paths | judge.read_paths)
    if target is not None:
        _write_baseline(target, result)
        return EXIT_OK
    return EXIT_FAILED if result.failing(threshold) else EXIT_OK


def _configured(inputs: Inputs, value: str | None) -> Path | None:
    return inputs.config.resolve(value) if value else None


class _Judge:
    """Waivers, then the baseline, over a result; both files are read (and checked) up front."""

    def __init__(self, waivers_file: Path | None, baseline_file: Path | None) -> None:
        from checker.gate.baseline import load_baseline
        from checker.gate.waivers import load_waivers
        from checker.loading.files import real_path

        self.waivers = load_waivers(waivers_file) if waivers_file else None
        self.known = load_baseline(baseline_file) if baseline_file else None
        self.read_paths = frozenset(
            real_path(p) for p in (waivers_file, baseline_file) if p is not None
        )

    def __call__(self, result: Result) -> Result:
        from datetime import date

        from checker.gate.baseline import apply_baseline
        from checker.gate.waivers import apply_waivers

        if self.waivers is not None:
            result = apply_waivers(result, self.waivers, date.today())
        if self.known is not None:
            result = apply_baseline(result, self.known)
        return result


def _check_baseline_target(target: Path) -> None:
    """Refuse to overwrite anything but an earlier baseline (a manifest, policy or config)."""
    from checker.gate.baseline import is_baseline_file

    if target.exists() and not is_baseline_file(target):
        raise UsageError(
            f"refusing to write the baseline over {target}: it is not a resilint baseline file"
        )


def _write_baseline(target: Path, result: Result) -> None:
    from checker.gate.baseline import baseline_document, recorded

    write_output(target, baseline_document(result), "the baseline")
    count = len({f.fingerprint for f in recorded(result.findings)})
    findings = "finding" if count == 1 else "findings"
    click.echo(f"resilint: recorded {count} failing {findings} in {target}", err=True)
