"""The benchmark runner behind `make bench`: time and quality of every notebook, grading
throughput (on this machine and on a local Dask cluster into PostgreSQL), import time, and
NumPy reference kernels against torch, each checked against benchmarks/targets.toml.

    python benchmarks/run.py                     # everything; writes benchmarks/RESULTS.md
    python benchmarks/run.py --only lectures/04  # notebooks (or sections) whose name contains the pattern
    python benchmarks/run.py --repeat 3          # min and median of three runs per notebook
    python benchmarks/run.py --json results.json
    python benchmarks/run.py --seed-offsets 5 --cpu-variants avx2,default   # the margin run (make margin)

Every notebook runs top to bottom in a fresh kernel (nbclient), in a scratch copy of its
folder, so the runner never changes a notebook and leaves no file in the repository; its
headline figures arrive through `dlcourse.report`, which appends JSON lines to the file named
by DLCOURSE_METRICS. The exit status is 1 when a target is missed or a notebook fails.
"""
from __future__ import annotations

import argparse
import datetime
import fnmatch
import json
import math
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import cluster_bench  # noqa: E402  (benchmarks/cluster_bench.py: a class graded on a cluster)
import margin  # noqa: E402  (benchmarks/margin.py: the margin run's claims and tables)

REPO = Path(__file__).resolve().parent.parent
TARGETS = REPO / "benchmarks" / "targets.toml"
RESULTS = REPO / "benchmarks" / "RESULTS.md"
NOTEBOOK_TIMEOUT = 600  # seconds per cell: generous, the time target is what judges speed
SECTIONS = ("grading", "cluster", "import", "kernels")


# --- targets -------------------------------------------------------------------------------

_BOUND = re.compile(r"^\s*(>=|<=|>|<|==)\s*([-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?)\s*$")
_COMPARE = {">=": float.__ge__, "<=": float.__le__, ">": float.__gt__, "<": float.__lt__, "==": float.__eq__}


def parse_bound(text: str) -> tuple[str, float]:
    """'>= 0.95' -> ('>=', 0.95). Raises ValueError naming the accepted form."""
    match = _BOUND.match(text) if isinstance(text, str) else None
    if not match:
        raise ValueError(f"a target must look like '>= 0.95' or '<= 120' (operators >=, <=, >, <, ==); got {text!r}")
    return match.group(1), float(match.group(2))


def meets(value: float | None, bound: str) -> bool:
    """Whether a measured value satisfies a bound such as '>= 0.95' (a missing value never does)."""
    operator, limit = parse_bound(bound)
    return value is not None and math.isfinite(value) and _COMPARE[operator](float(value), limit)


def load_targets(path: Path = TARGETS) -> dict:
    """The targets file as {"notebooks": {path: {"seconds": s, figure: bound}}, "grading": ..., ...},
    with every bound validated so a typo fails before an hour of running."""
    targets = tomllib.loads(path.read_text())
    for notebook, table in targets.get("notebooks", {}).items():
        if not isinstance(table.get("seconds"), (int, float)):
            raise ValueError(f"{path.name}: notebook {notebook!r} needs a time budget, e.g. seconds = 120")
        for name, bound in table.items():
            if name != "seconds":
                parse_bound(bound)
    for section in SECTIONS:
        for bound in targets.get(section, {}).values():
            if isinstance(bound, str):
                parse_bound(bound)
    return targets


def notebook_misses(run: "NotebookResult", table: dict | None) -> list[str]:
    """Why a notebook's result misses its targets, one short phrase each (empty: all met)."""
    if table is None:
        return ["no targets in benchmarks/targets.toml"]
    misses = []
    if run.error:
        misses.append(f"failed: {run.error}")
    if run.wall and not meets(run.wall_median, f"<= {table['seconds']}"):
        misses.append(f"time {run.wall_median:.1f} s > {table['seconds']} s")
    for name, bound in table.items():
        if name == "seconds":
            continue
        value = run.figures.get(name)
        if value is None:
            if not run.error:
                misses.append(f"{name!r} not reported")
        elif not meets(value, bound):
            misses.append(f"{name} {_number(value)} not {bound}")
    if run.unstable:
        misses.append("figures differ between runs: " + ", ".join(run.unstable))
    return misses


def section_misses(figures: dict[str, float | None], table: dict) -> list[str]:
    """Misses of a non-notebook section (grading, import, kernels) against its bounds."""
    return [f"{name} {_number(figures.get(name))} not {bound}" for name, bound in table.items()
            if isinstance(bound, str) and not meets(figures.get(name), bound)]


