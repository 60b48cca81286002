"""evaluate_split: a large model's rules over two processes, the result of one evaluation."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from checker.checks import CHECKS
from checker.checks.base import Context, Verdict
from checker.cli import split
from checker.cli.split import can_fork, evaluate_split
from checker.core.errors import PolicyError
from checker.core.model import Entity, Model
from checker.evaluate import FAILURE_CHECKS, REQUIREMENT_CHECKS, EvaluationOptions, evaluate
from checker.manifest.load import model_from_data
from checker.policy.load import load_policies
from checker.policy.rule import Rule

pytestmark = pytest.mark.skipif(not can_fork(), reason="evaluates in one process here")


@pytest.fixture(autouse=True)
def idle_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the load of the machine running the tests: the split is what is tested."""
    monkeypatch.setattr(split, "cpu_to_spare", lambda: True)


@pytest.fixture(autouse=True)
def no_other_thread() -> None:
    """``evaluate_split`` does not fork a process with threads: a thread an earlier test
    left running would turn these tests into tests of the one-process path."""
    for thread in threading.enumerate():
        if thread is not threading.current_thread():
            thread.join(timeout=5)
    assert threading.active_count() == 1, f"threads left running: {threading.enumerate()}"


COUNTED = EvaluationOptions(keep_passing=False)


def _estate(services: int) -> dict[str, Any]:
    """Two facilities, services in one or both, with tier inversions, a cycle, backups."""
    domains: dict[str, Any] = {}
    for site in ("a", "b"):
        domains[f"dc-{site}"] = {"kind": "facility"}
        domains[f"dc-{site}/ups"] = {"kind": "ups", "parent": f"dc-{site}"}
        domains[f"dc-{site}/rack"] = {
            "kind": "rack",
            "parent": f"dc-{site}",
            "depends_on": [f"dc-{site}/ups"],
        }
    tiers = ("critical", "high", "medium", "low")
    records: dict[str, Any] = {}
    for number in range(services):
        record: dict[str, Any] = {
            "tier": tiers[number % 4],
            "instances": ["dc-a/rack"] if number % 3 else ["dc-a/rack", "dc-b/rack"],
        }
        if number:
            record["depends_on"] = [f"s{(number * 7) % number}"]
        if number % 5 == 0:
            record["backups"] = [{"at": "dc-b", "every": "1h"}]
        records[f"s{number}"] = record
    records["s1"]["depends_on"] = ["s2"]
    records["s2"]["depends_on"] = ["s1"]  # a cycle, for acyclic
    return {"version": 1, "domains": domains, "services": records}


@pytest.fixture(scope="module")
def estate() -> Model:
    return model_from_data(_estate(300))


