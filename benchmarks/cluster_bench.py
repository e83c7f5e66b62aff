"""Grading a class on a cluster, measured: `make bench`'s "cluster" section.

A class of generated submissions of one assignment (the solution and its mutants in turn,
with damaged notebooks mixed in as a real class has them: an infinite loop, an edited or a
deleted test cell, a cell that raises first, a kernel that dies, a file that is not JSON;
the others alternately the solution and one of its mutants) is
graded twice into a PostgreSQL gradebook on a server the benchmark starts: by
`dlcourse autograde --jobs <cores>` on this machine, and by `dlcourse autograde --cluster`
on a Dask LocalCluster of <cores> single-threaded worker processes. Both must give every
student the same grade; the figures are submissions per minute each way.
"""
from __future__ import annotations

import logging
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Of every 50 submissions, these are damaged (one each); the rest alternate solution and mutants.
DAMAGED = ("bad-infinite-loop", "bad-edited-test", "bad-deleted-cell", "bad-raises-at-top", "bad-kernel-dies",
           "bad-invalid-json")
CYCLE = 50


def class_of_submissions(root: Path, assignment: str, count: int) -> dict:
    """``count`` submissions (verify's Expectations: kind, notebook text) as a class hands them
    in, under ids student-001, student-002, ...:
    in each run of 50, the six damaged kinds once each (12 %) spread through it, and in the
    other places alternately the solution and a mutant (each mutant in turn)."""
    from dlcourse.grading import Course
    from dlcourse.grading.verify import expectations

    course = Course(root / "course")
    found = expectations(course, course.assignment(assignment), course.course_dir / "mutants")
    solution = next(e for e in found if e.kind == "solution")
    mutants = [e for e in found if e.kind == "mutant"]
    damaged = {e.student: e for e in found if e.kind == "bad"}
    every = CYCLE // len(DAMAGED)  # a damaged one every 8th place
    notebooks, answered = {}, 0
    for i in range(count):
        place = i % CYCLE
        if place % every == every - 1 and place // every < len(DAMAGED):
            handed_in = damaged[DAMAGED[place // every]]
        else:
            handed_in = solution if answered % 2 == 0 else mutants[answered // 2 % len(mutants)]
            answered += 1
        notebooks[f"student-{i + 1:03d}"] = handed_in
    return notebooks


def bench_cluster(root: Path, assignment: str | None, count: int, workers: int) -> dict:
    """Grade ``count`` submissions on one machine and on a local cluster, each into a fresh
    PostgreSQL database; a dict of runs and figures (or ``{"skipped": reason}``)."""
    sys.path.insert(0, str(REPO / "tests"))
    import postgres_server

    binaries = postgres_server.server_binaries()
    if binaries is None:
        return {"skipped": postgres_server.HOW_TO_GET_IT}
    from distributed import LocalCluster

    from dlcourse.grading import Course

    assignment = assignment or Course(root / "course").assignments()[0].name
    submissions = class_of_submissions(root, assignment, count)
    result = {"assignment": assignment, "submissions": count, "workers": workers, "runs": {}, "grades": {}}
    with postgres_server.running_postgres(binaries=binaries) as server:
        one_machine = f"dlcourse autograde --jobs {workers}"
        result["runs"][one_machine] = _grade_class(root, assignment, submissions, server, "one_machine",
                                                   ["--jobs", str(workers)])
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=logging.ERROR) as cluster:
            on_cluster = f"dlcourse autograde --cluster (LocalCluster, {workers} workers)"
            result["runs"][on_cluster] = _grade_class(root, assignment, submissions, server, "cluster",
                                                      ["--cluster", cluster.scheduler_address])
    runs = result["runs"]
    grades = [run.pop("grades") for run in runs.values()]
    result["figures"] = {
        "submissions per minute, one machine": runs[one_machine]["per_minute"],
        "submissions per minute, cluster": runs[on_cluster]["per_minute"],
        "cluster throughput, share of one machine": runs[on_cluster]["per_minute"] / runs[one_machine]["per_minute"],
        "students graded alike both ways": float(grades[0] == grades[1]),
    }
    result["graded"] = len(grades[0])
    return result


def _grade_class(root: Path, assignment: str, submissions: dict, server: Path, database: str,
                 options: list[str]) -> dict:
    """Collect ``submissions`` into a scratch course whose gradebook is a new database on ``server``,
    then time `dlcourse autograde ASSIGNMENT OPTIONS` on it."""
    sys.path.insert(0, str(REPO / "tests"))
    import postgres_server
    from run import _scratch_course

    from dlcourse.grading import Course
    from dlcourse.grading.autograde import ensure_in_gradebook
    from dlcourse.grading.feedback import grade_rows
    from dlcourse.grading.submissions import collect

    url = postgres_server.create_database(server, database)
    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONDONTWRITEBYTECODE="1",
               DLCOURSE_DB_URL=url)
    env.pop("DLCOURSE_COURSE_DIR", None)
    with tempfile.TemporaryDirectory(prefix="dlcourse-bench-cluster-") as scratch:
        course_dir = _scratch_course(root, Path(scratch))
        inbox = Path(scratch) / "inbox"
        inbox.mkdir()
        for student, handed_in in submissions.items():
            (inbox / f"{student}.ipynb").write_text(handed_in.notebook)
        previous = os.environ.get("DLCOURSE_DB_URL")
        os.environ["DLCOURSE_DB_URL"] = url
        try:
            course = Course(course_dir)
            collect(course, assignment, inbox)
            ensure_in_gradebook(course, assignment)
            start = time.perf_counter()
            done = subprocess.run([str(bindir / "dlcourse"), "autograde", assignment, *options], cwd=course_dir,
                                  env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            grades = {(r["student"], r["score"]) for r in grade_rows(course) if r["assignment"] == assignment}
        finally:
            if previous is None:
                os.environ.pop("DLCOURSE_DB_URL", None)
            else:
                os.environ["DLCOURSE_DB_URL"] = previous
    counted = re.search(r"^graded (\d+) of \d+ submission", done.stdout, re.M)
    return {"seconds": seconds, "graded": int(counted.group(1)) if counted else 0, "per_minute": 60 * len(submissions) / seconds,
            "exit_status": done.returncode, "grades": sorted(grades),
            "last_line": (done.stdout.strip().splitlines() or [""])[-1]}