# --- what notebooks report -----------------------------------------------------------------

def parse_metrics(text: str) -> dict[str, float]:
    """Figures from `dlcourse.report`'s JSON lines, in the order reported.

    A name reported twice (lecture 01 reports "training accuracy" for two models) is kept
    as "name", "name #2", ...; a line that is not a report record raises ValueError.
    """
    figures: dict[str, float] = {}
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            name, value = record["name"], record["value"]
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ValueError(f"metrics line {number} is not a dlcourse.report record ({error}): {line[:80]!r}") from None
        key, count = name, 1
        while key in figures:
            count += 1
            key = f"{name} #{count}"
        figures[key] = value
    return figures


# --- running notebooks ---------------------------------------------------------------------

@dataclass
class NotebookResult:
    """One notebook over all repeats: wall and CPU seconds and peak kernel memory (MiB) per run."""

    path: str
    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    peak_mib: list[float] = field(default_factory=list)
    figures: dict[str, float] = field(default_factory=dict)
    unstable: list[str] = field(default_factory=list)  # figures that changed between repeats
    error: str | None = None

    @property
    def wall_median(self) -> float:
        return statistics.median(self.wall) if self.wall else math.nan


def discover_notebooks(root: Path = REPO) -> list[str]:
    """Lecture and solution notebooks, as repository-relative paths in teaching order."""
    found = sorted(root.glob("lectures/*.ipynb")) + sorted(root.glob("solutions/*/*.ipynb"))
    return [p.relative_to(root).as_posix() for p in found if ".ipynb_checkpoints" not in p.parts]


def _kernel_usage(pid: int) -> tuple[float, float]:
    """CPU seconds (process and waited-for children) and peak resident MiB of a kernel."""
    import psutil

    process = psutil.Process(pid)
    times = process.cpu_times()
    cpu = times.user + times.system + times.children_user + times.children_system
    peak = getattr(process.memory_info(), "rss", 0)
    status = Path(f"/proc/{pid}/status")
    if status.exists():  # Linux keeps the high-water mark; elsewhere the final RSS is the best we get
        match = re.search(r"VmHWM:\s+(\d+) kB", status.read_text())
        peak = int(match.group(1)) * 1024 if match else peak
    return cpu, peak / 2**20


@dataclass
class Execution:
    """One run of a notebook: wall and CPU seconds, peak kernel MiB, its reported figures, the
    executed notebook (outputs included) and, per failing cell, "cell N raised Name: message"."""

    wall: float
    cpu: float
    peak_mib: float
    figures: dict[str, float]
    notebook: object
    errors: dict[int, str] = field(default_factory=dict)


