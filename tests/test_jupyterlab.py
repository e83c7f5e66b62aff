"""`make lab` must give students a working JupyterLab: it answers, it offers the dlcourse
kernel (with KERAS_BACKEND=torch), nbgrader's and ipywidgets' lab extensions are on, and
a widget made in the dlcourse kernel is sent to the front end as a widget view. The server
is `make lab` itself, started by tests/lab_server.py (tests/test_browser.py drives it in Chromium)."""

import pytest

from lab_server import lab  # noqa: F401 - the module-scoped `make lab` fixture

pytestmark = pytest.mark.slow


def test_lab_page_answers(lab):  # noqa: F811
    status, body = lab.get("/lab")
    assert status == 200 and "JupyterLab" in body


def test_lab_lists_the_dlcourse_kernel_with_keras_on_torch(lab):  # noqa: F811
    specs = lab.get_json("/api/kernelspecs")["kernelspecs"]
    assert "dlcourse" in specs, f"kernels offered: {sorted(specs)}; run `make lab` or `make install` to register it"
    assert specs["dlcourse"]["spec"]["env"].get("KERAS_BACKEND") == "torch"


def test_lab_has_nbgrader_and_widget_extensions_enabled(lab):  # noqa: F811
    extensions = {e["name"]: e for e in lab.get_json("/lab/api/extensions")}
    # The extension manager lists @scope/name packages as scope-name.
    for name in ("jupyter-nbgrader", "jupyter-widgets-jupyterlab-manager"):
        assert name in extensions and extensions[name]["enabled"], f"{name} missing or disabled"


def test_formgrader_serves_the_course(lab):  # noqa: F811
    status, body = lab.get("/formgrader")
    assert status == 200 and "nbgrader" in body.lower()


def test_dlcourse_kernel_runs_a_widget(tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import os, ipywidgets, dlcourse\nprint(os.environ['KERAS_BACKEND'])\nipywidgets.IntSlider(value=3)"
    )])
    NotebookClient(nb, kernel_name="dlcourse", timeout=60, resources={"metadata": {"path": str(tmp_path)}}).execute()
    outputs = nb.cells[0].outputs
    assert outputs[0].text == "torch\n"
    assert "application/vnd.jupyter.widget-view+json" in outputs[-1].data
