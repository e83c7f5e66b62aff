"""Students and the instructor in a real browser, on the JupyterLab that `make lab` starts.

Chromium (Debian's, through Playwright) opens a lecture from the file browser and runs it,
moves a widget explorer's slider, works on an assignment and presses nbgrader's Validate,
and opens the formgrader. Every test waits on states of the page (a selector, the kernel's
status, a cell's prompt), never for a fixed time, and a failure names a screenshot saved in
the test's temporary folder. The tracked notebooks are never written: lab autosave is off,
an assignment is worked on in a git-ignored scratch copy that is removed afterwards, and the
one test that saves a tracked release puts its bytes back.
"""
from __future__ import annotations

import contextlib
import json
import re
import secrets
import shutil
import platform
import subprocess
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from browser_tools import launch, require_chromium, screenshot, screenshot_on_failure
from dlcourse.grading import Course
from lab_server import REPO, lab  # noqa: F401 - the module-scoped `make lab` fixture

pytestmark = pytest.mark.slow

LECTURE_03 = "lectures/03_activations_and_losses.ipynb"
A01 = "assignments/a01_perceptron_and_forward_pass/a01_perceptron_and_forward_pass.ipynb"
A01_SOLUTION = "solutions/a01_perceptron_and_forward_pass/a01_perceptron_and_forward_pass.ipynb"
KERNEL_SECONDS = 120  # generous: two cores shared with a whole test suite
NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook on screen
PROMPT_NUMBERED = re.compile(r"^\[\d+\]:$")


# --- fixtures ------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def browser():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, lab, tmp_path):  # noqa: F811 - lab is the imported fixture
    """A new browser page; afterwards the page as it ended is saved as a screenshot, and the
    kernels the test started are shut down, so the next test opens notebooks afresh."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    screenshot(tab, tmp_path, "end")
    context.close()
    sessions = [f"/api/sessions/{session['id']}" for session in lab.get_json("/api/sessions")]
    with ThreadPoolExecutor(4) as stopping:  # each DELETE waits for its kernel to shut down
        list(stopping.map(lambda path: _delete(lab, path), sessions))


def _delete(lab, path):  # noqa: F811
    request = urllib.request.Request(lab.base + path, method="DELETE",
                                     headers={"Authorization": f"token {lab.token}"})
    with contextlib.suppress(OSError):
        urllib.request.urlopen(request, timeout=30).close()


@pytest.fixture
def scratch_folder():
    """A folder in the repository for copies a test may change: git ignores its contents (its
    own .gitignore says "*"), and it is removed afterwards; the work tree's git status for
    the folders the tests touch must be the same afterwards."""
    before = _git_status()
    folder = REPO / f"browser-test-{secrets.token_hex(4)}"
    folder.mkdir()
    (folder / ".gitignore").write_text("*\n")
    yield folder
    shutil.rmtree(folder, ignore_errors=True)
    after = _git_status()
    assert after == before, f"the browser test changed the work tree: {sorted(set(after) ^ set(before))}"


def _git_status() -> list[str]:
    # only the folders the browser tests open: other files may change under a developer's hands meanwhile
    return subprocess.run(["git", "status", "--porcelain", "--untracked-files=all", "--", "lectures", "assignments",
                           "browser-test-*"], cwd=REPO, capture_output=True, text=True, check=True).stdout.splitlines()


# --- what a student does -------------------------------------------------------------------
def wait_until(page, expression: str, arg=None, *, what: str, seconds: float = KERNEL_SECONDS):
    """Wait until the JavaScript `expression` (a function of `arg`) is true on the page; on a
    timeout fail with "<what> within <seconds> s"."""
    try:
        page.wait_for_function(expression, arg=arg, timeout=seconds * 1000)
    except PlaywrightTimeoutError:
        raise AssertionError(f"{what} within {seconds:g} s") from None


def open_lab(page, lab, path: str = ""):  # noqa: F811
    """Open JupyterLab in a workspace of its own (no layout left over from another test)."""
    workspace = f"/lab/workspaces/{uuid.uuid4().hex[:12]}"
    page.goto(lab.url(f"{workspace}/tree/{path}" if path else workspace))


def open_from_file_browser(page, path: str):
    """Double-click through the file browser's folders to `path` and open it."""
    page.locator(".jp-DirListing-content").wait_for()
    for name in path.split("/"):
        page.locator(".jp-DirListing-content .jp-DirListing-itemText").get_by_text(name, exact=True).dblclick()
    wait_for_notebook(page, path)