def execute_notebook(root: Path, relative: str, env: dict[str, str] | None = None,
                     allow_errors: bool = False) -> Execution:
    """Execute one notebook top to bottom in a fresh kernel, in a scratch copy of its folder.

    `env` adds variables to the kernel's environment (the margin run's DLCOURSE_SEED_OFFSET).
    Whatever the notebook writes stays out of the repository. Without `allow_errors` the first
    failing cell raises RuntimeError naming it; with it every cell runs and `errors` lists the failures.
    """
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    source = root / relative
    nb = nbformat.read(source, as_version=4)
    kernel = nb.metadata.get("kernelspec", {}).get("name", "python3")
    with tempfile.TemporaryDirectory(prefix="dlcourse-bench-") as scratch:
        workdir = Path(scratch) / "work"
        shutil.copytree(source.parent, workdir, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        metrics = Path(scratch) / "metrics.jsonl"
        kernel_env = dict(os.environ, DLCOURSE_METRICS=str(metrics), DLCOURSE_NOTEBOOK=relative,
                          PYTHONDONTWRITEBYTECODE="1", KERAS_BACKEND="torch", **(env or {}))
        # The kernel ends at once when the cells are done: a graceful shutdown adds seconds to
        # every run and measures nothing.
        client = NotebookClient(nb, kernel_name=kernel, timeout=NOTEBOOK_TIMEOUT, allow_errors=allow_errors,
                                shutdown_kernel="immediate", resources={"metadata": {"path": str(workdir)}})
        errors = {}
        start = time.perf_counter()
        # The kernel's own stderr carries only jupyter_client's transport warning; cell
        # errors and warnings arrive through the notebook protocol.
        with client.setup_kernel(env=kernel_env, cwd=str(workdir), stderr=subprocess.DEVNULL):
            pid = client.km.provisioner.pid
            for index, cell in enumerate(nb.cells):
                try:
                    client.execute_cell(cell, index)
                except CellExecutionError as error:
                    name = getattr(error, "ename", "") or "error"
                    raise RuntimeError(f"cell {index + 1} raised {name}: {str(getattr(error, 'evalue', ''))[:120]}") from None
                failure = next((o for o in cell.get("outputs", []) if o.get("output_type") == "error"), None)
                if failure is not None:
                    errors[index] = f"cell {index + 1} raised {failure.get('ename', 'error')}: {failure.get('evalue', '')[:120]}"
            wall = time.perf_counter() - start
            cpu, peak = _kernel_usage(pid)
        figures = parse_metrics(metrics.read_text()) if metrics.exists() else {}
    return Execution(wall, cpu, peak, figures, nb, errors)


def run_notebook(root: Path, relative: str) -> tuple[float, float, float, dict[str, float]]:
    """Execute one notebook in a fresh kernel; returns (wall s, CPU s, peak MiB, figures).

    Raises RuntimeError naming the first failing cell.
    """
    run = execute_notebook(root, relative)
    return run.wall, run.cpu, run.peak_mib, run.figures


def bench_notebook(root: Path, relative: str, repeat: int) -> NotebookResult:
    result = NotebookResult(relative)
    for _ in range(repeat):
        try:
            wall, cpu, peak, figures = run_notebook(root, relative)
        except Exception as error:  # one broken notebook must not stop the others
            result.error = str(error) or type(error).__name__
            break
        result.wall.append(wall)
        result.cpu.append(cpu)
        result.peak_mib.append(peak)
        if result.figures and figures != result.figures:
            result.unstable = sorted(k for k in set(figures) | set(result.figures)
                                     if figures.get(k) != result.figures.get(k))
        result.figures = figures
    return result


# --- import time ---------------------------------------------------------------------------

def bench_import(repeat: int = 7) -> dict[str, float]:
    """Seconds for `import dlcourse` in fresh interpreters: the best and the median."""
    code = "import time; t = time.perf_counter(); import dlcourse; print(time.perf_counter() - t)"
    times = [float(subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                                  text=True).stdout) for _ in range(repeat)]
    return {"import dlcourse seconds": min(times), "import dlcourse seconds (median)": statistics.median(times)}


# --- NumPy reference kernels against torch -------------------------------------------------

