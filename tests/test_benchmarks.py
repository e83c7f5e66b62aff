"""The benchmark runner (benchmarks/run.py): its targets file covers exactly the notebooks
that exist, and its target checking, report parsing and tables say what was measured."""
import importlib.util
import json
import math
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
_spec = importlib.util.spec_from_file_location("benchmark_runner", REPO / "benchmarks" / "run.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench  # dataclasses look their module up while the file executes
_spec.loader.exec_module(bench)


# --- the targets file ----------------------------------------------------------------------

def test_targets_name_only_notebooks_that_exist():
    named = set(bench.load_targets()["notebooks"])
    missing = sorted(n for n in named if not (REPO / n).is_file())
    assert not missing, f"benchmarks/targets.toml names notebooks that do not exist: {missing}"


def test_every_notebook_has_a_time_target():
    targets = bench.load_targets()["notebooks"]
    without = [n for n in bench.discover_notebooks(REPO) if n not in targets]
    assert not without, f"add a [notebooks.\"<path>\"] table with seconds = 120 to benchmarks/targets.toml for {without}"
    assert all(0 < table["seconds"] <= 120 for table in targets.values()), "the course promises <= 120 s per notebook"


def test_discovery_finds_lectures_then_solutions():
    found = bench.discover_notebooks(REPO)
    assert "lectures/01_learning_from_data.ipynb" in found
    assert found == sorted(found, key=lambda p: (not p.startswith("lectures/"), p))


def test_load_targets_rejects_a_notebook_without_a_budget(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_text('[notebooks."lectures/x.ipynb"]\n"accuracy" = ">= 0.9"\n')
    with pytest.raises(ValueError, match="needs a time budget"):
        bench.load_targets(path)


def test_load_targets_rejects_a_malformed_bound(tmp_path):
    path = tmp_path / "targets.toml"
    path.write_text('[notebooks."lectures/x.ipynb"]\nseconds = 120\n"accuracy" = "at least 0.9"\n')
    with pytest.raises(ValueError, match="must look like '>= 0.95'"):
        bench.load_targets(path)


# --- target checking -----------------------------------------------------------------------

@pytest.mark.parametrize("value,bound,expected", [
    (0.95, ">= 0.95", True), (0.9499, ">= 0.95", False), (120.0, "<= 120", True), (120.1, "<= 120", False),
    (0.0, "< 1e-6", True), (2.0, "> 2", False), (1.0, "== 1", True), (None, ">= 0", False), (math.nan, "<= 1", False),
])
def test_meets_compares_a_value_with_its_bound(value, bound, expected):
    assert bench.meets(value, bound) is expected


def _result(**changes):
    result = bench.NotebookResult("lectures/x.ipynb", wall=[10.0], cpu=[9.0], peak_mib=[300.0],
                                  figures={"test accuracy": 0.97})
    for name, value in changes.items():
        setattr(result, name, value)
    return result


TABLE = {"seconds": 120, "test accuracy": ">= 0.95"}


def test_a_notebook_within_budget_and_targets_has_no_misses():
    assert bench.notebook_misses(_result(), TABLE) == []


def test_a_slow_notebook_misses_its_time_budget():
    (miss,) = bench.notebook_misses(_result(wall=[118.0, 131.0, 125.0]), TABLE)
    assert miss == "time 125.0 s > 120 s"  # the median of the runs is judged


def test_a_figure_below_its_target_is_a_miss():
    assert bench.notebook_misses(_result(figures={"test accuracy": 0.93}), TABLE) == ["test accuracy 0.9300 not >= 0.95"]


def test_a_promised_figure_that_is_never_reported_is_a_miss():
    assert bench.notebook_misses(_result(figures={}), TABLE) == ["'test accuracy' not reported"]


def test_figures_that_change_between_runs_are_a_miss():
    misses = bench.notebook_misses(_result(unstable=["test accuracy"]), TABLE)
    assert misses == ["figures differ between runs: test accuracy"]


def test_a_failed_notebook_reports_its_error_and_nothing_else():
    failed = _result(wall=[], figures={}, error="cell 3 raised ValueError: bad shape")
    assert bench.notebook_misses(failed, TABLE) == ["failed: cell 3 raised ValueError: bad shape"]


def test_a_notebook_without_targets_is_a_miss():
    assert bench.notebook_misses(_result(), None) == ["no targets in benchmarks/targets.toml"]


def test_section_bounds_are_checked_by_name():
    table = {"speed-up of parallel grading": ">= 1.3"}
    assert bench.section_misses({"speed-up of parallel grading": 1.6}, table) == []
    assert bench.section_misses({"speed-up of parallel grading": 1.1}, table) == [
        "speed-up of parallel grading 1.1000 not >= 1.3"]
    assert bench.section_misses({}, table) == ["speed-up of parallel grading - not >= 1.3"]


# --- report parsing ------------------------------------------------------------------------

def test_parse_metrics_reads_report_lines_in_order():
    lines = [json.dumps({"notebook": "lectures/x.ipynb", "name": n, "value": v}) for n, v in
             [("train accuracy", 0.99), ("test accuracy", 0.96)]]
    assert bench.parse_metrics("\n".join(lines) + "\n") == {"train accuracy": 0.99, "test accuracy": 0.96}


def test_parse_metrics_numbers_a_name_reported_twice():
    lines = [json.dumps({"notebook": None, "name": "training accuracy", "value": v}) for v in (1.0, 0.715, 0.5)]
    assert bench.parse_metrics("\n".join(lines)) == {
        "training accuracy": 1.0, "training accuracy #2": 0.715, "training accuracy #3": 0.5}


def test_parse_metrics_names_the_line_that_is_not_a_record():
    good = json.dumps({"notebook": None, "name": "loss", "value": 0.1})
    with pytest.raises(ValueError, match="metrics line 2 is not a dlcourse.report record"):
        bench.parse_metrics(good + "\nnot json\n")


def test_report_writes_what_the_runner_parses(tmp_path, monkeypatch):
    import dlcourse

    metrics = tmp_path / "metrics.jsonl"
    monkeypatch.setenv("DLCOURSE_METRICS", str(metrics))
    monkeypatch.setenv("DLCOURSE_NOTEBOOK", "lectures/x.ipynb")
    dlcourse.report("test accuracy", 0.9612)
    dlcourse.report("episodes", 40)
    assert bench.parse_metrics(metrics.read_text()) == {"test accuracy": 0.9612, "episodes": 40}


# --- tables --------------------------------------------------------------------------------

def test_notebook_rows_show_min_and_median_and_the_verdict():
    targets = {"notebooks": {"lectures/x.ipynb": TABLE}}
    (row,) = bench.notebook_rows([_result(wall=[12.0, 10.0, 11.0])], targets)
    assert row == ["lectures/x.ipynb", "10.0 / 11.0", "120", "9.0", "300", "ok"]
    (row,) = bench.notebook_rows([_result(figures={"test accuracy": 0.5})], targets)
    assert row[-1] == "MISS: test accuracy 0.5000 not >= 0.95"


def test_figure_rows_mark_misses_and_list_unreported_targets():
    targets = {"notebooks": {"lectures/x.ipynb": {"seconds": 120, "test accuracy": ">= 0.95", "loss": "<= 0.1"}}}
    rows = bench.figure_rows([_result(figures={"test accuracy": 0.97, "train accuracy": 1.0})], targets)
    assert rows == [["x", "test accuracy", "0.9700", ">= 0.95", "ok"], ["x", "train accuracy", "1.0000", "", ""],
                    ["x", "loss", "-", "<= 0.1", "MISS"]]


def test_markdown_table_escapes_pipes_and_plain_table_aligns_columns():
    markdown = bench.format_table(["a", "b"], [["x|y", "1"]], markdown=True)
    assert markdown.splitlines() == ["| a | b |", "|---|---|", "| x\\|y | 1 |"]
    plain = bench.format_table(["name", "s"], [["long name", "1.0"], ["x", "22.5"]])
    assert plain.splitlines() == ["name       s", "---------  ----", "long name  1.0", "x          22.5"]


def test_report_text_lists_every_miss_and_says_so_when_there_is_none():
    info = {"date": "2026-01-01", "cpu": "test CPU", "cores": "2"}
    targets = {"notebooks": {"lectures/x.ipynb": TABLE}, "import": {"import dlcourse seconds": "<= 0.1"}}
    text, misses = bench.report_text(info, [_result()], None, {"import dlcourse seconds": 0.02}, None, targets, True)
    assert misses == [] and "none: every target met" in text and "test CPU" in text
    text, misses = bench.report_text(info, [_result(wall=[130.0])], None, {"import dlcourse seconds": 0.5}, None,
                                     targets, False)
    assert misses == ["lectures/x.ipynb: time 130.0 s > 120 s", "import: import dlcourse seconds 0.5000 not <= 0.1"]
    assert "- lectures/x.ipynb: time 130.0 s > 120 s" in text


def test_kernel_rows_say_when_a_kernel_is_not_in_the_library_yet():
    kernels = [{"kernel": "conv2d", "status": "dlcourse.nn.conv2d is not in the library yet"},
               {"kernel": "softmax", "status": "measured", "numpy_ms": 2.0, "torch_ms": 0.5, "ratio": 4.0,
                "max_difference": 1e-3}]
    text, misses = bench.report_text({}, [], None, None, kernels, {"kernels": {"max difference": "<= 1e-6"}}, False)
    assert "dlcourse.nn.conv2d is not in the library yet" in text and "4.0" in text
    assert misses == ["kernels: softmax differs from torch by 1.0e-03 (not <= 1e-6)"]


# --- running a notebook --------------------------------------------------------------------

def _notebook(*sources):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nb.metadata["kernelspec"] = {"name": "dlcourse", "display_name": "Python 3 (dlcourse)", "language": "python"}
    return nb


@pytest.mark.slow
def test_runner_collects_figures_and_leaves_the_repository_untouched(tmp_path):
    (tmp_path / "lectures").mkdir()
    path = tmp_path / "lectures" / "99_probe.ipynb"
    nbformat.write(_notebook("import dlcourse, numpy as np\n_ = dlcourse.report('test accuracy', 0.5 + 0.25)",
                             "open('written_by_the_notebook.txt', 'w').write('x')\nx = np.ones(10**7)"), path)
    before = path.read_bytes()
    result = bench.bench_notebook(tmp_path, "lectures/99_probe.ipynb", repeat=2)
    assert result.error is None and result.figures == {"test accuracy": 0.75} and result.unstable == []
    assert len(result.wall) == 2 and all(w > 0 for w in result.wall) and all(c > 0 for c in result.cpu)
    assert min(result.peak_mib) > 76  # the kernel held the 80 MB array
    assert path.read_bytes() == before
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["lectures", "lectures/99_probe.ipynb"]


@pytest.mark.slow
def test_runner_names_the_failing_cell_and_goes_on(tmp_path):
    (tmp_path / "lectures").mkdir()
    nbformat.write(_notebook("x = 1", "1 / 0"), tmp_path / "lectures" / "98_fails.ipynb")
    result = bench.bench_notebook(tmp_path, "lectures/98_fails.ipynb", repeat=3)
    assert result.error == "cell 2 raised ZeroDivisionError: division by zero"
    assert result.wall == []


def test_synthetic_submissions_cycle_the_solution_and_the_mutants():
    assignment = "a01_perceptron_and_forward_pass"
    mutants = len(list((REPO / "course" / "mutants" / assignment).glob("*.py")))
    submissions = bench.synthetic_submissions(REPO, assignment, mutants + 3)
    assert list(submissions)[:2] == ["student-001", "student-002"] and len(submissions) == mutants + 3
    notebooks = list(submissions.values())
    assert len(set(notebooks[: mutants + 1])) == mutants + 1  # the solution and every mutant, once each
    assert notebooks[mutants + 1] == notebooks[0]  # then round again
    assert all(json.loads(n)["cells"] for n in notebooks)