@pytest.fixture(scope="module")
def baseline() -> list[Rule]:
    return load_policies(["builtin:baseline"], Path.cwd())


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The children ``os.fork`` started in this process (the child's own call is not seen)."""
    started: list[int] = []
    real_fork = os.fork

    def fork() -> int:
        child = real_fork()
        if child:
            started.append(child)
        return child

    monkeypatch.setattr(os, "fork", fork)
    return started


@pytest.fixture
def evaluated_here(monkeypatch: pytest.MonkeyPatch) -> list[list[str]]:
    """The rule ids of each evaluation run in this process by evaluate_split (a child's
    run is not seen: had the child failed, this process would have run them all)."""
    runs: list[list[str]] = []

    def recorded(model: Model, rules: list[Rule], options: EvaluationOptions) -> Any:
        runs.append([rule.id for rule in rules])
        return evaluate(model, rules, options)

    monkeypatch.setattr(split, "evaluate", recorded)
    return runs


def test_the_split_gives_the_result_of_one_evaluation(
    estate: Model, baseline: list[Rule], forks: list[int], evaluated_here: list[list[str]]
) -> None:
    alone = evaluate(estate, baseline, COUNTED)
    split_result = evaluate_split(estate, baseline, COUNTED, min_services=0)
    assert len(forks) == 1
    # This process ran all but the rules that ask the failure graph: the child's were used.
    assert evaluated_here == [[r.id for r in baseline if r.check not in FAILURE_CHECKS]]
    assert split_result == alone
    # Both halves found something: the comparison is not of two empty halves.
    checks = {rule.id: rule.check for rule in baseline}
    failed = {checks[f.rule] for f in alone.findings if f.status == "fail"}
    assert failed & FAILURE_CHECKS and failed & REQUIREMENT_CHECKS


def test_the_shipped_example_splits_to_the_same_findings(
    pangyo: Model, baseline: list[Rule], forks: list[int], evaluated_here: list[list[str]]
) -> None:
    alone = evaluate(pangyo, baseline, COUNTED)
    assert evaluate_split(pangyo, baseline, COUNTED, min_services=0) == alone
    assert forks and len(evaluated_here) == 1


def test_notices_keep_the_policy_order(
    estate: Model, forks: list[int], evaluated_here: list[list[str]], tmp_path: Path
) -> None:
    policy = tmp_path / "policy.yaml"
    rules_text = {
        "none-survive": "{select: {tier: low, labels: {team: x}}, survives: {loss_of: facility}}",
        "none-spread": "{select: {labels: {team: x}}, spread: {across: facility, min: 2}}",
        "some-survive": "{select: {tier: critical}, survives: {loss_of: facility}}",
        "none-acyclic": "{select: {labels: {team: y}}, acyclic: {}}",
        "some-acyclic": "{select: {tier: low}, acyclic: {}}",
    }
    policy.write_text(
        "version: 1\nrules:\n"
        + "".join(
            f"  {rule_id}: {{title: t, severity: high, {body[1:]}\n"
            for rule_id, body in rules_text.items()
        )
    )
    rules = load_policies([str(policy)], tmp_path)
    alone = evaluate(estate, rules, COUNTED)
    assert [n.rule for n in alone.notices] == ["none-survive", "none-spread", "none-acyclic"]
    assert evaluate_split(estate, rules, COUNTED, min_services=0) == alone
    assert forks and evaluated_here == [["none-spread", "none-acyclic", "some-acyclic"]]


def test_small_models_and_kept_passes_stay_in_one_process(
    estate: Model, baseline: list[Rule], forks: list[int]
) -> None:
    assert evaluate_split(estate, baseline, COUNTED) == evaluate(estate, baseline, COUNTED)
    kept = EvaluationOptions(keep_passing=True)
    assert evaluate_split(estate, baseline, kept, min_services=0) == evaluate(
        estate, baseline, kept
    )
    assert forks == []


def test_a_rule_s_error_in_the_child_is_the_error_of_one_evaluation(
    estate: Model,
    baseline: list[Rule],
    forks: list[int],
    evaluated_here: list[list[str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # The child evaluates survives; make it fail there, as a search too large would,
    # and see the same error as a single evaluation gives.
    def refuse(context: Context, entities: list[Entity], params: object) -> Iterator[Verdict]:
        raise PolicyError("too large", None)
        yield  # pragma: no cover

    monkeypatch.setattr(CHECKS["survives"], "run", refuse)
    with pytest.raises(PolicyError, match="too large"):
        evaluate(estate, baseline, COUNTED)
    with pytest.raises(PolicyError, match="too large"):
        evaluate_split(estate, baseline, COUNTED, min_services=0)
    assert len(forks) == 1
    # Then every rule again here, in policy order: the first error is one run's.
    assert evaluated_here[-1] == [rule.id for rule in baseline]


def test_an_error_in_this_process_ends_the_child(
    estate: Model, baseline: list[Rule], forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real_run: Callable[..., Any] = CHECKS["tier_dependencies"].run

    def refuse(*args: Any) -> Any:
        if os.getpid() == parent:
            raise PolicyError("refused here", None)
        return real_run(*args)

    parent = os.getpid()
    monkeypatch.setattr(CHECKS["tier_dependencies"], "run", refuse)
    with pytest.raises(PolicyError, match="refused here"):
        evaluate_split(estate, baseline, COUNTED, min_services=0)
    (child,) = forks
    with pytest.raises(ChildProcessError):
        os.waitpid(child, os.WNOHANG)  # reaped: no zombie left behind


def test_a_busy_machine_keeps_one_process(
    monkeypatch: pytest.MonkeyPatch, estate: Model, baseline: list[Rule], forks: list[int]
) -> None:
    monkeypatch.undo()  # the real cpu_to_spare, on a two-CPU machine with another process
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)
    monkeypatch.setattr(split, "runnable_now", lambda: 2)
    assert not split.cpu_to_spare()
    assert evaluate_split(estate, baseline, COUNTED, min_services=0) == evaluate(
        estate, baseline, COUNTED
    )
    assert forks == []
    monkeypatch.setattr(split, "runnable_now", lambda: 1)  # this process alone
    assert split.cpu_to_spare()
    # Without a run queue to read, the one-minute load average decides.
    monkeypatch.setattr(split, "runnable_now", lambda: None)
    monkeypatch.setattr(os, "getloadavg", lambda: (1.9, 1.0, 1.0))
    assert not split.cpu_to_spare()
    monkeypatch.setattr(os, "getloadavg", lambda: (1.2, 1.0, 1.0))
    assert split.cpu_to_spare()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0}, raising=False)
    assert not split.cpu_to_spare()


def test_the_run_queue_counts_this_process() -> None:
    running = split.runnable_now()
    if running is None:
        pytest.skip("no /proc/loadavg here")
    assert running >= 1
