"""Committed notebooks carry no outputs but the checked text; no file is over 2 MB;
executing a notebook writes nothing into the repository."""
import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

import notebook_tools
from notebook_tools import REPO, changed_files, notebook_problems, repository_files

ALL_NOTEBOOKS = sorted(
    p for folder in ("lectures", "solutions", "assignments") for p in (REPO / folder).rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts
)


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_committed_notebook_has_only_checked_text_outputs(path):
    assert notebook_problems(path) == []


# Students never see the slide decks or the plan the syllabus came from.
SYLLABUS_SOURCES = re.compile(r"\bdeck\s*\(?\s*\d{3}|\b(?:the|lecture|slide)\s+deck\b|course plan", re.I)


@pytest.mark.parametrize("path", ALL_NOTEBOOKS, ids=lambda p: str(p.relative_to(REPO)))
def test_student_facing_text_never_names_the_syllabus_sources(path):
    found = [f"cell {i}: {m.group(0)!r}" for i, cell in enumerate(nbformat.read(path, as_version=4).cells)
             for m in SYLLABUS_SOURCES.finditer(cell.source)]
    assert found == [], "say it in the course's own words and cite papers"


def test_the_syllabus_rule_catches_what_it_is_for():
    for text in ("deck 003's notebook", "the lecture deck (000, ...)", "the course plan asks", "The deck prints"):
        assert SYLLABUS_SOURCES.search(text), text
    assert not SYLLABUS_SOURCES.search("deck_kernels = [...]  # a deck of cards")


@pytest.mark.parametrize("path", sorted((REPO / "lectures").glob("*.ipynb")), ids=lambda p: p.name)
def test_lecture_is_numbered_and_opens_with_the_dlcourse_kernel(path):
    assert re.fullmatch(r"\d\d_[a-z0-9_]+\.ipynb", path.name), "lectures are named NN_topic.ipynb"
    assert nbformat.read(path, as_version=4).metadata.get("kernelspec", {}).get("name") == "dlcourse"


def _tracked_files():
    try:
        listed = subprocess.run(["git", "ls-files"], cwd=REPO, capture_output=True, text=True, check=True)
        return [REPO / f for f in listed.stdout.splitlines()]
    except (OSError, subprocess.CalledProcessError):
        return [REPO / f for f in repository_files()]


def test_no_committed_file_is_over_2_mb():
    big = [f"{p.relative_to(REPO)} ({p.stat().st_size:,} bytes)" for p in _tracked_files()
           if p.is_file() and p.stat().st_size > notebook_tools.MAX_FILE_BYTES]
    assert big == []


# --- the checks themselves must catch what they claim to ---------------------------------

def _notebook(tmp_path, cells):
    nb = nbformat.v4.new_notebook(cells=cells)
    path = tmp_path / "example.ipynb"
    nbformat.write(nb, path)
    return path


def _stream(text):
    return nbformat.v4.new_output("stream", name="stdout", text=text)


def _png():
    return nbformat.v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=", "text/plain": "<Figure>"})


def test_notebook_problems_finds_outputs_counts_and_missing_tags(tmp_path):
    plain = nbformat.v4.new_code_cell("print(1)", outputs=[_stream("1\n")], execution_count=3)
    check = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(2)", outputs=[_stream("2\n"), _png()])
    unrun = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(3)", metadata={"tags": ["keep_output"]})
    problems = notebook_problems(_notebook(tmp_path, [plain, check, unrun]))
    assert any("cell 0: execution count left in" in p for p in problems)
    assert any("cell 0: outputs left in" in p for p in problems)
    assert any("cell 1: check cell lacks the 'keep_output' tag" in p for p in problems)
    assert any("cell 1: check cell keeps a non-text output (display_data)" in p for p in problems)
    assert any("cell 2: check cell has no execution count, so nbval would skip it" in p for p in problems)
    assert any("cell 2: check cell has no saved output to compare" in p for p in problems)


def test_notebook_problems_reports_unreadable_json(tmp_path):
    path = tmp_path / "broken.ipynb"
    path.write_text("{ not json")
    assert "is not a readable notebook" in notebook_problems(path)[0]


def test_strip_keeps_only_the_text_of_check_cells(tmp_path):
    plain = nbformat.v4.new_code_cell("print(1)", outputs=[_stream("1\n"), _png()], execution_count=1)
    check = nbformat.v4.new_code_cell("# NBVAL_CHECK_OUTPUT\nprint(2)", outputs=[_stream("2\n"), _png()],
                                      execution_count=2)
    path = _notebook(tmp_path, [plain, check])
    notebook_tools.strip([path])
    cells = nbformat.read(path, as_version=4).cells
    assert cells[0].outputs == [] and cells[0].execution_count is None
    assert [o.text for o in cells[1].outputs] == ["2\n"] and cells[1].execution_count == 1
    assert cells[1].metadata.tags == ["keep_output"]
    assert notebook_problems(path) == []