def wait_for_notebook(page, path: str):
    """Wait until every cell of the notebook at `path` is on the page and its kernel is idle."""
    cells = len(nbformat.read(REPO / path, as_version=4).cells)
    wait_until(page, "([selector, n]) => document.querySelectorAll(selector).length === n",
               [f"{NOTEBOOK} .jp-Notebook .jp-Cell", cells], what=f"the {cells} cells of {path} were not all shown",
               seconds=60)
    wait_for_idle_kernel(page)


def wait_for_idle_kernel(page):
    """The status bar shows the notebook's kernel as "Python 3 (dlcourse) | Idle"."""
    wait_until(page, "() => /Python 3 \\(dlcourse\\) \\| Idle/"
                     ".test(document.querySelector('#jp-main-statusbar')?.textContent)",
               what='the status bar did not show the kernel as "Python 3 (dlcourse) | Idle"')


def code_prompts(page) -> list[str]:
    return [text.strip() for text in page.locator(f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt").all_text_contents()]


def run_all_cells(page):
    """Run > Run All Cells, then wait until no cell is queued or running ([*]) and the kernel is idle."""
    page.locator(".lm-MenuBar-item", has_text="Run").first.click()
    page.locator(".lm-Menu-item:visible", has_text="Run All Cells").first.click()
    wait_until(page, """(selector) => {
                   const prompts = [...document.querySelectorAll(selector)].map(p => p.textContent.trim());
                   return prompts.length > 0 && /^\\[\\d+\\]:$/.test(prompts[0]) && !prompts.includes('[*]:');
                 }""", f"{NOTEBOOK} .jp-CodeCell .jp-InputPrompt",
               what="Run All Cells did not finish (a cell still showed [*] or the first cell no count)")
    wait_for_idle_kernel(page)


def cell(page, index: int):
    return page.locator(f"{NOTEBOOK} .jp-Notebook .jp-Cell").nth(index)


def run_cell(page, index: int):
    """Select cell `index` by its prompt, Ctrl+Enter, and wait until it shows a new execution
    count and the kernel is idle again (all its output has arrived)."""
    target = cell(page, index)
    target.scroll_into_view_if_needed()
    before = target.locator(".jp-InputPrompt").text_content().strip()
    target.locator(".jp-InputPrompt").click()
    page.keyboard.press("Control+Enter")
    wait_until(page, "([selector, i, before]) => { const prompt = document.querySelectorAll(selector)[i]"
                     ".querySelector('.jp-InputPrompt').textContent.trim();"
                     " return /^\\[\\d+\\]:$/.test(prompt) && prompt !== before; }",
               [f"{NOTEBOOK} .jp-Notebook .jp-Cell", index, before], what=f"cell {index} did not finish running")
    wait_for_idle_kernel(page)


def replace_cell_source(page, index: int, source: str):
    """Click into cell `index`'s editor, select everything and paste `source` over it."""
    editor = cell(page, index).locator(".cm-content")
    editor.scroll_into_view_if_needed()
    editor.click()
    page.keyboard.press("Control+a")
    page.keyboard.insert_text(source)  # as a paste: no auto-indent or closing brackets added
    page.keyboard.press("Escape")  # back to command mode, the cell still selected


def press_validate(page):
    """Press nbgrader's Validate and return the text of the dialog with its results."""
    page.locator(f"{NOTEBOOK} .validate-button").click()
    dialog = page.locator(".jp-Dialog", has_text="Validat")
    dialog.wait_for(timeout=KERNEL_SECONDS * 1000)
    # nbgrader first shows a "Validating..." note; the results dialog replaces it
    page.locator(".jp-Dialog .jp-Dialog-body").filter(has_not_text="Validating...").first.wait_for(
        timeout=KERNEL_SECONDS * 1000)
    return page.locator(".jp-Dialog .jp-Dialog-body").first.inner_text()


def index_of_cell(path: str, contains: str) -> int:
    """The index of the first code cell of the notebook at `path` whose source contains `contains`."""
    cells = nbformat.read(REPO / path, as_version=4).cells
    return next(i for i, c in enumerate(cells) if c.cell_type == "code" and contains in c.source)


def grade_id_index(path: str, grade_id: str) -> int:
    """The index of the cell of an nbgrader notebook with this grade_id."""
    cells = nbformat.read(REPO / path, as_version=4).cells
    return next(i for i, c in enumerate(cells) if c.metadata.get("nbgrader", {}).get("grade_id") == grade_id)


def image_outputs_when_run_headless(path: str) -> int:
    """How many figures (image/png outputs) the notebook draws, run by nbclient on the dlcourse kernel."""
    from nbclient import NotebookClient

    notebook = nbformat.read(REPO / path, as_version=4)
    NotebookClient(notebook, kernel_name="dlcourse", timeout=KERNEL_SECONDS,
                   resources={"metadata": {"path": str((REPO / path).parent)}}).execute()
    return sum("image/png" in output.get("data", {})
               for c in notebook.cells if c.cell_type == "code" for output in c.outputs)


def image_digest(page, image) -> str:
    """SHA-256 of the bytes an <img> shows (a widget's PNG is a blob: URL)."""
    return page.evaluate(
        """async (img) => {
             const bytes = await (await fetch(img.src)).arrayBuffer();
             const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
             return [...hash].map(b => b.toString(16).padStart(2, '0')).join('');
           }""", image.element_handle())


# --- 1. a lecture, opened from the file browser and run -----------------------------------
def test_student_runs_lecture_03_from_the_file_browser(page, lab, tmp_path):  # noqa: F811
    headless = ThreadPoolExecutor(1)  # the headless run goes on while the browser runs the lecture
    expected = headless.submit(image_outputs_when_run_headless, LECTURE_03)
    headless.shutdown(wait=False)
    with screenshot_on_failure(page, tmp_path):
        open_lab(page, lab)
        open_from_file_browser(page, LECTURE_03)
        run_all_cells(page)

        prompts = code_prompts(page)
        unfinished = [i for i, prompt in enumerate(prompts) if not PROMPT_NUMBERED.match(prompt)]
        assert not unfinished, f"code cells {unfinished} of {len(prompts)} did not finish (prompts {prompts})"
        errors = page.locator(f"{NOTEBOOK} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'], "
                              f"{NOTEBOOK} [data-mime-type='application/vnd.jupyter.error']")
        assert errors.count() == 0, f"error output in the lecture: {errors.all_inner_texts()}"
        figures = page.locator(f"{NOTEBOOK} .jp-OutputArea-output[data-mime-type='image/png'] img")
        expected_figures = expected.result(timeout=KERNEL_SECONDS)
        assert expected_figures > 0, f"{LECTURE_03} drew no figure when nbclient ran it"
        assert figures.count() == expected_figures, (
            f"{figures.count()} figures on the page, {expected_figures} when the lecture runs headless")
        # every figure really decoded (a broken PNG would be an <img> of width 0)
        broken = page.evaluate("(imgs) => imgs.filter(i => !(i.complete && i.naturalWidth > 0)).length",
                               figures.element_handles())
        assert broken == 0, f"{broken} of the figures did not load as images"
        assert page.locator(f"{NOTEBOOK} mjx-container").count() > 0, "no formula was rendered by MathJax"


# --- 2. a widget explorer answers its slider -----------------------------------------------
@pytest.mark.parametrize("lecture, explorer_name, slider_label", [
    (LECTURE_03, "activation_explorer", "layers L"),
    ("lectures/05_optimization.ipynb", "optimizer_explorer", "steps"),
], ids=["activations", "optimizers"])
def test_moving_a_slider_redraws_the_explorer(page, lab, tmp_path, lecture, explorer_name, slider_label):  # noqa: F811
    # only the two cells the explorer needs: the lecture's imports and the explorer itself
    imports = index_of_cell(lecture, f"from dlcourse.widgets import {explorer_name}")
    explorer = index_of_cell(lecture, f"{explorer_name}(")
    with screenshot_on_failure(page, tmp_path):
        open_lab(page, lab, lecture)
        wait_for_notebook(page, lecture)
        run_cell(page, imports)
        run_cell(page, explorer)
        output = cell(page, explorer).locator(".jp-OutputArea-output")
        picture = output.locator("img.widget-image").first
        picture.scroll_into_view_if_needed()
        wait_until(page, "(img) => img.complete && img.naturalWidth > 0", picture.element_handle(),
                   what=f"{explorer_name}'s picture was not drawn", seconds=60)
        before = image_digest(page, picture)
        source_before = picture.get_attribute("src")

        slider = output.locator(".widget-slider", has_text=slider_label)
        readout_before = slider.locator(".widget-readout").inner_text()
        handle = slider.locator(".noUi-handle")
        box = handle.bounding_box()
        page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        page.mouse.down()
        page.mouse.move(box["x"] + box["width"] / 2 + 120, box["y"] + box["height"] / 2, steps=8)
        page.mouse.up()
        assert slider.locator(".widget-readout").inner_text() != readout_before, "the slider did not move"

        wait_until(page, "([img, old]) => img.src !== old && img.complete && img.naturalWidth > 0",
                   [picture.element_handle(), source_before],
                   what=f"{explorer_name}'s picture did not change after the {slider_label!r} slider moved",
                   seconds=60)
        assert image_digest(page, picture) != before, "the explorer showed the same picture after the slider moved"


# --- 3. an assignment: Validate's report, then one part answered ---------------------------
def test_student_validates_a01_and_answers_one_part(page, lab, tmp_path, scratch_folder):  # noqa: F811
    untouched = scratch_folder / "untouched" / Path(A01).name
    answered = scratch_folder / "answered" / Path(A01).name
    for copy in (untouched, answered):
        copy.parent.mkdir()
        shutil.copyfile(REPO / A01, copy)

    with screenshot_on_failure(page, tmp_path, "validate"):
        open_lab(page, lab, untouched.relative_to(REPO).as_posix())
        wait_for_notebook(page, A01)
        run_all_cells(page)
        report = press_validate(page)
        assert "NotImplementedError" in report and "sigmoid" in report, (
            f"Validate on the untouched assignment did not name the failing part: {report[:1000]!r}")
        page.locator(".jp-Dialog .jp-mod-accept, .jp-Dialog button").first.click()

    setup_index, stub_index, test_index = (grade_id_index(A01, name) for name in ("setup", "sigmoid", "test_sigmoid"))
    solution = nbformat.read(REPO / A01_SOLUTION, as_version=4).cells[grade_id_index(A01_SOLUTION, "sigmoid")].source
    body = solution.split("### BEGIN SOLUTION\n")[1].split("### END SOLUTION")[0].rstrip()
    stub = nbformat.read(REPO / A01, as_version=4).cells[stub_index].source
    answer = re.sub(r"^( *)raise NotImplementedError\(.*\)$", lambda _: body, stub, count=1, flags=re.MULTILINE)
    assert answer != stub, "could not find the NotImplementedError line of the sigmoid stub"

    with screenshot_on_failure(page, tmp_path, "answered"):
        open_lab(page, lab, answered.relative_to(REPO).as_posix())
        wait_for_notebook(page, A01)
        run_cell(page, setup_index)
        replace_cell_source(page, stub_index, answer)
        run_cell(page, stub_index)
        run_cell(page, test_index)
        output = cell(page, test_index).locator(".jp-OutputArea").inner_text()
        assert "sigmoid: every test in this cell passed" in output, (
            f"the sigmoid test cell did not pass with the solution's sigmoid pasted in; it printed {output[:1500]!r}")


# --- 4. Validate on a release saves it unchanged -------------------------------------------
def test_validate_leaves_a_tracked_release_unchanged(page, lab, tmp_path):  # noqa: F811
    path = REPO / A01
    original = path.read_bytes()
    try:
        with screenshot_on_failure(page, tmp_path):
            open_lab(page, lab, A01)
            wait_for_notebook(page, A01)
            press_validate(page)  # saves first
            saved = path.read_bytes()
            if saved != original:
                old, new = json.loads(original), json.loads(saved)
                changes = (_json_diff(old, new)
                           or "  the same JSON, written differently (indentation, key order, final newline)")
                # a Python of another patch version than the one that wrote the release fills in its own
                version = "/metadata/language_info/version"
                assert changes.splitlines() == [f"  {version}: {_version(old)!r} -> {_version(new)!r}"] and (
                    _version(new) == platform.python_version()), (
                    f"opening {A01} and pressing Validate changed the file:\n{changes}")
    finally:
        if path.read_bytes() != original:  # put the release back, and only then: others may edit it
            path.write_bytes(original)


def _version(notebook) -> str:
    return str(notebook["metadata"].get("language_info", {}).get("version"))[:100]


def _json_diff(old, new, where="") -> str:
    """One line "  /path: old -> new" per value that differs between two JSON documents."""
    if isinstance(old, dict) and isinstance(new, dict):
        keys = sorted(set(old) | set(new))
        return "\n".join(filter(None, (_json_diff(old.get(k), new.get(k), f"{where}/{k}") for k in keys)))
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        return "\n".join(filter(None, (_json_diff(a, b, f"{where}/{i}") for i, (a, b) in enumerate(zip(old, new)))))
    return "" if old == new else f"  {where}: {str(old)[:100]!r} -> {str(new)[:100]!r}"


# --- 5. the formgrader -------------------------------------------------------------------
def test_instructor_sees_every_assignment_in_the_formgrader(page, lab, tmp_path):  # noqa: F811
    releases = sorted(p.name for p in (REPO / "assignments").iterdir() if p.is_dir())
    sources = sorted(a.name for a in Course(REPO / "course").assignments())
    with screenshot_on_failure(page, tmp_path):
        page.goto(lab.url("/formgrader"))
        names = page.locator("table tbody tr td:first-child a")
        names.first.wait_for()
        listed = names.all_inner_texts()
        assert releases == sources and listed == releases, (
            f"the formgrader lists {listed}; assignments/ holds {releases}; the sources are {sources}")
        warnings = page.locator(".alert-warning")  # e.g. #warning-exchange: "The exchange directory ... does not exist"
        assert warnings.count() == 0, f"the formgrader shows a warning: {warnings.all_inner_texts()}"


# --- 6. the course's lab settings ----------------------------------------------------------
def test_validate_is_shown_on_assignments_only_and_no_news_prompt(page, lab, tmp_path):  # noqa: F811
    problems = []
    with screenshot_on_failure(page, tmp_path):
        open_lab(page, lab, LECTURE_03)
        wait_for_notebook(page, LECTURE_03)  # the news question is asked as the lab starts, before this
        if page.locator(".Toastify__toast", has_text="Jupyter news").count():
            problems.append("JupyterLab asks whether to fetch Jupyter news on the first start")
        validate = page.locator(f"{NOTEBOOK} .validate-button")
        assert validate.count() == 1, "nbgrader's Validate button is not in the lecture's toolbar at all"
        if validate.is_visible():
            problems.append("nbgrader's Validate button is shown on a lecture")

        open_lab(page, lab, A01)
        wait_for_notebook(page, A01)
        if not page.locator(f"{NOTEBOOK} .validate-button").is_visible():
            problems.append("nbgrader's Validate button is not shown on an assignment")
        assert not problems, "; ".join(problems)
