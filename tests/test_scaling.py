"""The scaling estimate (benchmarks/scaling.py): its queue simulation adds up, names the stage
that bounds the run, and rewrites only the tables of SCALING.md; and the cluster benchmark's
class has the mix of submissions it says (benchmarks/cluster_bench.py)."""
import collections
import sys
from dataclasses import replace
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import cluster_bench  # noqa: E402
import scaling  # noqa: E402

FREE = scaling.Costs(machine="test", kernel_start=1.0, grade={"a": 10.0}, longest_limit={"a": 60},
                     checks={"a": 0.0}, parallel_speedup=2.0, db_write=0.0, db_server=0.0, land=0.0, sqlite_merge=0.0, dispatch=0.0)


def test_equal_submissions_share_the_slots_evenly():
    # 2 slots of a machine that runs two at full speed: 100 submissions of 10 s take 500 s.
    estimate = scaling.simulate(FREE, "a", machines=1, students=100, hang_every=10**9)
    assert estimate.seconds == pytest.approx(500.0)
    assert estimate.bottleneck == "the workers' slots"


def test_a_machine_that_runs_two_slower_than_one_stretches_each_submission():
    estimate = scaling.simulate(replace(FREE, parallel_speedup=1.5), "a", machines=1, students=30, hang_every=10**9)
    assert estimate.seconds == pytest.approx(30 * 10 * 2 / 1.5 / 2)


def test_with_many_machines_the_slowest_submission_bounds_the_run():
    estimate = scaling.simulate(FREE, "a", machines=50, students=100, hang_every=20)
    assert estimate.bottleneck == "the slowest submission (a hang at its time limit)"
    assert estimate.seconds == pytest.approx(10 + 60)  # every slot takes one; the hanging ones run 70 s


def test_checks_and_landing_on_this_machine_are_serial():
    costs = replace(FREE, checks={"a": 0.5}, land=0.5)
    estimate = scaling.simulate(costs, "a", machines=50, students=1000, hang_every=10**9)
    assert estimate.bottleneck == "this machine (checks before sending, landing results)"
    assert estimate.seconds >= 1000 * 1.0


def test_a_slow_database_server_queues_the_writes():
    estimate = scaling.simulate(replace(FREE, db_server=1.0), "a", machines=50, students=1000, hang_every=10**9)
    assert estimate.bottleneck == "the database server"
    assert estimate.seconds == pytest.approx(1000 * 1.0 + 10, rel=0.02)


def test_a_workers_own_write_time_holds_its_slot():
    estimate = scaling.simulate(replace(FREE, db_write=2.0), "a", machines=1, students=100, hang_every=10**9)
    assert estimate.seconds == pytest.approx(100 * 12.0 / 2)


def test_two_slots_never_run_more_than_twice_as_fast_as_one():
    assert scaling.simulate(replace(FREE, parallel_speedup=2.4), "a", machines=1, students=100,
                            hang_every=10**9).seconds == pytest.approx(500.0)


def test_the_tables_are_rewritten_between_their_markers_and_the_prose_kept(tmp_path):
    page = tmp_path / "SCALING.md"
    page.write_text(f"# prose above\n{scaling.BEGIN}\nold tables\n{scaling.END}\nprose below\n")
    scaling.write_tables(FREE, page)
    text = page.read_text()
    assert text.startswith("# prose above\n") and text.endswith("prose below\n") and "old tables" not in text
    assert "| a | 10.0 | 1.0 |" in text and "every assignment, one after another" in text
    page.write_text("no markers")
    with pytest.raises(SystemExit, match="lost its markers"):
        scaling.write_tables(FREE, page)


def test_the_benchmark_class_mixes_solutions_mutants_and_damaged_notebooks():
    handed_in = cluster_bench.class_of_submissions(REPO, "a01_perceptron_and_forward_pass", 100)
    assert list(handed_in)[:2] == ["student-001", "student-002"] and len(handed_in) == 100
    kinds = collections.Counter(e.kind for e in handed_in.values())
    assert kinds["bad"] == 12 and kinds["solution"] == kinds["mutant"] == 44
    mutants = {e.student for e in handed_in.values() if e.kind == "mutant"}
    assert len(mutants) >= 20  # every one of a01's mutants appears
    damaged = collections.Counter(e.student for e in handed_in.values() if e.kind == "bad")
    assert damaged == {name: 2 for name in cluster_bench.DAMAGED}
