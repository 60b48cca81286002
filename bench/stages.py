"""Where one ``resilint check`` spends its time, stage by stage, without a profiler.

Runs the real command in this process (garbage collector off, as the CLI does) with
a timer around each named stage function, then prints the stages' cumulative wall
times (nested stages are included in their callers: read the table as a tree, by
indentation). cProfile inflates pure-Python code several times; these timers do not.

    python bench/stages.py bench/out/broken.json [-f json] [-p builtin:baseline]

Import time is measured apart (``python -X importtime`` gives the detail).
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import sys
import time
import types
from collections.abc import Callable, Iterator, Sequence
from typing import Any

#: (depth, label, module, function): each is timed wherever it is called from.
STAGES: tuple[tuple[int, str, str, str], ...] = (
    (0, "load project", "checker.cli.project", "load_project"),
    (1, "parse", "checker.loading.parse", "parse_file"),
    (2, "input limits", "checker.loading.limits", "check_data"),
    (1, "validate", "checker.manifest.load", "validate_document"),
    (1, "build model", "checker.manifest.load", "build_model"),
    (2, "references", "checker.manifest.references", "check_references"),
    (1, "rule references", "checker.policy.references", "check_rule_references"),
    (0, "evaluate", "checker.evaluate", "evaluate"),
    (1, "select", "checker.policy.select", "select_entities"),
    (1, "failure graph", "checker.engine.graph", "FailureGraph.__init__"),
    (1, "locate findings", "checker.core.model", "Model.location"),
    (1, "locate findings", "checker.core.model", "Model.locations"),
    (0, "render and write", "checker.cli.output", "emit"),
)


class Timers:
    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}

    def add(self, label: str, seconds: float) -> None:
        self.seconds[label] = self.seconds.get(label, 0.0) + seconds
        self.calls[label] = self.calls.get(label, 0) + 1

    def wrap(self, label: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                result = function(*args, **kwargs)
            finally:
                self.add(label, time.perf_counter() - started)
            if isinstance(result, types.GeneratorType):
                return self._timed_iteration(label, result)
            return result

        return timed

    def _timed_iteration(self, label: str, items: Iterator[Any]) -> Iterator[Any]:
        while True:
            started = time.perf_counter()
            try:
                item = next(items)
            except StopIteration:
                self.seconds[label] += time.perf_counter() - started
                return
            self.seconds[label] += time.perf_counter() - started
            yield item


def install(timers: Timers) -> None:
    """Replace each stage function (and the check kinds' ``run``) by a timed one, everywhere."""
    from checker.checks import CHECKS

    targets: list[tuple[str, Any, str]] = []
    for _, label, module_name, name in STAGES:
        module = importlib.import_module(module_name)
        owner_name, _, attribute = name.rpartition(".")
        owner = getattr(module, owner_name) if owner_name else module
        targets.append((label, owner, attribute))
    targets.extend((f"check {name}", module, "run") for name, module in CHECKS.items())
    for label, owner, attribute in targets:
        original = getattr(owner, attribute)
        timed = timers.wrap(label, original)
        setattr(owner, attribute, timed)
        if isinstance(owner, types.ModuleType):  # names imported elsewhere: `from m import f`
            for module in list(sys.modules.values()):
                if module is not None and getattr(module, attribute, None) is original:
                    setattr(module, attribute, timed)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest")
    parser.add_argument("-f", "--format", default="json")
    parser.add_argument("-p", "--policy", default="builtin:baseline")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    import checker.cli.check  # noqa: F401  (the command's imports, timed)
    from checker.cli import main as resilint

    imported = time.perf_counter() - started
    timers = Timers()
    install(timers)
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()):
        code = resilint(["check", args.manifest, "-p", args.policy, "-f", args.format])
    total = time.perf_counter() - started
    print(f"exit {code}; imports {imported:.3f} s; run {total:.3f} s")
    depth_of = {label: depth for depth, label, _, _ in STAGES}
    for label, seconds in timers.seconds.items():
        indent = "  " * depth_of.get(label, 1)
        calls = timers.calls[label]
        print(f"{indent}{label:<{32 - len(indent)}} {seconds:7.3f} s  ({calls} calls)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
