"""The course website (`make site`, website/_build/html): every lecture executed with its
figures and math, the assignments as students get them and nothing the instructor alone may
see, the API reference, no broken link and nothing fetched from the network.

`make test` builds the site from the lectures nbval has just executed and then runs this
file; run alone, it builds the site first if there is none (executing what is not cached).
"""
import functools
import http.server
import json
import threading

import nbformat
import pytest

import site_tools
from site_tools import ASSIGNMENTS, HTML, LECTURES, Page


@pytest.fixture(scope="module")
def site():
    """The built site's folder, built now if missing."""
    if not (HTML / "index.html").is_file():
        assert site_tools.website_module("build").build() == 0, "the website did not build with warnings as errors (Sphinx's messages above)"
    return HTML


@pytest.fixture(scope="module")
def parsed(site):
    return {path: Page(path) for path in site_tools.pages(site)}


@pytest.mark.slow
def test_the_site_was_built_with_warnings_as_errors(site):
    info = json.loads((site / "dlcourse-build.json").read_text())
    assert "-W" in info["command"] and "--keep-going" in info["command"]
    assert (site / "README.html").is_file() and "README.html" in (site / "index.html").read_text()


@pytest.mark.slow
@pytest.mark.parametrize("notebook", LECTURES + ASSIGNMENTS, ids=lambda p: p.stem)
def test_every_lecture_and_assignment_has_a_page(site, notebook):
    page = (site_tools.lecture_page(notebook) if notebook in LECTURES else site_tools.assignment_page(notebook))
    assert page.is_file(), f"no page for {notebook.relative_to(site_tools.REPO)}"
    title = next(line for cell in nbformat.read(notebook, as_version=4).cells
                 if cell.cell_type == "markdown" for line in cell.source.splitlines() if line.startswith("# "))
    assert title[2:].strip().split()[0] in Page(page).text


@pytest.mark.slow
@pytest.mark.parametrize("notebook", LECTURES, ids=lambda p: p.stem)
def test_every_lecture_page_shows_each_figure_it_drew(parsed, notebook):
    executed = site_tools.executed_lecture(notebook)
    expected = site_tools.image_outputs(executed)
    shown = parsed[site_tools.lecture_page(notebook)].images
    assert len(shown) == expected, f"{notebook.name}: {len(shown)} figures on the page, {expected} drawn"
    if site_tools.draws(notebook):
        assert expected >= 1, f"{notebook.name} draws, but its executed copy holds no image"


@pytest.mark.slow
def test_no_internal_link_is_broken(parsed):
    broken = {str(path.relative_to(HTML)): found for path, page in parsed.items()
              if (found := site_tools.broken_links(page))}
    assert broken == {}
    assert sum(len(page.links) for page in parsed.values()) > 1000  # the parser did find the links


@pytest.mark.slow
def test_no_page_fetches_anything_from_the_network(parsed):
    remote = {str(path.relative_to(HTML)): found for path, page in parsed.items()
              if (found := site_tools.remote_resources(page))}
    assert remote == {}
    lecture = parsed[site_tools.lecture_page(LECTURES[2])]
    assert any(tag == "script" and "_static/mathjax/" in value for tag, _, value in lecture.links), \
        "MathJax must be served from the site's _static/mathjax"
    assert (HTML / "_static" / "mathjax" / "tex-chtml.js").is_file()


@pytest.mark.slow
def test_a_widget_shows_a_note_instead_of_its_text_form_or_state(parsed):
    lecture = parsed[site_tools.lecture_page(LECTURES[2])]  # lecture 03 ends with the activation explorer
    assert "An interactive widget" in lecture.text and "VBox(children=" not in lecture.text
    assert not any("widget-state" in path.read_text() for path in parsed)


@pytest.mark.slow
def test_no_solution_or_hidden_test_reaches_the_site(site):
    secrets = site_tools.solution_secrets()
    assert len(secrets) > 100, "the solutions' secret lines were not found: the check would be vacuous"
    assert site_tools.leaks(secrets, site) == []


def test_the_leak_check_catches_a_solution_line_on_a_page(tmp_path):
    secret = site_tools.solution_secrets()[0]
    tokens = "".join(f'<span class="n">{word}</span> ' for word in secret.split())
    (tmp_path / "leaky.html").write_text(f"<html><body><pre>{tokens}</pre></body></html>")
    (tmp_path / "clean.html").write_text("<html><body><pre>raise NotImplementedError()</pre></body></html>")
    (tmp_path / "searchindex.js").write_text('Search.setIndex({"terms": {}})')
    assert site_tools.leaks([secret], tmp_path) == [f"leaky.html: {secret}"]


def test_the_leak_check_reads_solution_and_hidden_test_regions():
    cell = nbformat.v4.new_code_cell("def f(x):\n    ### BEGIN SOLUTION\n    return secret_value_of_f(x) * 2\n"
                                     "    ### END SOLUTION\n### BEGIN HIDDEN TESTS\nassert f(3) == hidden_expectation\n"
                                     "### END HIDDEN TESTS\n")
    markdown = nbformat.v4.new_markdown_cell("The answer is that gradients vanish.")
    markdown.metadata["nbgrader"] = {"solution": True}
    notebook = nbformat.v4.new_notebook(cells=[cell, markdown])
    secrets = site_tools.meaningful(site_tools.secret_lines(notebook), public_text="def f(x):")
    assert secrets == ["The answer is that gradients vanish.", "assert f(3) == hidden_expectation",
                       "return secret_value_of_f(x) * 2"]


