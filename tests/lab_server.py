"""A JupyterLab started exactly as students start it, `make lab`, for the lab's tests.

``start_lab`` runs ``make -s lab`` from the repository root in a new session (so its whole
process group can be stopped at once), with ``LAB_ARGS`` choosing a free port, a random token
and no browser, and with every folder where Jupyter keeps per-user state (configuration,
runtime files, workspaces, user settings, the checkpoints a notebook gets when it is opened)
in a temporary folder: a test neither reads the user's own lab state nor leaves anything in
it or next to the notebooks, and every run is a first start. The course's gradebook is a
temporary SQLite file too (``DLCOURSE_DB_URL``, read by course/nbgrader_config.py).

Stopping sends SIGTERM to the process group (JupyterLab shuts its kernels down), waits, then
kills whatever is left of it, kernels included (they run in sessions of their own), and
fails if any process survives.
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import shlex
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import psutil
import pytest

REPO = Path(__file__).resolve().parent.parent
START_SECONDS = 90
STOP_SECONDS = 20
# The user settings every test starts from: no autosave, so a notebook run in the browser is
# never written back into the repository behind the test's back (a test saves on purpose).
TEST_USER_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
}


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    """A running `make lab`: its address, token, process and the temporary folders it uses."""

    base: str
    token: str
    process: subprocess.Popen
    state: Path
    log: Path

    def url(self, path: str) -> str:
        """The address of `path` (e.g. "/lab/tree/lectures"), with the token for a browser."""
        separator = "&" if "?" in path else "?"
        return f"{self.base}{path}{separator}token={self.token}"

    def get(self, path: str) -> tuple[int, str]:
        """GET `path` with the token in the header; returns (status, body text)."""
        request = urllib.request.Request(self.base + path, headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()

    def get_json(self, path: str):
        return json.loads(self.get(path)[1])

    def log_tail(self, characters: int = 3000) -> str:
        return self.log.read_text(errors="replace")[-characters:]


def _wait_until_answering(server: LabServer) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            server.get("/api/status")
            return
        except OSError:
            if server.process.poll() is not None or time.monotonic() > deadline:
                _stop(server.process)
                pytest.fail(f"`make lab` did not answer on {server.base} within {START_SECONDS} s "
                            f"(exit code {server.process.poll()}); its log ends with:\n{server.log_tail()}")
            time.sleep(0.25)


def _describe(processes) -> list[str]:
    described = []
    for p in processes:
        with contextlib.suppress(psutil.Error):
            described.append(f"{p.pid} {' '.join(p.cmdline())[:150]}")
    return described


def _stop(process: subprocess.Popen) -> tuple[list[str], list[str]]:
    """Stop `make lab` and everything it started.

    Returns the processes still running STOP_SECONDS after SIGTERM (then killed), and those
    still running after SIGKILL.
    """
    try:
        family = [psutil.Process(process.pid), *psutil.Process(process.pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        family = []
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # the group: make, its shell, jupyter lab
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=STOP_SECONDS)
    _, lingering = psutil.wait_procs(family, timeout=STOP_SECONDS)
    ignored_sigterm = _describe(lingering)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    for survivor in lingering:  # kernels run in sessions of their own: kill them one by one
        with contextlib.suppress(psutil.NoSuchProcess):
            survivor.kill()
    process.wait(timeout=STOP_SECONDS)
    _, alive = psutil.wait_procs(lingering, timeout=STOP_SECONDS)
    return ignored_sigterm, _describe(p for p in alive if p.is_running())


@contextlib.contextmanager
def start_lab(state: Path, extra_args: str = "", extra_env: dict | None = None):
    """Run `make -s lab` on a free port with its per-user state under `state`; yields a LabServer.

    extra_args: more options for jupyter lab, appended to LAB_ARGS; extra_env: more environment.

    Stops it on exit and fails if one of its processes (kernels included) is still running.
    """
    state = Path(state)
    config, runtime, workspaces, settings, checkpoints = (
        state / name for name in ("config", "runtime", "workspaces", "user-settings", "checkpoints"))
    for folder in (config, runtime, workspaces, settings, checkpoints):
        folder.mkdir(parents=True, exist_ok=True)
    for name, values in TEST_USER_SETTINGS.items():
        path = settings / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port, token = free_port(), secrets.token_hex(16)
    q = shlex.quote  # make hands LAB_ARGS to the shell
    lab_args = (f"--no-browser --ip=127.0.0.1 --port={port} --IdentityProvider.token={token} "
                f"--LabApp.workspaces_dir={q(str(workspaces))} --LabApp.user_settings_dir={q(str(settings))} "
                # an absolute folder: no .ipynb_checkpoints/ next to the notebooks a test opens
                f"--FileCheckpoints.checkpoint_dir={q(str(checkpoints))} {extra_args}")
    env = {**os.environ, "JUPYTER_CONFIG_DIR": str(config), "JUPYTER_RUNTIME_DIR": str(runtime),
           "DLCOURSE_DB_URL": f"sqlite:///{state / 'gradebook.db'}", **(extra_env or {})}
    log = state / "lab.log"
    with open(log, "w") as log_file:
        process = subprocess.Popen(["make", "-s", "lab", f"LAB_ARGS={lab_args}"], cwd=REPO, env=env,
                                   stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    server = LabServer(f"http://127.0.0.1:{port}", token, process, state, log)
    try:
        _wait_until_answering(server)
        yield server
    finally:
        lingering, left = _stop(process)
    assert not left, f"processes of `make lab` survived SIGKILL: {left}"
    # JupyterLab shuts its kernels down when it gets SIGTERM (as after Ctrl+C): none may be left over
    assert not lingering, (f"processes of `make lab` still ran {STOP_SECONDS} s after SIGTERM and had to be "
                           f"killed: {lingering}; its log ends with:\n{server.log_tail()}")


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """`make lab` for one test module: a LabServer, stopped after the module's last test."""
    with start_lab(tmp_path_factory.mktemp("make-lab")) as server:
        yield server
