"""`make lab` must give students a working JupyterLab: it answers, it offers the dlcourse
kernel (with KERAS_BACKEND=torch), nbgrader's and ipywidgets' lab extensions are on, and
a widget made in the dlcourse kernel is sent to the front end as a widget view."""
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url, token):
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read().decode()


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    port, token = _free_port(), secrets.token_hex(16)
    runtime = tmp_path_factory.mktemp("jupyter-runtime")
    env = {**os.environ, "JUPYTER_RUNTIME_DIR": str(runtime), "PATH": f"{Path(sys.executable).parent}:{os.environ['PATH']}"}
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={REPO}",
         f"--LabApp.workspaces_dir={runtime}", "--allow-root"],
        cwd=REPO / "course",  # as `make lab` does, so nbgrader finds its config env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            _get(f"{base}/api/status", token)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(f"JupyterLab did not start on port {port}: {server.stderr.read()[-2000:]}")
            time.sleep(0.5)
    yield base, token
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def test_lab_page_answers(lab):
    base, token = lab
    status, body = _get(f"{base}/lab?token={token}", token)
    assert status == 200 and "JupyterLab" in body


def test_lab_lists_the_dlcourse_kernel_with_keras_on_torch(lab):
    base, token = lab
    specs = json.loads(_get(f"{base}/api/kernelspecs", token)[1])["kernelspecs"]
    assert "dlcourse" in specs, f"kernels offered: {sorted(specs)}; run `make lab` or `make install` to register it"
    assert specs["dlcourse"]["spec"]["env"].get("KERAS_BACKEND") == "torch"


def test_lab_has_nbgrader_and_widget_extensions_enabled(lab):
    base, token = lab
    extensions = {e["name"]: e for e in json.loads(_get(f"{base}/lab/api/extensions", token)[1])}
    # The extension manager lists @scope/name packages as scope-name.
    for name in ("jupyter-nbgrader", "jupyter-widgets-jupyterlab-manager"):
        assert name in extensions and extensions[name]["enabled"], f"{name} missing or disabled"


def test_formgrader_serves_the_course(lab):
    base, token = lab
    status, body = _get(f"{base}/formgrader?token={token}", token)
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