@pytest.mark.slow
def test_the_api_reference_names_the_public_functions(site):
    import dlcourse.models
    import dlcourse.nn

    for module in (dlcourse.nn, dlcourse.models):
        page = site / "website" / "api" / f"{module.__name__}.html"
        assert page.is_file(), f"no API page for {module.__name__}"
        text = page.read_text()
        public = [name for name in module.__all__ if callable(getattr(module, name))]
        missing = [name for name in public if f'id="{module.__name__}.{name}"' not in text]
        assert public and missing == [], f"{page.name} lacks {missing}"
    assert "dlcourse.nn.html" in (site / "website" / "api" / "index.html").read_text()


def _serve(folder):
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.mark.slow
def test_a_lecture_page_shows_its_figures_and_renders_its_math_in_a_browser(site, tmp_path):
    from browser_tools import launch, require_chromium, screenshot

    require_chromium()
    sync_playwright = pytest.importorskip("playwright.sync_api").sync_playwright
    server = _serve(site)
    url = f"http://127.0.0.1:{server.server_address[1]}/lectures/{LECTURES[2].stem}.html"
    try:
        with sync_playwright() as playwright:
            browser = launch(playwright)
            page = browser.new_page()
            failed = []
            page.on("requestfailed", lambda request: failed.append(request.url))
            page.goto(url, wait_until="load")
            try:
                page.wait_for_selector("mjx-container", timeout=30_000)
            finally:
                shot = screenshot(page, tmp_path, "lecture")
            math = page.locator("mjx-container").count()
            figures = page.evaluate("""() => [...document.querySelectorAll('.cell_output img')]
                                          .filter(img => img.complete && img.naturalWidth > 0).length""")
            browser.close()
    finally:
        server.shutdown()
    assert math > 0, f"no rendered math on {url} (screenshot: {shot})"
    assert figures > 0, f"no figure image loaded on {url} (screenshot: {shot})"
    assert failed == [], f"requests failed on {url}: {failed} (screenshot: {shot})"


# --- the hand-over from nbval to the site's execution cache (website/executed.py) ---------
def _message(msg_type, content, parent="request-1"):
    return {"msg_type": msg_type, "content": content, "parent_header": {"msg_id": parent},
            "header": {"msg_type": msg_type}, "metadata": {}}


def _png(value):
    return {"data": {"image/png": value, "text/plain": "<Figure>"}, "metadata": {}, "transient": {"display_id": "curves"}}


def test_an_executed_notebook_keeps_what_jupyter_would_show():
    executed = _executed_module()
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# T"),
                                               nbformat.v4.new_code_cell("train()"), nbformat.v4.new_code_cell("1")])
    first = [_message("execute_input", {"code": "train()", "execution_count": 7}),
             _message("stream", {"name": "stdout", "text": "epoch 1\n"}),
             _message("clear_output", {"wait": True}),
             _message("stream", {"name": "stdout", "text": "from another request\n"}, parent="request-0"),
             _message("display_data", _png("first-frame")),
             _message("update_display_data", _png("last-frame")),
             _message("status", {"execution_state": "idle"})]
    second = [_message("execute_input", {"code": "1", "execution_count": 7}, parent="request-2"),
              _message("execute_result", {"data": {"text/plain": "1"}, "metadata": {}, "execution_count": 7},
                       parent="request-2"),
              _message("status", {"execution_state": "idle"}, parent="request-2")]
    result = executed.executed_notebook(notebook, {0: first, 1: second})
    train, one = result.cells[1], result.cells[2]
    assert [o.output_type for o in train.outputs] == ["display_data"]
    assert train.outputs[0].data["image/png"] == "last-frame" and train.execution_count == 1
    assert one.outputs[0].data["text/plain"] == "1" and one.execution_count == 2 == one.outputs[0].execution_count
    assert notebook.cells[1].outputs == []  # the notebook nbval holds is left alone


def test_a_staged_lecture_reaches_the_cache_and_a_broken_entry_is_removed(tmp_path, monkeypatch):
    executed = _executed_module()
    monkeypatch.setattr(executed, "STAGED", tmp_path / "executed")
    lecture = tmp_path / "01_lecture.ipynb"
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(1)")],
                                        metadata={"kernelspec": {"name": "dlcourse", "display_name": "d", "language": "python"}})
    nbformat.write(notebook, lecture)
    cache = tmp_path / "cache"
    assert executed.uncached([lecture], cache) == [lecture]
    run = nbformat.read(lecture, as_version=4)
    run.cells[0].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    executed.stage(run, lecture)
    assert sorted(p.name for p in (tmp_path / "executed").iterdir()) == ["01_lecture.ipynb"]  # no temporary left
    assert executed.import_staged(cache) == ["01_lecture.ipynb"]
    assert executed.uncached([lecture], cache) == [] and list((tmp_path / "executed").iterdir()) == []
    for stored in (cache / "executed").rglob("*.ipynb"):
        stored.write_text('{"cells": [')  # a build killed while writing the entry
    assert executed.import_staged(cache) == []
    assert executed.uncached([lecture], cache) == [lecture]


def _executed_module():
    return site_tools.website_module("executed")
