"""Evaluation of a large model in two processes (docs/decisions.md, "Speed").

The rules that ask the failure graph (``survives``, ``independent``) share its
compilation and kill sets; those that walk every service's hard requirements
(``tier_dependencies``, ``acyclic``) share a table of them, and nothing with the first.
On a large model the two families take about as long as each other, so a forked child
evaluates the rules that ask the failure graph while this process evaluates every
other rule (the requirement walks, and the cheap placement and backup rules, which
balance the halves). The child's findings cross the pipe, so it takes the family that
fails fewer entities: in an estate in bad shape, tier inversions outnumber services
that do not survive a facility ten to one. The two halves are the same pure
:func:`evaluate` on the same model (the child reads it copy-on-write: nothing is
loaded twice), and the result is the one a single evaluation gives, finding for
finding. The child's findings come back through a pipe as plain tuples in
:mod:`marshal` (the fastest serialisation of strings, ints and tuples; both ends are
the same interpreter).

It is only done where it pays and is safe: a model of :data:`MIN_SERVICES` services or
more, when passing findings are not kept (every one of them would cross the pipe), with
a CPU to spare (:func:`cpu_to_spare`), and where ``fork`` is safe (POSIX, no other
thread; not macOS, where CPython itself stopped forking by default). Anything the child
cannot do, an error in a rule included, makes the whole evaluation run again here, in
one process, so that errors are the ones (and in the order) a single evaluation gives.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import signal
import sys
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checker.core.findings import Finding, Notice, Result
from checker.core.location import Location
from checker.core.model import Model
from checker.evaluate import FAILURE_CHECKS, REQUIREMENT_CHECKS, EvaluationOptions, evaluate
from checker.policy.rule import Rule

#: Below this many services a whole evaluation takes a few tenths of a second at most,
#: and starting a second process is not worth its cost.
MIN_SERVICES = 20_000

_new = tuple.__new__


def evaluate_split(
    model: Model,
    rules: Sequence[Rule],
    options: EvaluationOptions,
    min_services: int = MIN_SERVICES,
) -> Result:
    """:func:`evaluate`, over two processes when the model is large enough."""
    # The child sends its findings back: the rules asking the graph, which fail far
    # fewer entities in an estate in bad shape than the tier and cycle rules do.
    theirs = [rule for rule in rules if rule.check in FAILURE_CHECKS]
    ours = [rule for rule in rules if rule.check not in FAILURE_CHECKS]
    if (
        not theirs
        or not any(rule.check in REQUIREMENT_CHECKS for rule in ours)
        or options.keep_passing
        or len(model.services) < min_services
        or not can_fork()
        or not cpu_to_spare()
    ):
        return evaluate(model, rules, options)
    read_end, write_end = os.pipe()
    try:
        child = os.fork()
    except OSError:
        os.close(read_end)
        os.close(write_end)
        return evaluate(model, rules, options)
    if child == 0:  # pragma: no cover - the child's lines run in another process
        os.close(read_end)
        _evaluate_in_child(model, theirs, options, write_end)
    os.close(write_end)
    try:
        mine = evaluate(model, ours, options)
    except Exception:
        _stop(child, read_end)
        return evaluate(model, rules, options)  # raises the first rule's error, as one run
    except BaseException:
        _stop(child, read_end)
        raise
    with os.fdopen(read_end, "rb") as pipe:
        payload = pipe.read()
    os.waitpid(child, 0)
    if not payload:  # the child failed (an error in a rule, or it was killed)
        return evaluate(model, rules, options)
    their_findings, passes_omitted, their_notices = marshal.loads(payload)
    order = {rule.id: index for index, rule in enumerate(rules)}
    notices = [*mine.notices, *map(_notice, their_notices)]
    notices.sort(key=lambda notice: order.get(notice.rule or "", -1))  # policy order
    return Result.of(
        [*mine.findings, *map(_finding, their_findings)],
        tuple(rule.info() for rule in rules),
        mine.files,
        mine.passes_omitted + passes_omitted,
        tuple(notices),
    )


def can_fork() -> bool:
    """Whether this process can fork safely: POSIX, no other thread, not macOS."""
    if not hasattr(os, "fork") or sys.platform == "darwin":
        return False
    return threading.active_count() == 1  # forking a threaded process can deadlock the child


def cpu_to_spare() -> bool:
    """Whether a second process would get a CPU of its own.

    Two CPUs or more available to this process, and one of them idle: on Linux no more
    than that many processes runnable at this moment, this one included (the kernel's
    run queue, ``/proc/loadavg``); elsewhere a one-minute load average that leaves one
    idle, as ``make -l`` judges. On a busy machine the two halves would share a CPU and
    the split would cost more than it saves.
    """
    # The CPUs this process may run on (a container's share), else the machine's.
    affinity = getattr(os, "sched_getaffinity", None)
    cpus = len(affinity(0)) if affinity is not None else os.cpu_count() or 1
    if cpus < 2:
        return False
    running = runnable_now()
    if running is not None:
        return running <= cpus - 1
    try:
        load = os.getloadavg()[0]
    except OSError:  # pragma: no cover - no load average to read
        return True
    return load < cpus - 0.5


def runnable_now() -> int | None:
    """How many processes are runnable right now, this one included (Linux only)."""
    try:
        fields = Path("/proc/loadavg").read_text(encoding="ascii").split()
        return int(fields[3].split("/")[0])
    except (OSError, ValueError, IndexError):
        return None


def _evaluate_in_child(
    model: Model, rules: Sequence[Rule], options: EvaluationOptions, write_end: int
) -> None:  # pragma: no cover - runs in the forked child
    """Evaluate ``rules``, send the result as plain values and exit; nothing on failure."""
    payload = b""
    try:
        result = evaluate(model, rules, options)
        payload = marshal.dumps(
            (
                [_plain(finding) for finding in result.findings],
                result.passes_omitted,
                [(n.message, n.rule, _location(n.location)) for n in result.notices],
            )
        )
    except BaseException:  # the parent runs everything again and reports the error
        payload = b""
    finally:
        try:
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)  # no atexit handlers, no flushing of the parent's buffers


def _plain(finding: Finding) -> tuple[object, ...]:
    """A finding of :func:`evaluate` as marshal's types (it has no waiver, no baseline)."""
    assert finding.waiver is None and finding.baseline is None
    return (*finding[:5], tuple(finding.location), *finding[6:9])


def _finding(plain: tuple[Any, ...]) -> Finding:
    """:func:`_plain` undone: the finding, with its location a Location again."""
    return _new(Finding, (*plain[:5], _new(Location, plain[5]), *plain[6:], None, None))


def _location(location: Location | None) -> tuple[object, ...] | None:
    return None if location is None else tuple(location)


def _notice(plain: tuple[str, str, tuple[str, int, int] | None]) -> Notice:
    message, rule, where = plain
    return Notice(message, rule, None if where is None else Location(*where))


def _stop(child: int, read_end: int) -> None:
    """End the child (its work is no longer wanted) and close the pipe."""
    with contextlib.suppress(OSError):  # it may have ended already
        os.kill(child, signal.SIGKILL)
    os.waitpid(child, 0)
    os.close(read_end)