def test_changed_files_names_created_modified_and_deleted_files():
    before = {"a": (1, 1), "b": (1, 1)}
    after = {"a": (2, 1), "c": (1, 1)}
    assert changed_files(before, after) == ["created c", "deleted b", "modified a"]


def test_changed_files_leaves_untracked_files_that_were_there_before_alone():
    before = {"lecture.ipynb": (1, 1), "gone.py": (1, 1), "test.log": (1, 10), "old.swp": (1, 1)}
    after = {"lecture.ipynb": (2, 1), "test.log": (5, 900), "figure.png": (1, 1)}
    tracked = {"lecture.ipynb", "gone.py"}
    assert changed_files(before, after, tracked) == ["created figure.png", "deleted gone.py", "modified lecture.ipynb"]


def test_tracked_files_lists_what_git_tracks():
    tracked = notebook_tools.tracked_files(REPO)
    if tracked is None:
        pytest.skip("not a git checkout")
    assert "conftest.py" in tracked and "lectures/01_learning_from_data.ipynb" in tracked


def _miniature_repository(root, notebooks):
    """A git repository with this repository's guard (conftest.py + notebook_tools.py) and
    the given {name: source of its one cell} lecture notebooks, all committed."""
    (root / "tests").mkdir()
    (root / "lectures").mkdir()
    (root / "conftest.py").write_text((REPO / "conftest.py").read_text())
    (root / "tests" / "notebook_tools.py").write_text((REPO / "tests" / "notebook_tools.py").read_text())
    for name, source in notebooks.items():
        nbformat.write(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)]), root / "lectures" / name)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    for command in (["init", "-q"], ["add", "."], ["commit", "-qm", "course"]):
        subprocess.run(git + command, cwd=root, check=True, capture_output=True)


def _run_pytest(root):
    return subprocess.run(
        [sys.executable, "-m", "pytest", "--nbval-lax", "--nbval-current-env", "-p", "no:cacheprovider",
         "-p", "no:xdist", "lectures"],
        cwd=root, capture_output=True, text=True, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


@pytest.mark.slow
def test_executing_a_notebook_that_writes_into_the_repository_fails_that_notebook_only(tmp_path):
    _miniature_repository(tmp_path, {"a_writer.ipynb": "open('figure.png', 'w').write('x')",
                                     "b_quiet.ipynb": "x = 1"})
    result = _run_pytest(tmp_path)
    assert result.returncode != 0
    assert "changed files in the repository while it ran (created lectures/figure.png)" in result.stdout
    # Once in the report of errors; pytest's short summary (-ra) may repeat it, cut to the
    # terminal's width, so count only above it.
    report = result.stdout.split("short test summary info")[0]
    assert report.count("a_writer.ipynb changed files") == 1
    assert "2 passed, 1 error" in result.stdout and "not torn down properly" not in result.stdout


@pytest.mark.slow
def test_a_log_the_user_redirects_the_run_into_is_not_the_notebooks_doing(tmp_path):
    _miniature_repository(tmp_path, {"a_lecture.ipynb": "x = 1", "b_lecture.ipynb": "y = 2"})
    log = tmp_path / "test.log"  # what `make test > test.log` leaves in the repository
    log.write_text("collecting ...\n")
    cells = [nbformat.v4.new_code_cell("open('../test.log', 'a').write('more output\\n')")]
    nbformat.write(nbformat.v4.new_notebook(cells=cells), tmp_path / "lectures" / "a_lecture.ipynb")
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "grow"],
                   cwd=tmp_path, check=True, capture_output=True)
    result = _run_pytest(tmp_path)
    assert result.returncode == 0, result.stdout[-2000:]
    assert "2 passed" in result.stdout and log.read_text().endswith("more output\n")


def test_a_truncated_language_info_is_a_problem_and_a_patch_release_is_not(tmp_path):
    kernel = notebook_tools.kernel_language_info()
    assert notebook_tools.language_info_problem(kernel, kernel) is None
    other_patch = {**kernel, "version": kernel["version"].rsplit(".", 1)[0] + ".99"}
    assert notebook_tools.language_info_problem(other_patch, kernel) is None
    problem = notebook_tools.language_info_problem({"name": "python"}, kernel)
    assert "lacks" in problem and "codemirror_mode" in problem and "opens as modified" in problem
    path = tmp_path / "truncated.ipynb"
    nbformat.write(nbformat.v4.new_notebook(metadata={"language_info": {"name": "python"}}), path)
    assert any("language_info" in p for p in notebook_problems(path))
    notebook_tools.complete_language_info(path)
    assert notebook_problems(path) == []


def test_reading_the_kernels_language_info_imports_no_kernel_here():
    # tqdm.auto takes a process that imported ipykernel's shell for a notebook and then
    # draws progress bars on stdout (dlcourse autograde's bar moved there once).
    code = ("import sys; sys.path.insert(0, 'tests'); import notebook_tools; notebook_tools.kernel_language_info(); "
            "print('ipykernel.zmqshell' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
