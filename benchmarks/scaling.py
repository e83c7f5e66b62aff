"""How long grading 1,000 students takes on 1, 10 and 50 machines: `make scaling`.

Two steps. ``measure`` times, on this machine, what one submission costs at each stage of
`dlcourse autograde --cluster` into PostgreSQL: starting a sandboxed kernel; grading each
assignment's solution (one job alone, sandboxed: kernel, execution, nbgrader's own work); two
jobs at once against one; the instructor's checks of one submission before it is sent
(``inspect``, ``scan_answers``); a worker's write into PostgreSQL (ledger row and grades, one
transaction); landing a result here (the autograded folder written, the ledger's copy
dropped); merging one record into SQLite; and the Dask scheduler's cost per task.

``simulate`` then plays a class through a model of the run: this machine checks every
submission, then the scheduler hands tasks to the workers' slots (two per machine, each
machine like this one), each task runs and writes into the one database server, and this
machine lands each result as it arrives, one at a time. One submission in 20 hangs in a test
cell until that cell's time limit. The estimate is the time until the last result has
landed; the bottleneck is the stage whose own lower bound on that time is the largest.

    python benchmarks/scaling.py             # measure (about 5 min on 2 cores), simulate, rewrite SCALING.md's tables
    python benchmarks/scaling.py --costs F   # simulate from costs saved earlier (JSON from --save)
"""
from __future__ import annotations

import argparse
import asyncio
import heapq
import importlib
import json
import logging
import os
import statistics
import sys
import tempfile
import time
from collections import deque
from dataclasses import asdict, dataclass, replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SCALING = REPO / "benchmarks" / "SCALING.md"
BEGIN, END = "<!-- scaling.py: tables begin -->", "<!-- scaling.py: tables end -->"
STUDENTS = 1000
MACHINES = (1, 10, 50)
SLOTS_PER_MACHINE = 2  # a worker per core on 2-core machines like this one
HANG_EVERY = 20  # one submission in 20 loops in a test cell until its time limit


@dataclass(frozen=True)
class Costs:
    """Seconds, measured on one machine (see the module docstring)."""

    machine: str
    kernel_start: float
    grade: dict[str, float]  # assignment -> grading its solution, one job alone
    longest_limit: dict[str, int]  # assignment -> the longest time limit of its test cells
    checks: dict[str, float]  # assignment -> inspect + scan_answers of one submission, here
    parallel_speedup: float  # two jobs at once on this 2-core machine, against one
    db_write: float  # a worker's write into PostgreSQL alone: connecting, ledger row + grades, commit
    db_server: float  # the server's own CPU time per write (its processes', measured under load)
    land: float  # an autograded folder written here, its ledger copy dropped
    sqlite_merge: float  # one record merged into the SQLite gradebook
    dispatch: float  # the Dask scheduler's own time per task


@dataclass(frozen=True)
class Estimate:
    seconds: float
    bottleneck: str
    bounds: dict[str, float]  # stage -> the least time the class could take because of it alone


def simulate(costs: Costs, assignment: str, machines: int, students: int = STUDENTS,
             slots: int = SLOTS_PER_MACHINE, hang_every: int = HANG_EVERY) -> Estimate:
    """Play ``students`` submissions of ``assignment`` through a run on ``machines`` machines."""
    speedup = min(costs.parallel_speedup, slots)
    one_of_slots = costs.grade[assignment] * slots / speedup  # each slot shares its machine
    durations = [one_of_slots + (costs.longest_limit[assignment] if i % hang_every == hang_every - 1 else 0.0)
                 for i in range(students)]
    sent = students * costs.checks[assignment]  # this machine checks them all, then sends them
    waiting, events, order = deque(durations), [], 0
    scheduler = database = landing = sent

    def hand_out(slot: int, now: float) -> None:
        nonlocal scheduler, order
        if waiting:
            scheduler = max(scheduler, now) + costs.dispatch
            order += 1
            heapq.heappush(events, (scheduler + waiting.popleft(), order, "graded", slot))

    for slot in range(machines * slots):
        hand_out(slot, sent)
    while events:
        now, _, kind, slot = heapq.heappop(events)
        if kind == "graded":  # the worker writes; the server takes one write at a time
            database = max(database, now) + costs.db_server
            order += 1
            heapq.heappush(events, (max(database, now + costs.db_write), order, "written", slot))
        else:  # the slot is free; the result lands here, one at a time
            landing = max(landing, now) + costs.land
            hand_out(slot, now)
    bounds = {
        "the workers' slots": sent + (sum(durations) + students * costs.db_write) / (machines * slots),
        "the slowest submission (a hang at its time limit)": sent + max(durations),
        "this machine (checks before sending, landing results)": students * (costs.checks[assignment] + costs.land),
        "the database server": sent + students * costs.db_server,
        "the Dask scheduler": sent + students * costs.dispatch,
    }
    return Estimate(landing, max(bounds, key=bounds.get), bounds)


