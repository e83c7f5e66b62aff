"""The margin run (benchmarks/margin.py): what counts as a claim, when a claim held, and
what the report says about claims and figures over several runs."""
import importlib.util
import sys
from pathlib import Path

import nbformat
import pytest

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "benchmarks"))
import margin  # noqa: E402

_spec = importlib.util.spec_from_file_location("benchmark_runner_for_margin", REPO / "benchmarks" / "run.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = bench
_spec.loader.exec_module(bench)


def _stream(text, name="stdout"):
    return nbformat.v4.new_output("stream", name=name, text=text)


def _check(source, printed):
    return nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\n" + source, outputs=[_stream(printed)], execution_count=1)


def _test_cell(grade_id, outputs=()):
    cell = nbformat.v4.new_code_cell("assert True", outputs=list(outputs))
    cell.metadata["nbgrader"] = {"grade": True, "solution": False, "grade_id": grade_id, "points": 2}
    return cell


def test_claims_are_the_printed_lines_of_check_cells_and_the_graded_test_cells():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("print('a figure')", outputs=[_stream("a figure\n")]),
        _check("...", "converged: True\n\nat least 95%: True\n"),
        _test_cell("test_forward"),
        nbformat.v4.new_markdown_cell("text"),
    ])
    claims = margin.saved_claims(nb)
    assert [(c.cell, c.text) for c in claims] == [(1, "converged: True"), (1, "at least 95%: True"), (2, "test_forward")]


def test_warnings_on_stderr_are_not_claims():
    nb = nbformat.v4.new_notebook(cells=[_check("...", "ok: True\n")])
    nb.cells[0].outputs.append(_stream("UserWarning: slow\n", name="stderr"))
    assert [c.text for c in margin.saved_claims(nb)] == ["ok: True"]


def test_a_claim_holds_when_its_line_comes_back_unchanged_and_a_test_cell_when_it_raises_nothing():
    saved = nbformat.v4.new_notebook(cells=[_check("...", "converged: True\nclose: True\n"), _test_cell("test_a"),
                                            _test_cell("test_b")])
    executed = nbformat.v4.new_notebook(cells=[
        _check("...", "converged: True\nclose: False\n"),
        _test_cell("test_a"),
        _test_cell("test_b", [nbformat.v4.new_output("error", ename="AssertionError", evalue="no", traceback=[])]),
    ])
    claims = margin.saved_claims(saved)
    assert margin.claims_held(claims, executed, saved) == [True, False, True, False]


def test_a_line_that_went_missing_does_not_hold_and_repeated_lines_are_told_apart():
    saved = nbformat.v4.new_notebook(cells=[_check("...", "ok: True\nok: True\nlast: 3\n")])
    executed = nbformat.v4.new_notebook(cells=[_check("...", "ok: True\nok: False\n")])
    assert margin.claims_held(margin.saved_claims(saved), executed, saved) == [True, False, False]


def test_conditions_are_the_offsets_and_the_cpu_variants_at_the_committed_seeds():
    runs = margin.conditions([1, 2], ["avx2"])
    assert list(runs) == ["offset 1", "offset 2", "avx2 CPU"]
    assert runs["offset 2"] == {"DLCOURSE_SEED_OFFSET": "2"}
    assert runs["avx2 CPU"]["DLCOURSE_SEED_OFFSET"] == "0" and runs["avx2 CPU"]["ATEN_CPU_CAPABILITY"] == "avx2"
    with pytest.raises(ValueError, match="unknown CPU variant 'arm'"):
        margin.conditions([1], ["arm"])


def _result(held, figures, errors=None):
    result = margin.MarginResult("lectures/07_convolutional_networks.ipynb", runs=["offset 1", "offset 2", "offset 3"],
                                 claims=[margin.Claim(39, "at least 97.5%: True", held)], figures=figures,
                                 errors=errors or {}, wall=[10.0, 12.0, 11.0])
    return result


def test_spread_rows_give_min_median_max_and_whether_every_run_met_the_bound():
    targets = {"notebooks": {"lectures/07_convolutional_networks.ipynb": {"seconds": 120, "accuracy": ">= 0.975"}}}
    result = _result([True] * 3, {"accuracy": [0.98, 0.99, 0.97], "loss": [0.1, 0.2, 0.3]})
    rows = margin.spread_rows([result], targets, bench.meets, bench._number)
    assert rows[0] == ["07_convolutional_networks", "accuracy", "0.9700", "0.9800", "0.9900", ">= 0.975", "MISS in 1 of 3"]
    assert rows[1][-2:] == ["", ""]