def _per_call(function, budget: float = 0.3, rounds: int = 5) -> float:
    """Best seconds per call over `rounds`, each round repeating the call for about `budget` s."""
    function()  # warm up (allocations, torch's first-call dispatch)
    start, calls = time.perf_counter(), 0
    while time.perf_counter() - start < budget / rounds or calls == 0:
        function()
        calls += 1
    best = math.inf
    for _ in range(rounds):
        start = time.perf_counter()
        for _ in range(calls):
            function()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def _kernel_cases():
    """(name, needs, build) triples; build() returns (numpy_fn, torch_fn, max |difference|)."""
    import numpy as np
    import torch

    rng = np.random.default_rng(0)

    def softmax_cross_entropy():
        from dlcourse.nn import losses

        logits, labels = rng.normal(size=(512, 10)), rng.integers(0, 10, size=512)
        t_logits, t_labels = torch.tensor(logits), torch.tensor(labels)
        numpy_fn = lambda: losses.cross_entropy(logits, labels)  # noqa: E731
        torch_fn = lambda: torch.nn.functional.cross_entropy(t_logits, t_labels)  # noqa: E731
        return numpy_fn, torch_fn, abs(numpy_fn() - torch_fn().item())

    def mlp_training_step():
        from dlcourse.nn import MLP, SGD

        widths = [784, 128, 64, 10]
        X, y = rng.normal(size=(128, 784)), rng.integers(0, 10, size=128)
        mlp, sgd = MLP(widths, activation="relu", output="softmax", seed=0), SGD(lr=0.01)
        layers = []
        for n_in, n_out in zip(widths[:-2], widths[1:-1]):
            layers += [torch.nn.Linear(n_in, n_out), torch.nn.ReLU()]
        net = torch.nn.Sequential(*layers, torch.nn.Linear(widths[-2], widths[-1])).double()
        with torch.no_grad():
            for theirs, ours in zip(net.parameters(), mlp.params):
                theirs.copy_(torch.from_numpy(ours))
        t_X, t_y = torch.tensor(X), torch.tensor(y)
        optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
        difference = abs(mlp.loss(X, y) - torch.nn.functional.cross_entropy(net(t_X), t_y).item())

        def numpy_fn():
            mlp.loss(X, y)
            sgd.step(mlp.params, mlp.backward(y))

        def torch_fn():
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(net(t_X), t_y).backward()
            optimizer.step()

        return numpy_fn, torch_fn, difference

    def conv2d_im2col():
        from dlcourse.nn import conv2d

        x, w, b = rng.normal(size=(32, 3, 28, 28)), rng.normal(size=(8, 3, 3, 3)), rng.normal(size=8)
        t_x, t_w, t_b = map(torch.tensor, (x, w, b))
        numpy_fn = lambda: conv2d(x, w, b, stride=1, padding=1)  # noqa: E731
        torch_fn = lambda: torch.nn.functional.conv2d(t_x, t_w, t_b, stride=1, padding=1)  # noqa: E731
        return numpy_fn, torch_fn, float(np.abs(numpy_fn() - torch_fn().numpy()).max())

    def lstm_cell():
        from dlcourse.nn import LSTMCell

        x, h, c = rng.normal(size=(64, 32)), rng.normal(size=(64, 64)), rng.normal(size=(64, 64))
        ours, theirs = LSTMCell(32, 64, seed=0), torch.nn.LSTMCell(32, 64).double()
        with torch.no_grad():
            for name, parameter in theirs.named_parameters():
                parameter.copy_(torch.from_numpy(getattr(ours, name)))
        t_x, t_h, t_c = map(torch.tensor, (x, h, c))
        numpy_fn = lambda: ours.forward(x, (h, c))  # noqa: E731
        torch_fn = lambda: theirs(t_x, (t_h, t_c))  # noqa: E731
        return numpy_fn, torch_fn, float(np.abs(numpy_fn()[0] - torch_fn()[0].detach().numpy()).max())

    return [("softmax cross-entropy, 512x10", ("losses",), softmax_cross_entropy),
            ("MLP training step 784-128-64-10, batch 128", ("MLP", "SGD"), mlp_training_step),
            ("conv2d im2col, 32x3x28x28 * 8x3x3x3", ("conv2d",), conv2d_im2col),
            ("LSTM cell, batch 64, 32 -> 64", ("LSTMCell",), lstm_cell)]


def bench_kernels() -> list[dict]:
    """Per kernel: NumPy and torch seconds per call on the same float64 inputs, their ratio, and
    the largest difference between the two results (proof that both computed the same thing)."""
    import dlcourse

    rows = []
    for name, needs, build in _kernel_cases():
        missing = [n for n in needs if not _library_has(dlcourse.nn, n)]
        if missing:
            rows.append({"kernel": name, "status": f"dlcourse.nn.{missing[0]} is not in the library yet"})
            continue
        dlcourse.seed_everything(0)
        numpy_fn, torch_fn, difference = build()
        numpy_s, torch_s = _per_call(numpy_fn), _per_call(torch_fn)
        rows.append({"kernel": name, "status": "measured", "numpy_ms": numpy_s * 1e3, "torch_ms": torch_s * 1e3,
                     "ratio": numpy_s / torch_s, "max_difference": difference})
    return rows


def _library_has(module, name: str) -> bool:
    try:
        getattr(module, name)
        return True
    except (AttributeError, ImportError):
        return False


# --- grading throughput --------------------------------------------------------------------

def _scratch_course(root: Path, scratch: Path) -> Path:
    """A copy of the course (config, solutions, releases) in `scratch`; returns its course/ folder."""
    for folder in ("solutions", "assignments"):
        shutil.copytree(root / folder, scratch / folder, ignore=shutil.ignore_patterns("__pycache__"))
    (scratch / "course").mkdir()
    shutil.copy(root / "course" / "nbgrader_config.py", scratch / "course" / "nbgrader_config.py")
    return scratch / "course"


def synthetic_submissions(root: Path, assignment: str, count: int) -> dict[str, str]:
    """`count` notebooks as students hand them in: the solution and each mutant in turn, under
    ids student-001, student-002, ..."""
    from dlcourse.grading import Course
    from dlcourse.grading.verify import expectations

    course = Course(root / "course")
    cases = [e for e in expectations(course, course.assignment(assignment), course.course_dir / "mutants")
             if e.kind in ("solution", "mutant")]
    return {f"student-{i + 1:03d}": cases[i % len(cases)].notebook for i in range(count)}