# --- measuring ----------------------------------------------------------------------------------

def measure() -> Costs:
    sys.path.insert(0, str(REPO / "tests"))
    sys.path.insert(0, str(REPO / "benchmarks"))
    import postgres_server
    from run import _scratch_course, machine

    from dlcourse.grading import Course
    from dlcourse.grading.autograde import _grade_one, ensure_in_gradebook, merge_records
    from dlcourse.grading.records import read_graded
    from dlcourse.grading.scan import scan_answers
    from dlcourse.grading.submissions import collect, inspect
    from dlcourse.grading.time_limits import cell_time_limit
    from dlcourse.grading.verify import expectations

    binaries = postgres_server.server_binaries()
    if binaries is None:
        raise SystemExit(f"scaling.py measures PostgreSQL writes: {postgres_server.HOW_TO_GET_IT}")
    info = machine()
    with tempfile.TemporaryDirectory(prefix="dlcourse-scaling-") as scratch:
        course_dir = _scratch_course(REPO, Path(scratch))
        course = Course(course_dir)
        grade, limits, checks = {}, {}, {}
        for assignment in course.assignments():
            name = assignment.name
            solution = next(e for e in expectations(course, assignment, REPO / "course" / "mutants")
                            if e.kind == "solution")
            inbox = Path(scratch) / f"inbox-{name}"
            inbox.mkdir()
            for student in ("solver", "second", "third"):
                (inbox / f"{student}.ipynb").write_text(solution.notebook)
            collect(course, name, inbox)
            ensure_in_gradebook(course, name)
            print(f"  grading the solution of {name} ...", flush=True)
            start = time.perf_counter()
            _grade_one(str(course_dir), name, "solver", True, course.db_url)
            grade[name] = time.perf_counter() - start
            notebook = course.submitted_dir / "solver" / name / f"{name}.ipynb"
            release = course.release_dir / name / f"{name}.ipynb"
            checks[name] = _median(lambda: (inspect(notebook, release), scan_answers(notebook, reference=assignment.source)))
            cells = json.loads(assignment.source.read_text())["cells"]
            limits[name] = max(cell_time_limit(c) for c in cells if c["metadata"].get("nbgrader", {}).get("grade"))
        speedup = _parallel_speedup(course, course_dir)
        with course.gradebook() as gradebook:
            record = read_graded(gradebook, course.assignments()[0].name, "solver")
        kernel = _kernel_start(course)
        sqlite_merge = _merge_cost(course, record, merge_records)
        with postgres_server.running_postgres(binaries=binaries) as server:
            db_write, db_server, land = _server_costs(course, server, record, postgres_server)
        os.chdir(REPO)  # grading moved into the scratch course, which is about to go
    return Costs(f"{info['cpu']}, {info['cores']} cores", kernel, grade, limits, checks, speedup, db_write, db_server,
                 land, sqlite_merge, _dispatch_cost())