def test_misses_name_weak_claims_failing_runs_and_figures_out_of_bounds():
    targets = {"notebooks": {"lectures/07_convolutional_networks.ipynb": {"seconds": 120, "accuracy": ">= 0.975"}}}
    result = _result([True, False, True], {"accuracy": [0.98, None, 0.99]},
                     errors={"offset 2": ["cell 40 raised ValueError: bad"]})
    found = margin.misses([result], targets, bench.meets)
    assert "lectures/07_convolutional_networks.ipynb, offset 2: cell 40 raised ValueError: bad" in found
    assert any("'at least 97.5%: True' held in 2 of 3 runs" in m for m in found)
    assert any(m.startswith("lectures/07_convolutional_networks.ipynb: accuracy not >= 0.975") for m in found)
    assert margin.misses([_result([True] * 3, {"accuracy": [0.98, 0.98, 0.99]})], targets, bench.meets) == []


def test_the_margin_section_replaces_its_old_self_and_survives_a_full_benchmark_run():
    section = margin.report_section([_result([True] * 3, {"accuracy": [0.98, 0.98, 0.99]})], {},
                                    {"date": "today"}, bench.meets, bench._number, bench.format_table)
    assert section.startswith(margin.SECTION_START) and section.rstrip().endswith(margin.SECTION_END)
    assert "none: every claim held in every run" in section and "| 07_convolutional_networks | 39 |" in section
    document = "# Benchmark results\n\nold table\n"
    once = margin.replace_section(document, section)
    twice = margin.replace_section(once, section.replace("today", "tomorrow"))
    assert twice.count(margin.SECTION_START) == 1 and "tomorrow" in twice and "today" not in twice
    assert twice.startswith(document.rstrip("\n"))
    assert margin.kept_section(twice).strip() == section.replace("today", "tomorrow").strip()
    assert margin.kept_section(document) == ""


@pytest.mark.slow
def test_margin_run_finds_a_claim_that_holds_only_for_the_saved_seed(tmp_path):
    (tmp_path / "lectures").mkdir()
    cells = [
        nbformat.v4.new_code_cell("import dlcourse\nx = dlcourse.rng(0).integers(1000)\n"
                                  "_ = dlcourse.report('draw', int(x))"),
        nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint('a draw below 1000:', x < 1000)\n"
                                  "print('the draw is', x)"),
    ]
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"name": "dlcourse", "display_name": "Python 3 (dlcourse)", "language": "python"}
    path = tmp_path / "lectures" / "97_draw.ipynb"
    nbformat.write(nb, path)
    import numpy as np

    saved = nbformat.read(path, as_version=4)
    saved.cells[1].outputs = [_stream(f"a draw below 1000: True\nthe draw is {np.random.default_rng(0).integers(1000)}\n")]
    saved.cells[1].execution_count = 1
    nbformat.write(saved, path)
    result = margin.run_margin(tmp_path, "lectures/97_draw.ipynb", margin.conditions([1, 2], []), bench.execute_notebook)
    assert [c.held for c in result.claims] == [[True, True], [False, False]]
    assert result.figures["draw"] == [int(np.random.default_rng(k).integers(1000)) for k in (1, 2)]
    assert result.errors == {} and result.runs == ["offset 1", "offset 2"]


def _section(results, date):
    return margin.report_section(results, {}, {"date": date}, bench.meets, bench._number, bench.format_table)


def test_a_margin_run_of_some_notebooks_replaces_their_rows_and_keeps_the_others():
    def result(path, held, accuracy):
        r = _result(held, {"accuracy": accuracy})
        r.path = path
        return r

    conv, residual = "lectures/07_convolutional_networks.ipynb", "lectures/08_residual_networks.ipynb"
    old = _section([result(conv, [True, False, True], [0.97] * 3), result(residual, [True] * 3, [0.5] * 3)], "monday")
    new = _section([result(residual, [True] * 3, [0.6] * 3)], "tuesday")
    merged = margin.merge_sections(margin.old_section(margin.replace_section("", old)), new, [residual])
    lines = merged.splitlines()
    summary = [line for line in lines if line.startswith("| lectures/")]
    assert summary[0].startswith(f"| {conv} |") and summary[0].endswith("| monday |")       # kept, notebook order
    assert summary[1].startswith(f"| {residual} |") and summary[1].endswith("| tuesday |")  # replaced
    spread = [line for line in lines if line.startswith("| 08_residual_networks | accuracy |")]
    assert len(spread) == 1 and "0.6000" in spread[0]                                       # the old 0.5 is gone
    assert any(line.startswith("| 07_convolutional_networks | accuracy |") for line in lines)
    assert "held in 2 of 3 runs" in merged and "none: every claim held" not in merged       # the kept notebook's miss
    assert merged.startswith(margin.SECTION_START) and merged.rstrip().endswith(margin.SECTION_END)
    # an old summary row from before the date column gets the old section's date
    undated = old.replace(" | monday |", " |")
    merged = margin.merge_sections(undated, new, [residual])
    assert any(line.startswith(f"| {conv} |") and line.endswith("| monday |") for line in merged.splitlines())