def bench_grading(root: Path, assignment: str | None, count: int, jobs: int) -> dict:
    """Grade the same `count` submissions four ways, each in a fresh copy of the course:
    `dlcourse autograde --jobs 1`, `--jobs <jobs>`, `--jobs <jobs> --no-sandbox`, and plain
    `nbgrader autograde` (which the course's configuration also sandboxes)."""
    from dlcourse.grading import Course
    from dlcourse.grading.autograde import ensure_in_gradebook
    from dlcourse.grading.submissions import collect

    assignment = assignment or Course(root / "course").assignments()[0].name
    submissions = synthetic_submissions(root, assignment, count)
    bindir = Path(sys.executable).parent
    env = dict(os.environ, PATH=f"{bindir}{os.pathsep}{os.environ.get('PATH', '')}", PYTHONDONTWRITEBYTECODE="1")
    for variable in ("DLCOURSE_DB_URL", "DLCOURSE_COURSE_DIR"):
        env.pop(variable, None)
    dlcourse = [str(bindir / "dlcourse"), "autograde", assignment]
    commands = {"dlcourse autograde --jobs 1": [*dlcourse, "--jobs", "1"],
                f"dlcourse autograde --jobs {jobs}": [*dlcourse, "--jobs", str(jobs)],
                f"dlcourse autograde --jobs {jobs} --no-sandbox": [*dlcourse, "--jobs", str(jobs), "--no-sandbox"],
                "nbgrader autograde": [str(bindir / "nbgrader"), "autograde", assignment]}
    result = {"assignment": assignment, "submissions": count, "jobs": jobs, "runs": {}}
    for label, command in commands.items():
        with tempfile.TemporaryDirectory(prefix="dlcourse-bench-grading-") as scratch:
            course_dir = _scratch_course(root, Path(scratch))
            inbox = Path(scratch) / "inbox"
            inbox.mkdir()
            for student, notebook in submissions.items():
                (inbox / f"{student}.ipynb").write_text(notebook)
            course = Course(course_dir)
            collect(course, assignment, inbox)
            ensure_in_gradebook(course, assignment)
            start = time.perf_counter()
            # Every command finds the scratch course from its working directory.
            done = subprocess.run(command, cwd=course_dir, env=env, capture_output=True, text=True)
            seconds = time.perf_counter() - start
            graded = len(list((course_dir / "autograded").glob(f"*/{assignment}")))
        result["runs"][label] = {"seconds": seconds, "graded": graded, "per_minute": 60 * graded / seconds,
                                 "exit_status": done.returncode}
    runs = result["runs"]
    result["figures"] = {"submissions per minute, 1 job": runs["dlcourse autograde --jobs 1"]["per_minute"],
                         f"submissions per minute, {jobs} jobs": runs[f"dlcourse autograde --jobs {jobs}"]["per_minute"],
                         "submissions per minute, nbgrader": runs["nbgrader autograde"]["per_minute"],
                         "speed-up of parallel grading": runs["dlcourse autograde --jobs 1"]["seconds"]
                         / runs[f"dlcourse autograde --jobs {jobs}"]["seconds"],
                         f"submissions per minute, {jobs} jobs, no sandbox":
                             runs[f"dlcourse autograde --jobs {jobs} --no-sandbox"]["per_minute"],
                         "sandboxed throughput, share of unsandboxed": runs[f"dlcourse autograde --jobs {jobs}"]["per_minute"]
                         / runs[f"dlcourse autograde --jobs {jobs} --no-sandbox"]["per_minute"],
                         "submissions graded, every way": min(r["graded"] for r in runs.values())}
    return result


# --- tables --------------------------------------------------------------------------------