def _median(action, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _parallel_speedup(course, course_dir, repeat: int = 3) -> float:
    """Two warm worker processes grading a01's solution: ``repeat`` times in one of them alone,
    then ``repeat`` times in each at once; how much more the two do per second than one."""
    import shutil
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from dlcourse.grading.autograde import _grade_one

    name = course.assignments()[0].name
    jobs = []
    for student in ("second", "third"):  # each process its own gradebook, as on one machine
        copy = course_dir / f"speedup-{student}.db"
        shutil.copyfile(course.db_url[len("sqlite:///"):], copy)
        jobs.append((str(course_dir), name, student, True, f"sqlite:///{copy}"))
    context = get_context("spawn")
    with ProcessPoolExecutor(1, mp_context=context) as one, ProcessPoolExecutor(1, mp_context=context) as other:
        for pool, job in ((one, jobs[0]), (other, jobs[1])):  # warm: imports, page cache
            pool.submit(_grade_one, *job).result()
        start = time.perf_counter()
        for _ in range(repeat):
            one.submit(_grade_one, *jobs[0]).result()
        alone = time.perf_counter() - start
        start = time.perf_counter()
        futures = [pool.submit(_grade_one, *job) for _ in range(repeat) for pool, job in ((one, jobs[0]), (other, jobs[1]))]
        for future in futures:
            future.result()
        together = time.perf_counter() - start
    return 2 * alone / together


def _import(module: str) -> None:
    importlib.import_module(module)


def _kernel_start(course) -> float:
    """A sandboxed course kernel started until it answers, then stopped; median of 3."""
    from dlcourse.grading.sandbox import SandboxedKernelManager

    kernel = course.config.ExecutePreprocessor.kernel_name

    async def once() -> float:
        with tempfile.TemporaryDirectory(prefix="dlcourse-kernel-") as workdir:
            manager = SandboxedKernelManager(kernel_name=kernel,
                                             hidden_paths=[str(p) for p in course.hidden_paths()])
            start = time.perf_counter()
            await manager.start_kernel(cwd=workdir)
            client = manager.client()
            client.start_channels()
            await client.wait_for_ready(timeout=120)
            seconds = time.perf_counter() - start
            client.stop_channels()
            await manager.shutdown_kernel(now=True)
            return seconds

    return statistics.median(asyncio.run(once()) for _ in range(3))


def _merge_cost(course, record, merge_records) -> float:
    """Merging 50 records into a copy of the SQLite gradebook, per record."""
    import shutil

    copy = course.course_dir / "merge-cost.db"
    shutil.copyfile(course.db_url[len("sqlite:///"):], copy)
    records = [replace(record, student=f"merged-{i:03d}") for i in range(50)]
    start = time.perf_counter()
    merge_records(copy, records)
    return (time.perf_counter() - start) / len(records)


def _server_costs(course, server, record, postgres_server) -> tuple[float, float, float]:
    """A worker's write into PostgreSQL alone and landing a result here (medians of 30), and the
    server's own CPU time per write while 4 processes write at once (100 writes): the CPU time
    of the server's processes, the connection's backend included, read from /proc."""
    import uuid
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    from dlcourse.grading import Course
    from dlcourse.grading.autograde import ensure_in_gradebook
    from dlcourse.grading.cluster import Kit, _zip_folder, create_ledger, release_folder, write_autograded, write_once

    url = postgres_server.create_database(server, "scaling")
    on_server = Course(course.course_dir, db_url=url, config=course.config)
    ensure_in_gradebook(on_server, record.assignment)
    create_ledger(url)
    kit = Kit(uuid.uuid4().hex, record.assignment, course.config, b"", b"", True, url)
    folder = _zip_folder(course.autograded_dir / "solver" / record.assignment)
    writes, lands = [], []
    for i in range(30):
        student = f"student-{i:03d}"
        start = time.perf_counter()
        write_once(kit, replace(record, student=student), folder, "bench")
        writes.append(time.perf_counter() - start)
        start = time.perf_counter()
        write_autograded(on_server, record.assignment, student, folder)
        release_folder(url, kit.run, record.assignment, student)
        lands.append(time.perf_counter() - start)
    batches = [[replace(record, student=f"load-{w}-{i:02d}") for i in range(25)] for w in range(4)]
    with ProcessPoolExecutor(4, mp_context=get_context("spawn")) as pool:
        list(pool.map(_import, ["dlcourse.grading.cluster"] * 8))
        before = _server_cpu(server)
        list(pool.map(_write_all, [kit] * 4, batches, [folder] * 4))
        per_write = (_server_cpu(server) - before) / 100
    return statistics.median(writes), per_write, statistics.median(lands)


def _server_cpu(server: Path) -> float:
    """CPU seconds the PostgreSQL server in ``server`` has used: the postmaster, its live processes
    and the backends that have exited (each connection has one)."""
    import psutil

    postmaster = psutil.Process(int((server / "data" / "postmaster.pid").read_text().split()[0]))
    total = sum(postmaster.cpu_times()[:4])  # user, system, and its reaped children's
    for child in postmaster.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def _write_all(kit, records, folder) -> None:
    from dlcourse.grading.cluster import write_once

    for record in records:
        write_once(kit, record, folder, "load")


def _dispatch_cost(tasks: int = 2000) -> float:
    """Wall time per trivial task through a two-worker LocalCluster: the scheduler's cost per task."""
    from distributed import Client, LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                      silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        client.gather(client.map(abs, range(-10, 10)))  # warm
        start = time.perf_counter()
        client.gather(client.map(abs, range(-tasks, 0), pure=False))
        return (time.perf_counter() - start) / tasks


# --- the report ---------------------------------------------------------------------------------

def _duration(seconds: float) -> str:
    minutes, second = divmod(round(seconds), 60)
    hours, minute = divmod(minutes, 60)
    return f"{hours} h {minute:02d} min" if hours else f"{minute} min {second:02d} s"


def tables(costs: Costs) -> str:
    """The Markdown tables of SCALING.md."""
    lines = [f"Measured on {costs.machine}: a sandboxed kernel starts in {costs.kernel_start:.2f} s; two jobs at once "
             f"grade {costs.parallel_speedup:.2f}x as fast as one; a worker's write into PostgreSQL (connecting, ledger "
             f"row and grades in one transaction) takes {costs.db_write * 1000:.0f} ms alone, of which the server's "
             f"processes use {costs.db_server * 1000:.1f} ms of CPU (measured with four writers at once); landing a result here "
             f"{costs.land * 1000:.0f} ms; merging one record into SQLite {costs.sqlite_merge * 1000:.0f} ms; the Dask "
             f"scheduler {costs.dispatch * 1000:.1f} ms per task.", "",
             "| assignment | grading one solution, s | of which kernel start, s | checks here, ms | longest cell limit, s |",
             "|---|---|---|---|---|"]
    for name in costs.grade:
        lines.append(f"| {name} | {costs.grade[name]:.1f} | {costs.kernel_start:.1f} | {costs.checks[name] * 1000:.0f} "
                     f"| {costs.longest_limit[name]} |")
    lines += ["", f"Estimated wall time for {STUDENTS:,} students ({SLOTS_PER_MACHINE} workers per machine, one "
              f"submission in {HANG_EVERY} hanging until its cell's limit), and what bounds it:", "",
              "| assignment | " + " | ".join(f"{m} machine{'s' if m > 1 else ''}" for m in MACHINES) + " |",
              "|---|" + "---|" * len(MACHINES)]
    totals = {m: 0.0 for m in MACHINES}
    for name in costs.grade:
        cells = []
        for m in MACHINES:
            estimate = simulate(costs, name, m)
            totals[m] += estimate.seconds
            cells.append(f"{_duration(estimate.seconds)}: {estimate.bottleneck}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines.append("| **every assignment, one after another** | " + " | ".join(_duration(totals[m]) for m in MACHINES) + " |")
    return "\n".join(lines)


def write_tables(costs: Costs, path: Path = SCALING) -> None:
    text = path.read_text()
    if BEGIN not in text or END not in text:
        raise SystemExit(f"{path} has lost its markers {BEGIN} ... {END}; put them back around the tables.")
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    path.write_text(f"{head}{BEGIN}\n{tables(costs)}\n{END}{tail}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--costs", type=Path, help="simulate from costs saved by --save instead of measuring")
    parser.add_argument("--save", type=Path, help="also save the measured costs as JSON here")
    args = parser.parse_args(argv)
    if args.costs:
        costs = Costs(**json.loads(args.costs.read_text()))
    else:
        costs = measure()
    if args.save:
        args.save.write_text(json.dumps(asdict(costs), indent=2))
    print(tables(costs))
    write_tables(costs)
    print(f"wrote the tables of {SCALING.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