def _number(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    if value != value:  # NaN
        return "-"
    return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"


def _spread(values: list[float], digits: int = 1) -> str:
    """'12.3' for one run, '12.3 / 12.9' (min / median) for several."""
    if not values:
        return "-"
    if len(values) == 1 or len(set(values)) == 1:
        return f"{values[0]:.{digits}f}"
    return f"{min(values):.{digits}f} / {statistics.median(values):.{digits}f}"


def notebook_rows(results: list[NotebookResult], targets: dict) -> list[list[str]]:
    """One row per notebook: name, wall, budget, CPU, peak memory, verdict."""
    rows = []
    for run in results:
        table = targets.get("notebooks", {}).get(run.path)
        misses = notebook_misses(run, table)
        rows.append([run.path, _spread(run.wall), str(table["seconds"]) if table else "-", _spread(run.cpu),
                     _spread(run.peak_mib, 0), "MISS: " + "; ".join(misses) if misses else "ok"])
    return rows


def figure_rows(results: list[NotebookResult], targets: dict) -> list[list[str]]:
    """One row per reported figure: notebook, figure, value, target (if any), verdict."""
    rows = []
    for run in results:
        bounds = {k: v for k, v in targets.get("notebooks", {}).get(run.path, {}).items() if k != "seconds"}
        for name in [*run.figures, *(b for b in bounds if b not in run.figures)]:
            value, bound = run.figures.get(name), bounds.get(name)
            verdict = "" if bound is None else "ok" if meets(value, bound) else "MISS"
            rows.append([Path(run.path).stem, name, _number(value), bound or "", verdict])
    return rows


NOTEBOOK_HEADER = ["notebook", "wall s", "budget s", "CPU s", "peak MiB", "verdict"]
FIGURE_HEADER = ["notebook", "figure (dlcourse.report)", "value", "target", "verdict"]


def format_table(header: list[str], rows: list[list[str]], markdown: bool = False) -> str:
    """A Markdown table, or aligned plain text for the terminal."""
    if markdown:
        escape = lambda cell: str(cell).replace("|", "\\|")  # noqa: E731
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        return "\n".join(lines + ["| " + " | ".join(map(escape, row)) + " |" for row in rows])
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows)]
    line = lambda cells: "  ".join(str(c).ljust(w) for c, w in zip(cells, widths)).rstrip()  # noqa: E731
    return "\n".join([line(header), line("-" * w for w in widths)] + [line(row) for row in rows])


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import numpy
    import torch

    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"^model name\s*:\s*(.+)$", cpuinfo.read_text(), re.M)
        cpu = match.group(1).strip() if match else cpu
    from dlcourse.grading.autograde import usable_cpus

    cores = usable_cpus()
    return {"date": datetime.date.today().isoformat(), "cpu": cpu, "cores": str(cores),
            "python": platform.python_version(), "torch": torch.__version__, "numpy": numpy.__version__,
            "torch threads": str(torch.get_num_threads())}


def report_text(info: dict, notebooks: list[NotebookResult], grading: dict | None, imports: dict | None,
                kernels: list[dict] | None, targets: dict, markdown: bool,
                cluster: dict | None = None) -> tuple[str, list[str]]:
    """The whole report (Markdown for RESULTS.md or plain text) and the list of misses."""
    misses, parts = [], []
    heading = (lambda text: f"\n## {text}\n") if markdown else (lambda text: f"\n{text}\n{'=' * len(text)}")
    parts.append("# Benchmark results\n" if markdown else "dlcourse benchmarks")
    parts.append(("" if markdown else "\n") + ", ".join(f"{k}: {v}" for k, v in info.items()))
    if notebooks:
        runs = max(len(r.wall) for r in notebooks)
        parts.append(heading("Notebooks (fresh kernel, top to bottom" + (f"; min / median of {runs} runs)" if runs > 1 else ")")))
        rows = notebook_rows(notebooks, targets)
        misses += [f"{row[0]}: {row[-1][6:]}" for row in rows if row[-1] != "ok"]
        parts.append(format_table(NOTEBOOK_HEADER, rows, markdown))
        figures = figure_rows(notebooks, targets)
        if figures:
            parts.append(heading("Reported figures"))
            parts.append(format_table(FIGURE_HEADER, figures, markdown))
        unlisted = sorted(set(targets.get("notebooks", {})) - {r.path for r in notebooks})
        if unlisted and markdown:
            parts.append(f"\nNot run this time: {', '.join(unlisted)}")
    if grading:
        parts.append(heading(f"Grading throughput ({grading['submissions']} submissions of {grading['assignment']})"))
        rows = [[label, f"{r['seconds']:.1f}", str(r["graded"]), f"{r['per_minute']:.1f}", str(r["exit_status"])]
                for label, r in grading["runs"].items()]
        parts.append(format_table(["command", "seconds", "graded", "per minute", "exit status"], rows, markdown))
        speedup = grading["figures"]["speed-up of parallel grading"]
        share = grading["figures"]["sandboxed throughput, share of unsandboxed"]
        parts.append(f"\nspeed-up of {grading['jobs']} jobs over 1: {speedup:.2f}x; "
                     f"sandboxed grading runs at {share:.0%} of the throughput without the sandbox")
        misses += [f"grading: {label} graded {r['graded']} of {grading['submissions']} submissions"
                   for label, r in grading["runs"].items() if r["graded"] < grading["submissions"]]
        misses += [f"grading: {m}" for m in section_misses(grading["figures"], targets.get("grading", {}))]
    if cluster:
        parts_, misses_ = cluster_section(cluster, targets.get("cluster", {}), markdown, heading)
        parts += parts_
        misses += misses_
    if imports:
        parts.append(heading("Import time"))
        parts.append(format_table(["measure", "seconds"], [[k, f"{v:.4f}"] for k, v in imports.items()], markdown))
        misses += [f"import: {m}" for m in section_misses(imports, targets.get("import", {}))]
    if kernels:
        parts.append(heading("NumPy reference kernels vs torch (same float64 inputs)"))
        rows = [[k["kernel"], f"{k['numpy_ms']:.3f}", f"{k['torch_ms']:.3f}", f"{k['ratio']:.1f}",
                 f"{k['max_difference']:.1e}"] if k["status"] == "measured" else [k["kernel"], "-", "-", "-", k["status"]]
                for k in kernels]
        parts.append(format_table(["kernel", "NumPy ms", "torch ms", "NumPy/torch", "max |difference|"], rows, markdown))
        limit = targets.get("kernels", {}).get("max difference", "<= 1e-6")
        misses += [f"kernels: {k['kernel']} differs from torch by {k['max_difference']:.1e} (not {limit})"
                   for k in kernels if k["status"] == "measured" and not meets(k["max_difference"], limit)]
    parts.append(heading("Misses"))
    parts.append("\n".join(f"- {m}" for m in misses) if misses else "none: every target met")
    return "\n".join(parts) + "\n", misses


def cluster_section(cluster: dict, bounds: dict, markdown: bool, heading) -> tuple[list[str], list[str]]:
    """The cluster section's text and misses."""
    if "skipped" in cluster:
        return [heading("Grading on a cluster"), f"not measured: {cluster['skipped']}"], [
            f"cluster: not measured: {cluster['skipped']}"]
    parts = [heading(f"Grading on a cluster ({cluster['submissions']} submissions of {cluster['assignment']}, "
                     "into PostgreSQL)")]
    rows = [[label, f"{r['seconds']:.1f}", str(r["graded"]), f"{r['per_minute']:.1f}", str(r["exit_status"])]
            for label, r in cluster["runs"].items()]
    parts.append(format_table(["command", "seconds", "graded", "submissions per minute", "exit status"], rows, markdown))
    figures = cluster["figures"]
    parts.append(f"\n{len(cluster_bench.DAMAGED)} of every {cluster_bench.CYCLE} submissions are damaged "
                 f"({', '.join(cluster_bench.DAMAGED)}); the others are alternately the solution and a mutant. "
                 f"The cluster runs at {figures['cluster throughput, share of one machine']:.0%} of the one-machine "
                 f"throughput on the same {cluster['workers']} cores; "
                 + ("both ways gave every student the same grade." if figures["students graded alike both ways"]
                    else "the two ways gave DIFFERENT grades."))
    return parts, [f"cluster: {m}" for m in section_misses(figures, bounds)]


# --- the margin run ------------------------------------------------------------------------

def margin_main(notebooks: list[str], runs: dict[str, dict[str, str]], targets: dict, info: dict,
                write: bool, everything: bool = True) -> int:
    """Run each notebook once per margin run; print what held; rewrite RESULTS.md's margin section."""
    print(f"margin run: {len(notebooks)} notebook(s), runs: {', '.join(runs)}", flush=True)
    results = []
    for relative in notebooks:
        print(f"  {relative} ...", end=" ", flush=True)
        results.append(margin.run_margin(REPO, relative, runs, execute_notebook))
        r = results[-1]
        print(f"{len(r.claims) - len(r.weak)} of {len(r.claims)} claims held in every run"
              + (f"; failing cells in {len(r.errors)} run(s)" if r.errors else ""), flush=True)
    print(format_table(margin.SUMMARY_HEADER, margin.summary_rows(results, str(info.get("date", "")))))
    print()
    print(format_table(["notebook", "figure", "min", "median", "max", "target", "every run"],
                       margin.spread_rows(results, targets, meets, _number)))
    found = margin.misses(results, targets, meets)
    print("\nMisses:\n" + ("\n".join(f"- {m}" for m in found) if found else "none: every claim held in every run"))
    if write:
        document = RESULTS.read_text() if RESULTS.exists() else ""
        section = margin.report_section(results, targets, info, meets, _number, format_table)
        if not everything:  # a run of some notebooks: the others keep their rows
            section = margin.merge_sections(margin.old_section(document), section, [r.path for r in results])
        RESULTS.write_text(margin.replace_section(document, section))
        print(f"wrote the margin section of {RESULTS.relative_to(REPO)}")
    return 1 if found else 0


# --- command line --------------------------------------------------------------------------

def _selected(name: str, pattern: str | None) -> bool:
    if pattern is None:
        return True
    return fnmatch.fnmatch(name, pattern) if any(c in pattern for c in "*?[") else pattern in name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", metavar="PATTERN",
                        help="run only notebooks (or the sections grading, import, kernels) whose name contains PATTERN "
                             "(or matches it, if it has * ? [); RESULTS.md is then left alone, except that a margin "
                             "run replaces the rows of the notebooks it ran")
    parser.add_argument("--repeat", type=int, default=1, metavar="K", help="run each notebook K times; report min and median")
    parser.add_argument("--json", metavar="PATH", help="also write every measurement as JSON to PATH")
    parser.add_argument("--submissions", type=int, default=12, metavar="N", help="synthetic submissions to grade (default 12)")
    parser.add_argument("--assignment", help="assignment whose submissions are graded (default: the first)")
    parser.add_argument("--class-size", type=int, default=200, metavar="N",
                        help="submissions the cluster section grades each way (default 200)")
    parser.add_argument("--no-results", action="store_true", help="do not rewrite benchmarks/RESULTS.md")
    parser.add_argument("--seed-offsets", type=int, default=0, metavar="K",
                        help="the margin run: execute the notebooks with DLCOURSE_SEED_OFFSET = 1 .. K and count, "
                             "per checked claim, the runs it held in (see benchmarks/margin.py)")
    parser.add_argument("--cpu-variants", default="", metavar="LIST",
                        help="margin run: also one run per CPU variant, with the committed seeds "
                             f"(comma-separated; {', '.join(margin.CPU_VARIANTS)})")
    args = parser.parse_args(argv)
    if args.repeat < 1 or args.submissions < 1 or args.class_size < 1 or args.seed_offsets < 0:
        parser.error("--repeat and --submissions need a positive number, --seed-offsets a non-negative one")
    try:
        margin_runs = margin.conditions(list(range(1, args.seed_offsets + 1)),
                                        [v for v in args.cpu_variants.split(",") if v])
    except ValueError as error:
        parser.error(str(error))

    targets = load_targets()
    info = machine()
    jobs = int(info["cores"])
    notebooks = [n for n in discover_notebooks() if _selected(n, args.only)]
    if margin_runs:
        return margin_main(notebooks, margin_runs, targets, info, write=not args.no_results,
                           everything=args.only is None)
    print(f"dlcourse benchmarks on {info['cpu']} ({jobs} cores): {len(notebooks)} notebook(s)", flush=True)
    results = []
    for relative in notebooks:
        print(f"  running {relative} ...", end=" ", flush=True)
        results.append(bench_notebook(REPO, relative, args.repeat))
        run = results[-1]
        print(f"failed: {run.error}" if run.error else f"{_spread(run.wall)} s", flush=True)
    grading = imports = kernels = cluster = None
    if _selected("grading", args.only):
        print(f"  grading {args.submissions} submissions three ways ...", flush=True)
        grading = bench_grading(REPO, args.assignment, args.submissions, jobs)
    if _selected("cluster", args.only):
        print(f"  grading a class of {args.class_size} on this machine and on a local cluster ...", flush=True)
        cluster = cluster_bench.bench_cluster(REPO, args.assignment, args.class_size, jobs)
    if _selected("import", args.only):
        imports = bench_import()
    if _selected("kernels", args.only):
        print("  timing NumPy kernels against torch ...", flush=True)
        kernels = bench_kernels()

    text, misses = report_text(info, results, grading, imports, kernels, targets, markdown=False, cluster=cluster)
    print(text)
    if args.only is None and not args.no_results:
        markdown, _ = report_text(info, results, grading, imports, kernels, targets, markdown=True, cluster=cluster)
        kept = margin.kept_section(RESULTS.read_text()) if RESULTS.exists() else ""
        RESULTS.write_text(markdown + ("\n" + kept if kept else ""))
        print(f"wrote {RESULTS.relative_to(REPO)}")
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": info, "notebooks": [asdict(r) for r in results],
                                               "grading": grading, "cluster": cluster, "import": imports, "kernels": kernels,
                                               "misses": misses}, indent=2))
    return 1 if misses else 0


if __name__ == "__main__":
    sys.exit(main())
